/**
 * Layer sizes computed with torch on constants in timm's RegNet style: `torch.arange(d, dtype=torch.float32)`,
 * `torch.unique(..., return_counts=True)`, `.max().item()`, `torch.tensor([...], dtype=torch.int32)`, and the
 * dtype rules they depend on (int32 next to int64, 0-d tensors). The fixtures are our own; every expected number
 * is torch 2.13's (/work/venv/bin/python, the same expressions printed with .tolist() / .dtype).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { built, findModel, getReader } from './helpers';

/** A module whose unused Conv2d(1, w, 1, bias=False) per computed size shows the sizes, in order (null: unknown). */
const sizesModel = (body: string) => `import math
import torch
from torch import nn


class Sizes(nn.Module):
    def __init__(self):
        super().__init__()
${body
  .split('\n')
  .map((l) => `        ${l}`)
  .join('\n')}
        self.convs = nn.ModuleList([nn.Conv2d(1, s, 1, bias=False) for s in sizes])
        self.head = nn.Conv2d(1, 1, 1)

    def forward(self, x):
        return self.head(x)


Sizes()(torch.randn(1, 1, 8, 8))
`;

async function sizesOf(body: string): Promise<{ sizes: (number | null)[]; messages: string }> {
  const model = built(findModel((await getReader()).read(sizesModel(body), { file: 'sizes.py', language: 'python' }), 'Sizes'));
  return { sizes: model.spec.layers.filter((l) => l.notCalled).map((l) => l.declaredParams ?? null), messages: model.diagnostics.map((d) => d.message).join('\n') };
}

// torch 2.13: stage widths, stage depths, number of stages, max exponent + 1, groups for each (w_a, w_0, w_m, d, g).
const STAGES: [number, number, number, number, number, number[], number[], number, number][] = [
  [27.89, 48, 2.09, 16, 8, [48, 104, 208, 440], [1, 3, 6, 6], 4, 4],
  [36.44, 24, 2.49, 13, 8, [24, 56, 152, 368], [1, 1, 4, 7], 4, 4],
  [16.0, 8, 2.0, 6, 4, [8, 32, 64], [1, 2, 3], 3, 4],
];

for (const [wa, w0, wm, d, g, widths, depths, stages, top] of STAGES) {
  test(`stage widths of (w_a=${wa}, w_0=${w0}, w_m=${wm}, d=${d}) by torch.unique with counts are torch's`, async () => {
    const { sizes, messages } = await sizesOf(`cont = torch.arange(${d}, dtype=torch.float32) * ${wa} + ${w0}
exps = torch.round(torch.log(cont / ${w0}) / math.log(${wm}))
per_block = torch.round((${w0} * torch.pow(${wm}, exps)) / 8) * 8
stages, top = len(torch.unique(per_block)), int(exps.max().item()) + 1
groups = torch.tensor([${g} for _ in range(stages)], dtype=torch.int32)
widths, depths = torch.unique(torch.tensor(per_block.int().tolist()), return_counts=True)
sizes = widths.tolist() + depths.tolist() + [stages, top] + groups.tolist()`);
    assert.deepEqual(sizes, [...widths, ...depths, stages, top, ...Array(stages).fill(g)], messages);
  });
}

test('an int32 tensor stays int32 next to a Python int and a 0-d int64 tensor, and int64 next to an int64 vector', async () => {
  // torch 2.13: (g * 3).dtype and (g + torch.tensor(5)).dtype are int32, (g + torch.tensor([1, 2])).dtype int64.
  // So (g + torch.tensor(5)) * 2**28 passes int32's range (PyTorch wraps it around: not followed), the int64 one does not.
  const wide = await sizesOf(`g = torch.tensor([8, 8], dtype=torch.int32)
sizes = ((g + torch.tensor([1, 2])) * 2**28 // 2**28).tolist() + (g * 3).tolist()`);
  assert.deepEqual(wide.sizes, [9, 10, 24, 24], wide.messages);
  const wrapped = await sizesOf(`g = torch.tensor([8, 8], dtype=torch.int32)
sizes = ((g + torch.tensor(5)) * 2**28 // 2**28).tolist()`);
  assert.deepEqual(wrapped.sizes, []);
  assert.match(wrapped.messages, /could not tell what "sizes" iterates over/);
});

test('.int() truncates toward zero; a 0-d tensor tolist()s to its number and has no len()', async () => {
  // torch 2.13: (torch.tensor([2.7, 5.9]).int() + 1).tolist() == [3, 6]; torch.arange(5).max().tolist() == 4 (an
  // int); len(torch.arange(5).max()) raises TypeError: len() of a 0-d tensor.
  const { sizes, messages } = await sizesOf(`sizes = (torch.tensor([2.7, 5.9]).int() + 1).tolist() + [torch.arange(5).max().tolist()]`);
  assert.deepEqual(sizes, [3, 6, 4], messages);
  // The one Conv2d has an unknown size (null), not a guessed one.
  const noLen = await sizesOf(`sizes = [len(torch.arange(5).max())]`);
  assert.deepEqual(noLen.sizes, [null]);
});

test('a dtype the reader does not model, or bool data, stays unknown', async () => {
  // torch.tensor([True, False]) is a bool tensor (torch 2.13), whose arithmetic differs from an int's.
  for (const body of ['sizes = torch.arange(4, dtype=torch.float64).int().tolist()', 'sizes = (torch.tensor([True, False]) + 2).tolist()']) {
    const { sizes } = await sizesOf(body);
    assert.deepEqual(sizes, [], body);
  }
});
