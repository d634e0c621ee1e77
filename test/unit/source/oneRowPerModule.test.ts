/**
 * One row per PyTorch module, as print(model) and torchinfo list them: an nn.Conv2d with a padding 'same' cannot
 * give (AlexNet's 11/4/2, Inception's (1, 7) with (0, 3)) and a MaxPool2d / AvgPool2d with ceil_mode are one row
 * each, with the module's input, its padding as written and PyTorch's output size. PyTorch 2.13, forward hooks on
 * the Stem below at (1, 3, 224, 224): conv (1, 3, 224, 224) → (1, 16, 55, 55), pool → (1, 16, 27, 27), conv2 →
 * (1, 8, 27, 27), pool2 → (1, 8, 14, 14); 6,728 parameters. ceil_mode sizes: F.max_pool2d / F.avg_pool2d(
 * torch.zeros(1, 1, H, H), k, s, p, ceil_mode=True) for the (H, k, s, p) below.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';
import { toJsonReport } from '../../../extension/core/report/json';

const STEM = `import torch
import torch.nn as nn


class Stem(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, kernel_size=11, stride=4, padding=2)
        self.pool = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.conv2 = nn.Conv2d(16, 8, kernel_size=(1, 7), padding=(0, 3))
        self.pool2 = nn.MaxPool2d(2, stride=2, padding=1, ceil_mode=True)

    def forward(self, x):
        return self.pool2(self.conv2(self.pool(self.conv(x))))


model = Stem()
y = model(torch.randn(1, 3, 224, 224))
`;

async function report(text: string) {
  const read = (await getReader()).read(text, { file: 'stem.py', language: 'python' });
  return analyse(built(read.defaultModel!));
}

test('explicit padding and ceil_mode: one row per module, with its input, its padding and PyTorch’s size', async () => {
  const r = await report(STEM);
  const json = toJsonReport(r) as { layers: { name: string; frameworkType: string; inputShapes: unknown[]; outputShape: unknown; padding: string | null }[] };
  assert.deepEqual(
    json.layers.map((l) => [l.name, l.frameworkType, l.inputShapes[0], l.outputShape, l.padding]),
    [
      ['conv', 'Conv2d', [null, 3, 224, 224], [null, 16, 55, 55], '(2, 2)'],
      ['pool', 'MaxPool2d', [null, 16, 55, 55], [null, 16, 27, 27], 'ceil_mode'],
      ['conv2', 'Conv2d', [null, 16, 27, 27], [null, 8, 27, 27], '(0, 3)'],
      ['pool2', 'MaxPool2d', [null, 8, 27, 27], [null, 8, 14, 14], '(1, 1) ceil_mode'],
    ],
  );
  assert.equal(r.totals.params, 6_728);
  assert.equal(r.complete, true);
  // The row's input is what came before it: the DAG edges skip the folded padding.
  assert.deepEqual(r.layers.map((l) => l.inputs), [['input'], ['conv'], ['pool'], ['conv2']]);
});

test('ceil_mode sizes are PyTorch’s, including a last window dropped when it would start in the padding', async () => {
  // [H, k, s, p, PyTorch's output size] (max and avg pooling agree on all of them).
  const cases: [number, number, number, number, number][] = [
    [55, 3, 2, 0, 27], [112, 3, 2, 1, 57], [7, 2, 2, 1, 4], [14, 3, 3, 1, 5], [9, 4, 3, 2, 4],
    [6, 5, 4, 2, 2], [28, 2, 2, 0, 14], [13, 3, 2, 1, 7], [5, 1, 2, 0, 3], [17, 5, 3, 2, 7],
  ];
  for (const [h, k, s, p, out] of cases) {
    for (const pool of ['MaxPool2d', 'AvgPool2d']) {
      const text = `import torch\nimport torch.nn as nn\n\nmodel = nn.Sequential(nn.${pool}(${k}, stride=${s}, padding=${p}, ceil_mode=True))\ny = model(torch.randn(1, 2, ${h}, ${h}))\n`;
      const r = await report(text);
      assert.deepEqual(r.layers.map((l) => l.outputShape), [[out, out, 2]], `${pool}(${k}, ${s}, ${p}) on ${h}`);
    }
  }
});
