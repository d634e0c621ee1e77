/**
 * Imports of the user's own modules, followed statically: a project split over files
 * (test/fixtures/imports/pytorch_project/: a star import of a package, `import pkg.mod as m`, `from pkg.mod
 * import X as Y`, relative imports, `__all__`, an import cycle), checked layer by layer, file and line, against
 * PyTorch run on the same files (scripts/pytorch/make_expected.py → train.expected.json); then the bounds and
 * the located reasons when an import cannot be followed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createSourceReader, diagnosticsFromReport, type ReadResult } from '../../../extension/core/source/index';
import { loadTensorFlow } from '../../../extension/core/tfjs/loadTf';
import { analyse, built, callRows, findModel, getReader } from './helpers';

const PROJECT = path.resolve(__dirname, '..', '..', 'fixtures', 'imports', 'pytorch_project');
const TRAIN = path.join(PROJECT, 'train.py');

interface ExpectedLayer {
  file: string;
  name: string;
  type: string;
  line: number;
  output: number[];
  params: number;
}
const expected = JSON.parse(readFileSync(path.join(PROJECT, 'train.expected.json'), 'utf8')) as {
  models: { model: string; input: number[]; total_params: number; layers: ExpectedLayer[] }[];
};

async function readProject(file = TRAIN, imports?: Parameters<typeof readAt>[2]): Promise<ReadResult> {
  return readAt(file, readFileSync(file, 'utf8'), imports);
}

async function readAt(file: string, text: string, imports?: { follow?: boolean; root?: string; openDocuments?: Record<string, string> }): Promise<ReadResult> {
  return (await getReader()).read(text, { file, language: 'python', ...(imports ? { imports } : {}) });
}

test('a model built from classes in other files matches PyTorch layer by layer, each in its own file and line', async () => {
  const m = expected.models.find((x) => x.model === 'Wrapped')!;
  const read = await readProject();
  const found = findModel(read, m.model);
  // The example code in train.py's __main__ builds Wrapped at (1, 3, 32, 32).
  assert.equal(read.defaultModel?.name, 'Wrapped');
  assert.deepEqual(found.input, [32, 32, 3]);
  const model = built(found);
  const report = await analyse(model);
  const byName = new Map(model.calls.map((c) => [c.name, c]));
  const rows = callRows(model, report, 1, (t) => t.startsWith('nn.')).map((r) => ({ file: path.relative(PROJECT, byName.get(r.name)!.source.file), ...r, type: r.type }));
  assert.deepEqual(rows, m.layers);
  assert.equal(report.totals.params, m.total_params);
  assert.equal(report.complete, true);
  assert.deepEqual(diagnosticsFromReport(model, report), []);
  assert.deepEqual(read.diagnostics, []);
});

test('imported files are named as the importing file is: a file: URI gives file: URIs', async () => {
  const read = await readAt(pathToFileURL(TRAIN).toString(), readFileSync(TRAIN, 'utf8'));
  const model = built(findModel(read, 'Wrapped'));
  const conv = model.calls.find((c) => c.name === 'body.layer1.reduce')!;
  assert.equal(conv.source.file, pathToFileURL(path.join(PROJECT, 'netlib', 'blocks.py')).toString());
  assert.equal(conv.source.line, 12);
});

test('an open document with unsaved changes is read instead of the file on disk', async () => {
  const blocks = path.join(PROJECT, 'netlib', 'heads.py');
  // The edited head has 20 classes: 128·20 + 20 = 2,580 parameters instead of 1,290.
  const edited = readFileSync(blocks, 'utf8').replace('nn.Linear(channels, classes)', 'nn.Linear(channels, classes * 2)');
  const read = await readProject(TRAIN, { openDocuments: { [blocks]: edited } });
  const report = await analyse(built(findModel(read, 'Wrapped')));
  assert.equal(report.totals.params, expected.models[0]!.total_params - 1290 + 2580);
});

test('with imports not followed (follow: false), the imported names stay unknown and the report says it is incomplete', async () => {
  const read = await readProject(TRAIN, { follow: false });
  const outcome = findModel(read, 'Wrapped').build();
  assert.equal(outcome.kind, 'built');
  const report = await analyse(built(findModel(read, 'Wrapped')));
  assert.equal(report.complete, false);
});

test('an import that cannot be resolved is a located reason at the import, and the layer it would give is unknown', async () => {
  const file = path.join(PROJECT, 'unresolved.py');
  const read = await readProject(file);
  const reason = read.diagnostics.find((d) => /cannot follow/.test(d.message));
  assert.ok(reason, JSON.stringify(read.diagnostics));
  assert.equal(reason.source.file, file);
  assert.equal(reason.source.line, 5);
  assert.match(reason.message, /no module \.missing_blocks next to unresolved\.py/);
  const model = built(findModel(read, 'UsesMissing'));
  const report = await analyse(model);
  assert.equal(report.complete, false);
  // The stem before it is still exact: Conv2d(3, 8, 3) is 3·3·3·8 + 8 = 224 parameters.
  assert.equal(report.layers.find((l) => l.name === 'stem')?.params, 224);
});

/** A throwaway project on disk: { 'pkg/a.py': text, … }. */
function project(files: Record<string, string>): { dir: string; done: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'cnn-imports-'));
  writeFileSync(path.join(dir, 'pyproject.toml'), '');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('a chain of imports deeper than the limit stops at the limit with a located warning, never a guess', async () => {
  // m0 imports m1 … imports m5, which defines the width; the reader is limited to 3 nested imports.
  const files: Record<string, string> = { 'm5.py': 'WIDTH = 8\n' };
  for (let i = 0; i < 5; i++) files[`m${i}.py`] = `from m${i + 1} import WIDTH\n`;
  files['net.py'] = 'import torch.nn as nn\nfrom m0 import WIDTH\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.conv = nn.Conv2d(3, WIDTH, 3)\n\n    def forward(self, x):\n        return self.conv(x)\n\n# cnn-inspect: input=(1, 3, 16, 16)\n';
  const p = project(files);
  try {
    const reader = await createSourceReader({ tensorflow: () => loadTensorFlow('cpu'), limits: { maxImportDepth: 3 } });
    const file = path.join(p.dir, 'net.py');
    const read = reader.read(files['net.py']!, { file, language: 'python' });
    const limit = read.diagnostics.find((d) => d.code === 'limit');
    assert.ok(limit, JSON.stringify(read.diagnostics));
    assert.match(limit.message, /imports nest deeper than 3 files \(the limit\); m3\.py was not read/);
    assert.equal(limit.source.file, path.join(p.dir, 'm2.py'));
    assert.equal(limit.source.line, 1);
    const outcome = findModel(read, 'Net').build();
    // Conv2d(3, WIDTH, 3) with WIDTH unknown: not built with a made-up width.
    if (outcome.kind === 'built') assert.equal((await analyse(outcome.model)).complete, false);
    // Within the limit, the same chain gives Conv2d(3, 8, 3): 3·3·3·8 + 8 = 224 parameters.
    const deep = await createSourceReader({ tensorflow: () => loadTensorFlow('cpu'), limits: { maxImportDepth: 8 } });
    const ok = deep.read(files['net.py']!, { file, language: 'python' });
    assert.equal((await analyse(built(findModel(ok, 'Net')))).totals.params, 224);
  } finally {
    p.done();
  }
});

test('more imported files than the limit: the rest are not read, with the reason at the import', async () => {
  const files: Record<string, string> = {};
  const names = ['a', 'b', 'c', 'd'];
  for (const n of names) files[`${n}.py`] = `${n.toUpperCase()} = 1\n`;
  files['net.py'] = `${names.map((n) => `from ${n} import ${n.toUpperCase()}`).join('\n')}\nimport torch.nn as nn\nnet = nn.Sequential(nn.Conv2d(3, 4 * A * B * C * D, 1))\n`;
  const p = project(files);
  try {
    const reader = await createSourceReader({ tensorflow: () => loadTensorFlow('cpu'), limits: { maxImportedFiles: 2 } });
    const read = reader.read(files['net.py']!, { file: path.join(p.dir, 'net.py'), language: 'python' });
    const limit = read.diagnostics.find((d) => d.code === 'limit');
    assert.ok(limit, JSON.stringify(read.diagnostics));
    assert.match(limit.message, /more than 2 files would be read for imports \(the limit\); c\.py was not read/);
    assert.equal(limit.source.line, 3);
  } finally {
    p.done();
  }
});

test('a name imported from a module still being read (an import cycle) is unknown, with the reason where it is imported', async () => {
  const p = project({
    'pkg/__init__.py': '',
    'pkg/a.py': 'from .b import B_WIDTH\nA_WIDTH = 4\n',
    'pkg/b.py': 'from .a import A_WIDTH\nB_WIDTH = A_WIDTH * 2\n',
    'net.py': 'import torch.nn as nn\nfrom pkg.a import A_WIDTH\nnet = nn.Sequential(nn.Conv2d(3, A_WIDTH, 1))\n',
  });
  try {
    const file = path.join(p.dir, 'net.py');
    const read = await readAt(file, readFileSync(file, 'utf8'));
    // Python fails here too (ImportError: cannot import name 'A_WIDTH' from partially initialized module 'pkg.a').
    const cycle = read.diagnostics.find((d) => /import cycle/.test(d.message));
    assert.ok(cycle, JSON.stringify(read.diagnostics));
    assert.equal(cycle.source.file, path.join(p.dir, 'pkg', 'b.py'));
    assert.equal(cycle.source.line, 1);
    assert.match(cycle.message, /cannot import "A_WIDTH": "A_WIDTH" is not yet defined in a\.py when it is imported \(an import cycle\)/);
  } finally {
    p.done();
  }
});

test('a module is looked for no higher than the project root', async () => {
  const p = project({
    'shared.py': 'WIDTH = 8\n',
    'app/pyproject.toml': '',
    'app/net.py': 'import torch.nn as nn\nfrom shared import WIDTH\nnet = nn.Sequential(nn.Conv2d(3, WIDTH, 1))\n',
  });
  try {
    const file = path.join(p.dir, 'app', 'net.py');
    const text = readFileSync(file, 'utf8');
    // app/ is its own project (its pyproject.toml): shared.py above it is not on its path.
    const outside = await readAt(file, text);
    const report = await analyse(built(findModel(outside, 'net'), [8, 8, 3]));
    assert.equal(report.complete, false);
    // With the workspace root given above it, shared.py is found: Conv2d(3, 8, 1) is 32 parameters.
    const inside = await readAt(file, text, { root: p.dir });
    assert.equal((await analyse(built(findModel(inside, 'net'), [8, 8, 3]))).totals.params, 32);
  } finally {
    p.done();
  }
});

test('a file that only re-exports models imported by name lists them at its imports, built as PyTorch builds them', async () => {
  const zoo = path.join(PROJECT, 'zoo.py');
  const want = JSON.parse(readFileSync(path.join(PROJECT, 'zoo.expected.json'), 'utf8')) as { models: { model: string; input: number[]; total_params: number; layers: ExpectedLayer[] }[] };
  const read = await readProject(zoo);
  assert.deepEqual(read.models.map((m) => [m.name, m.origin, m.source.file, m.source.line]), [
    ['small_resnet', 'function', zoo, 2],
    ['Net', 'class', zoo, 3],
  ]);
  // No example code: nothing is picked, the CLI lists them and VS Code asks.
  assert.equal(read.defaultModel, null);
  for (const m of want.models) {
    const model = built(findModel(read, m.model), [32, 32, 3]);
    const report = await analyse(model);
    const byName = new Map(model.calls.map((c) => [c.name, c]));
    const rows = callRows(model, report, 1, (t) => t.startsWith('nn.')).map((r) => ({ file: path.relative(PROJECT, byName.get(r.name)!.source.file), ...r }));
    assert.deepEqual(rows, m.layers, m.model);
    assert.equal(report.totals.params, m.total_params, m.model);
  }
});

test('an imported file changed on disk is read again: the reader keeps parsed files only while their text is the same', async () => {
  const p = project({ 'sizes.py': 'WIDTH = 4\n', 'net.py': 'import torch.nn as nn\nfrom sizes import WIDTH\nnet = nn.Sequential(nn.Conv2d(3, WIDTH, 1))\n' });
  try {
    const file = path.join(p.dir, 'net.py');
    const text = readFileSync(file, 'utf8');
    const params = async (): Promise<number> => (await analyse(built(findModel(await readAt(file, text), 'net'), [8, 8, 3]))).totals.params;
    // Conv2d(3, 4, 1): 3·4 + 4 = 16; after the edit Conv2d(3, 8, 1): 3·8 + 8 = 32.
    assert.equal(await params(), 16);
    writeFileSync(path.join(p.dir, 'sizes.py'), 'WIDTH = 8\n');
    assert.equal(await params(), 32);
  } finally {
    p.done();
  }
});

test('an imported module that is a FIFO is not a module (as for Python\'s finder), never opened: no hang, a located reason', async () => {
  const p = project({ 'pkg/__init__.py': '', 'pkg/net.py': 'import torch.nn as nn\nfrom .pipe import WIDTH\nnet = nn.Sequential(nn.Conv2d(3, WIDTH, 1))\n' });
  try {
    execFileSync('mkfifo', [path.join(p.dir, 'pkg', 'pipe.py')]);
    const file = path.join(p.dir, 'pkg', 'net.py');
    const read = await readAt(file, readFileSync(file, 'utf8'));
    const reason = read.diagnostics.find((d) => /cannot follow/.test(d.message));
    assert.ok(reason, JSON.stringify(read.diagnostics));
    assert.equal(reason.source.line, 2);
    assert.match(reason.message, /no module \.pipe next to net\.py/);
    assert.equal((await analyse(built(findModel(read, 'net'), [8, 8, 3]))).complete, false);
  } finally {
    p.done();
  }
});
