/**
 * Keras freezing, as Keras counts it (summary()'s "Trainable params"): `trainable=False` as an argument,
 * `layer.trainable = False` and `model.trainable = False` (the setter freezes every layer the model holds) before
 * the call, and on the model analysed. Keras 3.15 (scripts/reference/keras_freezing_reference.py): keyword 242
 * params, 18 trainable; before_call 302, 10; whole_model 242, 0; after_call 274, 18; thawed_after 274, 258 (Keras reads the flags
 * when it counts, so a flag set after the call counts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

const HEAD = 'import keras\nfrom keras import layers\n\n';

async function totals(body: string) {
  const read = (await getReader()).read(HEAD + body, { file: 'freeze_keras.py', language: 'python' });
  const report = await analyse(built(read.defaultModel!));
  return { counts: [report.totals.params, report.totals.trainableParams], report };
}

test('trainable=False as a layer argument freezes that layer', async () => {
  const { counts } = await totals('inputs = keras.Input((32, 32, 3))\nx = layers.Conv2D(8, 3, trainable=False)(inputs)\nx = layers.GlobalAveragePooling2D()(x)\nmodel = keras.Model(inputs, layers.Dense(2)(x))\n');
  assert.deepEqual(counts, [242, 18]);
});

test('layer.trainable / Sequential.trainable = False before the call freeze them (BatchNormalization included)', async () => {
  const { counts } = await totals(
    'base = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3), layers.BatchNormalization()], name="base")\nbase.trainable = False\ninputs = keras.Input((32, 32, 3))\nx = layers.GlobalAveragePooling2D()(base(inputs))\ndense = layers.Dense(4)\ndense.trainable = False\nmodel = keras.Model(inputs, layers.Dense(2)(dense(x)))\n',
  );
  assert.deepEqual(counts, [302, 10]);
});

test('model.trainable = False on the model analysed freezes all of it', async () => {
  const { counts } = await totals('inputs = keras.Input((32, 32, 3))\nx = layers.GlobalAveragePooling2D()(layers.Conv2D(8, 3)(inputs))\nmodel = keras.Model(inputs, layers.Dense(2)(x))\nmodel.trainable = False\n');
  assert.deepEqual(counts, [242, 0]);
});

test('trainable set after the base was applied counts, as Keras reads it when it counts', async () => {
  const { counts, report } = await totals(
    'base = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3), layers.BatchNormalization()], name="base")\ninputs = keras.Input((32, 32, 3))\nx = layers.GlobalAveragePooling2D()(base(inputs))\nmodel = keras.Model(inputs, layers.Dense(2)(x))\nbase.trainable = False\n',
  );
  assert.deepEqual(counts, [274, 18]);
  assert.equal(report.complete, true);
});

test('a functional base frozen, then thawed, after it was applied: the last flag counts', async () => {
  const { counts } = await totals(
    'bi = keras.Input((32, 32, 3))\nbase = keras.Model(bi, layers.BatchNormalization()(layers.Conv2D(8, 3)(bi)))\nbase.trainable = False\ninputs = keras.Input((32, 32, 3))\nx = layers.GlobalAveragePooling2D()(base(inputs))\nmodel = keras.Model(inputs, layers.Dense(2)(x))\nbase.trainable = True\n',
  );
  assert.deepEqual(counts, [274, 258]);
});

test('a flag the reader cannot evaluate leaves the split unknown, located', async () => {
  const { report } = await totals('import os\ninputs = keras.Input((32, 32, 3))\nconv = layers.Conv2D(8, 3)\nx = layers.GlobalAveragePooling2D()(conv(inputs))\nmodel = keras.Model(inputs, layers.Dense(2)(x))\nconv.trainable = os.environ["TRAIN"] == "1"\n');
  assert.equal(report.complete, false);
  assert.equal(report.totals.trainableUnknown!.source.line, 9);
});
