/**
 * TFLite: keras_small converted by TensorFlow's TFLiteConverter (scripts/files/make_fixtures.py). Op names,
 * output shapes and weight sizes are the TFLite interpreter's own (tf.lite.Interpreter details).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkStatedShapes, readModelFile, ModelFileError } from '../../../extension/core/files/index';
import { EXPECTED, fixture, reportOf } from './helpers';

it('keras_small.tflite: every op output shape the interpreter states, the weights each op uses, and Keras\'s MACs', async () => {
  const { file, report } = await reportOf('keras_small.tflite');
  const expected = EXPECTED.keras_small_tflite;
  assert.equal(report.framework, 'tflite');
  assert.deepEqual([1, ...file.spec!.input], expected.input);
  assert.equal(file.statedShapes!.length, expected.ops.filter((op: string) => !['SHAPE', 'STRIDED_SLICE', 'PACK'].includes(op)).length, 'every op but the shape arithmetic');
  assert.deepEqual(checkStatedShapes(file, report), []);
  assert.deepEqual([1, ...report.layers.at(-1)!.outputShape!], expected.output);
  assert.equal(report.totals.params, expected.weightElementsPerUse);
  // The same MACs as the Keras model it was converted from (batch norm folded, activations fused: no MACs).
  const keras = await reportOf('keras_small.keras');
  assert.equal(report.totals.macs, keras.report.totals.macs);
  assert.equal(report.complete, true);
  assert.ok(file.diagnostics.some((d) => /folds batch norm/.test(d.message)));
});

it('a truncated .tflite is one clear message naming the file', async () => {
  const bytes = new Uint8Array(readFileSync(fixture('keras_small.tflite')));
  await assert.rejects(readModelFile({ name: 'cut.tflite', bytes: bytes.subarray(0, 2000) }), (e: Error) => e instanceof ModelFileError && /^cut\.tflite: /.test(e.message));
});
