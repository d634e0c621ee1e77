/**
 * Grouped convolutions read from code. Expected counts from running the same code for real:
 * PyTorch 2.13 `sum(p.numel() for p in m.parameters())` = 576 (288 + 256 + 32); Keras 3.15
 * `model.count_params()` = 200 (152 + 48), output (None, 14, 14, 16).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

test('PyTorch Conv2d(groups=g) that is not depthwise: parameters and shapes as PyTorch gives them', async () => {
  const code = `import torch
import torch.nn as nn
class G(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(8, 16, 3, padding=1, groups=4, bias=False)
        self.b = nn.Conv2d(16, 32, 1, groups=2)
    def forward(self, x):
        return self.b(self.a(x))
m = G()
m(torch.randn(1, 8, 16, 16))
`;
  const read = (await getReader()).read(code, { file: 'g.py', language: 'python' });
  const report = await analyse(built(read.defaultModel!));
  assert.deepEqual(report.layers.map((l) => [l.name, l.params]), [['a', 288], ['b', 288]]);
  assert.equal(report.totals.params, 576);
  assert.deepEqual(report.layers.at(-1)!.outputShape, [16, 16, 32]);
});

test('Keras Conv2D(groups=g): parameters as count_params() gives them', async () => {
  const code = `import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(16, 16, 4)), layers.Conv2D(8, 3, groups=2), layers.Conv2D(16, 1, groups=4)])
`;
  const read = (await getReader()).read(code, { file: 'gk.py', language: 'python' });
  const report = await analyse(built(read.defaultModel!));
  assert.deepEqual(report.layers.map((l) => l.params), [152, 48]);
  assert.equal(report.totals.params, 200);
  assert.deepEqual(report.layers.at(-1)!.outputShape, [14, 14, 16]);
});
