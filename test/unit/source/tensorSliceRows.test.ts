/**
 * A slice over several axes (`y[:, 2:5, -7::3, 1:-1:4]`, YOLOv5's Focus `x[..., ::2, ::2]`) is one row with the
 * shape PyTorch gives, (N, 3, 3, 7) on a (N, 8, 29, 28) input (torch 2.13); the engine's per-axis middle tensors are
 * not the model's, so they are neither rows nor counted in the activations: (8·29·28 + 3·3·7 + 5·3·7) · 4 B.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

const CODE = `import torch.nn as nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 8, 3)
        self.c2 = nn.Conv2d(3, 5, 1)
    def forward(self, x):
        y = self.c1(x)
        y = y[:, 2:5, -7::3, 1:-1:4]
        return self.c2(y)
`;

test('a slice over three axes is one row, its middle tensors not counted', async () => {
  const read = (await getReader()).read(CODE, { file: 'slice.py', language: 'python' });
  const report = await analyse(built(read.models.find((m) => m.name === 'Net')!, [31, 30, 3]));
  assert.deepEqual(report.layers.map((l) => [l.name, l.outputShape]), [['c1', [29, 28, 8]], ['slice', [3, 7, 3]], ['c2', [3, 7, 5]]]);
  assert.equal(report.totals.activationBytes, (8 * 29 * 28 + 3 * 3 * 7 + 5 * 3 * 7) * 4);
  assert.equal(report.complete, true);
});
