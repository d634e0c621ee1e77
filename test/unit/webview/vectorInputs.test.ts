/**
 * Every surface on models whose input is not an image: the panel's input field, the JSON/CSV/Markdown
 * reports, and the editor's inlay hints and hovers print (N, 784) / (None, 128, 3) as the framework does.
 * The numbers are the fixtures' (checked against PyTorch and Keras in test/unit/source/nonImageInputs.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readInputSize } from '../../../extension/core/inputSize';
import { analyzeModel } from '../../../extension/core/analyze';
import { loadTensorFlow } from '../../../extension/core/tfjs/loadTf';
import { toJsonReport } from '../../../extension/core/report/json';
import { toCsv } from '../../../extension/core/report/csv';
import { toMarkdown } from '../../../extension/core/report/table';
import { analyseDocument } from '../../../extension/vscode/editor/documentAnalysis';
import { hoverMarkdown, inlayLabel } from '../../../extension/vscode/editor/format';
import { analyse, built, findModel, fixtureText, getReader, lineOf, readFixture } from '../source/helpers';

test('the panel field takes a vector or sequence model\'s sizes at its own rank, never an image\'s', () => {
  assert.deepEqual(readInputSize('512', 'pytorch', [784]), { ok: true, input: [512] });
  assert.deepEqual(readInputSize('(1, 20000)', 'pytorch', [784]), { ok: true, input: [20000] });
  assert.deepEqual(readInputSize('256x3', 'keras', [128, 3]), { ok: true, input: [256, 3] });
  const image = readInputSize('28,28,1', 'pytorch', [784]);
  assert.equal(image.ok, false);
  if (!image.ok) assert.match(image.error, /input has 1 dimension \(features\); "28,28,1" has 3/);
  // Image models keep their rule: "299" is 299×299 with the model's channels.
  assert.deepEqual(readInputSize('299', 'pytorch', [224, 224, 3]), { ok: true, input: [299, 299, 3] });
});

test('JSON, CSV and Markdown reports print vector and sequence shapes batch first', async () => {
  const mlp = await analyse(built(findModel(await readFixture('pytorch_mlp_features.py'), 'feature_mlp')));
  const json = toJsonReport(mlp) as { input: unknown; layers: { outputShape: unknown; receptiveField: unknown }[] };
  assert.deepEqual(json.input, [null, 784]);
  assert.deepEqual(json.layers[0]!.outputShape, [null, 128]);
  assert.equal(json.layers[0]!.receptiveField, null);
  assert.match(toCsv(mlp), /^0,0,Linear,,input,"\[null,128\]",100480,/m);
  assert.match(toMarkdown(mlp), /\(N, 128\)/);
  const signal = await analyse(built(findModel(await readFixture('keras_vectors_sequences.py'), 'signal')));
  assert.match(toMarkdown(signal), /\(None, 124, 16\)/);
  assert.deepEqual((toJsonReport(signal) as { input: unknown }).input, [null, 128, 3]);
});

test('inlay hints and hovers on a Flatten-first PyTorch MLP show (N, …) shapes and the Linear params', async () => {
  const engine = async () => ({ analyzeModel: (spec: Parameters<typeof analyzeModel>[0], options?: Parameters<typeof analyzeModel>[1]) => analyzeModel(spec, { ...options, backend: 'cpu' }), loadTensorFlow: () => loadTensorFlow('cpu') });
  const file = 'pytorch_mlp_flatten_first.py';
  const result = await analyseDocument(await getReader(), engine, fixtureText(file), { file, language: 'python' });
  const flatten = result.byLine.get(lineOf(file, 'nn.Flatten()'))![0]!;
  assert.equal(inlayLabel(flatten), '→ (N, 784)');
  const first = result.byLine.get(lineOf(file, 'nn.Linear(28 * 28, hidden)'))![0]!;
  assert.equal(inlayLabel(first), '→ (N, 256)');
  assert.match(hoverMarkdown([first]), /200,960/);
});
