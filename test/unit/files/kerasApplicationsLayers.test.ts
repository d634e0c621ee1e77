/**
 * What keras.applications writes into .keras / .h5 configs beyond plain layers: operation layers on a tensor and
 * a number (MobileNetV3's hard_sigmoid), ConvNeXt's LayerScale in a legacy .h5 (no module), and (None, D, H, W, C)
 * volumes. Fixtures and every figure: scripts/reference/keras_file_operations.py (Keras 3.15.1, config only).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { analyzeModel } from '../../../extension/core/analyze';
import { parameterReport, readModelFile } from '../../../extension/core/files/index';
import { totalsLines } from '../../../extension/core/report/table';

const corpus = (name: string): string => join(__dirname, '..', '..', 'fixtures', 'file-corpus', name);

async function read(name: string) {
  const file = await readModelFile(corpus(name));
  const report = await analyzeModel(file.spec!);
  return { file, report, rows: report.layers.map((l) => [l.name, l.frameworkType ?? l.type, l.outputShape, l.params]) };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a Keras config is free-form JSON
type Json = Record<string, any>;

/** A .keras fixture's config.json, changed by `edit` and read as a tfjs model.json topology. */
async function editedConfig(name: string, edit: (layers: Json[]) => void) {
  const config = JSON.parse(strFromU8(unzipSync(new Uint8Array(readFileSync(corpus(name))))['config.json']!));
  edit(config.config.layers);
  const file = await readModelFile({ name: 'edited.model.json', bytes: new TextEncoder().encode(JSON.stringify({ modelTopology: config })) });
  return { file, report: await analyzeModel(file.spec!) };
}

describe('operation layers on a tensor and a number (x + 3.0, 3.0 - x, x * (1/6))', () => {
  for (const ext of ['.keras', '.h5']) {
    it(`keras_scalar_ops${ext}: each keeps its input's shape and has no weights, as Keras shows`, async () => {
      const { file, report, rows } = await read(`keras_scalar_ops${ext}`);
      assert.equal(report.complete, true, JSON.stringify(file.diagnostics));
      // Keras 3.15.1: model.operations' output shapes and count_params(); 26 in all.
      assert.deepEqual(rows, [
        ['conv', 'Conv2D', [8, 8, 4], 16],
        ['add', 'Add', [8, 8, 4], 0],
        ['relu6', 'ReLU', [8, 8, 4], 0],
        ['multiply', 'Multiply', [8, 8, 4], 0],
        ['hard_swish', 'Multiply', [8, 8, 4], 0],
        ['subtract', 'Subtract', [8, 8, 4], 0],
        ['gap', 'GlobalAveragePooling2D', [4], 0],
        ['head', 'Dense', [2], 10],
      ]);
      assert.equal(report.totals.params, 26);
      // Conv2D 768 + Dense 8: the element-wise operations have none.
      assert.equal(report.totals.macs, 776);
    });
  }

  it('a constant that is not a number (a NumPy array, which may broadcast) is not read: unknown from there on', async () => {
    const { report } = await editedConfig('keras_scalar_ops.keras', (layers) => {
      const add = layers.find((l) => l.name === 'add')!;
      add.inbound_nodes[0].args[1] = { class_name: '__numpy__', config: { value: [[[[3, 3, 3, 3]]]], dtype: 'float32' } };
    });
    assert.equal(report.complete, false);
    assert.equal(report.layers.find((l) => l.name === 'add')!.outputShape, null);
    assert.equal(report.layers.find((l) => l.name === 'head')!.outputShape, null);
    assert.match(report.layers.find((l) => l.name === 'add')!.error!.message, /__numpy__\) that is not a number/);
  });
});

describe("Keras Applications' ConvNeXt LayerScale", () => {
  it('keras_layer_scale.h5 (legacy config, no module) reads as the .keras file does: (4,) trainable gamma, the input shape', async () => {
    const h5 = await read('keras_layer_scale.h5');
    const keras = await read('keras_layer_scale.keras');
    assert.equal(h5.report.complete, true, JSON.stringify(h5.file.diagnostics));
    // Keras 3.15.1: ls LayerScale (None, 8, 8, 4) 4; count_params() = 30.
    assert.deepEqual(h5.rows.find((r) => r[0] === 'ls'), ['ls', 'LayerScale', [8, 8, 4], 4]);
    assert.equal(h5.report.totals.params, 30);
    assert.equal(h5.report.totals.trainableParams, 30);
    assert.equal(h5.report.totals.macs, 776);
    assert.deepEqual(h5.rows, keras.rows);
  });

  const moduleLess = (change: (ls: Json) => void) =>
    editedConfig('keras_layer_scale.keras', (layers) => {
      const ls = layers.find((l) => l.name === 'ls')!;
      delete ls.module;
      delete ls.registered_name;
      change(ls);
    });

  it('without a module, a LayerScale whose config is not exactly the applications class is not read', async () => {
    const { report } = await moduleLess((ls) => (ls.config.axis = -1));
    assert.equal(report.complete, false);
    assert.equal(report.layers.find((l) => l.name === 'ls')!.outputShape, null);
  });

  it('a LayerScale whose projection_dim is not the channels of its stated input is not read (gamma would broadcast)', async () => {
    const withModule = await editedConfig('keras_layer_scale.keras', (layers) => (layers.find((l) => l.name === 'ls')!.config.projection_dim = 1));
    const withoutModule = await moduleLess((ls) => (ls.config.projection_dim = 1));
    for (const { report } of [withModule, withoutModule]) {
      assert.equal(report.complete, false);
      assert.equal(report.layers.find((l) => l.name === 'ls')!.outputShape, null);
    }
  });
});

describe('(None, D, H, W, C) volumes', () => {
  for (const ext of ['.keras', '.h5']) {
    it(`keras_conv3d${ext}: Conv3D, MaxPooling3D and GlobalAveragePooling3D with Keras's shapes and count_params()`, async () => {
      const { file, report, rows } = await read(`keras_conv3d${ext}`);
      assert.equal(report.complete, true, JSON.stringify(file.diagnostics));
      assert.deepEqual(report.input, [null, 4, 8, 8, 2]);
      // Keras 3.15.1: output shapes and count_params(); 317 in all.
      assert.deepEqual(rows, [
        ['c1', 'Conv3D', [4, 8, 8, 3], 165],
        ['pool', 'MaxPooling3D', [2, 4, 4, 3], 0],
        ['c2', 'Conv3D', [2, 2, 2, 5], 140],
        ['gap', 'GlobalAveragePooling3D', [5], 0],
        ['head', 'Dense', [2], 12],
      ]);
      assert.equal(report.totals.params, 317);
      // 41,472 + 1,080 + 10 (kernel elements × output positions).
      assert.equal(report.totals.macs, 42562);
    });
  }
});

describe('CenterCrop in a file, which states no input shapes', () => {
  for (const ext of ['.keras', '.h5']) {
    it(`keras_center_crop${ext}: Resizing(16, 16) then CenterCrop(12, 12) give Keras's (12, 12, 3) and the layers after it`, async () => {
      const { file, report, rows } = await read(`keras_center_crop${ext}`);
      assert.equal(report.complete, true, JSON.stringify(file.diagnostics));
      // Keras 3.15.1 (scripts/reference/keras_file_operations.py): output shapes and count_params(); 122 in all.
      assert.deepEqual(rows, [
        ['resize', 'Resizing', [16, 16, 3], 0],
        ['crop', 'CenterCrop', [12, 12, 3], 0],
        ['conv', 'Conv2D', [10, 10, 4], 112],
        ['gmp', 'GlobalMaxPooling2D', [4], 0],
        ['head', 'Dense', [2], 10],
      ]);
      assert.equal(report.totals.params, 122);
      // 10,800 + 8 (kernel elements × output positions).
      assert.equal(report.totals.macs, 10808);
    });
  }
});

describe('a subclassed keras.Model, whose config lists no layers', () => {
  // Keras 3.15.1 (scripts/reference/keras_file_operations.py): count_params() 283 (267 trainable, which the file
  // does not record); per layer Conv2D 224, BatchNormalization 32 (16 of them moving statistics), Dense 27.
  it('keras_subclassed.h5: the variables model_weights holds, per layer; which train the names do not say, so that is unknown', async () => {
    const file = await readModelFile(corpus('keras_subclassed.h5'));
    const report = parameterReport(file.parameters!);
    assert.deepEqual(report.layers.map((l) => [l.name, l.params]), [['batch_normalization', 32], ['conv2d', 224], ['dense', 27]]);
    assert.equal(report.totals.params, 283);
    // A name is no flag: Normalization's mean, variance and count (or an add_weight(trainable=False)) would pass
    // for trained weights, so the split is unknown, as for the .keras (a confident 267 would be a guess).
    assert.ok(report.totals.trainableUnknown);
    // No graph: every layer's MACs are unknown (JSON null), the totals a lower bound.
    assert.deepEqual([report.layers.every((l) => l.unknown?.macs), report.totals.lowerBound], [true, true]);
    // As printed: the count exact, everything the file cannot say unknown (never 0).
    const lines = totalsLines(report);
    for (const line of ['Total params: 283 (1.1 KiB)', 'Trainable params: unknown', 'Total MACs: unknown', 'Total FLOPs: unknown']) assert.ok(lines.includes(line), `${line} in ${lines.join(' / ')}`);
    assert.ok(lines.some((l) => /^Peak activation memory: unknown/.test(l)));
    assert.equal(report.complete, false);
    assert.match(report.issues[0]!.message, /subclassed SubclassedNet.*shapes and MACs are unknown/);
  });

  it('keras_subclassed.keras: model.weights.h5 gives the count; which variables train it does not say, so that is unknown', async () => {
    const file = await readModelFile(corpus('keras_subclassed.keras'));
    const report = parameterReport(file.parameters!);
    assert.deepEqual(report.layers.map((l) => [l.name, l.params]), [['conv', 224], ['head', 27], ['layers/batch_normalization', 32]]);
    assert.equal(report.totals.params, 283);
    assert.ok(report.totals.trainableUnknown);
    assert.equal(report.complete, false);
  });
});

describe("float('inf') and float('nan') in a config: Python's json writes Infinity, -Infinity and NaN", () => {
  // Keras 3.15.1 (scripts/reference/keras_file_operations.py): ReLU(max_value=inf), MinMaxNorm(-inf, inf) and
  // MaxNorm(nan) on the Conv2D; summary() Conv2D (None, 14, 14, 8) 224, ReLU 0, GlobalAveragePooling2D (None, 8),
  // Dense (None, 2) 18; count_params() 242; MACs 42,336 + 16.
  for (const ext of ['.keras', '.h5']) {
    it(`keras_python_numbers${ext}: read as json.loads reads it, Keras's 242 parameters and (None, 2)`, async () => {
      const { file, report, rows } = await read(`keras_python_numbers${ext}`);
      assert.deepEqual(file.diagnostics.filter((d) => d.severity === 'error'), []);
      assert.deepEqual(rows.map(([name, , shape, params]) => [name, shape, params]), [
        ['conv', [14, 14, 8], 224],
        ['relu', [14, 14, 8], 0],
        ['pool', [8], 0],
        ['head', [2], 18],
      ]);
      assert.equal(report.totals.params, 242);
      assert.equal(report.totals.macs, 42_336 + 16);
      assert.equal(report.complete, true);
    });
  }
});
