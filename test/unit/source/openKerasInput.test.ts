/**
 * keras.Input(shape=(None, None, 1)) (keras.io's sub-pixel super-resolution and ConvLSTM examples): the model takes
 * any size, so the code states none. The read asks for an input with a located message instead of failing on an
 * unknown size, and a given input reads it (Keras 3.15 at (100, 100, 1): the four convs hold 1,664 + 36,928 +
 * 18,464 + 2,601 = 59,657 params); keras.ops.depth_to_space(x, 3) then gives (300, 300, 1) with no weights
 * (Keras 3.15: ops.depth_to_space on a (None, 100, 100, 9) tensor is (None, 300, 300, 1), the model 59,657 params).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, getReader } from './helpers';

const CODE = `import keras
from keras import layers, ops


def upscaler(channels=1, factor=3):
    inputs = keras.Input(shape=(None, None, channels))
    x = layers.Conv2D(64, 5, padding="same", activation="relu")(inputs)
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
    x = layers.Conv2D(channels * factor ** 2, 3, padding="same")(x)
    outputs = ops.depth_to_space(x, factor)
    return keras.Model(inputs, outputs)


net = upscaler()
net.summary()
`;

test('an input with None sizes is asked for, located at the model, never built at a made-up size', async () => {
  const result = (await getReader()).read(CODE, { file: 'sr.py', language: 'python' });
  const outcome = result.defaultModel!.build();
  assert.equal(outcome.kind, 'input-needed');
  if (outcome.kind !== 'input-needed') return;
  assert.match(outcome.message, /^upscaler: its code leaves sizes of its input open/);
  assert.equal(outcome.source?.line, 5);
  assert.ok(!outcome.message.includes('depth_to_space'));
  assert.ok(result.diagnostics.some((d) => d.code === 'input-needed' && d.source.line === 5));
});

test('with an input given, the same model is read at it, depth_to_space included', async () => {
  const result = (await getReader()).read(CODE, { file: 'sr.py', language: 'python' });
  const outcome = result.defaultModel!.build([100, 100, 1]);
  assert.equal(outcome.kind, 'built');
  if (outcome.kind !== 'built') return;
  const report = await analyse(outcome.model);
  assert.equal(report.totals.params, 59657);
  assert.deepEqual(report.layers.at(-2)!.outputShape, [100, 100, 9]);
  assert.deepEqual(report.layers.at(-1)!.outputShape, [300, 300, 1]);
  assert.equal(report.layers.at(-1)!.params, 0);
  assert.equal(report.complete, true);
});
