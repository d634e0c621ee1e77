/**
 * A tf.sequential() applied as a layer (tfjs-examples mnist-acgan: `cnn.apply(image)`), twice. Expected from
 * @tensorflow/tfjs 4.22 building test/fixtures/models/tfjs_sequential_as_layer.js in node: output shapes
 * Conv2D [null, 8, 8, 8] (80 params), LeakyReLU [null, 8, 8, 8], Conv2D [null, 3, 3, 16] (1,168), Flatten
 * [null, 144], Add [null, 144], Dense [null, 1] (145), Dense [null, 4] (580); model.countParams() = 1,973:
 * the second apply reuses the sequential's weights.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, callRows, lineOf, readFixture } from './helpers';

test('tfjs_sequential_as_layer.js: a sequential applied as a layer runs its layers, sharing weights when applied again', async () => {
  const f = 'tfjs_sequential_as_layer.js';
  const result = await readFixture(f);
  assert.deepEqual(result.models.map((m) => m.name), ['buildCritic']);
  const model = built(result.defaultModel ?? result.models[0]!);
  const report = await analyse(model);
  assert.equal(report.complete, true, JSON.stringify(report.issues));
  const conv1 = lineOf(f, 'filters: 8');
  const conv2 = lineOf(f, 'filters: 16');
  const trunk = (params: [number, number]) => [
    { type: 'tf.layers.conv2d', line: conv1, output: [null, 8, 8, 8], params: params[0] },
    { type: 'tf.layers.leakyReLU', line: lineOf(f, 'leakyReLU'), output: [null, 8, 8, 8], params: 0 },
    { type: 'tf.layers.conv2d', line: conv2, output: [null, 3, 3, 16], params: params[1] },
    { type: 'tf.layers.flatten', line: lineOf(f, 'tf.layers.flatten'), output: [null, 144], params: 0 },
  ];
  const rows = callRows(model, report, null).map(({ name: _name, ...row }) => row);
  assert.deepEqual(rows, [
    ...trunk([80, 1168]),
    // The second apply: the same layers, their weights counted once.
    ...trunk([0, 0]),
    { type: 'tf.layers.dense', line: lineOf(f, 'units: 1'), output: [null, 1], params: 145 },
    { type: 'tf.layers.add', line: lineOf(f, 'tf.layers.add'), output: [null, 144], params: 0 },
    { type: 'tf.layers.dense', line: lineOf(f, 'units: 4'), output: [null, 4], params: 580 },
  ]);
  assert.equal(report.totals.params, 1973);
});
