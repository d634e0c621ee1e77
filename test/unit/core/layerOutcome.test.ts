/**
 * tfjs's answer for one layer on given input shapes, kept per (type, arguments, input shapes): the same question
 * is answered once, any other input or argument is asked again. Expected shapes and counts are Keras's
 * (Conv2D(8, 3) on 32×32×3: (None, 30, 30, 8), 3·3·3·8 + 8 = 224 params; on 28×28×1: (None, 26, 26, 8), 80).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTensorFlow } from '../../../extension/core/tfjs/loadTf';
import { forgetLayerOutcomes, LAYER_OUTCOME_CAPACITY, layerOutcome } from '../../../extension/core/tfjs/layerOutcome';
import { registrySizes } from '../../../extension/core/tfjs/tensorNames';
import type { LayerSpec } from '../../../extension/core/spec';

const conv = (args: Record<string, unknown>): LayerSpec => ({ name: 'c', type: 'Conv2D', args: { filters: 8, kernelSize: 3, ...args }, inputs: ['input'] });

test('the same layer on another input shape is asked again, and gets its own answer', async () => {
  const tf = await loadTensorFlow('cpu');
  forgetLayerOutcomes(tf);
  const spec = conv({});
  const a = layerOutcome(tf, spec, [[32, 32, 3]]);
  const b = layerOutcome(tf, spec, [[28, 28, 1]]);
  assert.ok('built' in a && 'built' in b);
  assert.deepEqual(a.built.outputShape, [30, 30, 8]);
  assert.equal(a.built.trainableParams, 224);
  assert.deepEqual(b.built.outputShape, [26, 26, 8]);
  assert.equal(b.built.trainableParams, 80);
});

test('a question asked again is answered from what tfjs said, and leaves no weight alive', async () => {
  const tf = await loadTensorFlow('cpu');
  forgetLayerOutcomes(tf);
  const first = layerOutcome(tf, conv({}), [[32, 32, 3]]);
  // Another spec object with the same type and arguments, as a re-read makes.
  assert.equal(layerOutcome(tf, { ...conv({}), name: 'other' }, [[32, 32, 3]]), first);
  assert.equal(registrySizes(tf).variables, 0);
});

test('arguments that differ give different answers, NaN and Infinity included', async () => {
  const tf = await loadTensorFlow('cpu');
  forgetLayerOutcomes(tf);
  const plain = layerOutcome(tf, conv({ strides: 1 }), [[32, 32, 3]]);
  const two = layerOutcome(tf, conv({ strides: 2 }), [[32, 32, 3]]);
  assert.ok('built' in plain && 'built' in two);
  assert.deepEqual(two.built.outputShape, [15, 15, 8]);
  assert.notEqual(layerOutcome(tf, conv({ strides: Number.NaN }), [[32, 32, 3]]), layerOutcome(tf, conv({ strides: null }), [[32, 32, 3]]));
  assert.notEqual(layerOutcome(tf, conv({ strides: Number.POSITIVE_INFINITY }), [[32, 32, 3]]), layerOutcome(tf, conv({ strides: null }), [[32, 32, 3]]));
});

test('what tfjs rejects is an error, kept like an answer', async () => {
  const tf = await loadTensorFlow('cpu');
  const dense: LayerSpec = { name: 'd', type: 'Add', args: {}, inputs: ['a', 'b'] };
  const outcome = layerOutcome(tf, dense, [[4, 4, 3], [4, 4, 5]]);
  assert.ok('error' in outcome, 'Add of (4, 4, 3) and (4, 4, 5) is rejected');
});

test('what is kept is bounded: past the capacity the least recently asked answer goes first', async () => {
  const tf = await loadTensorFlow('cpu');
  forgetLayerOutcomes(tf);
  const first = layerOutcome(tf, conv({}), [[8, 8, 1]]);
  const kept = layerOutcome(tf, conv({}), [[8, 8, 2]]);
  // Two past the capacity: the two oldest go, which is `first` and `kept` unless asking again refreshed `kept`.
  for (let i = 0; i < LAYER_OUTCOME_CAPACITY; i++) {
    if (i === 10) assert.equal(layerOutcome(tf, conv({}), [[8, 8, 2]]), kept, 'asked again: now the most recent');
    layerOutcome(tf, conv({ filters: 9 + i }), [[8, 8, 1]]);
  }
  assert.equal(layerOutcome(tf, conv({}), [[8, 8, 2]]), kept);
  assert.notEqual(layerOutcome(tf, conv({}), [[8, 8, 1]]), first, 'the oldest was forgotten and asked again');
});
