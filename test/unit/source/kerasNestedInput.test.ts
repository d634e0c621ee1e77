/**
 * A subclassed Keras model whose call() first hands its input to a nested Sequential that states its input
 * (the TensorFlow autoencoder tutorial's Denoise: `layers.Input(shape=(28, 28, 1))` inside self.encoder) takes that
 * input, as Keras builds it. Keras 3.15 on this file's Denoiser called on zeros (1, 32, 32, 3): 1,179 params, outputs
 * (16, 16, 8), (8, 8, 4), (16, 16, 4), (32, 32, 8), (32, 32, 3). A Sequential that starts with a Sequential whose
 * first layer has input_shape= (the TF image-classification tutorial's data_augmentation) takes that input: Keras 3.15
 * on AUGMENTED below: 41,189 params, output (None, 5).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

const CODE = "import keras\nfrom keras import layers\n\n\nclass Denoiser(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.encoder = keras.Sequential([\n            layers.Input(shape=(32, 32, 3)),\n            layers.Conv2D(8, 3, strides=2, padding=\"same\", activation=\"relu\"),\n            layers.Conv2D(4, 3, strides=2, padding=\"same\", activation=\"relu\")])\n        self.decoder = keras.Sequential([\n            layers.Conv2DTranspose(4, 3, strides=2, padding=\"same\", activation=\"relu\"),\n            layers.Conv2DTranspose(8, 3, strides=2, padding=\"same\", activation=\"relu\"),\n            layers.Conv2D(3, 3, padding=\"same\", activation=\"sigmoid\")])\n\n    def call(self, x):\n        return self.decoder(self.encoder(x))\n\n\ndenoiser = Denoiser()\ndenoiser.compile(optimizer=\"adam\", loss=\"mse\")\n";

test('the nested Sequential\'s Input is the subclassed model\'s input', async () => {
  const result = (await getReader()).read(CODE, { file: 'denoise.py', language: 'python' });
  assert.ok(result.defaultModel, JSON.stringify(result.diagnostics));
  const model = built(result.defaultModel);
  assert.deepEqual(model.spec.input, [32, 32, 3]);
  assert.equal(model.inputOrigin, 'code');
  const report = await analyse(model);
  assert.equal(report.totals.params, 1179);
  assert.deepEqual(report.layers.map((l) => l.outputShape), [[16, 16, 8], [8, 8, 4], [16, 16, 4], [32, 32, 8], [32, 32, 3]]);
});

test('a call() that first feeds its input to a layer, not a model stating an input, still asks for one', async () => {
  const code = CODE.replace('return self.decoder(self.encoder(x))', 'return self.decoder(self.encoder(self.pre(x)))').replace('        super().__init__()\n', '        super().__init__()\n        self.pre = layers.Rescaling(1.0 / 255)\n');
  const result = (await getReader()).read(code, { file: 'denoise.py', language: 'python' });
  assert.equal(result.defaultModel!.build().kind, 'input-needed');
});

const AUGMENTED = "import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n\naugment = keras.Sequential([\n    layers.RandomFlip(\"horizontal\", input_shape=(64, 64, 3)),\n    layers.RandomZoom(0.1),\n])\n\nmodel = keras.Sequential([\n    augment,\n    layers.Rescaling(1.0 / 255),\n    layers.Conv2D(8, 3, padding=\"same\", activation=\"relu\"),\n    layers.MaxPooling2D(),\n    layers.Flatten(),\n    layers.Dense(5),\n])\nmodel.summary()\n";

test('a Sequential starting with an augmentation Sequential takes the input its RandomFlip states', async () => {
  const result = (await getReader()).read(AUGMENTED, { file: 'flowers.py', language: 'python' });
  const model = built(result.defaultModel!);
  assert.deepEqual(model.spec.input, [64, 64, 3]);
  assert.equal((await analyse(model)).totals.params, 41189);
});
