/**
 * TensorFlow Lite (`.tflite`): a flatbuffer (tensorflow/lite/schema/schema.fbs) read with the `flatbuffers`
 * runtime through the few tables the analysis needs: the main subgraph's operators, its tensors (shapes,
 * names) and the operator codes. Ops are mapped onto the engine's layers (NHWC, as TFLite is); every
 * tensor's shape the file states is checked against the engine's. TensorFlow's converter folds batch norm
 * into the convolutions and fuses activations, so the report counts the weights the file holds.
 */
import type { ByteBuffer } from 'flatbuffers';
import { LazyByteBuffer } from './lazyByteBuffer';
import type { ByteSource } from './byteSource';
import { baseName } from './byteSource';
import { ModelFileError, type FileDiagnostic } from './diagnostics';
import { INPUT, type LayerSpec } from '../spec';
import type { ModelFile, ReadFileOptions } from './types';

/** FlatBuffers address 2 GiB; the file is read lazily (LazyByteBuffer), so this bounds the offsets, not memory. */
const MAX_TFLITE_BYTES = 2 * 1024 * 1024 * 1024 - 1;

/** TFLite flatbuffers carry the file identifier "TFL3" at bytes 4–8. */
export function looksLikeTflite(head: Uint8Array): boolean {
  return head.length >= 8 && head[4] === 0x54 && head[5] === 0x46 && head[6] === 0x4c && head[7] === 0x33;
}

/** BuiltinOperator values from schema.fbs. */
const OP: Record<number, string> = {
  77: 'SHAPE', 41: 'SUB', 42: 'DIV', 0: 'ADD', 1: 'AVERAGE_POOL_2D', 2: 'CONCATENATION', 3: 'CONV_2D', 4: 'DEPTHWISE_CONV_2D', 6: 'DEQUANTIZE', 9: 'FULLY_CONNECTED',
  14: 'LOGISTIC', 17: 'MAX_POOL_2D', 18: 'MUL', 19: 'RELU', 21: 'RELU6', 22: 'RESHAPE', 25: 'SOFTMAX', 28: 'TANH', 34: 'PAD',
  38: 'SPACE_TO_BATCH_ND', 37: 'BATCH_TO_SPACE_ND', 40: 'MEAN', 98: 'LEAKY_RELU', 114: 'QUANTIZE', 117: 'HARD_SWISH', 67: 'TRANSPOSE_CONV', 97: 'RESIZE_NEAREST_NEIGHBOR', 23: 'RESIZE_BILINEAR',
};
const FUSED: Record<number, string | null> = { 0: null, 1: 'relu', 3: 'relu6', 4: 'tanh' };

/** A table reader over the flatbuffer; every offset is checked so a corrupt file fails instead of reading garbage. */
class Table {
  constructor(
    private readonly bb: ByteBuffer,
    readonly pos: number,
  ) {}
  private field(i: number): number {
    return this.bb.__offset(this.pos, 4 + 2 * i);
  }
  int(i: number, fallback = 0): number {
    const o = this.field(i);
    return o ? this.bb.readInt32(this.pos + o) : fallback;
  }
  uint(i: number, fallback = 0): number {
    const o = this.field(i);
    return o ? this.bb.readUint32(this.pos + o) : fallback;
  }
  byte(i: number, fallback = 0): number {
    const o = this.field(i);
    return o ? this.bb.readInt8(this.pos + o) : fallback;
  }
  ubyte(i: number, fallback = 0): number {
    const o = this.field(i);
    return o ? this.bb.readUint8(this.pos + o) : fallback;
  }
  string(i: number): string {
    const o = this.field(i);
    return o ? String(this.bb.__string(this.pos + o)) : '';
  }
  ints(i: number): number[] {
    const o = this.field(i);
    if (!o) return [];
    const start = this.bb.__vector(this.pos + o);
    const n = this.bb.__vector_len(this.pos + o);
    if (start + n * 4 > this.bb.capacity()) throw new RangeError('vector past the end');
    return Array.from({ length: n }, (_, k) => this.bb.readInt32(start + 4 * k));
  }
  ubytes(i: number): Uint8Array | null {
    const o = this.field(i);
    if (!o) return null;
    const start = this.bb.__vector(this.pos + o);
    const n = this.bb.__vector_len(this.pos + o);
    if (start + n > this.bb.capacity()) throw new RangeError('vector past the end');
    (this.bb as LazyByteBuffer).ensure(start, n);
    return this.bb.bytes().subarray(start, start + n);
  }
  tables(i: number): Table[] {
    const o = this.field(i);
    if (!o) return [];
    const start = this.bb.__vector(this.pos + o);
    const n = this.bb.__vector_len(this.pos + o);
    if (start + n * 4 > this.bb.capacity()) throw new RangeError('vector past the end');
    return Array.from({ length: n }, (_, k) => new Table(this.bb, this.bb.__indirect(start + 4 * k)));
  }
  table(i: number): Table | null {
    const o = this.field(i);
    return o ? new Table(this.bb, this.bb.__indirect(this.pos + o)) : null;
  }
}

interface TensorInfo {
  name: string;
  shape: number[];
  /** TensorType: FLOAT32 0, INT32 2, INT64 4... */
  type: number;
  buffer: number;
  /** shape_signature: -1 where a size is open. */
  signature: number[];
}

export function readTfliteFile(source: ByteSource, options: ReadFileOptions = {}): ModelFile {
  if (source.size > MAX_TFLITE_BYTES) throw new ModelFileError(`${source.name}: ${source.size} bytes is more than the ${MAX_TFLITE_BYTES} CNN Inspector reads of a .tflite`);
  try {
    return readModel(source, new LazyByteBuffer(source), options);
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    throw new ModelFileError(`${source.name}: a corrupt or truncated TFLite flatbuffer (${error instanceof Error ? error.message : String(error)})`);
  }
}

function readModel(source: ByteSource, bb: LazyByteBuffer, options: ReadFileOptions): ModelFile {
  const model = new Table(bb, bb.readInt32(0));
  const codes = model.tables(1).map((c) => Math.max(c.byte(0), c.int(3)));
  const subgraphs = model.tables(2);
  const graph = subgraphs[0];
  if (!graph) throw new ModelFileError(`${source.name}: the TFLite model has no subgraph`);
  const tensors: TensorInfo[] = graph.tables(0).map((t) => ({ shape: t.ints(0), type: t.byte(1), buffer: t.uint(2), name: t.string(3), signature: t.ints(7) }));
  const buffers = model.tables(4);
  const inputs = graph.ints(1);
  const diagnostics: FileDiagnostic[] = [];
  if (subgraphs.length > 1) diagnostics.push({ severity: 'info', message: `the model has ${subgraphs.length} subgraphs; the first (main) one is analysed` });
  if (inputs.length !== 1) throw new ModelFileError(`${source.name}: the model has ${inputs.length} inputs; CNN Inspector analyses models with one image input`);
  const input = tensors[inputs[0]!];
  if (!input) throw new ModelFileError(`${source.name}: the model's input tensor is missing`);
  // shape_signature marks open sizes with -1 (the shape then holds placeholders of 1).
  const dynamic = input.signature.slice(1).some((d) => d < 0);
  if (dynamic && !options.input) throw new ModelFileError(`${source.name}: the input (${input.signature.map((d) => (d < 0 ? 'None' : d)).join(', ')}) leaves sizes open; pass --input H,W,C`);
  const stated = input.shape.slice(1);
  const hwc = options.input ? [...options.input] : stated;
  // (1, H, W, C) images, or (1, F) vectors (a Keras MLP converted), which FULLY_CONNECTED reads as they are.
  if ((hwc.length !== 3 && hwc.length !== 1) || hwc.some((d) => !(typeof d === 'number' && d > 0))) {
    throw new ModelFileError(`${source.name}: the input is (${input.shape.join(', ')}); CNN Inspector analyses (1, H, W, C) image and (1, F) vector inputs (or pass --input H,W,C)`);
  }
  const mapper = new OpMapper(tensors, diagnostics, (index) => buffers[index]?.ubytes(0) ?? null);
  mapper.values.set(inputs[0]!, { layer: INPUT, rank: hwc.length });
  for (const [i, op] of graph.tables(3).entries()) mapper.map(op, OP[codes[op.uint(0)] ?? -1] ?? `builtin op ${codes[op.uint(0)]}`, i);
  // An op the reader skipped (constants only, it thought) must not cut the graph short unseen.
  for (const o of graph.ints(2)) {
    if (!mapper.values.has(o) && !mapper.failed.has(o)) {
      diagnostics.push({ severity: 'error', message: `the model's output ${tensors[o]?.name ?? o} is not computed from the input by the ops read; the report does not reach the model's output` });
    }
  }
  const uses = new Map<number, number>();
  for (const op of graph.tables(3)) for (const i of op.ints(1).slice(1)) if (i >= 0 && (tensors[i]?.buffer ?? 0) > 0) uses.set(i, (uses.get(i) ?? 0) + 1);
  const shared = [...uses.values()].filter((n) => n > 1).length;
  if (shared > 0) {
    diagnostics.push({ severity: 'info', message: `${shared} constant tensor${shared === 1 ? ' is' : 's are'} shared by several ops (the converter stores identical constants once); an op reading the same kernel as an earlier one is that layer applied again and counts none (two layers whose kernels are equal constants read as one), any other op counts the tensors it uses` });
  }
  diagnostics.push({ severity: 'info', message: "TensorFlow Lite's converter folds batch norm into the convolutions and fuses activations: the report counts the weights the file holds" });
  return {
    file: source.name,
    format: 'tflite',
    spec: { name: baseName(source).replace(/\.tflite$/i, ''), framework: 'tflite', input: hwc as number[], layers: mapper.layers },
    parameters: null,
    diagnostics,
    statedShapes: dynamic ? [] : mapper.statedShapes,
    statedParams: mapper.statedParams,
  };
}

/** CONV_2D's filter (O, kH, kW, I/g) on an input of `inC` channels: g, or null when it does not divide. */
function groupsOf(w: number[], inC: number | undefined): number | null {
  if (!inC || !w[3] || inC % w[3] !== 0) return null;
  const g = inC / w[3];
  return w[0]! % g === 0 ? g : null;
}

interface Value {
  layer: string;
  rank: number;
  /**
   * A dilated convolution as the converter writes it: SPACE_TO_BATCH_ND (block = the dilation) → CONV_2D or
   * DEPTHWISE_CONV_2D → BATCH_TO_SPACE_ND. `block` after the first step, `conv` (its layer, not yet added)
   * after the second; only the next step of the pattern may read such a value.
   */
  block?: number[];
  conv?: { name: string; type: string; args: Record<string, unknown>; params: number; input: Value };
}

class OpMapper {
  readonly layers: LayerSpec[] = [];
  readonly values = new Map<number, Value>();
  readonly statedShapes: { layer: string; shape: (number | null)[] }[] = [];
  readonly statedParams: { layer: string; params: number }[] = [];
  /** Outputs of ops that could not be mapped, and of everything computed from them (reported once, there). */
  readonly failed = new Set<number>();
  private currentOuts: number[] = [];
  private readonly used = new Set<string>([INPUT]);

  constructor(
    private readonly tensors: TensorInfo[],
    private readonly diagnostics: FileDiagnostic[],
    private readonly bufferBytes: (index: number) => Uint8Array | null,
  ) {}

  private name(base: string): string {
    const clean = base.replace(/;.*$/, '') || 'op';
    let candidate = clean;
    for (let i = 1; this.used.has(candidate); i++) candidate = `${clean}_${i}`;
    this.used.add(candidate);
    return candidate;
  }

  /** The first layer that used each op kind's kernel tensor. */
  private readonly firstUser = new Map<string, string>();

  /**
   * A layer applied twice (Keras `conv(conv(x))`) is two ops reading the same kernel: the second shares the
   * first's weights, so they count once, as count_params() counts them (the converter may fold the second call's
   * bias into the next op's, so only the kernel says it). A bias alone in common is the converter storing
   * identical constants once, not a shared layer: each op counts it.
   */
  private sharesWeights(opName: string, ins: readonly number[], layer: string): boolean {
    const kernel = ins[1] ?? -1;
    if (kernel < 0) return false;
    const key = `${opName}:${kernel}`;
    const first = this.firstUser.get(key);
    if (first === undefined) {
      this.firstUser.set(key, layer);
      return false;
    }
    const spec = this.layers.find((l) => l.name === layer);
    if (spec) spec.sharesWeightsWith = first;
    return spec !== undefined;
  }

  private add(name: string, type: string, args: Record<string, unknown>, inputs: Value[]): Value {
    const layer = this.name(name);
    this.layers.push({ name: layer, type, args, inputs: inputs.map((v) => v.layer), source: null });
    return { layer, rank: 3 };
  }

  map(op: Table, opName: string, index: number): void {
    const ins = op.ints(1);
    const outs = op.ints(2);
    this.currentOuts = outs;
    const out = outs[0];
    let x = this.values.get(ins[0] ?? -1);
    if (out === undefined) return;
    if (x === undefined) {
      // TRANSPOSE_CONV reads (output_shape, weights, input): its activation is the third input.
      const later = ins.map((i) => this.values.get(i)).find((v) => v !== undefined);
      if (ins.some((i) => this.failed.has(i))) {
        for (const o of outs) this.failed.add(o);
        return;
      }
      if (later === undefined) return; // constants only: no activation
      if (opName !== 'TRANSPOSE_CONV' || this.values.get(ins[2] ?? -1) !== later) {
        this.unsupported(this.tensors[out]?.name || `${opName.toLowerCase()}_${index}`, opName, later, 'with the activation in a later input');
        for (const o of outs) this.failed.add(o);
        return;
      }
      x = later;
    }
    const outTensor = this.tensors[out];
    const name = outTensor?.name || `${opName.toLowerCase()}_${index}`;
    const options = op.table(4);
    const weight = (slot: number): number[] | null => this.tensors[ins[slot] ?? -1]?.shape ?? null;
    const padding = (o: Table | null): string => (o?.byte(0) === 1 ? 'valid' : 'same');
    const fused = (o: Table | null, field: number): Record<string, unknown> => {
      const a = FUSED[o?.byte(field) ?? 0];
      return a ? { activation: a } : {};
    };
    const outRank = outTensor ? outTensor.shape.length - 1 : 3;
    let result: Value | null = null;
    if (x.block || x.conv) {
      this.dilated(op, opName, name, x, ins, out);
      return;
    }
    switch (opName) {
      case 'TRANSPOSE_CONV': {
        const w = weight(1);
        const inC = this.tensors[ins[2]!]?.shape.at(-1);
        if (!w || w.length !== 4 || w[3] !== inC) break;
        const bias = (ins[3] ?? -1) >= 0;
        const args = { filters: w[0], kernelSize: [w[1], w[2]], strides: [options?.int(2, 1) ?? 1, options?.int(1, 1) ?? 1], padding: padding(options), useBias: bias, ...fused(options, 3) };
        result = this.add(name, 'Conv2DTranspose', args, [x]);
        this.statedParams.push({ layer: result.layer, params: [ins[1], bias ? ins[3] : -1].filter((i): i is number => i !== undefined && i >= 0).reduce((a, i) => a + (this.tensors[i]?.shape ?? []).reduce((p, q) => p * q, 1), 0) });
        break;
      }
      case 'SPACE_TO_BATCH_ND': {
        const block = this.constantInts(ins[1]);
        if (x.rank !== 3 || !block || block.length !== 2 || block.some((b) => b < 1)) break;
        this.values.set(out, { ...x, block });
        return;
      }
      case 'CONV_2D': {
        const w = weight(1);
        // A filter with fewer input channels than the input is a grouped convolution (Keras Conv2D(groups=g)).
        const groups = w && w.length === 4 ? groupsOf(w, this.tensors[ins[0]!]?.shape.at(-1)) : null;
        if (!w || groups === null) break;
        const args = { filters: w[0], ...(groups > 1 ? { groups } : {}), kernelSize: [w[1], w[2]], strides: [options?.int(2, 1) ?? 1, options?.int(1, 1) ?? 1], padding: padding(options), dilationRate: [options?.int(5, 1) ?? 1, options?.int(4, 1) ?? 1], useBias: (ins[2] ?? -1) >= 0, ...fused(options, 3) };
        result = this.add(name, 'Conv2D', args, [x]);
        break;
      }
      case 'DEPTHWISE_CONV_2D': {
        const w = weight(1);
        const inC = this.tensors[ins[0]!]?.shape.at(-1);
        if (!w || w.length !== 4 || !inC) break;
        const args = { depthMultiplier: w[3]! / inC, kernelSize: [w[1], w[2]], strides: [options?.int(2, 1) ?? 1, options?.int(1, 1) ?? 1], padding: padding(options), dilationRate: [options?.int(6, 1) ?? 1, options?.int(5, 1) ?? 1], useBias: (ins[2] ?? -1) >= 0, ...fused(options, 4) };
        result = this.add(name, 'DepthwiseConv2D', args, [x]);
        break;
      }
      case 'MAX_POOL_2D':
      case 'AVERAGE_POOL_2D': {
        const args = { poolSize: [options?.int(4, 1) ?? 1, options?.int(3, 1) ?? 1], strides: [options?.int(2, 1) ?? 1, options?.int(1, 1) ?? 1], padding: padding(options) };
        result = this.add(name, opName === 'MAX_POOL_2D' ? 'MaxPooling2D' : 'AveragePooling2D', args, [x]);
        const act = FUSED[options?.byte(5) ?? 0];
        if (act) result = this.add(`${name}/activation`, 'Activation', { activation: act }, [result]);
        break;
      }
      case 'FULLY_CONNECTED': {
        const w = weight(1);
        const inShape = this.tensors[ins[0]!]?.shape ?? [];
        const keep = (options?.ubyte(2) ?? 0) !== 0;
        const inSize = keep ? inShape.at(-1) : inShape.slice(1).reduce((a, b) => a * b, 1);
        // Only with the batch kept (1) and the weights matching the input: other layouts fold axes into the batch.
        if (!w || w.length !== 2 || inShape[0] !== 1 || inSize !== w[1]) break;
        // TFLite's fully connected layer flattens its input unless keep_num_dims is set.
        let input = x;
        if (x.rank !== 1 && !keep) input = { ...this.add(`${name}/flatten`, 'Flatten', {}, [x]), rank: 1 };
        result = { ...this.add(name, 'Dense', { units: w[0], useBias: (ins[2] ?? -1) >= 0, ...fused(options, 0) }, [input]), rank: input.rank };
        break;
      }
      case 'ADD':
      case 'MUL':
      case 'SUB':
      case 'DIV': {
        const y = this.values.get(ins[1] ?? -1);
        if (!y) {
          // An activation with a constant that broadcasts to it (Rescaling's x·s + o, Normalization's (x − m)/σ):
          // the file states the output shape; when it is the input's, the op only changes values.
          const constant = this.tensors[ins[1] ?? -1];
          const xShape = this.tensors[ins[0] ?? -1]?.shape;
          if (constant && constant.buffer > 0 && xShape && outTensor && outTensor.shape.join() === xShape.join()) {
            result = { ...this.add(name, 'Activation', { activation: 'linear' }, [x]), rank: x.rank };
          }
          break;
        }
        if (opName === 'SUB' || opName === 'DIV') break;
        result = { ...this.add(name, opName === 'ADD' ? 'Add' : 'Multiply', {}, [x, y]), rank: x.rank };
        const act = FUSED[options?.byte(0) ?? 0];
        if (act) result = { ...this.add(`${name}/activation`, 'Activation', { activation: act }, [result]), rank: x.rank };
        break;
      }
      case 'CONCATENATION': {
        const all = ins.map((i) => this.values.get(i));
        const axis = options?.int(0) ?? 0;
        if (all.some((v) => !v) || !(axis === -1 || axis === x.rank)) break;
        result = { ...this.add(name, 'Concatenate', { axis: -1 }, all as Value[]), rank: x.rank };
        break;
      }
      case 'RESHAPE':
        // The file states the output shape; a reshape to it is exact whatever the layout.
        const inShape = this.tensors[ins[0]!]?.shape ?? [];
        const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);
        if (outTensor && outTensor.shape.length >= 2 && outTensor.shape[0] === 1 && inShape[0] === 1 && size(outTensor.shape) === size(inShape) && outTensor.shape.slice(1).every((d) => d > 0)) {
          result = { ...this.add(name, 'Reshape', { targetShape: outTensor.shape.slice(1) }, [x]), rank: outRank };
        }
        break;
      case 'MEAN': {
        const axes = this.constantInts(ins[1]);
        if (x.rank !== 3 || !axes || axes.join() !== '1,2') break;
        result = { ...this.add(name, 'GlobalAveragePooling2D', {}, [x]), rank: 1 };
        if (outRank === 3) result = this.add(`${name}/keepdims`, 'Reshape', { targetShape: outTensor!.shape.slice(1) }, [result]);
        break;
      }
      case 'PAD': {
        const pads = this.constantInts(ins[1]);
        if (x.rank !== 3 || !pads || pads.length !== 8 || pads[0] || pads[1] || pads[6] || pads[7]) break;
        result = this.add(name, 'ZeroPadding2D', { padding: [[pads[2], pads[3]], [pads[4], pads[5]]] }, [x]);
        break;
      }
      case 'RELU':
      case 'RELU6':
      case 'LOGISTIC':
      case 'TANH':
      case 'SOFTMAX':
      case 'HARD_SWISH': {
        const activation = { RELU: 'relu', RELU6: 'relu6', LOGISTIC: 'sigmoid', TANH: 'tanh', SOFTMAX: 'softmax', HARD_SWISH: 'linear' }[opName];
        result = { ...this.add(name, 'Activation', { activation }, [x]), rank: x.rank };
        break;
      }
      case 'LEAKY_RELU':
        result = { ...this.add(name, 'LeakyReLU', {}, [x]), rank: x.rank };
        break;
      case 'QUANTIZE':
      case 'DEQUANTIZE':
        result = x;
        break;
      case 'SHAPE':
        // Computes a shape (integers) from the activation, not an activation: nothing to analyse.
        return;
      default:
        break;
    }
    if (result === null) {
      for (const o of outs) this.failed.add(o);
      this.layers.push({ name: this.name(name), type: opName, args: {}, inputs: [x.layer], source: null });
      this.diagnostics.push({ severity: 'error', layer: this.layers.at(-1)!.name, message: `the TFLite op ${opName} is not supported here; shapes after it are unknown` });
      return;
    }
    this.values.set(out, result);
    if ((opName === 'CONV_2D' || opName === 'DEPTHWISE_CONV_2D' || opName === 'FULLY_CONNECTED') && !this.sharesWeights(opName, ins, result.layer)) {
      // The weights and bias each op uses (a constant several ops share counts once per use, as the engine does).
      const params = ins.slice(1).filter((i) => i >= 0).reduce((a, i) => a + (this.tensors[i]?.shape ?? []).reduce((x, y) => x * y, 1), 0);
      this.statedParams.push({ layer: result.layer, params });
    }
    if (outTensor && result.layer !== INPUT) this.statedShapes.push({ layer: result.layer, shape: [null, ...outTensor.shape.slice(1)] });
  }

  /** The convolution between SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND, then the dilated convolution they make. */
  private dilated(op: Table, opName: string, name: string, x: Value, ins: number[], out: number): void {
    const options = op.table(4);
    const w = this.tensors[ins[1] ?? -1]?.shape ?? null;
    const params = ins.slice(1).filter((i) => i >= 0).reduce((a, i) => a + (this.tensors[i]?.shape ?? []).reduce((p, q) => p * q, 1), 0);
    const strides = [options?.int(2, 1) ?? 1, options?.int(1, 1) ?? 1];
    if (x.block && !x.conv && (opName === 'CONV_2D' || opName === 'DEPTHWISE_CONV_2D') && w && w.length === 4 && strides.every((s) => s === 1)) {
      const inC = this.tensors[ins[0]!]?.shape.at(-1);
      const fusedAt = opName === 'CONV_2D' ? 3 : 4;
      const activation = FUSED[options?.byte(fusedAt) ?? 0];
      const common = { kernelSize: [w[1], w[2]], strides: [1, 1], dilationRate: x.block, useBias: (ins[2] ?? -1) >= 0, ...(activation ? { activation } : {}) };
      const groups = groupsOf(w, inC);
      if (opName === 'CONV_2D' && groups === null) return this.unsupported(name, opName, x, `with ${w[3]}-channel filters on a ${inC ?? '?'}-channel input`);
      const args = opName === 'CONV_2D' ? { filters: w[0], ...(groups! > 1 ? { groups } : {}), ...common } : { depthMultiplier: w[3]! / (inC ?? w[3]!), ...common };
      this.values.set(out, { ...x, conv: { name, type: opName === 'CONV_2D' ? 'Conv2D' : 'DepthwiseConv2D', args, params, input: x } });
      return;
    }
    if (x.conv && opName === 'BATCH_TO_SPACE_ND') {
      const block = this.constantInts(ins[1]);
      if (!block || block.join() !== x.block!.join()) return this.unsupported(name, opName, x, 'with a block other than its SPACE_TO_BATCH_ND');
      // 'same' keeps H and W (stride 1); the converter writes 'valid' as the same ops with the output smaller.
      const before = this.tensors[this.inputTensorOf(x.conv.input)]?.shape ?? [];
      const after = this.tensors[out]?.shape ?? [];
      const padding = before[1] === after[1] && before[2] === after[2] ? 'same' : 'valid';
      const conv = x.conv;
      const result: Value = { layer: this.add(conv.name, conv.type, { ...conv.args, padding }, [{ layer: conv.input.layer, rank: 3 }]).layer, rank: 3 };
      this.values.set(out, result);
      this.statedParams.push({ layer: result.layer, params: conv.params });
      const outTensor = this.tensors[out];
      if (outTensor) this.statedShapes.push({ layer: result.layer, shape: [null, ...outTensor.shape.slice(1)] });
      return;
    }
    this.unsupported(name, opName, x, 'inside a SPACE_TO_BATCH_ND → convolution → BATCH_TO_SPACE_ND (dilated convolution) pattern');
  }

  /** The tensor index of the activation a value stands for (the SPACE_TO_BATCH_ND's input). */
  private inputTensorOf(v: Value): number {
    for (const [index, value] of this.values) if (value.layer === v.layer && !value.block && !value.conv) return index;
    return -1;
  }

  private unsupported(name: string, opName: string, x: Value, why: string): void {
    for (const o of this.currentOuts) this.failed.add(o);
    this.layers.push({ name: this.name(name), type: opName, args: {}, inputs: [x.layer], source: null });
    this.diagnostics.push({ severity: 'error', layer: this.layers.at(-1)!.name, message: `the TFLite op ${opName} ${why} is not supported here; shapes after it are unknown` });
  }

  /** A small int32/int64 constant tensor's values (MEAN's axes), read from its buffer. */
  private constantInts(tensor: number | undefined): number[] | null {
    const t = this.tensors[tensor ?? -1];
    if (!t || (t.type !== 2 && t.type !== 4)) return null;
    const data = this.bufferBytes(t.buffer);
    if (!data || data.length > 1024) return null;
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const width = t.type === 4 ? 8 : 4;
    const out: number[] = [];
    for (let o = 0; o + width <= data.length; o += width) out.push(width === 8 ? Number(view.getBigInt64(o, true)) : view.getInt32(o, true));
    return out;
  }
}
