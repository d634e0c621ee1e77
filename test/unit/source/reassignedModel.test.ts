/**
 * A script or notebook that assigns `model` again with another model (a tutorial's second model, with augmentation)
 * trains the second one last: that one is the default, listed as model#2; the first stays readable as `model`.
 * Before, the second assignment was dropped and its fit() credited to nothing, so the default was the first model
 * with its own (confident, wrong) count. Keras 3.15 on this file: the final `model` has 2,938 params; the first 314.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, findModel, getReader } from './helpers';

const CODE = "import keras\nfrom keras import layers\n\nmodel = keras.Sequential([\n    keras.Input(shape=(32, 32, 3)),\n    layers.Conv2D(8, 3, activation=\"relu\"),\n    layers.GlobalAveragePooling2D(),\n    layers.Dense(10),\n])\nmodel.compile(optimizer=\"adam\", loss=\"sparse_categorical_crossentropy\")\nmodel.fit(x_train, y_train, epochs=1)\n\ndata_augmentation = keras.Sequential([layers.RandomFlip(\"horizontal\")])\n\nmodel = keras.Sequential([\n    keras.Input(shape=(32, 32, 3)),\n    data_augmentation,\n    layers.Conv2D(16, 3, activation=\"relu\"),\n    layers.Conv2D(16, 3, activation=\"relu\"),\n    layers.GlobalAveragePooling2D(),\n    layers.Dropout(0.2),\n    layers.Dense(10),\n])\nmodel.compile(optimizer=\"adam\", loss=\"sparse_categorical_crossentropy\")\nmodel.fit(x_train, y_train, epochs=1)\n";

test('the model assigned last to a reassigned name, and trained last, is the default', async () => {
  const result = (await getReader()).read(CODE, { file: 'train.py', language: 'python' });
  assert.equal(result.defaultModel?.name, 'model#2');
  assert.equal((await analyse(built(result.defaultModel!))).totals.params, 2938);
  assert.equal((await analyse(built(findModel(result, 'model')))).totals.params, 314);
});
