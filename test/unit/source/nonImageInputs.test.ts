/**
 * Models whose input is not an image: vectors (PyTorch (N, 784), Keras (None, 784), tfjs [1]) and sequences
 * ((None, steps, channels) for Keras/tfjs 1-D convolutions). Layer-by-layer shapes and params are checked against
 * the real frameworks in pytorch.test.ts / kerasExpected.test.ts (the *.expected.json files); here the MACs and
 * the surfaces. MAC references:
 *   PyTorch 2.13 torch.utils.flop_counter.FlopCounterMode, get_total_flops() // 2 over a zeros batch:
 *     DigitMLP at (1, 28, 28) → 217,728; feature_mlp() at (64, 784) → 6,690,816 = 64 × 104,544.
 *   Keras 3.15 with scripts/corpus/make_expected.py's keras_macs (output positions × kernel size, Keras' own
 *   kernel shapes): mlp 50,816; regressor 176; signal 81,248 (its Dense on (None, 15, 32) counts 15 × 32 × 8).
 * The tfjs models are checked against the same models built directly with TensorFlow.js in this process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnosticsFromReport, formatFrameworkShape } from '../../../extension/core/source/index';
import { loadTensorFlow } from '../../../extension/core/tfjs/loadTf';
import { analyse, built, findModel, fixtureText, getReader, readFixture } from './helpers';

test('pytorch_mlp_flatten_first.py: a Flatten-first MLP fed torch.rand(1, 28, 28) is read as (N, 28, 28), MACs as FlopCounterMode', async () => {
  const found = findModel(await readFixture('pytorch_mlp_flatten_first.py'), 'DigitMLP');
  assert.deepEqual(found.input, [28, 28]);
  const report = await analyse(built(found));
  assert.equal(report.complete, true, report.issues.map((i) => i.message).join('\n'));
  assert.equal(report.totals.params, 218_058);
  assert.equal(report.totals.macs, 217_728);
  assert.equal(formatFrameworkShape('pytorch', report.layers[0]!.outputShape), '(N, 784)');
  // No spatial field: a receptive field means nothing on vectors.
  assert.ok(report.layers.every((l) => l.receptiveField === null), report.layers.map((l) => `${l.name} ${l.receptiveField}`).join('\n'));
});

test('pytorch_mlp_features.py: torch.randn(64, 784) into Linear / BatchNorm1d on (N, C): MACs per sample as FlopCounterMode', async () => {
  const found = findModel(await readFixture('pytorch_mlp_features.py'), 'feature_mlp');
  assert.deepEqual(found.input, [784]);
  const report = await analyse(built(found));
  assert.equal(report.complete, true);
  assert.equal(report.totals.params, 104_931);
  assert.equal(report.totals.macs! * 64, 6_690_816);
  const norm = report.layers.find((l) => l.type === 'BatchNormalization')!;
  assert.equal(formatFrameworkShape('pytorch', norm.outputShape), '(N, 128)');
});

test('keras_vectors_sequences.py: MACs as Keras counts them, shapes as (None, …)', async () => {
  const result = await readFixture('keras_vectors_sequences.py');
  const expected: Record<string, [number[], number, string]> = {
    mlp: [[784], 50_816, '(None, 10)'],
    regressor: [[10], 176, '(None, 1)'],
    signal: [[128, 3], 81_248, '(None, 4)'],
  };
  for (const [name, [input, macs, last]] of Object.entries(expected)) {
    const found = findModel(result, name);
    assert.deepEqual(found.input, input, name);
    const report = await analyse(built(found));
    assert.equal(report.complete, true, name);
    assert.equal(report.totals.macs, macs, name);
    assert.equal(formatFrameworkShape('keras', report.layers.at(-1)!.outputShape), last, name);
  }
});

test('keras: a given input of another rank than the code\'s keras.Input is unknown with a reason, never a silent re-read', async () => {
  const found = findModel(await readFixture('keras_vectors_sequences.py'), 'mlp');
  const outcome = found.build([28, 28, 1]);
  assert.notEqual(outcome.kind, 'built');
});

test('tfjs_vectors_sequences.js: inputShape [1] and 1-D convolutions match the same models built with TensorFlow.js', async () => {
  const tf = (await loadTensorFlow('cpu')).tfl;
  const linear = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
  const sequence = tf.sequential({
    layers: [
      tf.layers.conv1d({ inputShape: [64, 2], filters: 8, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling1d({ poolSize: 2 }),
      tf.layers.conv1d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same' }),
      tf.layers.globalAveragePooling1d({}),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  const result = await readFixture('tfjs_vectors_sequences.js');
  for (const [name, reference, input] of [['linear', linear, [1]], ['sequence', sequence, [64, 2]]] as const) {
    const found = findModel(result, name);
    assert.deepEqual(found.input, input, name);
    const report = await analyse(built(found));
    assert.equal(report.complete, true, name);
    assert.equal(report.totals.params, reference.countParams(), name);
    assert.deepEqual(
      report.layers.map((l) => [null, ...l.outputShape!]),
      reference.layers.map((l) => l.outputShape),
      name,
    );
  }
  // MACs: 62·8·3·2 + 16·16·3·8 + 16·3 (output positions × kernel size, as Keras counts its Conv1D and Dense).
  const report = await analyse(built(findModel(result, 'sequence')));
  assert.equal(report.totals.macs, 2_976 + 6_144 + 48);
});

test('pytorch_linear_on_sequences.py: Linear on each row and BatchNorm1d on the channels of (N, C, L); a wrong num_features is PyTorch\'s error', async () => {
  // FlopCounterMode on row_mixer() at (4, 16, 10): get_total_flops() // 2 = 15,360 = 4 × 3,840; 894 parameters.
  const found = findModel(await readFixture('pytorch_linear_on_sequences.py'), 'row_mixer');
  assert.deepEqual(found.input, [16, 10]);
  const model = built(found);
  const report = await analyse(model);
  assert.equal(report.complete, true);
  assert.equal(report.totals.params, 894);
  assert.equal(report.totals.macs! * 4, 15_360);
  const norm = report.layers.find((l) => l.type === 'BatchNormalization')!;
  assert.equal(formatFrameworkShape('pytorch', norm.outputShape), '(N, 16, 20)');
  assert.equal(norm.params, 32);
  // BatchNorm1d(20) on the same input: PyTorch 2.13 raises "running_mean should contain 16 elements not 20".
  const bad = await (await getReader()).read(fixtureText('pytorch_linear_on_sequences.py').replace('nn.BatchNorm1d(16)', 'nn.BatchNorm1d(20)'), { file: 'bad.py', language: 'python' });
  const badModel = built(findModel(bad, 'row_mixer'));
  const diagnostics = diagnosticsFromReport(badModel, await analyse(badModel));
  assert.ok(diagnostics.some((d) => /num_features=20 but the input \(4, 16, 20\) has 16 channels; PyTorch fails with "running_mean should contain 16 elements not 20"/.test(d.message)), diagnostics.map((d) => d.message).join('\n'));
});

test('pytorch_conv1d_signal.py: Conv1d / MaxPool1d / AvgPool1d on (N, C, L), MACs as FlopCounterMode', async () => {
  // FlopCounterMode on SignalNet() at (8, 2, 128): get_total_flops() // 2 = 216,320 = 8 × 27,040; 1,341 parameters.
  const found = findModel(await readFixture('pytorch_conv1d_signal.py'), 'SignalNet');
  assert.deepEqual(found.input, [2, 128]);
  const model = built(found);
  const report = await analyse(model);
  assert.equal(report.complete, true, report.issues.map((i) => i.message).join('\n'));
  assert.equal(report.totals.params, 1_341);
  assert.equal(report.totals.macs! * 8, 216_320);
  // The call's output is PyTorch's (N, C, L), whatever the engine does inside it.
  const conv = report.layers.find((l) => l.name === 'features.4')!;
  assert.equal(formatFrameworkShape('pytorch', conv.outputShape), '(N, 16, 31)');
  // One row per module, as torchinfo shows: PyTorch's class, (N, C, L), the module's parameters and MACs.
  assert.deepEqual(
    report.layers.filter((l) => l.name.startsWith('features.')).map((l) => [l.name, l.frameworkType, formatFrameworkShape('pytorch', l.outputShape), l.params, l.macs]),
    [
      ['features.0', 'Conv1d', '(N, 8, 128)', 120, 14_336],
      ['features.1', 'BatchNorm1d', '(N, 8, 128)', 16, 0],
      ['features.2', 'ReLU', '(N, 8, 128)', 0, 0],
      ['features.3', 'MaxPool1d', '(N, 8, 64)', 0, 0],
      ['features.4', 'Conv1d', '(N, 16, 31)', 400, 11_904],
      ['features.5', 'ReLU', '(N, 16, 31)', 0, 0],
      ['features.6', 'AvgPool1d', '(N, 16, 10)', 0, 0],
    ],
  );
  // A padding tfjs' 'same' does not give (p = 2 for k = 7) is zeros on the length inside the one layer: torch 2.13
  // gives (8, 8, 126) after it, 1,341 parameters and FlopCounterMode 214,528 MACs for the batch of 8.
  const odd = await (await getReader()).read(fixtureText('pytorch_conv1d_signal.py').replace('kernel_size=7, padding=3', 'kernel_size=7, padding=2'), { file: 'odd.py', language: 'python' });
  const oddReport = await analyse(built(findModel(odd, 'SignalNet')));
  assert.equal(oddReport.complete, true);
  assert.equal(formatFrameworkShape('pytorch', oddReport.layers.find((l) => l.name === 'features.0')!.outputShape), '(N, 8, 126)');
  assert.equal(oddReport.totals.params, 1_341);
  assert.equal(oddReport.totals.macs! * 8, 214_528);
});
