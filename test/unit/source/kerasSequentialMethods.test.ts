/**
 * Methods that change a Keras Sequential: pop() removes the last layer, as Keras does (Keras 3.15: the model
 * below is 54,203 params with output (None, 3) after pop() and add(Dense(3)); it was counted with the popped
 * Dense(5) still in, 54,243), and a method the reader does not model leaves the model unknown from its last known
 * layer, located at the call, never as if it had not been called.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

const HEAD = 'import keras\nfrom keras import layers\n\nmodel = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(8, 3), layers.Flatten(), layers.Dense(10), layers.Dense(5)])\n';

async function read(tail: string) {
  const found = (await getReader()).read(HEAD + tail, { file: 'seq.py', language: 'python' });
  return analyse(built(found.defaultModel!));
}

test('pop() removes the last layer, add() appends after it', async () => {
  const r = await read('model.pop()\nmodel.add(layers.Dense(3))\n');
  assert.equal(r.totals.params, 54_203);
  assert.deepEqual(r.layers.at(-1)!.outputShape, [3]);
  assert.equal(r.complete, true);
});

test('summary(), compile() and fit() leave the layers as they are', async () => {
  const r = await read('model.summary()\nmodel.compile(optimizer="adam", loss="mse")\nmodel.count_params()\n');
  assert.equal(r.complete, true);
  assert.equal(r.layers.length, 4);
});

test('a method the reader does not model makes the model unknown from there, at that line', async () => {
  const r = await read('model.some_new_method(2)\n');
  assert.equal(r.complete, false);
  const unknown = r.layers.at(-1)!;
  assert.equal(unknown.outputShape, null);
  assert.equal(unknown.source!.line, 5);
  assert.equal(r.totals.lowerBound, true);
});
