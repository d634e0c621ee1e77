/**
 * Forged model files through cnn-inspect: each is built here, as an attacker would write it, from the ONNX schema
 * (the committed onnx.proto.json) or from the config of a committed Keras fixture (test/fixtures/files/keras_small.keras,
 * made by Keras 3.15), with one lie in it. Each must end with exit 1, error lines that name the file, no stack
 * trace and no internal error; never a complete report with a number the lie made up. What the real tools do with
 * the same lie is cited per case (onnx 1.23's checker, onnxruntime 1.30, Keras 3.15, Python's zipfile).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as protobuf from 'protobufjs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { runCli } from '../../../extension/cli/main';
import descriptor from '../../../extension/core/files/onnx/onnx.proto.json';
import { fixture } from './helpers';

const STACK_TRACE = /^\s+at .+[:(]\d+:\d+\)?$/m;
const tmp = mkdtempSync(join(tmpdir(), 'cnn-forged-files-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const ModelProto = protobuf.Root.fromJSON(descriptor as protobuf.INamespace).lookupType('onnx.ModelProto');
const FLOAT = 1;
const INT64 = 7;

interface Node {
  op_type: string;
  input: string[];
  output: string[];
  attribute?: { name: string; type: number; i?: number; ints?: number[] }[];
}

/** One (1, 3, 32, 32) input `x` (or `dims`), an (8, 3, 3, 3) weight `w` with its data, and the nodes given. */
function onnxModel(nodes: Node[], options: { dims?: number[]; initializers?: object[] } = {}): Uint8Array {
  const tensorType = (dims: number[] | null) => ({ tensor_type: { elem_type: FLOAT, ...(dims ? { shape: { dim: dims.map((d) => ({ dim_value: d })) } } : {}) } });
  const model = {
    ir_version: 8,
    opset_import: [{ domain: '', version: 17 }],
    graph: {
      name: 'forged',
      node: nodes,
      input: [{ name: 'x', type: tensorType(options.dims ?? [1, 3, 32, 32]) }],
      output: [{ name: 'y', type: tensorType(null) }],
      initializer: [{ name: 'w', data_type: FLOAT, dims: [8, 3, 3, 3], raw_data: new Uint8Array(8 * 27 * 4) }, ...(options.initializers ?? [])],
    },
  };
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}
const ints = (name: string, values: number[]) => ({ name, type: 7, ints: values });
const conv = (output: string, attribute = [ints('kernel_shape', [3, 3])]): Node => ({ op_type: 'Conv', input: ['x', 'w'], output: [output], attribute });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a Keras config is free-form JSON
type Json = Record<string, any>;
const kerasSmall = (): Json => JSON.parse(strFromU8(unzipSync(new Uint8Array(readFileSync(fixture('keras_small.keras'))))['config.json']!));
/** A .keras zip holding these config.json texts in this order (a forged zip may name an entry twice). */
function kerasZip(...configs: Json[]): Uint8Array {
  const files: Record<string, Uint8Array> = { 'metadata.json': strToU8('{"keras_version": "3.15.1"}') };
  const zipped = zipSync({ ...files, 'config.json': strToU8(JSON.stringify(configs[0])) });
  if (configs.length === 1) return zipped;
  // fflate keys entries by name: the second config.json is added by hand, as a second zip with the entries renamed.
  const twice = zipSync({ ...files, 'config.json': strToU8(JSON.stringify(configs[0])), 'config.jsoX': strToU8(JSON.stringify(configs[1])) });
  return replaceAll(twice, strToU8('config.jsoX'), strToU8('config.json'));
}
function replaceAll(bytes: Uint8Array, from: Uint8Array, to: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  for (let i = 0; i + from.length <= out.length; i++) if (from.every((b, j) => out[i + j] === b)) out.set(to, i);
  return out;
}
/** keras_small's config with its layers changed by `edit`. */
function edited(edit: (layers: Json[], config: Json) => void): Json {
  const config = kerasSmall();
  edit(config.config.layers, config.config);
  return config;
}

interface Case {
  name: string;
  bytes: Uint8Array;
  /** What the one error line must say. */
  says: RegExp;
}

const cases: Case[] = [
  // onnx.checker: "the input's dimension exceeds"; onnxruntime cannot allocate it. Past 2^53 no size is exact.
  { name: 'onnx_input_2e62.onnx', bytes: onnxModel([conv('y')], { dims: [1, 3, 2 ** 62, 2 ** 62] }), says: /positive whole numbers/ },
  // onnxruntime: "kernel_shape is not compatible with W shape"; the weights' 3×3 is not silently taken instead.
  { name: 'onnx_kernel_shape_lie.onnx', bytes: onnxModel([conv('y', [ints('kernel_shape', [2 ** 31 - 1, 2 ** 31 - 1])])]), says: /kernel_shape .* unlike its 3×3 weights/ },
  // onnx.checker: "Graph must be in single static assignment (SSA) form"; y is written twice.
  { name: 'onnx_written_twice.onnx', bytes: onnxModel([conv('y'), conv('y')]), says: /written by more than one node/ },
  // onnxruntime: "At most one dimension can be -1"; (−1, −1) is not a flatten.
  {
    name: 'onnx_reshape_two_minus_ones.onnx',
    bytes: onnxModel([conv('c'), { op_type: 'Reshape', input: ['c', 's'], output: ['y'] }], { initializers: [{ name: 's', data_type: INT64, dims: [2], int64_data: [-1, -1] }] }),
    says: /does not keep the batch/,
  },
  // (2, −1) on a batch of 1 halves the features (onnxruntime gives (2, 3600)); it is not reported as (1, 7200).
  {
    name: 'onnx_reshape_batch_two.onnx',
    bytes: onnxModel([conv('c'), { op_type: 'Reshape', input: ['c', 's'], output: ['y'] }], { initializers: [{ name: 's', data_type: INT64, dims: [2], int64_data: [2, -1] }] }),
    says: /does not keep the batch of 1/,
  },
  // An op the reader does not map is named, and what follows it is unknown (onnxruntime runs Hardmax).
  { name: 'onnx_unmapped_op.onnx', bytes: onnxModel([conv('c'), { op_type: 'Hardmax', input: ['c'], output: ['y'] }]), says: /ONNX op Hardmax is not supported; shapes after it are unknown/ },
  // nn.GroupNorm's first step, (N, G, −1), read by anything but InstanceNormalization is not taken for a GroupNorm.
  {
    name: 'onnx_group_view_relu.onnx',
    bytes: onnxModel([conv('c'), { op_type: 'Reshape', input: ['c', 's'], output: ['g'] }, { op_type: 'Relu', input: ['g'], output: ['y'] }], { initializers: [{ name: 's', data_type: INT64, dims: [3], int64_data: [0, 2, -1] }] }),
    says: /ONNX op Relu .*only nn\.GroupNorm's Reshape to \(N, G, −1\) → InstanceNormalization → Reshape back is mapped/,
  },
  // Grouped, normalised, then viewed back as (1, 8, 15, 60): a valid Reshape of the same 7,200 values, but not the
  // (1, 8, 30, 30) the convolution gave, so it is no GroupNorm's shape; the file's own shape is checked, never trusted.
  {
    name: 'onnx_group_back_other_shape.onnx',
    bytes: onnxModel(
      [conv('c'), { op_type: 'Reshape', input: ['c', 's'], output: ['g'] }, { op_type: 'InstanceNormalization', input: ['g', 'gs', 'gb'], output: ['n'] }, { op_type: 'Reshape', input: ['n', 'back'], output: ['y'] }],
      {
        initializers: [
          { name: 's', data_type: INT64, dims: [3], int64_data: [0, 2, -1] },
          { name: 'gs', data_type: FLOAT, dims: [2], raw_data: new Uint8Array(8) },
          { name: 'gb', data_type: FLOAT, dims: [2], raw_data: new Uint8Array(8) },
          { name: 'back', data_type: INT64, dims: [4], int64_data: [1, 8, 15, 60] },
        ],
      },
    ),
    says: /the file states the output shape \(\?, 8, 15, 60\), the engine computes \(8, 30, 30\)/,
  },
  // Resize to a constant (1, 8, 2^40, 2^40): 2^83 values, past 2^53, so no activation figure would be exact.
  {
    name: 'onnx_resize_2e40.onnx',
    bytes: onnxModel([conv('c'), { op_type: 'Resize', input: ['c', '', '', 'sizes'], output: ['y'] }], { initializers: [{ name: 'sizes', data_type: INT64, dims: [4], int64_data: [1, 8, 2 ** 40, 2 ** 40] }] }),
    says: /ONNX op Resize to sizes \[1,8,1099511627776,1099511627776\]/,
  },
  // onnx.checker: a tensor's dims cannot be negative.
  { name: 'onnx_negative_dims.onnx', bytes: onnxModel([conv('y')], { initializers: [{ name: 'b', data_type: FLOAT, dims: [-8], raw_data: new Uint8Array(32) }] }), says: /dims \(-8\); a tensor's dims cannot be negative/ },
  // A subclassed model whose weights file links back to its root (h5py: f["model_weights/loop"] = f["/"]).
  {
    name: 'keras_subclassed_weights_cycle.keras',
    bytes: zipSync({
      'config.json': strToU8(JSON.stringify({ module: null, class_name: 'Net', config: { name: 'net' }, registered_name: 'x>Net' })),
      'model.weights.h5': new Uint8Array(readFileSync(join(__dirname, '..', '..', 'fixtures', 'file-corpus', 'hostile', 'h5_cycle.h5'))),
    }),
    says: /more than 16 groups deep/,
  },
  // Keras 3.15 builds Dense(units=1e308) and fails allocating its kernel; past 2^53 no count is exact.
  { name: 'keras_dense_1e308.keras', bytes: kerasZip(edited((layers) => (layers.find((l) => l.class_name === 'Dense')!.config.units = 1e308))), says: /past 2\^53/ },
  // keras.Input(batch_shape=(None, -32, 32, 3)) is refused by Keras; the message names the file, not the model.
  { name: 'keras_negative_input.keras', bytes: kerasZip(edited((layers) => (layers[0]!.config.batch_shape = [null, -32, 32, 3]))), says: /positive whole numbers/ },
  // Keras 3.15's deserialization raises on an output_layers entry naming no layer.
  { name: 'keras_missing_output.keras', bytes: kerasZip(edited((_, config) => (config.output_layers = [['no_such_layer', 0, 0]]))), says: /"no_such_layer" is not a layer it defines/ },
  // Keras 3.15's load_model: "All layers added to a Sequential model should have unique names".
  {
    name: 'keras_sequential_same_name.keras',
    bytes: kerasZip({ class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'InputLayer', config: { batch_shape: [null, 8, 8, 3], name: 'in' } }, ...[0, 1].map(() => ({ class_name: 'Conv2D', config: { name: 'c', filters: 4, kernel_size: 3 } }))] } }),
    says: /a second layer named "c"/,
  },
  // Keras 3.15 raises on a layer entry that is not a dict; the reader does not skip it silently.
  { name: 'keras_null_layer.keras', bytes: kerasZip(edited((layers) => layers.splice(2, 0, null as unknown as Json))), says: /layer 2 of the config is null/ },
];

async function cli(path: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([path, '--format', 'json'], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('forged model files: a located error, never a made-up number', () => {
  for (const c of cases) {
    it(`${c.name}: exit 1, ${c.says.source}`, { timeout: 60_000 }, async () => {
      const path = join(tmp, c.name);
      writeFileSync(path, c.bytes);
      const { code, out, err } = await cli(path);
      assert.equal(code, 1, err);
      assert.doesNotMatch(err, STACK_TRACE);
      assert.doesNotMatch(err, /internal error/i);
      const errors = err.split('\n').filter((l) => /error: /.test(l));
      assert.ok(errors.length > 0, err);
      for (const line of errors) assert.ok(line.includes(path), line);
      assert.ok(errors.some((l) => c.says.test(l)), err);
      if (out) assert.equal(JSON.parse(out).complete, false);
    });
  }

  it('an int64 shape written as int64_data (onnx.helper.make_tensor\'s way) keeps its −1: (1, −1) is the flatten onnxruntime gives', async () => {
    const path = join(tmp, 'onnx_reshape_int64_data.onnx');
    writeFileSync(path, onnxModel([conv('c'), { op_type: 'Reshape', input: ['c', 's'], output: ['y'] }], { initializers: [{ name: 's', data_type: INT64, dims: [2], int64_data: [1, -1] }] }));
    const { code, out, err } = await cli(path);
    assert.equal(code, 0, err);
    // onnxruntime 1.30: (1, 3, 32, 32) → Conv 8×3×3×3 → (1, 8, 30, 30) → Reshape (1, 7200).
    assert.deepEqual(JSON.parse(out).layers.at(-1).outputShape, [null, 7200]);
  });

  it('SpaceToDepth(blocksize 2) is PixelUnshuffle\'s shape: (1, 8, 30, 30) → (1, 32, 15, 15), as onnxruntime gives', async () => {
    const path = join(tmp, 'onnx_space_to_depth.onnx');
    writeFileSync(path, onnxModel([conv('c'), { op_type: 'SpaceToDepth', input: ['c'], output: ['y'], attribute: [{ name: 'blocksize', type: 2, i: 2 }] }]));
    const { code, out, err } = await cli(path);
    assert.equal(code, 0, err);
    assert.deepEqual(JSON.parse(out).layers.at(-1).outputShape, [null, 32, 15, 15]);
  });

  it('a zip naming config.json twice is read as Python\'s zipfile (Keras) reads it: the last entry', async () => {
    const first = kerasSmall();
    const second = edited((layers) => (layers.find((l) => l.class_name === 'Dense')!.config.units = 7));
    const path = join(tmp, 'keras_config_twice.keras');
    writeFileSync(path, kerasZip(first, second));
    const { code, out, err } = await cli(path);
    assert.equal(code, 0, err);
    assert.deepEqual(JSON.parse(out).layers.at(-1).outputShape, [null, 7]);
  });
});
