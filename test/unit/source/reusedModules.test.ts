/**
 * A module called twice holds one set of weights, whatever the engine layers its translation needs: PyTorch's
 * Conv1d is one layer around tfjs' Conv1D, and a Linear on (N, C, H, W) one around a Dense on another axis. Totals
 * from torch 2.13: `sum(p.numel() for p in Net().parameters())`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

const net = (layer: string, input: string) => `import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.m = ${layer}

    def forward(self, x):
        return self.m(self.m(x))


model = Net()
model(torch.randn(${input}))
`;

async function totalOf(text: string): Promise<{ params: number; complete: boolean }> {
  const result = (await getReader()).read(text, { file: 'model.py', language: 'python' });
  assert.ok(result.defaultModel);
  const report = await analyse(built(result.defaultModel));
  return { params: report.totals.params, complete: report.complete };
}

test('nn.Conv1d(8, 8, 3, padding=1) called twice has 200 parameters (torch 2.13), not 400', async () => {
  assert.deepEqual(await totalOf(net('nn.Conv1d(8, 8, 3, padding=1)', '1, 8, 16')), { params: 200, complete: true });
});

test('nn.Linear(8, 8) called twice on (N, 3, 5, 8) has 72 parameters (torch 2.13), not 144', async () => {
  assert.deepEqual(await totalOf(net('nn.Linear(8, 8)', '1, 3, 5, 8')), { params: 72, complete: true });
});

test('nn.Conv2d(8, 8, 3, padding=1) called twice has 584 parameters (torch 2.13)', async () => {
  assert.deepEqual(await totalOf(net('nn.Conv2d(8, 8, 3, padding=1)', '1, 8, 6, 6')), { params: 584, complete: true });
});
