/**
 * The editor's side of followed imports, through the core API the extension uses (analyseDocument, the worker's
 * documentJob): a document named by file: URI, as VS Code names it, gets the layers its imports build in its
 * totals, but hovers, inlay hints and diagnostics only on its own lines; an unsaved open document is read
 * instead of the disk; Restricted Mode (follow: false) reads no other file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeModel } from '../../../extension/core/analyze';
import { loadTensorFlow } from '../../../extension/core/tfjs/loadTf';
import { analyseDocument, type EditorEngine } from '../../../extension/vscode/editor/documentAnalysis';
import { documentJob } from '../../../extension/vscode/editor/documentJob';
import { getReader } from './helpers';

const PROJECT = path.resolve(__dirname, '..', '..', 'fixtures', 'imports', 'pytorch_project');
const TRAIN = path.join(PROJECT, 'train.py');
const URI = pathToFileURL(TRAIN).toString();
const TEXT = readFileSync(TRAIN, 'utf8');
// PyTorch's sum(p.numel() for p in model.parameters()) for Wrapped, as saved and with config.WIDTH = 8
// (scripts/pytorch/make_expected.py runs both).
const EXPECTED = (JSON.parse(readFileSync(path.join(PROJECT, 'train.expected.json'), 'utf8')) as { models: { model: string; total_params: number }[] }).models;
const TOTAL = EXPECTED.find((m) => m.model === 'Wrapped')!.total_params;
const TOTAL_WIDTH_8 = EXPECTED.find((m) => m.model === 'Wrapped with config.WIDTH = 8')!.total_params;

const engine = async (): Promise<EditorEngine> => ({ analyzeModel: (spec, options) => analyzeModel(spec, { ...options, backend: 'cpu' }), loadTensorFlow: () => loadTensorFlow('cpu') });

test('a document whose model is built in imported files: full totals, and hints only on its own lines', async () => {
  const result = await analyseDocument(await getReader(), engine, TEXT, { file: URI, language: 'python', imports: { follow: true, root: PROJECT } });
  const wrapped = result.models.find((m) => m.found.name === 'Wrapped')!;
  assert.equal(wrapped.report?.totals.params, TOTAL);
  assert.equal(wrapped.report?.complete, true);
  // Every layer is in netlib/: none is grouped on train.py's lines (blocks.py:12 is not train.py:12).
  assert.ok(wrapped.built!.calls.every((c) => c.source.file.startsWith(pathToFileURL(path.join(PROJECT, 'netlib')).toString())));
  assert.deepEqual(result.groups, []);
  assert.deepEqual([...result.byLine.keys()], []);
  // forward()'s `return self.head(self.body(x))` (line 17) is this file's: its inlay hint is the head's output.
  assert.deepEqual(result.sites.map((s) => [s.line, s.outputs.map((o) => o.layer?.outputShape)]), [[17, [[10]]]]);
  assert.deepEqual(result.diagnostics, []);
  assert.deepEqual(result.read.importedFiles?.map((f) => path.relative(PROJECT, new URL(f).pathname)).sort(), [
    'netlib/__init__.py', 'netlib/_utils.py', 'netlib/blocks.py', 'netlib/config.py', 'netlib/cycle_a.py', 'netlib/cycle_b.py', 'netlib/heads.py', 'netlib/resnet.py',
  ]);
});

test('the worker job reads an unsaved imported document instead of the disk', async () => {
  const config = path.join(PROJECT, 'netlib', 'config.py');
  // WIDTH 16 → 8 in the editor, not saved: the smaller network PyTorch builds from that text.
  const openDocuments = { [config]: 'WIDTH = 8\nCLASSES = 10\n' };
  const signal = new AbortController().signal;
  const result = await documentJob({ text: TEXT, options: { file: URI, language: 'python', imports: { follow: true, root: PROJECT, openDocuments } } }, { progress: () => undefined, output: () => undefined, signal });
  const saved = await documentJob({ text: TEXT, options: { file: URI, language: 'python', imports: { follow: true, root: PROJECT } } }, { progress: () => undefined, output: () => undefined, signal });
  const params = (r: typeof result): number | undefined => r.models.find((m) => m.found.name === 'Wrapped')?.report?.totals.params;
  assert.equal(params(saved), TOTAL);
  assert.equal(params(result), TOTAL_WIDTH_8);
  assert.notEqual(TOTAL_WIDTH_8, TOTAL);
});

test('Restricted Mode (follow: false) reads no other file: the report is incomplete, never a guess', async () => {
  const result = await analyseDocument(await getReader(), engine, TEXT, { file: URI, language: 'python', imports: { follow: false } });
  assert.equal(result.read.importedFiles, undefined);
  const wrapped = result.models.find((m) => m.found.name === 'Wrapped')!;
  assert.equal(wrapped.report?.complete, false);
  assert.ok(result.diagnostics.some((d) => d.code === 'incomplete'), JSON.stringify(result.diagnostics));
});
