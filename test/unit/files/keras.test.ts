/**
 * Keras files: .keras (Keras 3 zip), .h5 (model_config attribute) and TensorFlow.js model.json. Per-layer
 * output shapes and parameters are Keras's own (layer.output.shape, count_params(), written by
 * scripts/files/make_fixtures.py); the tfjs files are the same models saved by tfjs's model.save
 * (scripts/files/make_tfjs_fixture.ts).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeModel } from '../../../extension/core/analyze';
import { toJsonReport } from '../../../extension/core/report/json';
import { readModelFile, ModelFileError } from '../../../extension/core/files/index';
import { EXPECTED, fixture, reportOf } from './helpers';

for (const model of ['keras_small', 'keras_lenet']) {
  for (const ext of ['.keras', '.h5', '.model.json']) {
    it(`${model}${ext}: every layer's output shape and parameters are Keras's`, async () => {
      const { file, report } = await reportOf(`${model}${ext}`);
      const expected = EXPECTED[model];
      assert.equal(file.diagnostics.filter((d) => d.severity === 'error').length, 0);
      assert.deepEqual(report.input, expected.input);
      const rows = report.layers.map((l) => ({ name: l.name, outputShape: [null, ...(l.outputShape ?? [])], params: l.params, trainableParams: l.trainableParams }));
      assert.deepEqual(rows, expected.layers.map((l: { name: string; outputShape: number[]; params: number; trainableParams: number }) => ({ name: l.name, outputShape: l.outputShape, params: l.params, trainableParams: l.trainableParams })));
      assert.equal(report.totals.params, expected.params);
      assert.equal(report.totals.trainableParams, expected.trainableParams);
      assert.equal(report.totals.nonTrainableParams, expected.nonTrainableParams);
      assert.equal(report.complete, true);
    });
  }

  it(`${model}: .keras, .h5 and the tfjs model.json give the same report`, async () => {
    const reports = await Promise.all(['.keras', '.h5', '.model.json'].map(async (ext) => toJsonReport((await reportOf(`${model}${ext}`)).report) as Record<string, unknown>));
    const strip = (r: Record<string, unknown>): Record<string, unknown> => ({ ...r, framework: null });
    assert.deepEqual(strip(reports[1]!), strip(reports[0]!));
    assert.deepEqual(strip(reports[2]!), strip(reports[0]!));
    assert.equal(reports[2]!.framework, 'tfjs');
  });
}

describe('Keras Lambda layers and crafted configs: code is never executed', () => {
  it('a Lambda whose code creates a file when Keras loads it is shown opaque, with the output_shape the file states', async () => {
    const marker = EXPECTED.keras_lambda.marker as string;
    rmSync(marker, { force: true });
    const { file, report } = await reportOf('keras_lambda.keras');
    assert.equal(existsSync(marker), false, 'the Lambda ran');
    const lambda = report.layers.find((l) => l.name === 'evil_lambda')!;
    assert.equal(lambda.type, 'Lambda (not executed)');
    assert.deepEqual(lambda.outputShape, [6, 6, 4]);
    assert.match(file.diagnostics.find((d) => d.layer === 'evil_lambda')!.message, /code is not executed/);
    assert.deepEqual([null, ...report.layers.find((l) => l.name === 'conv')!.outputShape!], EXPECTED.keras_lambda.convOutputShape);
  });

  it('a Lambda without output_shape leaves the shapes after it unknown', async () => {
    const bytes = readFileSync(fixture('keras_small.keras_json'), 'utf8');
    const config = JSON.parse(bytes);
    const flat = config.config.layers.find((l: { name: string }) => l.name === 'flat');
    flat.class_name = 'Lambda';
    flat.config = { name: 'flat', function: { class_name: '__lambda__', config: { code: 'AAAA' } }, output_shape: null };
    const json = new TextEncoder().encode(JSON.stringify({ modelTopology: config }));
    const file = await readModelFile({ name: 'lambda.model.json', bytes: json });
    const report = await analyzeModel(file.spec!);
    assert.equal(report.layers.find((l) => l.name === 'flat')!.outputShape, null);
    assert.equal(report.layers.find((l) => l.name === 'logits')!.outputShape, null);
    assert.equal(report.complete, false);
    assert.match(file.diagnostics.find((d) => d.layer === 'flat')!.message, /not executed and the file states no output_shape/);
  });

  it('a CVE-2025-1550 style config naming os.system as a layer class imports nothing', async () => {
    const marker = EXPECTED.keras_lambda.marker as string;
    rmSync(marker, { force: true });
    const { file, report } = await reportOf('keras_cve_2025_1550.keras');
    assert.equal(existsSync(marker), false);
    assert.match(file.diagnostics.find((d) => d.layer === 'evil_lambda')!.message, /names os\.system .* not imported/);
    assert.equal(report.layers.find((l) => l.name === 'evil_lambda')!.type, 'system');
    assert.equal(report.layers.find((l) => l.name === 'head')!.outputShape, null);
    assert.equal(report.complete, false);
  });
});

describe('Keras files that are not what they claim', () => {
  it('an HDF5 file without model_config says it is not a Keras model', async () => {
    await assert.rejects(readModelFile(fixture('not_keras.h5')), (e: Error) => e instanceof ModelFileError && /not_keras\.h5: an HDF5 file without a model_config attribute/.test(e.message));
  });

  it('a model.json without a weightsManifest is read with a warning', async () => {
    const json = JSON.parse(readFileSync(fixture('keras_lenet.model.json'), 'utf8'));
    delete json.weightsManifest;
    const file = await readModelFile({ name: 'no-manifest.json', bytes: new TextEncoder().encode(JSON.stringify(json)) });
    assert.ok(file.spec);
    assert.match(file.diagnostics[0]!.message, /no weightsManifest/);
  });

  for (const name of ['keras_small.keras', 'keras_small.h5', 'keras_small.model.json']) {
    it(`${name} cut in half is one clear message naming the file`, async () => {
      const bytes = new Uint8Array(readFileSync(fixture(name)));
      await assert.rejects(readModelFile({ name: `cut-${name}`, bytes: bytes.subarray(0, bytes.length >> 1) }), (e: Error) => e instanceof ModelFileError && e.message.startsWith(`cut-${name}: `));
    });
  }
});

it('Keras Applications VGG16 config: Keras\'s count_params() and every output shape', async () => {
  const json = new TextEncoder().encode(JSON.stringify({ modelTopology: JSON.parse(readFileSync(fixture('vgg16.keras_json'), 'utf8')) }));
  const file = await readModelFile({ name: 'vgg16.json', bytes: json });
  const report = await analyzeModel(file.spec!);
  assert.equal(report.totals.params, EXPECTED.vgg16_keras.params);
  assert.equal(report.totals.params, 138_357_544);
  assert.deepEqual(report.layers.map((l) => [null, ...(l.outputShape ?? [])]), EXPECTED.vgg16_keras.layers.map((l: { outputShape: number[] }) => l.outputShape));
});

for (const model of ['keras_nested_sequential', 'keras_nested_functional']) {
  it(`${model}: a model used as a layer is read in place, as a block, with Keras's count_params()`, async () => {
    const { report } = await reportOf(`${model}.keras`);
    const expected = EXPECTED[model];
    assert.equal(report.totals.params, expected.params);
    assert.equal(report.totals.trainableParams, expected.trainableParams);
    assert.deepEqual([null, ...report.layers.at(-1)!.outputShape!], expected.layers.at(-1).outputShape);
    assert.deepEqual(report.layers.filter((l) => l.block === 'base').map((l) => l.name), ['base_conv', 'base_bn', 'base_relu']);
    assert.equal(report.complete, true);
  });
}

it('keras_normalization_groups.keras: Normalization\'s non-trainable statistics and a one-group-per-channel Conv2D, as Keras counts them', async () => {
  const { report } = await reportOf('keras_normalization_groups.keras');
  const expected = EXPECTED.keras_normalization_groups;
  assert.deepEqual(
    report.layers.map((l) => ({ name: l.name, outputShape: [null, ...(l.outputShape ?? [])], params: l.params })),
    expected.layers.map((l: { name: string; outputShape: number[]; params: number }) => ({ name: l.name, outputShape: l.outputShape, params: l.params })),
  );
  assert.equal(report.totals.nonTrainableParams, expected.nonTrainableParams);
  // Keras's own class: a Conv2D with groups = channels (the engine's grouped Conv2D), not a look-alike.
  assert.equal(report.layers.find((l) => l.name === 'dw_groups')!.type, 'Conv2D');
});

it('keras_rescale_normalization.keras: Normalization(axis=3) after Rescaling (EfficientNet\'s) takes the rank the config states for its input', async () => {
  const { report } = await reportOf('keras_rescale_normalization.keras');
  const expected = EXPECTED.keras_rescale_normalization;
  assert.deepEqual(expected.normalizationAxis, [3]);
  assert.equal(report.complete, true);
  assert.equal(report.totals.params, expected.params);
  assert.equal(report.totals.trainableParams, expected.trainableParams);
  assert.equal(report.totals.nonTrainableParams, expected.nonTrainableParams);
});

it("Keras Applications' ConvNeXt LayerScale (by its module) is x · gamma: (projection_dim,) trainable weights, the input's shape", async () => {
  // Made by Keras 3.15.1 (config only): Input(8, 8, 3) → Conv2D(4, 1) → LayerScale(1e-6, 4) → GAP → Dense(2);
  // count_params() = 30, the LayerScale's weights [TensorShape([4])].
  const file = await readModelFile(join(__dirname, '..', '..', 'fixtures', 'file-corpus', 'keras_layer_scale.keras'));
  const report = await analyzeModel(file.spec!);
  assert.equal(report.complete, true, JSON.stringify(file.diagnostics));
  assert.equal(report.totals.params, 30);
  const scale = report.layers.find((l) => l.name === 'ls')!;
  assert.equal(scale.frameworkType, 'LayerScale');
  assert.equal(scale.params, 4);
  assert.deepEqual(scale.outputShape, [8, 8, 4]);
  // Conv2D 8·8·(1·1·3·4) + Dense 4·2: the element-wise scale has none.
  assert.equal(report.totals.macs, 776);
});

it('a Keras file with a (None, steps, channels) input: Conv1D layers with Keras\'s shapes and count_params()', async () => {
  // Made by Keras 3.15.1 (config only); Keras: c1 (None, 128, 16) 336, bn 64, pool (None, 64, 16), c2 (None, 60, 32)
  // 1,568, gap (None, 32), head (None, 10) 330; count_params() = 2,298.
  const file = await readModelFile(join(__dirname, '..', '..', 'fixtures', 'file-corpus', 'keras_conv1d.keras'));
  const report = await analyzeModel(file.spec!);
  assert.equal(report.complete, true, JSON.stringify(file.diagnostics));
  assert.equal(report.totals.params, 2298);
  const rows = Object.fromEntries(report.layers.map((l) => [l.name, [l.outputShape, l.params]]));
  assert.deepEqual(rows.c1, [[128, 16], 336]);
  assert.deepEqual(rows.c2, [[60, 32], 1568]);
  assert.deepEqual(rows.head, [[10], 330]);
});

it('a Keras file with Conv1DTranspose, SeparableConv1D and DepthwiseConv1D: one row each, as summary() shows', async () => {
  // scripts/reference/keras_1d_file.py (Keras 3.15.1, config only): up Conv1DTranspose (None, 32, 8) 104, 1,536 MACs;
  // sep SeparableConv1D (None, 30, 8) 184, 5,280; dw DepthwiseConv1D (None, 28, 8) 32, 672; count_params() = 320.
  const file = await readModelFile(join(__dirname, '..', '..', 'fixtures', 'file-corpus', 'keras_1d_as_2d.keras'));
  const report = await analyzeModel(file.spec!);
  assert.equal(report.complete, true, JSON.stringify(file.diagnostics));
  assert.deepEqual(
    report.layers.map((l) => [l.name, l.frameworkType ?? l.type, l.outputShape, l.params, l.macs]),
    [
      ['up', 'Conv1DTranspose', [32, 8], 104, 1536],
      ['sep', 'SeparableConv1D', [30, 8], 184, 5280],
      ['dw', 'DepthwiseConv1D', [28, 8], 32, 672],
    ],
  );
  assert.equal(report.totals.params, 320);
});
