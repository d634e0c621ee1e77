/**
 * x.size() / x.shape of a 5-D PyTorch tensor is (N, C, D, H, W), as PyTorch gives it; the engine holds the
 * sample channels-last ((D, H, W, C)), and reading that order back gave x.size(1) == D. PyTorch 2.13 on this
 * code at (2, 3, 4, 6, 6): x.view(x.size(0), x.size(1), -1) is (2, 3, 144), fc (Linear(144, 5)) gives (2, 3, 5).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, callRows, findModel, getReader } from './helpers';

const SOURCE = `import torch
import torch.nn as nn


class PerChannel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv3d(1, 3, 3, padding=1)
        self.fc = nn.Linear(4 * 6 * 6, 5)

    def forward(self, x):
        x = self.conv(x)
        n, c, d, h, w = x.shape
        assert (c, d) == (3, 4)
        return self.fc(x.view(x.size(0), x.size(1), -1))


model = PerChannel()
y = model(torch.randn(2, 1, 4, 6, 6))
`;

test('x.size() of a (N, C, D, H, W) clip is in PyTorch\'s order', async () => {
  const read = (await getReader()).read(SOURCE, { file: 'clip.py', language: 'python' });
  const model = built(findModel(read, 'PerChannel'));
  const report = await analyse(model);
  const rows = callRows(model, report, 2, (t) => t.startsWith('nn.'));
  assert.deepEqual(rows, [
    { name: 'conv', type: 'Conv3d', line: 8, output: [2, 3, 4, 6, 6], params: 84 },
    { name: 'fc', type: 'Linear', line: 9, output: [2, 3, 5], params: 725 },
  ]);
  assert.equal(report.complete, true);
  assert.deepEqual(read.diagnostics.filter((d) => d.severity === 'error'), []);
});
