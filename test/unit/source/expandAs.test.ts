/**
 * y.expand_as(x) repeats y's size-1 dims to x's size (layer by layer against PyTorch 2.13 in
 * pytorch_se_expand_as.expected.json); a dim that is neither 1 nor x's is PyTorch's RuntimeError ("The expanded
 * size of the tensor (16) must match the existing size (8) at non-singleton dimension 1"), never a shape.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnosticsFromReport } from '../../../extension/core/source/index';
import { analyse, built, getReader } from './helpers';

test('expand_as to a size that is neither 1 nor equal is reported, not guessed', async () => {
  const source = `import torch
import torch.nn as nn


class Bad(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(3, 16, 1)
        self.b = nn.Conv2d(3, 8, 1)

    def forward(self, x):
        return self.a(x) * self.b(x).expand_as(self.a(x))


y = Bad()(torch.randn(1, 3, 4, 4))
`;
  const read = (await getReader()).read(source, { file: 'bad.py', language: 'python' });
  const model = built(read.defaultModel!);
  const report = await analyse(model);
  assert.equal(report.complete, false);
  const messages = [...read.diagnostics, ...diagnosticsFromReport(model, report)].map((d) => `${d.source.line}: ${d.message}`);
  assert.ok(messages.some((m) => m.startsWith('12: ') && m.includes('must match the existing size')), messages.join('\n'));
});
