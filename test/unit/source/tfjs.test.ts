/**
 * TensorFlow.js fixtures. Expected numbers are hand-derived:
 *  - tfjs_mnist_sequential.js (the TF.js "handwritten digit recognition with CNNs" codelab): 28 −5+1 = 24, /2 = 12,
 *    12 −5+1 = 8, /2 = 4; conv params 5·5·1·8+8 = 208 and 5·5·8·16+16 = 3216, dense 4·4·16·10+10 = 2570; total
 *    5,994, as the codelab's tfvis model summary shows.
 *  - tfjs_functional.ts: 'same' 3×3/2 stem 64 → 32 (3·3·3·32 = 864, no bias); BatchNormalization 4·32 = 128 (tfjs
 *    counts moving mean/variance, as Keras); two residual blocks of two 3·3·32·32 = 9216 convs; 1×1 branch
 *    32·16+16 = 528, 3×3 branch 9·32·16+16 = 4624, concatenated 32 channels; 2×2 pool → 16; GAP → 32;
 *    dense 32·5+5 = 165; total 864+128 + 4·(9216+128) + 528+4624+165 = 43,685.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, callRows, lineOf, readFixture } from './helpers';

test('tfjs_mnist_sequential.js: tf.sequential + model.add inside a factory function', async () => {
  const f = 'tfjs_mnist_sequential.js';
  const result = await readFixture(f);
  assert.deepEqual(result.models.map((m) => [m.name, m.origin, m.isDefault]), [['getModel', 'function', true]]);
  assert.equal(result.models[0]!.source.line, lineOf(f, 'function getModel()'));
  assert.deepEqual(result.models[0]!.input, [28, 28, 1]);
  const model = built(result.defaultModel!);
  assert.equal(model.spec.framework, 'tfjs');
  const report = await analyse(model);
  assert.deepEqual(callRows(model, report, null), [
    { name: 'conv2d', type: 'tf.layers.conv2d', line: lineOf(f, 'model.add(tf.layers.conv2d({'), output: [null, 24, 24, 8], params: 208 },
    { name: 'max_pooling2d', type: 'tf.layers.maxPooling2d', line: lineOf(f, 'maxPooling2d'), output: [null, 12, 12, 8], params: 0 },
    { name: 'conv2d_1', type: 'tf.layers.conv2d', line: lineOf(f, 'model.add(tf.layers.conv2d({', 20), output: [null, 8, 8, 16], params: 3216 },
    { name: 'max_pooling2d_1', type: 'tf.layers.maxPooling2d', line: lineOf(f, 'maxPooling2d', 32), output: [null, 4, 4, 16], params: 0 },
    { name: 'flatten', type: 'tf.layers.flatten', line: lineOf(f, 'tf.layers.flatten'), output: [null, 256], params: 0 },
    { name: 'dense', type: 'tf.layers.dense', line: lineOf(f, 'tf.layers.dense'), output: [null, 10], params: 2570 },
  ]);
  assert.equal(report.totals.params, 5994);
  assert.deepEqual(result.diagnostics, []);
});

test('tfjs_functional.ts: tf.input, apply, helpers as blocks, a loop, add/concatenate, tf.model', async () => {
  const f = 'tfjs_functional.ts';
  const result = await readFixture(f);
  assert.deepEqual(result.models.map((m) => [m.name, m.isDefault]), [['buildModel', true]]);
  const model = built(result.defaultModel!);
  const report = await analyse(model);
  const rows = callRows(model, report, null);
  assert.equal(rows.length, 23);
  const convLine = lineOf(f, 'let y = tf.layers.conv2d');
  assert.deepEqual(rows.filter((r) => r.type === 'tf.layers.conv2d').map((r) => [r.name, r.line, r.output, r.params]), [
    ['conv2d', convLine, [null, 32, 32, 32], 864],
    ['conv2d_1', convLine, [null, 32, 32, 32], 9216],
    ['conv2d_2', convLine, [null, 32, 32, 32], 9216],
    ['conv2d_3', convLine, [null, 32, 32, 32], 9216],
    ['conv2d_4', convLine, [null, 32, 32, 32], 9216],
    ['branch_1x1', lineOf(f, "'branch_1x1'"), [null, 32, 32, 16], 528],
    ['branch_3x3', lineOf(f, "'branch_3x3'"), [null, 32, 32, 16], 4624],
  ]);
  const byName = new Map(rows.map((r) => [r.name, r]));
  assert.deepEqual(byName.get('add_1')!.output, [null, 32, 32, 32]);
  assert.deepEqual(byName.get('concatenate')!.output, [null, 32, 32, 32]);
  assert.deepEqual(byName.get('max_pooling2d')!.output, [null, 16, 16, 32]);
  assert.deepEqual(byName.get('global_average_pooling2d')!.output, [null, 32]);
  assert.deepEqual(byName.get('dense'), { name: 'dense', type: 'tf.layers.dense', line: lineOf(f, 'tf.layers.dense'), output: [null, 5], params: 165 });
  assert.equal(report.totals.params, 43685);
  assert.deepEqual([...new Set(model.calls.map((c) => c.block && `${c.block.name}:${c.block.type}`))], ['convBnRelu_1:convbnrelu', 'residual_1:residual', 'residual_2:residual', null]);
  // A different input is just a different spec input: the graph does not depend on it.
  const bigger = built(result.defaultModel!, [128, 128, 3]);
  const biggerReport = await analyse(bigger);
  assert.deepEqual(biggerReport.layers.find((l) => l.name === 'max_pooling2d')!.outputShape, [32, 32, 32]);
  assert.equal(biggerReport.totals.params, 43685);
});
