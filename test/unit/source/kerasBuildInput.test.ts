/**
 * `model.build(input_shape=(None, 28, 28, 1))` (and positionally) states a subclassed or Sequential Keras model's
 * input, the batch first: the model is read as it runs on that input. Keras 3.15: the subclassed model below called on
 * zeros (1, 28, 28, 1) has 2,770,634 params (conv 320 + dense 2,769,024 + dense 1,290; build() alone leaves Keras 3's
 * subclassed layers unbuilt, tf.keras 2's traces call()); the Sequential built at (None, 32, 32, 3) has 36,458.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

const SUBCLASSED = (build: string) => `import tensorflow as tf
from tensorflow.keras import layers, Model


class Classifier(Model):
    def __init__(self):
        super().__init__()
        self.conv1 = layers.Conv2D(32, 3, activation="relu")
        self.flatten = layers.Flatten()
        self.d1 = layers.Dense(128, activation="relu")
        self.d2 = layers.Dense(10)

    def call(self, x):
        return self.d2(self.d1(self.flatten(self.conv1(x))))


model = Classifier()
model.${build}
model.summary()
`;

const SEQUENTIAL = `import tensorflow as tf
from tensorflow.keras import layers

model = tf.keras.Sequential([
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(10),
])
model.build(input_shape=(None, 32, 32, 3))
model.summary()
`;

for (const build of ['build(input_shape=(None, 28, 28, 1))', 'build((None, 28, 28, 1))']) {
  test(`a subclassed model's ${build} is its input`, async () => {
    const result = (await getReader()).read(SUBCLASSED(build), { file: 'm.py', language: 'python' });
    const model = built(result.defaultModel!);
    assert.deepEqual(model.spec.input, [28, 28, 1]);
    assert.equal((await analyse(model)).totals.params, 2770634);
  });
}

test('a Sequential built with input_shape= takes it', async () => {
  const result = (await getReader()).read(SEQUENTIAL, { file: 'm.py', language: 'python' });
  const model = built(result.defaultModel!);
  assert.deepEqual(model.spec.input, [32, 32, 3]);
  assert.equal((await analyse(model)).totals.params, 36458);
});

test('Flatten of a (None, 784) vector is that vector, as Keras 3 reshapes it (Keras 3.15 called on zeros (1, 784): 101,770 params, the Flatten output (None, 784)), not a tfjs ndim error', async () => {
  const code = SUBCLASSED('build(input_shape=(None, 784))').replace('self.d2(self.d1(self.flatten(self.conv1(x))))', 'self.d2(self.d1(self.flatten(x)))');
  const result = (await getReader()).read(code, { file: 'm.py', language: 'python' });
  const report = await analyse(built(result.defaultModel!));
  assert.equal(report.complete, true);
  assert.equal(report.totals.params, 101770);
  assert.deepEqual(report.layers[0]!.outputShape, [784]);
});
