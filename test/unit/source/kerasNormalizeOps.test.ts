/**
 * Embedding normalisation at the end of a metric-learning model (keras.io's metric learning example:
 * `tf.nn.l2_normalize(embeddings, axis=-1)`; Keras 3: `keras.ops.normalize(x, axis=-1)`) keeps the shape and has no
 * weights, so the model reads complete (Keras 3.15 on this model: output (None, 8), 94,280 params).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

const CODE = (normalise: string) => `import tensorflow as tf
import keras
from keras import layers, ops

inputs = layers.Input(shape=(32, 32, 3))
x = layers.Conv2D(32, 3, strides=2, activation="relu")(inputs)
x = layers.Conv2D(64, 3, strides=2, activation="relu")(x)
x = layers.Conv2D(128, 3, strides=2, activation="relu")(x)
x = layers.GlobalAveragePooling2D()(x)
embeddings = layers.Dense(8)(x)
embeddings = ${normalise}(embeddings, axis=-1)
model = keras.Model(inputs, embeddings)
`;

for (const normalise of ['tf.nn.l2_normalize', 'tf.math.l2_normalize', 'ops.normalize']) {
  test(`${normalise} keeps the embedding's shape and adds no weights`, async () => {
    const result = (await getReader()).read(CODE(normalise), { file: 'embed.py', language: 'python' });
    const report = await analyse(built(result.defaultModel!));
    assert.equal(report.complete, true);
    assert.equal(report.totals.params, 94280);
    assert.deepEqual(report.layers.at(-1)!.outputShape, [8]);
  });
}
