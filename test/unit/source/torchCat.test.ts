/**
 * torch.cat along PyTorch's channel dim on volumetric tensors: (N, C, D, H, W) is held as (D, H, W, C), so dim 1
 * is the engine's last axis, never D. Shapes and totals from torch 2.13 running the same code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

const CAT_3D = `import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv3d(2, 4, 3, padding=1)
        self.b = nn.Conv3d(2, 4, 1)
        self.c = nn.Conv3d(8, 3, 1)

    def forward(self, x):
        y = torch.cat([self.a(x), self.b(x)], dim=1)
        return self.c(y)


model = Net()
model(torch.randn(1, 2, 4, 8, 8))
`;

test('torch.cat(dim=1) of two (N, 4, 4, 8, 8) tensors is (N, 8, 4, 8, 8), not (N, 4, 8, 8, 8)', async () => {
  const result = (await getReader()).read(CAT_3D, { file: 'model.py', language: 'python' });
  assert.ok(result.defaultModel);
  const report = await analyse(built(result.defaultModel));
  assert.equal(report.complete, true);
  // Engine shapes (D, H, W, C): torch 2.13 gives y (1, 8, 4, 8, 8) and the output (1, 3, 4, 8, 8).
  assert.deepEqual(report.layers.find((l) => l.name === 'cat')?.outputShape, [4, 8, 8, 8]);
  assert.deepEqual(report.layers.at(-1)?.outputShape, [4, 8, 8, 3]);
  assert.equal(report.totals.params, 259); // sum(p.numel() for p in Net().parameters()), torch 2.13
});
