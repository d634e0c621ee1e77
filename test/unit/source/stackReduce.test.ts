/**
 * torch.stack and reductions over named dims (stackReduce.ts), the way timm's SKNet uses them; the rows and
 * totals of the whole pattern are checked against PyTorch in pytorch.test.ts (pytorch_stacked_paths.py). Here:
 * its MACs, and what stays unknown or is PyTorch's own error. Every shape and message is torch 2.13's on the
 * same expressions (/work/venv/bin/python):
 *   torch.stack([a, a], 4).shape of a (2, 3, 4, 4) a          torch.Size([2, 3, 4, 4, 2])
 *   torch.stack([a, a], 5)                                    IndexError: Dimension out of range (expected to be in range of [-5, 4], but got 5)
 *   torch.stack([a, b], 1), b (2, 5, 4, 4)                    RuntimeError: stack expects each tensor to be equal size, but got [2, 3, 4, 4] at entry 0 and [2, 5, 4, 4] at entry 1
 *   a.sum(4)                                                  IndexError: Dimension out of range (expected to be in range of [-4, 3], but got 4)
 *   a.sum((1, -3))                                            RuntimeError: dim 1 appears multiple times in the list of dims
 *   a.sum((1, 2), keepdim=True).shape                         torch.Size([2, 1, 1, 4])
 *   pytorch_stacked_paths.py's StackedNet at (1, 3, 20, 20): FlopCounterMode get_total_flops() // 2 = 4,679,488
 *   pytorch_radix_attention.py's RadixNet at (1, 3, 16, 16): 620,448 MACs, 13,253 parameters
 *   a.view(2, 4, -1).shape                                    torch.Size([2, 4, 12])
 *   a.view(2, 5, -1)                                          RuntimeError: shape '[2, 5, -1]' is invalid for input of size 96
 *   a.view(a.size(0) * 2, -1).shape, a.view(a.size(0) * 2, 2, -1).shape   torch.Size([4, 24]), torch.Size([4, 2, 12])
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyse, built, callRows, findModel, FIXTURES, getReader, readFixture } from './helpers';

function program(body: string[]): string {
  const fwd = body.map((l) => `        ${l}`).join('\n');
  return `import torch\nimport torch.nn as nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.a = nn.Conv2d(3, 3, 1)\n        self.b = nn.Conv2d(3, 5, 1)\n\n    def forward(self, x):\n        a, b = self.a(x), self.b(x)\n${fwd}\n        return x\n\n\nmodel = Net()\nmodel(torch.randn(2, 3, 4, 4))\n`;
}

async function read(body: string[]) {
  const model = built((await getReader()).read(program(body), { file: 'model.py', language: 'python' }).defaultModel!);
  const report = await analyse(model);
  const rows = callRows(model, report, 2).filter((r) => !/Conv2d/.test(r.type));
  const errors = model.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.source.line}: ${d.message}`);
  return { rows: rows.map((r) => [r.type, r.output]), complete: report.complete, errors };
}

test('StackedNet (pytorch_stacked_paths.py): MACs and parameters as PyTorch counts them', async () => {
  const model = built(findModel(await readFixture('pytorch_stacked_paths.py'), 'StackedNet'));
  const report = await analyse(model);
  assert.equal(report.complete, true);
  assert.deepEqual([report.totals.params, report.totals.macs], [46_778, 4_679_488]);
});

test('RadixNet (pytorch_radix_attention.py): a view with -1, a grouped view used twice, as PyTorch counts', async () => {
  const model = built(findModel(await readFixture('pytorch_radix_attention.py'), 'RadixNet'));
  const report = await analyse(model);
  assert.equal(report.complete, true);
  assert.deepEqual([report.totals.params, report.totals.macs], [13_253, 620_448]);
  // x.reshape((n, radix, rc // radix, h, w)) is summed and multiplied: one view row, at the reshape's own line.
  const views = model.calls.filter((c) => c.name.startsWith('split1.view'));
  const reshapeLine = readFileSync(path.join(FIXTURES, 'pytorch_radix_attention.py'), 'utf8').split('\n').findIndex((l) => l.includes('x = x.reshape((n, self.radix')) + 1;
  assert.equal(views.filter((c) => c.source.line === reshapeLine).length, 1);
});

test('a view inferring one size (-1) from the rest: torch\'s sizes; one that does not fit stays unknown', async () => {
  const fits = await read(['x = a.view(a.size(0), 4, -1)']);
  assert.deepEqual([fits.rows, fits.complete], [[['view', [2, 4, 12]]], true]);
  const misfit = await read(['x = a.view(a.size(0), 5, -1)']);
  assert.deepEqual([misfit.rows.at(-1)![1], misfit.complete], [null, false]);
  // A first size computed from the batch is no batch: (2N, ...) cannot be shown, and the -1 is not N's.
  for (const line of ['x = a.view(a.size(0) * 2, -1)', 'x = a.view(a.size(0) * 2, 2, -1)']) {
    const scaled = await read([line]);
    assert.deepEqual([scaled.rows.at(-1)![1], scaled.complete], [null, false], line);
  }
});

test('a stack at the last dim, a sum over two dims with keepdim: torch\'s shapes', async () => {
  const seen = await read(['x = torch.stack([a, a], 4)', 'x = x.sum((1, 2), keepdim=True)']);
  assert.deepEqual(seen.rows, [['torch.stack', [2, 3, 4, 4, 2]], ['sum', [2, 1, 1, 4, 2]]]);
  assert.equal(seen.complete, true);
});

test('out-of-range dims, repeated dims and unequal sizes are errors at their line, in torch\'s words', async () => {
  const cases: [string, string][] = [
    ['x = torch.stack([a, a], 5)', 'Dimension out of range (expected to be in range of [-5, 4], but got 5)'],
    ['x = torch.stack([a, b], 1)', 'stack expects each tensor to be equal size, but got [N, 3, 4, 4] at entry 0 and [N, 5, 4, 4] at entry 1'],
    ['x = a.sum(4)', 'Dimension out of range (expected to be in range of [-4, 3], but got 4)'],
    ['x = a.sum((1, -3))', 'dim 1 appears multiple times in the list of dims'],
  ];
  for (const [line, message] of cases) {
    const seen = await read([line]);
    assert.deepEqual([seen.errors, seen.complete], [[`13: ${message}`], false], line);
  }
});

test('what moves or removes the batch, or passes the engine\'s layouts, is unknown, never guessed', async () => {
  for (const line of ['x = torch.stack([a, a], 0)', 'x = a.sum(0)', 'x = torch.stack([torch.stack([a, a], 1)] * 2, 1)', 'x = a.sum()']) {
    const seen = await read([line]);
    assert.equal(seen.complete, false, line);
    assert.deepEqual(seen.errors, [], line);
    assert.equal(seen.rows.at(-1)![1], null, line);
  }
});

test('a stack of one tensor is that tensor with a dim of 1 (torch: torch.stack([a], 1).shape is (2, 1, 3, 4, 4))', async () => {
  const seen = await read(['x = torch.stack([a], 1)']);
  assert.deepEqual([seen.rows, seen.complete], [[['torch.stack', [2, 1, 3, 4, 4]]], true]);
});
