/**
 * Model files whose input is a (None, features) vector: token ids through an Embedding into Conv1D (.keras), an
 * MLP as Keras (.h5, .tflite) and torch (.onnx, both exporters) saved it. Facts from
 * scripts/files/make_keras_vector_fixtures.py and make_vector_file_fixtures.py: count_params(), torch's
 * parameters and MACs, output shapes; a mask_zero=True Embedding is unknown, said at the layer.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { analyzeModel } from '../../../extension/core/analyze';
import { readModelFile } from '../../../extension/core/files/index';
import { toFrameworkShape } from '../../../extension/core/report/shapes';
import { EXPECTED, fixture, reportOf } from './helpers';

describe('model files with a vector input', () => {
  for (const [file, key] of [['keras_text_embedding.keras', 'keras_text_embedding'], ['keras_mlp.h5', 'keras_mlp']] as const) {
    it(`${file}: count_params() and every layer's output shape`, async () => {
      const { report } = await reportOf(file);
      const expected = EXPECTED[key] as { params: number; layers: { name: string; output: (number | null)[] }[] };
      assert.equal(report.complete, true);
      assert.equal(report.totals.params, expected.params);
      assert.deepEqual(report.layers.map((l) => [l.name, toFrameworkShape('keras', l.outputShape)]), expected.layers.map((l) => [l.name, l.output]));
    });
  }

  // scripts/files/make_vector_file_fixtures.py: torch's MLP (101,770 parameters, FlopCounterMode's MACs) through
  // both exporters, and Keras' (count_params() 101,770; trained-like weights, so the converter keeps the biases).
  for (const file of ['torch_mlp.onnx', 'torch_mlp_dynamo.onnx']) {
    it(`${file}: an (N, 784) input, torch's parameters and MACs`, async () => {
      const { report } = await reportOf(file);
      assert.equal(report.complete, true);
      assert.equal(report.totals.params, EXPECTED.torch_mlp.params);
      assert.equal(report.totals.macs, EXPECTED.torch_mlp.macs);
      assert.deepEqual(toFrameworkShape('onnx', report.layers.at(-1)!.outputShape, 1), EXPECTED.torch_mlp.moduleOutputShapes['3']);
    });
  }

  it('keras_mlp.tflite: a (1, 784) input, count_params() and the output shape', async () => {
    const { report } = await reportOf('keras_mlp.tflite');
    assert.equal(report.complete, true);
    assert.equal(report.totals.params, EXPECTED.keras_mlp_tflite.params);
    assert.deepEqual(toFrameworkShape('tflite', report.layers.at(-1)!.outputShape), EXPECTED.keras_mlp_tflite.layers.at(-1));
  });

  it('Embedding(mask_zero=True): unknown at that layer with the reason, never read without its mask', async () => {
    const entries = unzipSync(new Uint8Array(readFileSync(fixture('keras_text_embedding.keras'))));
    const config = JSON.parse(strFromU8(entries['config.json']!));
    const embedding = config.config.layers.find((l: { class_name: string }) => l.class_name === 'Embedding');
    embedding.config.mask_zero = true;
    const file = await readModelFile({ name: 'masked.keras', bytes: zipSync({ 'metadata.json': entries['metadata.json']!, 'config.json': strToU8(JSON.stringify(config)) }) });
    const report = await analyzeModel(file.spec!);
    assert.equal(report.complete, false);
    const errors = file.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map((d) => d.layer), ['embedding']);
    assert.match(errors[0]!.message, /Embedding\(mask_zero=True\): the mask it passes on is not followed yet/);
  });
});
