/**
 * A plain `import M` is read when the code first uses M (python/imports.ts): torchvision's `ops/boxes.py` does
 * `import torchvision` for a call inside a function, and reading the whole package there spent the import file
 * budget before `ops/misc.py`, which EfficientNet needs. test/fixtures/imports/lazy_import_project/ is checked
 * layer by layer, file and line, against PyTorch 2.13 run on the same files (scripts/pytorch/make_expected.py →
 * net.expected.json); it also unpacks a returned `(16, None)`, whose None must stay None.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyse, built, callRows, findModel, getReader } from './helpers';

const PROJECT = path.resolve(__dirname, '..', '..', 'fixtures', 'imports', 'lazy_import_project');
const NET = path.join(PROJECT, 'net.py');

interface ExpectedLayer {
  file: string;
  name: string;
  type: string;
  line: number;
  output: number[];
  params: number;
}
const expected = JSON.parse(readFileSync(path.join(PROJECT, 'net.expected.json'), 'utf8')) as {
  models: { model: string; input: number[]; total_params: number; layers: ExpectedLayer[] }[];
};

test('lazy_import_project: LazyNet matches PyTorch layer by layer; the module only a method uses is never read', async () => {
  const m = expected.models.find((x) => x.model === 'LazyNet')!;
  const read = (await getReader()).read(readFileSync(NET, 'utf8'), { file: NET, language: 'python' });
  const model = built(findModel(read, 'LazyNet'));
  const report = await analyse(model);
  assert.equal(report.complete, true, report.issues.map((i) => i.message).join('\n'));
  const byName = new Map(model.calls.map((c) => [c.name, c]));
  const rows = callRows(model, report, 1, (t) => t.startsWith('nn.')).map((r) => ({ file: path.relative(PROJECT, byName.get(r.name)!.source.file), ...r }));
  assert.deepEqual(rows, m.layers);
  assert.equal(report.totals.params, m.total_params);
  // toolbox/__init__.py has a branch the reader cannot decide: had it been read, that would be reported.
  const all = [...read.diagnostics, ...model.diagnostics];
  assert.deepEqual(all.filter((d) => d.source.file.includes('toolbox')), []);
  // Only the note that Stem (a model the file imports by name) has no example input of its own.
  assert.deepEqual(all.filter((d) => d.code !== 'input-needed'), []);
});

test('a module imported with a plain import is read once it is used, and says why when it cannot be', async () => {
  const text = `import torch
from torch import nn
import toolbox


class UsesIt(nn.Module):
    def __init__(self):
        super().__init__()
        self.verbose = toolbox.VERBOSE
        self.conv = nn.Conv2d(3, 4, 1)

    def forward(self, x):
        return self.conv(x)
`;
  const file = path.join(PROJECT, 'uses_toolbox.py');
  const read = (await getReader()).read(text, { file, language: 'python' });
  const model = built(findModel(read, 'UsesIt'), [8, 8, 3]);
  // Used while the model is made: read then, and its undecidable branch is reported at its own line.
  const at = [...read.diagnostics, ...model.diagnostics].filter((d) => d.source.file.endsWith(path.join('toolbox', '__init__.py')));
  assert.equal(at.length, 1, JSON.stringify(at));
  assert.equal(at[0]!.source.line, 4);
  assert.match(at[0]!.message, /cannot tell whether this branch runs/);
});
