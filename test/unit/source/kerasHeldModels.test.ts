/**
 * Keras counts every model a Model subclass holds, whether call() runs it or not (count_params(): a distiller's
 * teacher, a frozen encoder, spare heads in a list). The layer-by-layer match of keras_held_models.py against
 * Keras 3.15 is in kerasExpected.test.ts; these check the trainable split and that a held model whose weights the
 * reader cannot tell leaves the total unknown (at least what is shown), never a smaller number presented as whole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyse, built, FIXTURES, findModel, getReader, readFixture } from './helpers';

const HELD = 'keras_held_models.py';
const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'keras_held_models.expected.json'), 'utf8')) as {
  models: { model: string; total_params: number; trainable_params: number }[];
};

for (const m of expected.models) {
  test(`${HELD}: ${m.model} counts the models it holds but never calls, split as Keras splits them`, async () => {
    const report = await analyse(built(findModel(await readFixture(HELD), m.model)));
    assert.equal(report.totals.params, m.total_params);
    assert.equal(report.totals.trainableParams, m.trainable_params);
    assert.equal(report.totals.nonTrainableParams, m.total_params - m.trainable_params);
    assert.equal(report.complete, true);
  });
}

test('a held model whose weights the reader cannot tell makes the total a lower bound, located at the model', async () => {
  const result = await (await getReader()).read(
    `
import keras
from keras import layers
from somewhere import mystery_width

teacher = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(mystery_width())])
student = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(2)])


class Wrapper(keras.Model):
    def __init__(self, student, teacher):
        super().__init__()
        self.student = student
        self.teacher = teacher

    def call(self, x):
        return self.student(x)


wrapper = Wrapper(student, teacher)
`,
    { file: 'model.py', language: 'python' },
  );
  const report = await analyse(built(findModel(result, 'wrapper')));
  assert.equal(report.complete, false);
  assert.equal(report.totals.lowerBound, true);
  const held = report.layers.find((l) => l.name === 'teacher');
  assert.equal(held?.notCalled, true);
  assert.equal(held?.source?.line, 6);
});
