/**
 * Keras fixtures. Expected numbers are hand-derived and cross-checked with published summaries:
 *  - keras_mnist_convnet.py: the model summary printed on https://keras.io/examples/vision/mnist_convnet/
 *    (26×26×32 / 320, 13×13×32, 11×11×64 / 18,496, 5×5×64, 1600, 1600, 10 / 16,010; total 34,826).
 *  - keras_vgg16_config.py: VGG16 as in keras.applications.VGG16 (Simonyan & Zisserman 2014, configuration D):
 *    'same' 3×3 convs keep the size, each 2×2/2 pool halves it (224→112→56→28→14→7); conv params
 *    3·3·Cin·Cout + Cout; fc1 = 7·7·512·4096 + 4096 = 102,764,544; total 138,357,544.
 *  - keras_resnet50_functional.py: keras-applications ResNet50: ZeroPadding(3) → 230, 7×7/2 valid → ⌊(230−7)/2⌋+1 = 112,
 *    ZeroPadding(1) → 114, 3×3/2 max pool → ⌊(114−3)/2⌋+1 = 56; stages 56/28/14/7 with 256/512/1024/2048 channels;
 *    Keras's summary: "Total params: 25,636,712" (BatchNormalization's moving mean/variance included, as Keras counts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnosticsFromReport } from '../../../extension/core/source/index';
import { analyse, built, callRows, findModel, lineOf, readFixture } from './helpers';

test('keras_mnist_convnet.py: Sequential with keras.Input matches the keras.io summary', async () => {
  const f = 'keras_mnist_convnet.py';
  const result = await readFixture(f);
  assert.equal(result.models.length, 1);
  const found = result.defaultModel!;
  assert.equal(found.name, 'model');
  assert.equal(found.framework, 'keras');
  assert.deepEqual(found.input, [28, 28, 1]);
  assert.equal(found.inputOrigin, 'code');
  const model = built(found);
  const report = await analyse(model);
  assert.deepEqual(callRows(model, report, null), [
    { name: 'conv2d', type: 'Conv2D', line: lineOf(f, 'layers.Conv2D(32'), output: [null, 26, 26, 32], params: 320 },
    { name: 'max_pooling2d', type: 'MaxPooling2D', line: lineOf(f, 'layers.MaxPooling2D'), output: [null, 13, 13, 32], params: 0 },
    { name: 'conv2d_1', type: 'Conv2D', line: lineOf(f, 'layers.Conv2D(64'), output: [null, 11, 11, 64], params: 18496 },
    { name: 'max_pooling2d_1', type: 'MaxPooling2D', line: lineOf(f, 'layers.MaxPooling2D', 18), output: [null, 5, 5, 64], params: 0 },
    { name: 'flatten', type: 'Flatten', line: lineOf(f, 'layers.Flatten'), output: [null, 1600], params: 0 },
    { name: 'dropout', type: 'Dropout', line: lineOf(f, 'layers.Dropout'), output: [null, 1600], params: 0 },
    { name: 'dense', type: 'Dense', line: lineOf(f, 'layers.Dense'), output: [null, 10], params: 16010 },
  ]);
  assert.equal(report.totals.params, 34826);
  assert.deepEqual(result.diagnostics, []);
});

test('keras_vgg16_config.py: Sequential.add in a loop over a config list, names from f-strings', async () => {
  const f = 'keras_vgg16_config.py';
  const result = await readFixture(f);
  // build_vgg needs an argument; vgg16() is the factory the example code runs.
  assert.deepEqual(result.models.map((m) => m.name), ['vgg16']);
  const model = built(result.defaultModel!);
  const report = await analyse(model);
  const rows = callRows(model, report, null);
  const convLine = lineOf(f, 'layers.Conv2D(v');
  const poolLine = lineOf(f, 'layers.MaxPooling2D');
  const expected: { name: string; out: number[]; params: number }[] = [];
  let size = 224;
  let cin = 3;
  const config = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'] as const;
  let block = 1;
  let conv = 1;
  for (const v of config) {
    if (v === 'M') {
      size /= 2;
      expected.push({ name: `block${block}_pool`, out: [size, size, cin], params: 0 });
      block++;
      conv = 1;
    } else {
      expected.push({ name: `block${block}_conv${conv++}`, out: [size, size, v], params: 9 * cin * v + v });
      cin = v;
    }
  }
  assert.deepEqual(
    rows.slice(0, expected.length).map((r) => ({ name: r.name, out: r.output!.slice(1), params: r.params, line: r.line })),
    expected.map((e) => ({ ...e, line: e.name.includes('pool') ? poolLine : convLine })),
  );
  assert.deepEqual(rows.slice(expected.length).map((r) => [r.name, r.output, r.params]), [
    ['flatten', [null, 25088], 0],
    ['fc1', [null, 4096], 102764544],
    ['fc2', [null, 4096], 16781312],
    ['predictions', [null, 1000], 4097000],
  ]);
  assert.equal(report.totals.params, 138357544);
  assert.ok(model.calls.every((c) => c.block?.name === 'vgg'));
});

test('keras_resnet50_functional.py: functional API with conv_block/identity_block helpers', async () => {
  const f = 'keras_resnet50_functional.py';
  const result = await readFixture(f);
  assert.deepEqual(result.models.map((m) => [m.name, m.isDefault]), [['ResNet50', true], ['ResNet50Features', false]]);
  assert.deepEqual(result.models[0]!.source.line, lineOf(f, 'def ResNet50('));
  const model = built(result.defaultModel!);
  const report = await analyse(model);
  assert.equal(report.totals.params, 25636712);
  assert.equal(report.complete, true);
  const rows = new Map(callRows(model, report, null).map((r) => [r.name, r]));
  assert.deepEqual(rows.get('conv1'), { name: 'conv1', type: 'Conv2D', line: lineOf(f, "x = layers.Conv2D(64, (7, 7),"), output: [null, 112, 112, 64], params: 9472 });
  assert.deepEqual(rows.get('pool1')!.output, [null, 56, 56, 64]);
  for (const [name, shape] of [
    ['res2c_branch2c', [56, 56, 256]],
    ['res3d_branch2c', [28, 28, 512]],
    ['res4f_branch2c', [14, 14, 1024]],
    ['res5c_branch2c', [7, 7, 2048]],
  ] as const) {
    assert.deepEqual(rows.get(name)!.output, [null, ...shape], name);
  }
  assert.deepEqual(rows.get('avg_pool')!.output, [null, 2048]);
  assert.deepEqual(rows.get('fc1000'), { name: 'fc1000', type: 'Dense', line: lineOf(f, "x = layers.Dense(classes"), output: [null, 1000], params: 2049000 });
  // Layers made inside the helpers point at the helper's line, once per call, in call order.
  const branch2a = model.calls.filter((c) => /^res\d[a-f]_branch2a$/.test(c.name));
  assert.equal(branch2a.length, 16);
  assert.deepEqual(new Set(branch2a.map((c) => c.source.line)), new Set([lineOf(f, "x = layers.Conv2D(filters1, (1, 1),"), lineOf(f, "x = layers.Conv2D(filters1, (1, 1), strides=strides,")]));
  // 4 conv_block and 12 identity_block calls, each a residual block.
  const blocks = new Set(model.calls.map((c) => c.block?.name).filter(Boolean));
  assert.equal(blocks.size, 16);
  assert.ok(blocks.has('conv_block_1') && blocks.has('identity_block_12'));
  assert.equal(model.calls.find((c) => c.name === 'res2a_branch1')!.block!.type, 'residual');
  assert.equal(report.blocks.length, 16);
  assert.deepEqual(diagnosticsFromReport(model, report), []);
  // Only the helper that counts weights (not part of any model) is not understood.
  assert.deepEqual(result.diagnostics.map((d) => [d.severity, d.code]), [['info', 'unsupported']]);

  const features = built(findModel(result, 'ResNet50Features'));
  const featureReport = await analyse(features);
  assert.deepEqual(featureReport.layers.at(-1)!.outputShape, [2048]);
  assert.equal(featureReport.totals.params, 25636712 - 2049000);
});

test('keras_unsupported.py: unsupported layers are information, shapes after them unknown', async () => {
  const f = 'keras_unsupported.py';
  const result = await readFixture(f);
  const model = built(result.defaultModel!);
  assert.equal(result.defaultModel!.name, 'model');
  const lambda = result.diagnostics.find((d) => d.message.startsWith('Lambda'));
  assert.ok(lambda);
  assert.equal(lambda.severity, 'info');
  assert.equal(lambda.source.line, lineOf(f, 'layers.Lambda'));
  assert.ok(result.diagnostics.every((d) => d.severity === 'info'));
  const report = await analyse(model);
  const rows = callRows(model, report, null);
  assert.deepEqual(rows[0], { name: 'conv2d', type: 'Conv2D', line: lineOf(f, 'layers.Conv2D(16'), output: [null, 180, 180, 16], params: 448 });
  assert.deepEqual(rows[1]!.output, [null, 90, 90, 16]);
  assert.equal(rows[2]!.type, 'Lambda');
  assert.ok(rows.slice(2).every((r) => r.output === null), 'unknown from the Lambda on');
  assert.equal(report.complete, false);
  assert.deepEqual(report.issues.map((i) => [i.kind, i.source?.line]), [['unsupported', lineOf(f, 'layers.Lambda')]]);
  // Engine issues for unsupported layers are not repeated; the incomplete report is one error at the Lambda.
  assert.deepEqual(
    diagnosticsFromReport(model, report).map((d) => [d.severity, d.code, d.source.line]),
    [['error', 'incomplete', lineOf(f, 'layers.Lambda')]],
  );
  // The augmentation pipeline is a model too, but it does not state an input.
  const aug = findModel(result, 'data_augmentation');
  assert.equal(aug.build().kind, 'input-needed');
});
