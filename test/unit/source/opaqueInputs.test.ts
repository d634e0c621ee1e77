/**
 * A call the reader cannot translate takes every tensor it is given as an input of its unknown result: the
 * layers that made those tensors ran (PyTorch's hooks see them) even when only that result reaches the output
 * (a blend weight computed by a branch and used only by torch.lerp). Expected rows: PyTorch 2.13 forward hooks
 * on this code (scripts/pytorch/make_expected.py's recorder) at (2, 1, 16, 16): branch.0 Conv2d (2, 1, 16, 16)
 * 10 params, branch.1 Sigmoid (2, 1, 16, 16), head Conv2d (2, 8, 14, 14) 80 params; 90 parameters in all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, callRows, findModel, getReader } from './helpers';

const SOURCE = `import torch
import torch.nn as nn


class Blend(nn.Module):
    def __init__(self):
        super().__init__()
        self.branch = nn.Sequential(nn.Conv2d(1, 1, 3, padding=1), nn.Sigmoid())
        self.head = nn.Conv2d(1, 8, 3)

    def forward(self, x):
        w = self.branch(x)
        x = torch.lerp(x, torch.zeros_like(x), w)
        return self.head(x)


model = Blend()
y = model(torch.randn(2, 1, 16, 16))
`;

test('the branch feeding an untranslated call keeps its rows; the shapes after the call are unknown, never guessed', async () => {
  const read = (await getReader()).read(SOURCE, { file: 'blend.py', language: 'python' });
  const model = built(findModel(read, 'Blend'));
  const report = await analyse(model);
  const rows = callRows(model, report, 2, (t) => t.startsWith('nn.') || /^[A-Z]\w*$/.test(t));
  assert.deepEqual(rows, [
    { name: 'branch.0', type: 'Conv2d', line: 8, output: [2, 1, 16, 16], params: 10 },
    { name: 'branch.1', type: 'Sigmoid', line: 8, output: [2, 1, 16, 16], params: 0 },
    // torch.lerp is not translated: the head's output is unknown (PyTorch: (2, 8, 14, 14)), not a guess.
    { name: 'head', type: 'Conv2d', line: 9, output: null, params: 80 },
  ]);
  assert.equal(report.complete, false);
  assert.equal(report.totals.params, 90);
});
