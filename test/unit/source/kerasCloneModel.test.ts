/**
 * keras.models.clone_model(m) is m's architecture with fresh weights: knowledge distillation's student trained from
 * scratch is the student, and as the last model the example code trains it is the default (Keras 3.15:
 * clone_model of this student has 20,490 params, the student's count).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

const CODE = `from tensorflow import keras
from tensorflow.keras import layers

teacher = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(64, 3, strides=2, padding="same"),
    layers.Flatten(),
    layers.Dense(10),
])
student = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(16, 3, strides=2, padding="same"),
    layers.Conv2D(32, 3, strides=2, padding="same"),
    layers.Flatten(),
    layers.Dense(10),
])
teacher.compile(optimizer="adam", loss="mse")
teacher.fit(x_train, y_train, epochs=5)
from_scratch = keras.models.clone_model(student)
from_scratch.compile(optimizer="adam", loss="mse")
from_scratch.fit(x_train, y_train, epochs=3)
`;

test('a clone_model() of a model is that model, and the one the code trains last', async () => {
  const result = (await getReader()).read(CODE, { file: 'distill.py', language: 'python' });
  assert.equal(result.defaultModel?.name, 'student');
  const report = await analyse(built(result.defaultModel));
  assert.equal(report.totals.params, 20490);
});
