/**
 * A package whose `__init__.py` only re-exports its submodules is read per name (lazyPackage.ts): the
 * project in test/fixtures/imports/pytorch_reexports/ (a star re-export, a function named as its submodule,
 * `itertools.repeat`, a None unpacked from a zip, an nn.Linear subclass calling F.linear, a BatchNorm2d subclass whose own forward calls F.batch_norm
 * on its own parameters, as timm's layers are written) checked layer by layer against PyTorch run on the same
 * files (scripts/pytorch/make_expected.py → net.expected.json).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { diagnosticsFromReport } from '../../../extension/core/source/index';
import { analyse, built, callRows, findModel, getReader } from './helpers';

const PROJECT = path.resolve(__dirname, '..', '..', 'fixtures', 'imports', 'pytorch_reexports');
const NET = path.join(PROJECT, 'net.py');
const expected = JSON.parse(readFileSync(path.join(PROJECT, 'net.expected.json'), 'utf8')) as {
  models: { model: string; input: number[]; total_params: number; layers: { file: string; name: string; type: string; line: number; output: number[]; params: number }[] }[];
};

async function readNet() {
  return (await getReader()).read(readFileSync(NET, 'utf8'), { file: NET, language: 'python' });
}

test('a model built from a re-export package matches PyTorch layer by layer, file and line, with its total', async () => {
  const m = expected.models[0]!;
  const read = await readNet();
  const model = built(findModel(read, 'Net'));
  const report = await analyse(model);
  const byName = new Map(model.calls.map((c) => [c.name, c]));
  // Module rows: nn.* layers and layer subclasses (named by their own class, as type(m).__name__ is).
  const rows = callRows(model, report, 1, (t) => /^[A-Z]/.test(t.split('.').pop()!)).map((r) => ({ file: path.relative(PROJECT, byName.get(r.name)!.source.file), ...r }));
  assert.deepEqual(rows, m.layers);
  assert.equal(report.totals.params, m.total_params);
  assert.equal(report.complete, true);
  assert.deepEqual(diagnosticsFromReport(model, report), []);
});

test("a BatchNorm2d subclass's own F.batch_norm carries the layer's parameters, which PyTorch's hooks see on no leaf", async () => {
  const m = expected.models[0]!;
  const model = built(findModel(await readNet(), 'Net'));
  const report = await analyse(model);
  const norms = callRows(model, report, 1, (t) => t === 'F.batch_norm');
  assert.deepEqual(norms.map((r) => [r.name, r.line, r.output]), [
    ['blocks.0.bn', 18, [1, 16, 32, 32]],
    ['blocks.1.bn', 18, [1, 32, 32, 32]],
  ]);
  // model.parameters() minus the leaves' own: the two norms' weight and bias.
  const leaves = m.layers.reduce((s, l) => s + l.params, 0);
  assert.equal(norms.reduce((s, r) => s + r.params, 0), m.total_params - leaves);
});

test('only the submodules whose names are used are read: the re-exported unused.py never is', async () => {
  const read = await readNet();
  const files = (read.importedFiles ?? []).map((f) => path.relative(PROJECT, f)).sort();
  assert.deepEqual(files, ['blockkit/__init__.py', 'blockkit/acts.py', 'blockkit/helpers.py', 'blockkit/linear.py', 'blockkit/make_attn.py', 'blockkit/norm_act.py']);
});
