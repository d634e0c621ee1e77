/**
 * Containers built from values the reader cannot list are unknown, never empty: torchvision's RegNet collects
 * its stages in a loop over a generator the reader may not follow and then writes
 * `nn.Sequential(OrderedDict(blocks))`; an empty dict there made the trunk a pass-through and the report
 * complete with a classifier sized by the stem's width (a confident wrong number).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, findModel, getReader } from './helpers';

const UNLISTED_STAGES = `import torch
from collections import OrderedDict
from torch import nn


class Trunk(nn.Module):
    def __init__(self, widths):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        blocks = []
        width = 8
        for i, w in enumerate(w for w in widths if w > 0):
            blocks.append((f"block{i}", nn.Conv2d(width, w, 3, padding=1)))
            width = w
        self.trunk = nn.Sequential(OrderedDict(blocks))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(width, 10)

    def forward(self, x):
        x = self.trunk(self.stem(x))
        return self.fc(torch.flatten(self.pool(x), 1))


def trunk():
    return Trunk(unknown_widths())
`;

test('nn.Sequential(OrderedDict(blocks)) after a loop the reader could not read is unknown, not a pass-through', async () => {
  const read = (await getReader()).read(UNLISTED_STAGES, { file: 'trunk.py', language: 'python' });
  const model = built(findModel(read, 'trunk'), [32, 32, 3]);
  const report = await analyse(model);
  assert.equal(report.complete, false);
  // The stem's 224 parameters are known; the trunk's and the classifier's are not, so the total is a lower bound.
  assert.equal(report.totals.lowerBound, true);
  assert.equal(report.totals.params, 3 * 3 * 3 * 8 + 8);
  const trunkLine = UNLISTED_STAGES.split('\n').findIndex((l) => l.includes('self.trunk(self.stem(x))')) + 1;
  assert.ok(
    model.diagnostics.some((d) => d.source.line === trunkLine && /self\.trunk/.test(d.message)),
    model.diagnostics.map((d) => `${d.source.line}: ${d.message}`).join('\n'),
  );
  assert.ok(!report.layers.some((l) => l.type === 'Dense' && l.params === 8 * 10 + 10), 'the classifier was sized by the stem');
});

test('a raise the code certainly reaches is a located warning, and what it was building is unknown', async () => {
  const text = `import torch
from torch import nn


class Checked(nn.Module):
    def __init__(self, depth=0):
        super().__init__()
        if depth < 1:
            raise ValueError("depth must be positive")
        self.conv = nn.Conv2d(3, 8, 3)

    def forward(self, x):
        return self.conv(x)


model = Checked()
out = model(torch.randn(1, 3, 16, 16))
`;
  const read = (await getReader()).read(text, { file: 'checked.py', language: 'python' });
  const raised = read.diagnostics.find((d) => d.code === 'unknown' && d.source.line === 9);
  assert.ok(raised, read.diagnostics.map((d) => `${d.source.line}: ${d.message}`).join('\n'));
  assert.equal(raised.severity, 'warning');
  assert.match(raised.message, /the code raises here \(`raise ValueError\("depth must be positive"\)`\)/);
  const report = await analyse(built(findModel(read, 'Checked')));
  assert.equal(report.complete, false);
});
