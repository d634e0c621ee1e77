/**
 * Channel mismatches of PReLU, GroupNorm and InstanceNorm2d(affine=True) are errors in PyTorch's own words
 * (torch 2.13 on torch.zeros(1, 8, 16, 16): nn.PReLU(5), nn.GroupNorm(2, 6), nn.InstanceNorm2d(6, affine=True));
 * GroupNorm(3, 8) fails at construction ("num_channels (8) must be divisible by num_groups (3)"), so nothing
 * after it has a shape. Layer rows and parameters are checked in pytorch.test.ts (pytorch_norms_activations.py).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnosticsFromReport } from '../../../extension/core/source/index';
import { analyse, built, getReader } from './helpers';

async function diagnosticsOf(layer: string) {
  const code = `import torch
import torch.nn as nn
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = ${layer}
    def forward(self, x):
        return self.a(x)
M()(torch.zeros(1, 8, 16, 16))
`;
  const model = built((await getReader()).read(code, { file: 'm.py', language: 'python' }).defaultModel!);
  const report = await analyse(model);
  return { report, messages: diagnosticsFromReport(model, report).map((d) => d.message) };
}

const CASES: [string, string][] = [
  ['nn.PReLU(5)', 'Mismatch of parameter numbers and input channel size. Found parameter numbers = 5 and channel size = 8.'],
  ['nn.GroupNorm(2, 6)', 'Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape [6] and input of shape [1, 8, 16, 16]'],
  ['nn.InstanceNorm2d(6, affine=True)', "expected input's size at dim=1 to match num_features (6), but got: 8."],
];

for (const [layer, pytorch] of CASES) {
  test(`${layer} on 8 channels: PyTorch's error`, async () => {
    const { messages } = await diagnosticsOf(layer);
    assert.ok(messages.some((m) => m.includes(pytorch)), messages.join('\n'));
  });
}

test('GroupNorm(3, 8): PyTorch refuses it when made, so its shapes are unknown, not guessed', async () => {
  const { report } = await diagnosticsOf('nn.GroupNorm(3, 8)');
  assert.equal(report.complete, false);
  assert.equal(report.layers[0]!.outputShape, null);
});
