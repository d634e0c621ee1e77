/**
 * A module attribute set in a branch the reader cannot decide (`if WIDE: self.fc = nn.Linear(10, 20) else:
 * self.fc = nn.Linear(10, 10)`) may be either module, or neither: model.parameters() counts it, by an amount the
 * reader cannot know, so the total is a lower bound with a located warning, never one branch's count. PyTorch 2.13:
 * 220 + 110 = 330 parameters with WIDE set, 110 + 110 = 220 without; the reader can say only "at least 110".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

const TEXT = `import os
import torch
import torch.nn as nn

WIDE = os.environ.get("WIDE")

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        if WIDE:
            self.fc = nn.Linear(10, 20)
        else:
            self.fc = nn.Linear(10, 10)
        self.q = nn.Linear(10, 10)

    def forward(self, x):
        return self.q(x)

model = Net()
y = model(torch.randn(1, 10))
`;

test('a module set in a branch the reader cannot decide makes the total a lower bound, located at the branch', async () => {
  const read = (await getReader()).read(TEXT, { file: 'wide.py', language: 'python' });
  const report = await analyse(built(read.defaultModel!));
  assert.equal(report.totals.params, 110);
  assert.equal(report.totals.lowerBound, true);
  assert.equal(report.complete, false);
  const fc = report.layers.find((l) => l.name === 'fc')!;
  assert.equal(fc.notCalled, true);
  assert.equal(fc.unknown?.params, true);
  assert.ok(read.diagnostics.some((d) => d.source.line === 10 && /fc: .*may hold a module or parameter/.test(d.message)), JSON.stringify(read.diagnostics));
});

test('the same branch decided by a constant counts the module it makes', async () => {
  const read = (await getReader()).read(TEXT.replace('WIDE = os.environ.get("WIDE")', 'WIDE = True'), { file: 'wide.py', language: 'python' });
  const report = await analyse(built(read.defaultModel!));
  assert.equal(report.totals.params, 330);
  assert.equal(report.totals.lowerBound ?? false, false);
});
