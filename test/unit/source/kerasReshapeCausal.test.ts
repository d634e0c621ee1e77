/**
 * Keras shapes tfjs sizes differently. Reshape((-1, 16)) on a known (12, 12, 16) input is (None, 144, 16) in
 * Keras 3.15 (and Reshape((16, -1)) then (None, 16, 144)); tfjs counts the batch's null as unknown and left
 * the -1 open (None). Conv1D(padding='causal') keeps Keras' length (100 steps stay 100) where tfjs' conv1d
 * sizes it as 'valid' (98): never 98 (more in causalConv1d.test.ts). Numbers: the code below run in Keras 3.15.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';
import { toFrameworkShape } from '../../../extension/core/source/index';

async function report(code: string) {
  const read = (await getReader()).read(code, { file: 'm.py', language: 'python' });
  const model = built(read.defaultModel!);
  return analyse(model);
}

test('Reshape with -1 over a known input is the rest of its elements, as Keras gives', async () => {
  const r = await report(`import keras
from keras import layers
inp = keras.Input((12, 12, 16))
x = layers.Reshape((-1, 16))(inp)
x = layers.Reshape((16, -1))(x)
model = keras.Model(inp, x)
`);
  assert.equal(r.complete, true);
  assert.deepEqual(r.layers.map((l) => toFrameworkShape('keras', l.outputShape)), [[null, 144, 16], [null, 16, 144]]);
});

test("Conv1D(padding='causal') keeps Keras' length, not tfjs' valid one", async () => {
  const r = await report(`import keras
from keras import layers
inp = keras.Input((100, 3))
x = layers.Conv1D(8, 3, padding="causal")(inp)
model = keras.Model(inp, x)
`);
  // Keras 3.15: (None, 100, 8), count_params() 80 (3·3·8 + 8).
  assert.equal(r.complete, true);
  assert.deepEqual(toFrameworkShape('keras', r.layers[0]!.outputShape), [null, 100, 8]);
  assert.equal(r.layers[0]!.params, 80);
});
