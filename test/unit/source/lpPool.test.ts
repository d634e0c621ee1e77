/**
 * nn.LPPool2d is avg_pool2d of x^p in PyTorch, so its output shape is AvgPool2d's; shown as LPPool2d. Shapes
 * from torch 2.13 on torch.randn(1, 3, 17, 17): LPPool2d(2, 3) → (1, 3, 5, 5), LPPool2d(2, 3, 2) → (1, 3, 8, 8),
 * LPPool2d(1, (2, 3), ceil_mode=True) → (1, 3, 9, 6), LPPool2d(norm_type=2, kernel_size=4, stride=3,
 * ceil_mode=True) → (1, 3, 6, 6); nn.Dropout3d keeps (1, 2, 3, 4, 5).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

async function outputOf(layer: string, input: string): Promise<{ shape: unknown; type: unknown; complete: boolean }> {
  const code = `import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.p = ${layer}

    def forward(self, x):
        return self.p(x)


model = Net()
model(torch.randn(${input}))
`;
  const result = (await getReader()).read(code, { file: 'model.py', language: 'python' });
  const report = await analyse(built(result.defaultModel!));
  const last = report.layers.at(-1)!;
  return { shape: last.outputShape, type: last.frameworkType, complete: report.complete };
}

const CASES: [string, number[]][] = [
  ['nn.LPPool2d(2, 3)', [5, 5, 3]],
  ['nn.LPPool2d(2, 3, 2)', [8, 8, 3]],
  ['nn.LPPool2d(1, (2, 3), ceil_mode=True)', [9, 6, 3]],
  ['nn.LPPool2d(norm_type=2, kernel_size=4, stride=3, ceil_mode=True)', [6, 6, 3]],
];

for (const [layer, engineShape] of CASES) {
  test(`${layer} on (1, 3, 17, 17) is torch's shape`, async () => {
    assert.deepEqual(await outputOf(layer, '1, 3, 17, 17'), { shape: engineShape, type: 'LPPool2d', complete: true });
  });
}

test('nn.Dropout3d keeps (N, 2, 3, 4, 5)', async () => {
  assert.deepEqual(await outputOf('nn.Dropout3d(0.2)', '1, 2, 3, 4, 5'), { shape: [3, 4, 5, 2], type: 'Dropout3d', complete: true });
});
