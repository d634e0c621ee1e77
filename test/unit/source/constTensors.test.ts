/**
 * Layer sizes computed with torch on constants (torchvision's RegNet BlockParams.from_init_params): evaluated as
 * PyTorch does (int64 / float32, half-to-even rounding), so the widths are PyTorch's own. The expected widths
 * are torch 2.13's, for every `from_init_params(depth=…, w_0=…, w_a=…, w_m=…)` line of torchvision 0.28's
 * regnet.py, from
 *   widths_cont = torch.arange(d) * w_a + w_0
 *   cap = torch.round(torch.log(widths_cont / w_0) / math.log(w_m))
 *   (torch.round(torch.divide(w_0 * torch.pow(w_m, cap), 8)) * 8).int().tolist()
 * run with /work/venv/bin/python.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, findModel, getReader } from './helpers';

const TORCH_WIDTHS: [number, number, number, number, number[]][] = [
  [16, 48, 27.89, 2.09, [48, 104, 104, 104, 208, 208, 208, 208, 208, 208, 440, 440, 440, 440, 440, 440]],
  [14, 56, 38.84, 2.4, [56, 136, 136, 136, 320, 320, 320, 320, 320, 320, 320, 320, 776, 776]],
  [22, 24, 24.48, 2.54, [24, 64, 64, 152, 152, 152, 152, 152, 152, 152, 392, 392, 392, 392, 392, 392, 392, 392, 392, 392, 392, 392]],
  [16, 56, 35.73, 2.28, [56, 128, 128, 128, 288, 288, 288, 288, 288, 288, 288, 664, 664, 664, 664, 664]],
  [18, 80, 34.01, 2.25, [80, 80, 176, 176, 176, 176, 408, 408, 408, 408, 408, 408, 408, 408, 408, 408, 912, 912]],
  [25, 88, 26.31, 2.25, [88, 88, 200, 200, 200, 200, 200, 200, 448, 448, 448, 448, 448, 448, 448, 448, 448, 448, 448, 448, 448, 448, 448, 1000, 1000]],
  [23, 80, 49.56, 2.88, [80, 80, 232, 232, 232, 232, 232, 664, 664, 664, 664, 664, 664, 664, 664, 664, 664, 664, 664, 664, 664, 664, 1912]],
  [22, 216, 55.59, 2.1, [216, 216, 456, 456, 456, 456, 456, 456, 952, 952, 952, 952, 952, 952, 952, 952, 952, 952, 952, 952, 952, 2000]],
  [23, 320, 69.86, 2.0, [320, 320, 640, 640, 640, 640, 640, 640, 640, 1280, 1280, 1280, 1280, 1280, 1280, 1280, 1280, 1280, 1280, 1280, 1280, 1280, 2560]],
];

const widthsModel = (depth: number, w0: number, wa: number, wm: number) => `import math
import torch
from torch import nn


class Widths(nn.Module):
    def __init__(self):
        super().__init__()
        widths_cont = torch.arange(${depth}) * ${wa} + ${w0}
        block_capacity = torch.round(torch.log(widths_cont / ${w0}) / math.log(${wm}))
        block_widths = (torch.round(torch.divide(${w0} * torch.pow(${wm}, block_capacity), 8)) * 8).int().tolist()
        self.convs = nn.ModuleList([nn.Conv2d(1, w, 1, bias=False) for w in block_widths])
        self.head = nn.Conv2d(1, 1, 1)

    def forward(self, x):
        return self.head(x)


Widths()(torch.randn(1, 1, 8, 8))
`;

for (const [depth, w0, wa, wm, widths] of TORCH_WIDTHS) {
  test(`RegNet widths (depth=${depth}, w_0=${w0}, w_a=${wa}, w_m=${wm}) are torch's`, async () => {
    const model = built(findModel((await getReader()).read(widthsModel(depth, w0, wa, wm), { file: 'widths.py', language: 'python' }), 'Widths'));
    // Each registered Conv2d(1, w, 1, bias=False) forward() never calls holds w parameters: the widths, in order.
    const convs = model.spec.layers.filter((l) => l.notCalled);
    assert.deepEqual(convs.map((l) => l.declaredParams), widths);
    const report = await analyse(model);
    assert.equal(report.totals.params, widths.reduce((a, b) => a + b, 0) + 2);
  });
}

test('torch functions of values the reader cannot evaluate stay unknown', async () => {
  const text = widthsModel(4, 16, 8.5, 2.0).replace('torch.arange(4)', 'torch.arange(int(open("n").read()))');
  const model = built(findModel((await getReader()).read(text, { file: 'widths.py', language: 'python' }), 'Widths'));
  assert.equal(model.spec.layers.filter((l) => l.notCalled).length, 0);
  assert.ok(model.diagnostics.some((d) => /could not tell what "block_widths" iterates over/.test(d.message)), model.diagnostics.map((d) => d.message).join('\n'));
});
