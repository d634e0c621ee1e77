/**
 * A sum over H and W (SNGAN-style discriminators: `torch.sum(h, dim=(2, 3))`, `h.sum([2, 3])`) keeps (N, C), as a
 * mean does; a sum over everything (a loss) stays unknown. torch 2.13: the model below gives (4, 1) and
 * sum(p.numel()) = 465 (Conv2d(3, 16, 3) 448 + Linear(16, 1) 17).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

for (const sum of ['torch.sum(h, dim=(2, 3))', 'h.sum([2, 3])', 'h.sum(dim=(-1, -2))']) {
  test(`${sum} is (N, C)`, async () => {
    const source = `import torch
import torch.nn as nn


class Critic(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, padding=1)
        self.fc = nn.Linear(16, 1)

    def forward(self, x):
        h = torch.relu(self.conv(x))
        h = ${sum}
        return self.fc(h)


y = Critic()(torch.randn(4, 3, 8, 8))
`;
    const read = (await getReader()).read(source, { file: 'critic.py', language: 'python' });
    const report = await analyse(built(read.defaultModel!));
    assert.equal(report.complete, true);
    assert.equal(report.totals.params, 465);
    assert.deepEqual(report.layers.at(-1)!.outputShape, [1]);
  });
}
