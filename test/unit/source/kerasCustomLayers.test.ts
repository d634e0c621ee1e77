/**
 * Keras layers the code defines or configures itself: Layer subclasses (build + add_weight, call), Lambda,
 * Normalization, and layers whose arguments the reader cannot evaluate. The layer-by-layer match of
 * keras_custom_layers.py against Keras 3.15 is in kerasExpected.test.ts; these check what that table cannot:
 * the trainable split, that a leaf layer's call() adds no layers of its own, and that anything the reader
 * cannot follow is unknown at a located line instead of a number.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyse, built, callRows, FIXTURES, findModel, getReader, lineOf, readFixture } from './helpers';

const CUSTOM = 'keras_custom_layers.py';
const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'keras_custom_layers.expected.json'), 'utf8')) as {
  models: { model: string; total_params: number; trainable_params: number }[];
};

async function readCode(code: string) {
  return (await getReader()).read(code, { file: 'model.py', language: 'python' });
}

for (const m of expected.models) {
  test(`${CUSTOM}: ${m.model} splits trainable and non-trainable weights as Keras does (add_weight(trainable=False))`, async () => {
    const report = await analyse(built(findModel(await readFixture(CUSTOM), m.model)));
    assert.equal(report.totals.params, m.total_params);
    assert.equal(report.totals.trainableParams, m.trainable_params);
    assert.equal(report.totals.nonTrainableParams, m.total_params - m.trainable_params);
  });
}

test(`${CUSTOM}: a leaf layer's call() is read for its shape only; it is one row, the ops inside it are none`, async () => {
  const model = built(findModel(await readFixture(CUSTOM), 'build_model'));
  const rows = callRows(model, await analyse(model), null);
  const insideCalls = [lineOf(CUSTOM, 'return x * self.gamma + self.beta'), lineOf(CUSTOM, 'return inputs[0] + inputs[1] * self.scale'), lineOf(CUSTOM, 'lambda t, k: t * k')];
  assert.deepEqual(rows.filter((r) => insideCalls.includes(r.line) && r.type !== 'Lambda'), []);
  const sums = rows.filter((r) => r.type === 'WeightedSum');
  assert.equal(sums.length, 4);
  assert.ok(sums.every((r) => r.line === lineOf(CUSTOM, 'super().__init__(**kwargs)', lineOf(CUSTOM, 'class WeightedSum'))));
  assert.deepEqual(rows.find((r) => r.name === 'block00_scale'), { name: 'block00_scale', type: 'ChannelScale', line: lineOf(CUSTOM, 'super().__init__(**kwargs)'), output: [null, 32, 32, 24], params: 48 });
});

test(`${CUSTOM}: Layer subclasses are layers, not models to choose`, async () => {
  const names = (await readFixture(CUSTOM)).models.map((m) => m.name).sort();
  assert.deepEqual(names, ['TinyNet', 'build_model']);
});

test('a layer object called twice counts its weights once (Keras count_params(): 148 for Conv2D(4, 3) on 4 channels)', async () => {
  const result = await readCode(`
import keras
from keras import layers
inputs = keras.Input(shape=(8, 8, 4))
conv = layers.Conv2D(4, 3, padding="same")
model = keras.Model(inputs, conv(conv(inputs)))
`);
  const report = await analyse(built(result.defaultModel!));
  // 3·3·4·4 + 4 = 148, once.
  assert.equal(report.totals.params, 148);
  assert.equal(report.layers.length, 2);
});

test('a layer argument the reader cannot evaluate leaves the shape unknown, never the layer built with its defaults', async () => {
  const result = await readCode(`
import keras
from keras import layers
from mystery import pad_for
inputs = keras.Input(shape=(32, 32, 3))
x = layers.ZeroPadding2D(padding=pad_for(inputs))(inputs)
model = keras.Model(inputs, layers.Conv2D(8, 3)(x))
`);
  const model = built(result.defaultModel!);
  const report = await analyse(model);
  const rows = callRows(model, report, null);
  assert.deepEqual(rows.map((r) => [r.type, r.line, r.output]), [['ZeroPadding2D', 6, null], ['Conv2D', 7, null]]);
  assert.equal(report.complete, false);
  assert.ok(result.diagnostics.some((d) => d.source.line === 6 && /ZeroPadding2D\(padding=…\): the reader could not evaluate padding/.test(d.message)));
});

test('Normalization: weights only without a stated mean and variance; an unevaluated mean is unknown', async () => {
  const code = (mean: string) => `
import keras
from keras import layers
from stats import channel_mean
inputs = keras.Input(shape=(16, 16, 3))
x = layers.Normalization(${mean})(inputs)
model = keras.Model(inputs, layers.Conv2D(4, 1)(x))
`;
  // Keras 3.15: Normalization() on 3 channels holds mean (3), variance (3) and count (1), all non-trainable.
  const adapted = await analyse(built((await readCode(code(''))).defaultModel!));
  assert.deepEqual([adapted.totals.params, adapted.totals.nonTrainableParams], [16 + 7, 7]);
  const stated = await analyse(built((await readCode(code('mean=[0.5, 0.5, 0.5], variance=[0.1, 0.1, 0.1]'))).defaultModel!));
  assert.deepEqual([stated.totals.params, stated.totals.nonTrainableParams], [16, 0]);
  const unknown = await readCode(code('mean=channel_mean(), variance=[0.1, 0.1, 0.1]'));
  const report = await analyse(built(unknown.defaultModel!));
  assert.equal(report.complete, false);
  assert.ok(unknown.diagnostics.some((d) => d.source.line === 6 && /Normalization\(mean=…, variance=…\): the reader could not evaluate them/.test(d.message)));
});

test('a user layer whose weight shape cannot be evaluated is unknown, located where it calls Layer.__init__', async () => {
  const result = await readCode(`
import keras
from keras import layers
from config import width

class Gate(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def build(self, input_shape):
        self.w = self.add_weight(shape=(width(),))

    def call(self, x):
        return x * self.w

inputs = keras.Input(shape=(8, 8, 4))
model = keras.Model(inputs, Gate(name="gate")(inputs))
`);
  const model = built(result.defaultModel!);
  const report = await analyse(model);
  assert.equal(report.complete, false);
  assert.deepEqual(callRows(model, report, null).map((r) => [r.name, r.type, r.line, r.output]), [['gate', 'Gate', 8, null]]);
  assert.ok(result.diagnostics.some((d) => d.source.line === 8 && /^Gate: add_weight\(\) with a shape or trainable flag the reader could not evaluate/.test(d.message)));
});

test('Lambda: the function is followed on the inputs; one it cannot follow, or a stated output_shape it contradicts, is unknown', async () => {
  const code = (lambda: string) => `
import keras
from keras import layers
inputs = keras.Input(shape=(8, 8, 4))
a = layers.Conv2D(4, 1)(inputs)
x = ${lambda}([inputs, a])
model = keras.Model(inputs, layers.Conv2D(2, 1)(x))
`;
  const followed = await readCode(code('layers.Lambda(lambda t, s: t[0] * s + t[1], arguments={"s": 0.2})'));
  const ok = built(followed.defaultModel!);
  const okReport = await analyse(ok);
  assert.equal(okReport.complete, true);
  assert.deepEqual(callRows(ok, okReport, null).map((r) => [r.type, r.output]), [['Conv2D', [null, 8, 8, 4]], ['Lambda', [null, 8, 8, 4]], ['Conv2D', [null, 8, 8, 2]]]);
  // A difference of two equal shapes is their shape, as Keras gives it.
  const difference = built((await readCode(code('layers.Lambda(lambda t: t[0] - t[1])'))).defaultModel!);
  const differenceReport = await analyse(difference);
  assert.equal(differenceReport.complete, true);
  assert.deepEqual(callRows(difference, differenceReport, null).find((r) => r.type === 'Lambda')!.output, [null, 8, 8, 4]);
  for (const lambda of ['layers.Lambda(lambda t: t[0] ** t[1])', 'layers.Lambda(lambda t: t[0] + t[1], output_shape=(4, 4, 4))']) {
    const result = await readCode(code(lambda));
    const model = built(result.defaultModel!);
    const report = await analyse(model);
    assert.equal(report.complete, false, lambda);
    assert.equal(callRows(model, report, null).find((r) => r.type === 'Lambda')!.output, null, lambda);
    assert.ok(result.diagnostics.some((d) => d.source.line === 6 && d.message.startsWith('Lambda: ')), lambda);
  }
});

test(`${CUSTOM}: a matmul by a weight matrix in call() counts as multiply-adds (Linear(32, 10): 32 × 10 = 320, the MACs of Dense(10) on 32 features)`, async () => {
  const model = built(findModel(await readFixture(CUSTOM), 'build_model'));
  const report = await analyse(model);
  const head = report.layers.find((l) => l.name === 'head')!;
  assert.deepEqual([head.params, head.macs, head.outputShape], [330, 320, [10]]);
  // The elementwise scales (ChannelScale, WeightedSum) multiply no weight matrix: 0, as batch norm's scale.
  assert.ok(report.layers.filter((l) => l.name.endsWith('_scale') || l.name.endsWith('_sum')).every((l) => l.macs === 0));
});
