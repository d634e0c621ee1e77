/**
 * TypeScript / JavaScript imports of the user's own files, followed statically
 * (test/fixtures/imports/tfjs_project/: `import { IMAGE_H } from './data'`, `import * as data from './data.js'`
 * finding data.ts, `export { FILTERS as filterCounts }`, a CommonJS `require('./layers')`), checked against
 * the same model built directly in TensorFlow.js; an import of a missing file is a located reason, and what
 * it would give is unknown, never guessed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadTensorFlow } from '../../../extension/core/tfjs/loadTf';
import { analyse, built, findModel, getReader } from './helpers';

const PROJECT = path.resolve(__dirname, '..', '..', 'fixtures', 'imports', 'tfjs_project');
const MODEL = path.join(PROJECT, 'model.ts');

async function readModel() {
  return (await getReader()).read(readFileSync(MODEL, 'utf8'), { file: MODEL, language: 'typescript' });
}

test('a tfjs model sized by an imported module and built with a required helper matches TensorFlow.js', async () => {
  const read = await readModel();
  const model = built(findModel(read, 'createModel'));
  const report = await analyse(model);
  assert.equal(report.complete, true);
  // The same layers made directly in TensorFlow.js, with data.ts's sizes and layers.js's helper written out.
  const tf = (await loadTensorFlow('cpu')).tfl;
  const reference = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10 }),
    ],
  });
  assert.equal(report.totals.params, reference.countParams());
  // The engine's shapes leave out the batch axis tfjs writes as null.
  assert.deepEqual(report.layers.map((l) => l.outputShape), reference.layers.map((l) => (l.outputShape as (number | null)[]).slice(1)));
  reference.dispose();
  // The helper's conv2d is located in layers.js, where it is written.
  const helperConv = model.calls.find((c) => c.source.file === path.join(PROJECT, 'layers.js'));
  assert.equal(helperConv?.source.line, 5);
  assert.deepEqual(read.importedFiles, [path.join(PROJECT, 'data.ts'), path.join(PROJECT, 'layers.js')]);
});

test('an import of a file that does not exist: the located reason, and the layer it sizes is unknown', async () => {
  const read = await readModel();
  const reason = read.diagnostics.find((d) => /cannot follow/.test(d.message));
  assert.ok(reason, JSON.stringify(read.diagnostics));
  assert.equal(reason.source.file, MODEL);
  assert.equal(reason.source.line, 5);
  assert.match(reason.message, /no file \.\/not_here \(\.ts, \.js, index…\) next to model\.ts/);
  const report = await analyse(built(findModel(read, 'createBroken')));
  assert.equal(report.complete, false);
  assert.equal(report.layers[0]?.outputShape, null);
});
