/**
 * Keras files whose input is a (None, features) vector: token ids through an Embedding into Conv1D (.keras) and
 * an MLP (.h5), as Keras saved them. Facts from scripts/files/make_keras_vector_fixtures.py (Keras 3.15):
 * count_params() and each layer's output shape; a mask_zero=True Embedding is unknown, said at the layer.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { analyzeModel } from '../../../extension/core/analyze';
import { readModelFile } from '../../../extension/core/files/index';
import { toFrameworkShape } from '../../../extension/core/report/shapes';
import { EXPECTED, fixture, reportOf } from './helpers';

describe('Keras files with a vector input', () => {
  for (const [file, key] of [['keras_text_embedding.keras', 'keras_text_embedding'], ['keras_mlp.h5', 'keras_mlp']] as const) {
    it(`${file}: count_params() and every layer's output shape`, async () => {
      const { report } = await reportOf(file);
      const expected = EXPECTED[key] as { params: number; layers: { name: string; output: (number | null)[] }[] };
      assert.equal(report.complete, true);
      assert.equal(report.totals.params, expected.params);
      assert.deepEqual(report.layers.map((l) => [l.name, toFrameworkShape('keras', l.outputShape)]), expected.layers.map((l) => [l.name, l.output]));
    });
  }

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
