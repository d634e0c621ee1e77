/**
 * Layer sizes computed with NumPy on constants, the way timm < 1.0's RegNet did (numpyArrays.ts): int64 and
 * float64 arrays, np.unique with counts, np.split of np.linspace at np.cumsum(depths[:-1]), .astype(int).tolist().
 * The fixture is our own; every expected number is NumPy 2.4.6's on the same code (/work/venv/bin/python, printing
 * each Conv2d's out_channels): convs [12, 26, 52, 110], depths [1, 3, 6, 6], rates [1, 23, 66, 106], head 16.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { built, findModel, getReader } from './helpers';

const WIDTHS = `import numpy as np
import torch
from torch import nn


def block_widths(slope, initial, mult, depth, group, q=8):
    cont = np.arange(depth) * slope + initial
    exps = np.round(np.log(cont / initial) / np.log(mult))
    widths = initial * np.power(mult, exps)
    widths = np.round(np.divide(widths, q)) * q
    stages, top = len(np.unique(widths)), exps.max() + 1
    groups = np.array([group for _ in range(stages)])
    return widths.astype(int).tolist(), stages, groups.astype(int).tolist(), int(top)


class W(nn.Module):
    def __init__(self):
        super().__init__()
        widths, n, gs, top = block_widths(27.89, 48, 2.09, 16, 8)
        sw, sd = np.unique(widths, return_counts=True)
        rates = np.split(np.linspace(0, 0.1, sum(sd)), np.cumsum(sd[:-1]))
        self.convs = nn.ModuleList([nn.Conv2d(1, int(w * 0.25), 1, bias=False) for w in sw])
        self.depths = nn.ModuleList([nn.Conv2d(1, d, 1, bias=False) for d in sd])
        self.rates = nn.ModuleList([nn.Conv2d(1, len(r) + int(r[-1] * 1000), 1, bias=False) for r in rates])
        self.head = nn.Conv2d(1, n + top + gs[0], 1)

    def forward(self, x):
        return self.head(x)


W()(torch.randn(1, 1, 8, 8))
`;

async function sizes(text: string): Promise<{ unused: (number | null)[]; head: number | null }> {
  const model = built(findModel((await getReader()).read(text, { file: 'widths.py', language: 'python' }), 'W'));
  const head = model.spec.layers.find((l) => !l.notCalled && l.declaredParams !== undefined);
  return { unused: model.spec.layers.filter((l) => l.notCalled).map((l) => l.declaredParams ?? null), head: head?.declaredParams ?? null };
}

test("RegNet widths, stage depths and drop-path pieces computed with NumPy are NumPy's", async () => {
  const seen = await sizes(WIDTHS);
  assert.deepEqual(seen.unused, [12, 26, 52, 110, 1, 3, 6, 6, 1, 23, 66, 106]);
  // head: Conv2d(1, 4 + 4 + 8 = 16, 1): 16 weights and 16 biases.
  assert.equal(seen.head, 32);
});

test('what NumPy does not do the same way, or the reader does not model, stays unknown', async () => {
  // np.split(np.linspace(0, 0.1, 16), 3): ValueError: array split does not result in an equal division (NumPy 2.4.6); the sum
  // of a float array is pairwise (0.1 + 0.2 + 0.4 is 0.7000000000000001); int32, bools and a torch tensor are not followed.
  for (const swap of [
    ['np.cumsum(sd[:-1])', '3'],
    ['np.array([group for _ in range(stages)])', 'np.array([group for _ in range(stages)]).astype(np.int32)'],
    ['np.unique(widths, return_counts=True)', 'np.unique(np.array([True, False]), return_counts=True)'],
    ['sum(sd)', 'int(np.linspace(0, 1, 4).sum() * 12)'],
    ['cont = np.arange(depth) * slope + initial', 'cont = np.arange(depth) * torch.arange(depth) + initial'],
  ]) {
    const seen = await sizes(WIDTHS.replace(swap[0]!, swap[1]!));
    // Some of the twelve sizes (or the head's) are then missing or unknown: never a number NumPy would not give.
    assert.ok(seen.unused.length < 12 || seen.unused.includes(null) || seen.head === null, `${swap[1]}: ${JSON.stringify(seen)}`);
  }
});
