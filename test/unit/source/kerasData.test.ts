/**
 * The input a Keras/TensorFlow script feeds its model from keras.datasets (keras/src/datasets/mnist.py and
 * cifar10.py document x_train (60000, 28, 28) and (50000, 32, 32, 3)): through `/ 255`, `.astype`,
 * `np.expand_dims`, `x[..., None]`, `x.reshape(-1, 28, 28, 1)`, tf.data's from_tensor_slices → shuffle → batch,
 * into `model.fit(x_train, …)` or `model(images)` in the training loop. Facts from Keras 3.15
 * (scripts/reference/keras_data_reference.py): the Sequential (28, 28, 1), 27,210 params, outputs
 * (26, 26, 16), (13, 13, 16), (2704), (10); the subclassed model (32, 32, 3), 314 params, output (10); the dense
 * autoencoder fit() on (60000, 28, 28) takes (28, 28) samples, 50,992 params, output (28, 28).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

const SEQUENTIAL = "import numpy as np\nimport keras\nfrom keras import layers\n\n(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()\nx_train = x_train.astype(\"float32\") / 255\nx_train = np.expand_dims(x_train, -1)\n\nmodel = keras.Sequential([\n    layers.Conv2D(16, 3, activation=\"relu\"),\n    layers.MaxPooling2D(),\n    layers.Flatten(),\n    layers.Dense(10, activation=\"softmax\"),\n])\nmodel.compile(loss=\"sparse_categorical_crossentropy\", optimizer=\"adam\")\nmodel.fit(x_train, y_train, batch_size=128, epochs=1)\n";

const SUBCLASSED = "import tensorflow as tf\nfrom tensorflow import keras\n\n(train_images, train_labels), (test_images, test_labels) = keras.datasets.cifar10.load_data()\ntrain_images, test_images = train_images / 255.0, test_images / 255.0\nds = tf.data.Dataset.from_tensor_slices((train_images, train_labels)).shuffle(1000).batch(64)\n\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.c1 = keras.layers.Conv2D(8, 3, padding=\"same\")\n        self.pool = keras.layers.GlobalAveragePooling2D()\n        self.out = keras.layers.Dense(10)\n\n    def call(self, x):\n        return self.out(self.pool(self.c1(x)))\n\nnet = Net()\nfor images, labels in ds:\n    logits = net(images, training=True)\n";

async function read(text: string) {
  const result = (await getReader()).read(text, { file: 'train.py', language: 'python' });
  assert.ok(result.defaultModel, JSON.stringify(result.diagnostics));
  return { result, model: built(result.defaultModel) };
}

test('a Sequential without an input takes the one model.fit() feeds it from keras.datasets', async () => {
  const { model } = await read(SEQUENTIAL);
  assert.deepEqual(model.spec.input, [28, 28, 1]);
  assert.equal(model.inputOrigin, 'example');
  const report = await analyse(model);
  assert.equal(report.totals.params, 27210);
  assert.deepEqual(report.layers.map((l) => l.outputShape), [[26, 26, 16], [13, 13, 16], [2704], [10]]);
});

test('a subclassed model called in a loop over a tf.data pipeline takes the batch the pipeline gives', async () => {
  const { model } = await read(SUBCLASSED);
  assert.deepEqual(model.spec.input, [32, 32, 3]);
  const report = await analyse(model);
  assert.equal(report.totals.params, 314);
  assert.deepEqual(report.layers.at(-1)!.outputShape, [10]);
});

test('x[..., None] and x.reshape(-1, 28, 28, 1) add the channel axis as NumPy does; other shapes are not guessed', async () => {
  for (const step of ['x_train = x_train[..., None]', 'x_train = x_train.reshape(-1, 28, 28, 1)']) {
    const { model } = await read(SEQUENTIAL.replace('x_train = np.expand_dims(x_train, -1)', step));
    assert.deepEqual(model.spec.input, [28, 28, 1], step);
  }
  // 60000·28·28 elements do not fill (-1, 27, 27, 1): no input is taken from the data.
  const wrong = (await getReader()).read(SEQUENTIAL.replace('x_train = np.expand_dims(x_train, -1)', 'x_train = x_train.reshape(-1, 27, 27, 1)'), { file: 'train.py', language: 'python' });
  const found = wrong.models.find((m) => m.name === 'model')!;
  assert.equal(found.input, null);
  assert.equal(found.build().kind, 'input-needed');
});

test('a subclassed Keras model\'s layers are named as Keras names them (conv2d, dense), not by the attributes holding them', async () => {
  const { model } = await read(SUBCLASSED);
  const report = await analyse(model);
  // Keras 3.15's summary() of the same model: conv2d (Conv2D), global_average_pooling2d, dense (Dense).
  assert.deepEqual(report.layers.map((l) => l.name), ['conv2d', 'global_average_pooling2d', 'dense']);
});

const DENSE_AUTOENCODER = "import tensorflow as tf\nfrom tensorflow.keras import layers\nfrom tensorflow.keras.datasets import fashion_mnist\nfrom tensorflow.keras.models import Model\n\n(x_train, _), (x_test, _) = fashion_mnist.load_data()\nx_train = x_train.astype('float32') / 255.\n\nclass DenseAutoencoder(Model):\n  def __init__(self, code_size):\n    super().__init__()\n    self.encode = tf.keras.Sequential([layers.Flatten(), layers.Dense(code_size, activation='relu')])\n    self.decode = tf.keras.Sequential([layers.Dense(28 * 28, activation='sigmoid'), layers.Reshape((28, 28))])\n\n  def call(self, x):\n    return self.decode(self.encode(x))\n\nae = DenseAutoencoder(32)\nae.compile(optimizer='adam', loss='mse')\nae.fit(x_train, x_train, epochs=10)\n";

test('data of three axes fed to fit() is a batch of (28, 28) samples, as Keras reads axis 0, not one 60000×28×28 image', async () => {
  const { model } = await read(DENSE_AUTOENCODER);
  // Keras 3.15: input (28, 28), 50,992 params (the reader used to take (60000, 28, 28): a Dense on 47,040,000 features).
  assert.deepEqual(model.spec.input, [28, 28]);
  assert.equal(model.inputOrigin, 'example');
  const report = await analyse(model);
  assert.equal(report.totals.params, 50992);
  assert.deepEqual(report.layers.at(-1)!.outputShape, [28, 28]);
});
