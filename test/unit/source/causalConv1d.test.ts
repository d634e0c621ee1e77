/**
 * Keras' Conv1D(padding="causal"): dilation·(k − 1) zeros before the steps, then a 'valid' convolution, so a
 * stride-1 layer keeps the length. Facts from scripts/reference/keras_causal_reference.py (Keras 3.15): each
 * layer's output shape and count_params() for the model in expected.json's "source" (read here as code and as the
 * .keras file Keras saved). TF.js sizes it as 'valid' (98 of 100 steps) and its predict() raises, so tfjs code is
 * refused there, never given either number.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeModel } from '../../../extension/core/analyze';
import { readModelFile } from '../../../extension/core/files/index';
import { toFrameworkShape } from '../../../extension/core/report/shapes';
import { analyse, built, callRows, getReader } from './helpers';

const FILES = join(__dirname, '..', '..', 'fixtures', 'files');
const expected = JSON.parse(readFileSync(join(FILES, 'expected.json'), 'utf8')).keras_causal_conv1d as {
  params: number;
  source: string;
  layers: { name: string; output: (number | null)[]; params: number; macs: number }[];
};

test('Keras code: causal Conv1D keeps the steps (stride 1), halves them (stride 2), with dilation and groups', async () => {
  const read = await (await getReader()).read(expected.source, { file: 'causal.py', language: 'python' });
  const model = built(read.defaultModel!);
  const report = await analyse(model);
  assert.equal(report.complete, true);
  assert.equal(report.totals.params, expected.params);
  assert.deepEqual(
    callRows(model, report, null).filter((r) => r.type !== 'keras.Input').map((r) => [r.output, r.params]),
    expected.layers.map((l) => [l.output, l.params]),
  );
  assert.deepEqual(report.layers.map((l) => l.macs), expected.layers.map((l) => l.macs));
});

test('the .keras file Keras saved: the same shapes, parameters and MACs', async () => {
  const file = await readModelFile(join(FILES, 'keras_causal_conv1d.keras'));
  const report = await analyzeModel(file.spec!);
  assert.equal(report.complete, true);
  assert.deepEqual(
    report.layers.map((l) => [l.name, toFrameworkShape('keras', l.outputShape), l.params, l.macs]),
    expected.layers.map((l) => [l.name, l.output, l.params, l.macs]),
  );
});

test("TF.js code: conv1d({padding: 'causal'}) is unknown with TF.js' own reason, never 98 or 100 steps", async () => {
  // @tensorflow/tfjs 4.22 in node: outputs[0].shape [null, 98, 32]; predict(): "The support for CAUSAL padding
  // mode in conv1dWithBias is not implemented yet."
  const text = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.conv1d({inputShape: [100, 16], filters: 32, kernelSize: 3, padding: 'causal'}));
model.add(tf.layers.globalAveragePooling1d());
`;
  const read = await (await getReader()).read(text, { file: 'causal.js', language: 'javascript' });
  const model = built(read.defaultModel!);
  const report = await analyse(model);
  assert.equal(report.complete, false);
  assert.equal(report.layers[0]!.outputShape, null);
  assert.ok(read.diagnostics.concat(model.diagnostics).some((d) => d.source.line === 3 && /does not implement causal padding/.test(d.message)));
});
