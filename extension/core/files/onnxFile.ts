/**
 * ONNX (`.onnx`): the graph's ops mapped onto the engine's layers, so shapes, parameters and MACs come from
 * the engine as for every other model. ONNX is NCHW and the engine channels-last, so only ops whose meaning
 * does not depend on the layout are mapped (convolution, pooling, batch norm, activations, merges on the
 * channel axis, flatten to a vector, dense); any other op is reported as unsupported, by name, and the
 * shapes after it are unknown. Weights are the file's initializers (or, with export_params=False, graph
 * inputs): their shapes are read, their data never is. Integer constants (shapes, axes, pads) are not
 * parameters.
 */
import type { ByteSource } from './byteSource';
import { baseName } from './byteSource';
import { ModelFileError, type FileDiagnostic } from './diagnostics';
import { INPUT, type LayerSpec, type ModelSpec } from '../spec';
import { isPerChannel, isScalar, type OnnxLayout } from './onnx/perChannel';
import { overVolume, triple, volumePadding } from './onnx/volumes';
import { lengthPadding, sequenceWindow, windowLength } from './onnx/sequences';
import { USER_LAYER } from '../tfjs/userLayer';
import { attributeValue, constantTensorValues, DataType, dimsOf, isFloating, readOnnxGraph, type OnnxGraph, type OnnxNode, type OnnxTensorInfo } from './onnx/graph';
import type { ModelFile, ReadFileOptions } from './types';

/** A value flowing through the graph, as the engine sees it. */
interface Value {
  /** Engine layer that produces it (or INPUT). */
  layer: string;
  /** Engine rank (no batch axis, channels last); ONNX rank − 1. */
  rank: number | null;
  channels: number | null;
  /**
   * A channel shuffle under way (ShuffleNet's view(N, g, C/g, H, W) → transpose(1, 2) → view(N, C, H, W)):
   * 1 after the 5-D view, 2 after the transpose; only the next step of the pattern may read it.
   */
  shuffle?: { groups: number; stage: 1 | 2; hw: [number, number] };
  /**
   * 'nhwc': the ONNX tensor is (N, H, W, C) after a Transpose(0, 2, 3, 1) (ConvNeXt's permute before LayerNorm
   * and its Linear layers): the engine's own layout, so only ops that act on the last axis or element-wise map.
   */
  layout?: 'nhwc';
  /** An (N, C, L) sequence's length L (the engine holds it as PyTorch does, (C, L)); the 1-D ops need it. */
  length?: number;
  /**
   * The dynamo export's AdaptiveAvgPool1d(1) on a sequence: Unsqueeze to (N, C, 1, L) ('unsqueezed'), ReduceMean
   * over the last axes to (N, C, 1, 1) ('pooled', the engine's pooling over the length), Squeeze back to (N, C, 1).
   * Only the next step of the pattern may read it; its 4-D stated shapes are not the engine layer's.
   */
  lengthPool?: 'unsqueezed' | 'pooled';
  /**
   * nn.GroupNorm as both exporters write it: Reshape(x, (N, G, −1)) ('grouped') → InstanceNormalization over each
   * group ('normalised') → Reshape back to x's shape; the per-channel weight and bias follow as Mul and Add. Only
   * the next step of the pattern may read it. `weights` are the InstanceNormalization's (G,) scale and bias where
   * the file holds them as tensors (the dynamo export's initializers of ones and zeros), else none.
   */
  groupNorm?: { groups: number; stage: 'grouped' | 'normalised'; source: string; of: Value; weights: { name: string; shape: number[]; trainable: boolean }[] };
  /** (N, C, 1, 1) after global pooling with keepdims; `flatOf` is its Reshape to (−1) (the dynamo export's as_strided). */
  unitSpatial?: boolean;
  flatOf?: Value;
}

type Attrs = Map<string, ReturnType<typeof attributeValue>>;

const ACTIVATIONS: Record<string, string> = {
  Relu: 'relu',
  Sigmoid: 'sigmoid',
  Tanh: 'tanh',
  Elu: 'elu',
  Selu: 'selu',
  Softplus: 'softplus',
  Softsign: 'softsign',
  HardSigmoid: 'hardSigmoid',
  // Same shape, no weights: analysed as a linear activation (Erf and the arithmetic around it: GELU as the
  // TorchScript exporter writes it before opset 20).
  HardSwish: 'linear',
  Erf: 'linear',
  Neg: 'linear',
  Abs: 'linear',
  Sqrt: 'linear',
  Exp: 'linear',
  Reciprocal: 'linear',
  Gelu: 'gelu',
  Mish: 'mish',
};

/** Ops whose weight inputs are the layer's parameters (checked against the engine's count). */
const WEIGHTED = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul', 'BatchNormalization']);

/** Element-wise arithmetic on constant shape vectors (NaN: a size the reader does not know). */
const ARITHMETIC: Record<string, (a: number, b: number, integer: boolean) => number> = {
  Add: (a, b) => a + b,
  Sub: (a, b) => a - b,
  Mul: (a, b) => a * b,
  Div: (a, b, integer) => (integer ? Math.trunc(a / b) : a / b),
};

/** Integer values all known (no NaN for a size the reader does not know). */
const allKnown = (v: number[] | undefined | null): v is number[] => Array.isArray(v) && v.every((d) => Number.isFinite(d));

const MERGES: Record<string, string> = { Add: 'Add', Mul: 'Multiply', Sum: 'Add', Max: 'Maximum', Min: 'Minimum', Mean: 'Average' };

export function readOnnxFile(source: ByteSource, options: ReadFileOptions = {}): ModelFile {
  const graph = readOnnxGraph(source);
  const mapper = new GraphMapper(source.name, graph);
  const spec = mapper.map(baseName(source).replace(/\.onnx$/i, ''), options);
  return { file: source.name, format: 'onnx', spec, parameters: null, diagnostics: mapper.diagnostics, statedShapes: mapper.statedShapes, statedParams: mapper.statedParams };
}

class GraphMapper {
  readonly diagnostics: FileDiagnostic[] = [];
  readonly statedShapes: { layer: string; shape: (number | null)[] }[] = [];
  readonly statedParams: { layer: string; params: number }[] = [];
  private readonly layers: LayerSpec[] = [];
  private readonly values = new Map<string, Value>();
  private readonly weights = new Map<string, OnnxTensorInfo>();
  private readonly constants = new Map<string, number[]>();
  private readonly used = new Set<string>([INPUT]);
  /** Outputs of ops that could not be mapped, and of everything computed from them. */
  private readonly failed = new Set<string>();
  /** Every name some node outputs (shape arithmetic the reader does not evaluate produces names too). */
  private readonly produced: Set<string>;
  private foldedBatchNorm = false;
  /** Dense layers from a MatMul, by engine name → the MatMul's output, while a bias Add may still follow. */
  private readonly unbiasedDense = new Map<string, string>();
  /** Shape(x)'s output → x's name: a Reshape to it restores x's own shape. */
  private readonly shapeSources = new Map<string, string>();
  /**
   * Where each entry of a 1-D shape constant comes from when it is a size the reader does not know (NaN in
   * `constants`): axis `axis` of tensor `tensor` (Shape → Gather/Slice → Concat, the legacy export of
   * F.interpolate(x, size=y.shape[-2:])). The engine, which knows that tensor's shape, resolves it.
   */
  private readonly dimSources = new Map<string, (DimSource | null)[]>();
  private danglingSeen = false;

  constructor(
    private readonly file: string,
    private readonly graph: OnnxGraph,
  ) {
    this.produced = new Set(graph.nodes.flatMap((n) => n.output));
    for (const node of graph.nodes) {
      node.input.forEach((name, slot) => {
        const list = this.uses.get(name);
        if (list) list.push({ node, slot });
        else this.uses.set(name, [{ node, slot }]);
      });
    }
    for (const node of graph.nodes) if (node.op_type === 'Constant' && node.output[0]) this.constantNodes.set(node.output[0], node);
    for (const [name, t] of graph.initializers) {
      this.weights.set(name, t);
      if (t.values) this.constants.set(name, t.values);
    }
  }

  map(fallbackName: string, options: ReadFileOptions): ModelSpec {
    let dataInputs = this.graph.inputs.filter((i) => !this.graph.initializers.has(i.name) && !this.isWeightInput(i.name));
    for (const i of this.graph.inputs) if (!this.graph.initializers.has(i.name) && this.isWeightInput(i.name)) this.weights.set(i.name, i);
    // export_params=False also passes parameters that an op reads first (ConvNeXt's layer_scale · x, a MatMul's
    // bias + x) as graph inputs: with one (N, C, H, W) input among them, the others are weights.
    // ((C, 1, 1) parameters are rank 3 too: an (N, C, L) sequence is taken only as the one data input.)
    const images = dataInputs.filter((i) => i.dims.length === 4 || i.dims.length === 5);
    // An input some op reads as its activation (a Gemm's or Conv's first slot: a second, vector input) is data.
    const readAsData = (name: string): boolean => (this.uses.get(name) ?? []).some((u) => u.slot === 0 && WEIGHTED.has(u.node.op_type));
    if (dataInputs.length > 1 && images.length === 1 && dataInputs.every((i) => i === images[0] || !readAsData(i.name))) {
      for (const i of dataInputs) if (i !== images[0]) this.weights.set(i.name, i);
      dataInputs = images;
    }
    if (dataInputs.length !== 1) {
      throw new ModelFileError(`${this.file}: the graph has ${dataInputs.length} data inputs (${dataInputs.map((i) => i.name).join(', ')}); CNN Inspector analyses models with one image input`);
    }
    const input = dataInputs[0]!;
    let hwc: number[];
    if (options.input) {
      // C, H, W (or N, C, H, W), as ONNX orders it.
      const [c, h, w] = options.input.slice(-3) as number[];
      if (options.input.length < 3 || c === undefined || h === undefined || w === undefined) throw new ModelFileError(`--input: give an ONNX model's input as C,H,W`);
      hwc = [h, w, c];
    } else if (input.dims.length === 3) {
      // (N, C, L): held as PyTorch's Conv1d models read from code are, (C, L) (sequenceLayout.ts).
      const [, c, l] = input.dims;
      if (c == null || l == null) throw new ModelFileError(`${this.file}: the input ${input.name} is ${formatDims(input.dims)}, with open sizes; CNN Inspector cannot tell its shape`);
      this.values.set(input.name, { layer: INPUT, rank: 2, channels: c, length: l });
      return this.mapGraph(fallbackName, [c, l]);
    } else if (input.dims.length === 2) {
      // (N, F): a vector of features (an MLP), as the code readers read (N, 784); the ops after a flatten read the same.
      const [, f] = input.dims;
      if (f == null) throw new ModelFileError(`${this.file}: the input ${input.name} is ${formatDims(input.dims)}, with open sizes; CNN Inspector cannot tell its shape`);
      this.values.set(input.name, { layer: INPUT, rank: 1, channels: f });
      return this.mapGraph(fallbackName, [f]);
    } else if (input.dims.length === 5) {
      // (N, C, D, H, W): the engine's (D, H, W, C), as for a PyTorch Conv3d model read from its code.
      const [, c, d, h, w] = input.dims;
      if (c == null || d == null || h == null || w == null) throw new ModelFileError(`${this.file}: the input ${input.name} is ${formatDims(input.dims)}, with open sizes; CNN Inspector cannot tell its shape`);
      this.values.set(input.name, { layer: INPUT, rank: 4, channels: c });
      return this.mapGraph(fallbackName, [d, h, w, c]);
    } else {
      if (input.dims.length !== 4) throw new ModelFileError(`${this.file}: the input ${input.name} has shape ${formatDims(input.dims)}; CNN Inspector analyses (N, F) vector, (N, C, L) sequence, (N, C, H, W) image and (N, C, D, H, W) volume inputs`);
      const [, c, h, w] = input.dims;
      if (c == null || h == null || w == null) throw new ModelFileError(`${this.file}: the input ${input.name} is ${formatDims(input.dims)}, with open sizes; pass --input C,H,W`);
      hwc = [h, w, c];
    }
    this.values.set(input.name, { layer: INPUT, rank: 3, channels: hwc[2] ?? null });
    return this.mapGraph(fallbackName, hwc);
  }

  /** Maps every node from the input (already set), and checks the outputs are reached. */
  private mapGraph(fallbackName: string, hwc: number[]): ModelSpec {
    // ONNX names each value once (onnx.checker: "graph must be in single static assignment form"); a second
    // node writing a name makes every reader of it ambiguous.
    const written = new Set<string>(this.graph.inputs.map((i) => i.name));
    for (const node of this.graph.nodes) {
      const twice = node.output.find((o) => o !== '' && written.has(o));
      if (twice !== undefined) {
        this.diagnostics.push({ severity: 'error', message: `${twice} is written by more than one node (or is also a graph input); the graph is not valid ONNX, so what reads it is ambiguous` });
        break;
      }
      for (const o of node.output) written.add(o);
    }
    for (const node of this.graph.nodes) this.mapNode(node);
    for (const o of this.graph.outputs) {
      if (!this.values.has(o.name) && !this.failed.has(o.name)) {
        this.diagnostics.push({ severity: 'error', message: `the graph's output ${o.name} is not computed from the input by the ops read; the report may not reach the model's output` });
      }
    }
    // torch's TorchScript exporter names the weights it folded batch norm into onnx::Conv_N (a module's own are
    // conv.weight); the dynamo exporter's optimizer (onnxscript's fuse_batchnorm) keeps the weight's name and
    // names the bias it adds to a convolution that had none WEIGHT_bias.
    this.foldedBatchNorm =
      !this.graph.nodes.some((n) => n.op_type === 'BatchNormalization') &&
      this.graph.nodes.some((n) => n.op_type === 'Conv' && (/^onnx::Conv_\d+$/.test(n.input[1] ?? '') || (n.input[2] !== undefined && n.input[2] === `${n.input[1]}_bias`)));
    if (this.foldedBatchNorm) {
      this.diagnostics.push({ severity: 'info', message: 'batch norm was folded into the convolutions by the exporter: the report counts the weights the file holds (each folded convolution has a bias)' });
    }
    return { name: fallbackName, framework: 'onnx', input: hwc, layers: this.layers };
  }

  /**
   * A graph input that only feeds weight slots (export_params=False) is a parameter, not data. The exporter
   * passes parameters it deduplicated through Identity nodes, which count as weight uses too.
   */
  private isWeightInput(name: string): boolean {
    const uses = this.uses.get(name) ?? [];
    return uses.length > 0 && uses.every((u) => u.slot > 0 || u.node.op_type === 'Identity');
  }

  /** Every node that reads a name, with the slot it reads it in (built once: graphs have thousands of nodes). */
  private readonly uses = new Map<string, { node: OnnxNode; slot: number }[]>();

  private uniqueName(node: OnnxNode): string {
    const base = (node.name || node.output[0] || node.op_type).replace(/^\/+/, '') || node.op_type;
    let candidate = base;
    for (let i = 1; this.used.has(candidate); i++) candidate = `${base}_${i}`;
    this.used.add(candidate);
    return candidate;
  }

  /** Constant nodes by their output, for a pattern that looks ahead of the nodes read so far. */
  private readonly constantNodes = new Map<string, OnnxNode>();
  /** Nodes already read as part of an earlier node's mapping (a decomposed layer norm's steps). */
  private readonly skipped = new Set<OnnxNode>();

  /** The layer that first read each weight tensor: a later node reading the same tensors shares that layer's weights. */
  private readonly firstReader = new Map<string, string>();

  /**
   * A node reading weights an earlier node read (a module applied twice; the file holds its weights once): its
   * layer shares the first one's, so they count once, as model.parameters() counts them. Weights partly shared
   * cannot be one layer's or another's: unknown from here, and said so. Returns whether the weights are shared.
   */
  private sharesWeights(node: OnnxNode, layer: string, inputs: readonly string[]): boolean {
    const held = inputs.filter((name) => this.weights.has(name));
    const readers = held.map((name) => this.firstReader.get(name));
    for (const name of held) if (!this.firstReader.has(name)) this.firstReader.set(name, layer);
    if (held.length === 0 || readers.every((r) => r === undefined)) return false;
    let spec: LayerSpec | undefined;
    for (let i = this.layers.length - 1; i >= 0 && !spec; i--) if (this.layers[i]!.name === layer) spec = this.layers[i];
    if (readers.every((r) => r === readers[0]) && spec) {
      spec.sharesWeightsWith = readers[0]!;
      return true;
    }
    // An unknown type: the engine builds nothing for it, so its counts and the shapes after it are unknown.
    if (spec) spec.type = `${node.op_type} (ONNX)`;
    this.diagnostics.push({
      severity: 'error',
      layer,
      message: `${node.op_type} reads ${held.filter((_, i) => readers[i] !== undefined).join(', ')} (weights ${[...new Set(readers.filter((r) => r !== undefined))].join(', ')} also reads) beside weights of its own: its parameters are neither that layer's nor its own, so they are unknown`,
    });
    return true;
  }

  /** The engine name of the node being mapped; helper layers (padding, keepdims) are named after it. */
  private nodeName = '';

  private add(node: OnnxNode, type: string, args: Record<string, unknown>, inputs: Value[], rank: number | null, channels: number | null, suffix?: string): Value {
    void node;
    const name = suffix ? `${this.nodeName}/${suffix}` : this.nodeName;
    this.used.add(name);
    this.layers.push({ name, type, args, inputs: inputs.map((v) => v.layer), source: null });
    return { layer: name, rank, channels };
  }

  private unsupported(node: OnnxNode, why: string, message = `the ONNX op ${node.op_type}${why ? ` ${why}` : ''} is not supported; shapes after it are unknown`): void {
    const inputs = node.input.map((n) => this.values.get(n)).filter((v): v is Value => v !== undefined);
    // Listed as a layer, so the table shows where the graph stops being known; the reason goes with it. The
    // type names the ONNX op so it cannot be taken for an engine layer of the same name (Add, Reshape).
    // With no known input (a dangling name) it is listed all the same, so the report is incomplete.
    this.layers.push({ name: this.nodeName, type: `${node.op_type} (ONNX)`, args: {}, inputs: inputs.map((v) => v.layer), source: null });
    for (const out of node.output) this.failed.add(out);
    this.diagnostics.push({ severity: 'error', layer: this.nodeName, message });
  }

  private mapNode(node: OnnxNode): void {
    if (this.skipped.has(node)) return;
    const attrs = attrsOf(node);
    if (node.op_type === 'Constant') {
      const t = attrs.get('value');
      if (t && typeof t === 'object' && !Array.isArray(t)) {
        const values = constantTensorValues(t);
        if (values && node.output[0]) this.constants.set(node.output[0], values);
        if (node.output[0]) this.weights.set(node.output[0], { name: node.output[0], dataType: t.data_type ?? 0, dims: dimsOf(t), values });
      } else if (node.output[0]) {
        // value_int(s) / value_float(s): a scalar or a 1-D list.
        const v = attrs.get('value_ints') ?? attrs.get('value_int') ?? attrs.get('value_floats') ?? attrs.get('value_float');
        const values = typeof v === 'number' ? [v] : Array.isArray(v) ? (v as number[]) : null;
        const integer = attrs.has('value_ints') || attrs.has('value_int');
        if (values) {
          this.constants.set(node.output[0], values);
          this.weights.set(node.output[0], { name: node.output[0], dataType: integer ? DataType.INT64 : DataType.FLOAT, dims: typeof v === 'number' ? [] : [values.length], values });
        }
      }
      return;
    }
    // A commutative op may read a constant first (layer_scale · x, bias + x): the activation is its input.
    const x = this.values.get(node.input[0] ?? '') ?? (node.op_type in MERGES ? node.input.map((i) => this.values.get(i)).find((v) => v !== undefined) : undefined);
    const out = node.output[0];
    if (out === undefined) return;
    const weight = this.weights.get(node.input[0] ?? '');
    if (node.op_type === 'Identity' && x === undefined && weight) {
      this.weights.set(out, { ...weight, name: out });
      if (weight.values) this.constants.set(out, weight.values);
      return;
    }
    if (x === undefined && this.foldConstant(node)) return;
    // A name that no node, input or initializer produces: the graph is corrupt or cut, and what follows is unknown.
    const dangling = node.input.find((i) => i !== '' && !this.values.has(i) && !this.weights.has(i) && !this.failed.has(i) && !this.produced.has(i));
    if (dangling !== undefined) {
      // Reported once: later dangling names are the same corruption, and everything after is unknown anyway.
      if (this.danglingSeen) for (const o of node.output) this.failed.add(o);
      else {
        this.nodeName = this.uniqueName(node);
        this.unsupported(node, '', `the ONNX op ${node.op_type} reads ${dangling}, which no node, graph input or initializer produces: the graph is corrupt or incomplete; shapes after it are unknown`);
        this.nodeName = '';
      }
      this.danglingSeen = true;
      return;
    }
    if (x === undefined && !node.input.some((i) => this.failed.has(i)) && node.input.some((i) => this.values.has(i))) {
      // An activation in a later slot of an op the reader does not map that way: unknown from here, and said so.
      this.nodeName = this.uniqueName(node);
      this.unsupported(node, 'with the activation in a later input');
      this.nodeName = '';
      return;
    }
    if (x === undefined || node.input.some((i) => this.failed.has(i))) {
      // After an op that could not be mapped everything is unknown (reported there, once); ops on constants
      // only (shape arithmetic) produce constants, not activations.
      if (node.input.some((i) => this.failed.has(i))) for (const o of node.output) this.failed.add(o);
      return;
    }
    this.nodeName = this.uniqueName(node);
    const result = this.translate(node, attrs, x);
    if (node.op_type === 'Shape') this.nodeName = '';
    if (result) {
      this.values.set(out, result);
      if (WEIGHTED.has(node.op_type) && result.layer !== INPUT && !this.sharesWeights(node, result.layer, node.input.slice(1))) {
        const dims = node.input.slice(1).filter((i) => i !== '').map((i) => this.weights.get(i)?.dims ?? null);
        if (dims.every((d): d is number[] => d !== null && d.every((n) => n !== null))) {
          this.statedParams.push({ layer: result.layer.replace(/\/(keepdims|pads)$/, ''), params: dims.reduce((a, d) => a + d.reduce((x, y) => x * y, 1), 0) });
        }
      }
      this.nodeName = '';
      const stated = this.graph.valueInfo.get(out) ?? this.graph.outputs.find((o) => o.name === out);
      // A channel shuffle's 5-D views (and GroupNorm's (N, G, −1) ones) are not engine outputs: their stated shapes are not the layer's.
      // An (N, H, W, C) tensor's stated shape is compared in ONNX's (N, C, H, W) order; a (−1) view has none of its own.
      const dims = result.layout === 'nhwc' && stated?.dims.length === 4 ? [stated.dims[0]!, stated.dims[3]!, stated.dims[1]!, stated.dims[2]!] : stated?.dims;
      if (stated && dims && dims.length > 0 && result.layer !== INPUT && !result.shuffle && !result.flatOf && !result.lengthPool && !result.groupNorm) this.statedShapes.push({ layer: result.layer, shape: dims });
    }
  }

  /**
   * Integer shape arithmetic on constants (an exporter without constant folding writes x.view(1, -1)'s shape as
   * Constant → Unsqueeze → Concat): evaluated, so the Reshape after it reads a constant. 1-D values only.
   */
  private foldConstant(node: OnnxNode): boolean {
    const out = node.output[0];
    const inputs = node.input.filter((i) => i !== '').map((i) => this.constants.get(i));
    if (out === undefined || inputs.length === 0 || inputs.some((v) => v === undefined)) return false;
    const values = inputs as number[][];
    let result: number[] | null = null;
    if (node.op_type === 'Unsqueeze' || node.op_type === 'Squeeze' || node.op_type === 'Cast') result = values[0]!;
    else if (node.op_type === 'Concat') result = values.flat();
    else if (node.op_type === 'Slice') result = sliceConstant(values);
    else if (node.op_type === 'Gather' && values[1]!.length === 1) {
      const at = values[1]![0]!;
      const picked = values[0]![at < 0 ? values[0]!.length + at : at];
      result = picked === undefined ? null : [picked];
    } else if (node.op_type in ARITHMETIC && values.length === 2) {
      // Shape arithmetic (torch.chunk's legacy export: Shape → Gather → Add → Div → Mul → Slice); integer Div truncates.
      const [a, b] = values as [number[], number[]];
      const n = Math.max(a.length, b.length);
      if ((a.length === n || a.length === 1) && (b.length === n || b.length === 1)) {
        const integer = [...a, ...b].every((v) => Number.isInteger(v) || Number.isNaN(v));
        result = Array.from({ length: n }, (_, i) => ARITHMETIC[node.op_type]!(a[a.length === 1 ? 0 : i]!, b[b.length === 1 ? 0 : i]!, integer));
      }
    }
    if (result === null) return false;
    const sources = foldDimSources(node.op_type, node.input.filter((i) => i !== '').map((i, k) => this.dimSources.get(i) ?? values[k]!.map(() => null)), values);
    if (sources?.some((d) => d !== null)) this.dimSources.set(out, sources);
    this.constants.set(out, result);
    this.weights.set(out, { name: out, dataType: DataType.INT64, dims: [result.length], values: result });
    return true;
  }

  private weightDims(name: string | undefined): (number | null)[] | null {
    if (!name) return null;
    return this.weights.get(name)?.dims ?? null;
  }

  private translate(node: OnnxNode, attrs: Attrs, x: Value): Value | null {
    const op = node.op_type;
    if (node.domain && node.domain !== 'ai.onnx') {
      this.unsupported(node, `domain ${node.domain}`);
      return null;
    }
    const partial = node.input.map((n) => this.values.get(n)).find((v) => v?.shuffle);
    if (partial && !((op === 'Transpose' && partial.shuffle!.stage === 1) || (op === 'Reshape' && partial.shuffle!.stage === 2))) {
      return this.fail(node, 'on a 5-D view of the channels (only the channel shuffle view → transpose(1, 2) → view is mapped)');
    }
    const grouping = node.input.map((n) => this.values.get(n)).find((v) => v?.groupNorm);
    if (grouping) return this.groupNormStep(node, grouping);
    const flat = node.input.map((n) => this.values.get(n)).find((v) => v?.flatOf);
    if (flat) return op === 'Gather' ? this.unflatten(node, attrs, flat) : this.fail(node, 'on a (−1) view of a tensor (only the as_strided of a pooled (N, C, 1, 1) is mapped)');
    const inputs = node.input.map((n) => this.values.get(n)).filter((v): v is Value => v !== undefined);
    if (inputs.some((v) => v.lengthPool)) return this.lengthPoolStep(node, attrs, x);
    if (inputs.some((v) => v.rank === 4)) return this.volume(node, attrs, x);
    if (inputs.some((v) => v.rank === 2)) return this.sequence(node, attrs, x);
    if (inputs.some((v) => v.layout === 'nhwc')) return this.channelsLast(node, attrs, x);
    if (op in ACTIVATIONS) return this.add(node, 'Activation', { activation: ACTIVATIONS[op] }, [x], x.rank, x.channels);
    switch (op) {
      case 'Shape':
        return this.shape(node, attrs, x);
      case 'Slice':
        return this.slice(node, attrs, x);
      case 'Split':
        return this.split(node, attrs, x);
      case 'Transpose': {
        const perm = attrs.get('perm');
        if (x.shuffle && Array.isArray(perm) && perm.join() === '0,2,1,3,4') return { ...x, shuffle: { ...x.shuffle, stage: 2 } };
        // NCHW → NHWC is the engine's own layout: no layer, the tensor is read channels-last from here.
        if (x.rank === 3 && Array.isArray(perm) && perm.join() === '0,2,3,1') return { layer: x.layer, rank: 3, channels: x.channels, layout: 'nhwc' };
        return this.fail(node, `with perm ${JSON.stringify(perm)} (only the channel shuffle's is mapped)`);
      }
      case 'Conv':
        return this.conv(node, attrs, x);
      case 'ConvTranspose':
        return this.convTranspose(node, attrs, x);
      case 'BatchNormalization':
        return this.add(node, 'BatchNormalization', { epsilon: num(attrs.get('epsilon')) ?? 1e-5 }, [x], x.rank, x.channels);
      case 'MaxPool':
      case 'AveragePool':
        return this.pool(node, attrs, x);
      case 'GlobalAveragePool':
      case 'GlobalMaxPool': {
        if (x.rank !== 3 || x.channels === null) return this.fail(node, 'on an input whose channels are unknown');
        const pooled = this.add(node, op === 'GlobalAveragePool' ? 'GlobalAveragePooling2D' : 'GlobalMaxPooling2D', {}, [x], 1, x.channels);
        // ONNX keeps (N, C, 1, 1).
        return { ...this.add(node, 'Reshape', { targetShape: [1, 1, x.channels] }, [pooled], 3, x.channels, 'keepdims'), unitSpatial: true };
      }
      case 'ReduceMean':
      case 'ReduceMax':
        return this.reduce(node, attrs, x);
      case 'LeakyRelu':
        return this.add(node, 'LeakyReLU', { alpha: num(attrs.get('alpha')) ?? 0.01 }, [x], x.rank, x.channels);
      case 'PRelu': {
        // nn.PReLU: one slope for all (1 element) or one per channel, which the slope broadcast from the right puts
        // on axis 1 ((C, 1, 1) from the TorchScript exporter, (1, C, 1, 1) from dynamo; (F,) on an (N, F) vector):
        // tfjs' PReLU shares the other axes. A (C,) slope on an image is per column, and is not mapped.
        const slope = this.weightDims(node.input[1]);
        const n = slope && slope.every((d) => d !== null) ? (slope as number[]).reduce((a, b) => a * b, 1) : null;
        const channelAt = slope ? slope.length - (x.rank === 3 ? 3 : 1) : -1;
        const perChannel = n !== null && n > 1 && channelAt >= 0 && slope![channelAt] === x.channels && n === x.channels;
        if (n !== 1 && !perChannel) return this.fail(node, `with a slope of shape ${slope ? formatDims(slope) : 'unknown'} on ${x.channels ?? '?'} channels`);
        const all = x.rank === 3 ? [1, 2, 3] : [1];
        return this.add(node, 'PReLU', { sharedAxes: n === 1 ? all : x.rank === 3 ? [1, 2] : [] }, [x], x.rank, x.channels);
      }
      case 'Clip':
        return this.add(node, 'Activation', { activation: this.clipActivation(node, attrs) }, [x], x.rank, x.channels);
      case 'Softmax':
      case 'LogSoftmax': {
        const axis = num(attrs.get('axis')) ?? -1;
        if (x.rank !== 1 || (axis !== 1 && axis !== -1)) return this.fail(node, `axis ${axis} on a rank-${(x.rank ?? 0) + 1} tensor`);
        return this.add(node, 'Activation', { activation: 'softmax' }, [x], x.rank, x.channels);
      }
      case 'Dropout':
        return this.add(node, 'Dropout', { rate: 0.5 }, [x], x.rank, x.channels);
      case 'Identity':
        return x;
      case 'Flatten': {
        const axis = num(attrs.get('axis')) ?? 1;
        if (axis !== 1) return this.fail(node, `axis ${axis}`);
        return x.rank === 1 ? x : this.add(node, 'Flatten', {}, [x], 1, null);
      }
      case 'Reshape':
        return this.reshape(node, x);
      case 'Gemm':
        return this.gemm(node, attrs, x);
      case 'MatMul':
        return this.matmul(node, x);
      case 'Concat': {
        const inputs = node.input.map((n) => this.values.get(n));
        if (inputs.some((v) => v === undefined)) return this.fail(node, 'with a constant input');
        // torch.cat of one tensor (DenseNet's first layer) is that tensor.
        if (inputs.length === 1) return x;
        const axis = num(attrs.get('axis'));
        if (axis !== 1 && !(axis === -1 && x.rank === 1)) return this.fail(node, `on axis ${axis} (only the channel axis is mapped)`);
        const all = inputs as Value[];
        const channels = all.every((v) => v.channels !== null) ? all.reduce((a, v) => a + v.channels!, 0) : null;
        return this.add(node, 'Concatenate', { axis: -1 }, all, x.rank, channels);
      }
      case 'InstanceNormalization':
        return this.instanceNorm(node, attrs, x);
      case 'DepthToSpace':
      case 'SpaceToDepth': {
        // nn.PixelShuffle(r) exports as DepthToSpace(blocksize=r, mode=CRD); DCR orders the channels otherwise but
        // gives the same shape. SpaceToDepth is the inverse (PixelUnshuffle's shape).
        const r = num(attrs.get('blocksize'));
        if (x.rank !== 3 || r === null || !Number.isInteger(r) || r < 1) return this.fail(node, `with blocksize ${String(attrs.get('blocksize'))} on a tensor that is not (N, C, H, W)`);
        if (op === 'SpaceToDepth') return this.add(node, 'PixelUnshuffle', { downscaleFactor: r }, [x], 3, x.channels === null ? null : x.channels * r * r);
        if (x.channels !== null && x.channels % (r * r) !== 0) return this.fail(node, `with blocksize ${r} on ${x.channels} channels, which r² does not divide`);
        return this.add(node, 'PixelShuffle', { upscaleFactor: r }, [x], 3, x.channels === null ? null : x.channels / (r * r));
      }
      case 'LayerNormalization':
        if (x.rank !== 1) return this.fail(node, 'on an (N, C, H, W) tensor (only the last axis of an (N, H, W, C) or (N, C) tensor is mapped)');
        return this.layerNorm(node, attrs, x);
      case 'Sub':
      case 'Div':
      case 'Pow':
        return this.scalarArithmetic(node, x);
      case 'Pad':
        return this.pad(node, attrs, x);
      case 'Resize':
      case 'Upsample':
        return this.resize(node, attrs, x);
      default:
        if (op in MERGES) return this.merge(node, x);
        this.unsupported(node, '');
        return null;
    }
  }

  /**
   * An op on an (N, C, L) sequence, held as (C, L) (onnx/sequences.ts): Conv → Conv1D and pooling → 1-D pooling,
   * each one engine layer that reads (L, C) inside (source/torch1d.ts's layers); global pooling is a pooling over
   * the whole length, which the reader follows through each op. Every other op on a sequence is refused.
   */
  private sequence(node: OnnxNode, attrs: Attrs, x: Value): Value | null {
    const op = node.op_type;
    const refuse = (why: string): null => this.fail(node, `${why ? `${why} ` : ''}on an (N, C, L) sequence`);
    if (x.rank !== 2 || x.length === undefined || x.channels === null) return refuse('mixing a sequence with a tensor of another rank, or of unknown length');
    const same = (layer: Value): Value => ({ ...layer, length: x.length! });
    if (op in ACTIVATIONS) return same(this.add(node, 'Activation', { activation: ACTIVATIONS[op] }, [x], 2, x.channels));
    switch (op) {
      case 'LeakyRelu':
        return same(this.add(node, 'LeakyReLU', { alpha: num(attrs.get('alpha')) ?? 0.01 }, [x], 2, x.channels));
      case 'Clip':
        return same(this.add(node, 'Activation', { activation: this.clipActivation(node, attrs) }, [x], 2, x.channels));
      case 'Dropout':
        return same(this.add(node, 'Dropout', { rate: 0.5 }, [x], 2, x.channels));
      case 'Identity':
        return x;
      case 'Conv': {
        const w = this.weightDims(node.input[1]);
        if (!w || w.length !== 3 || w.some((d) => d === null)) return refuse('with weights that are not (M, C, k)');
        const [m, cin, k] = w as number[];
        if ((num(attrs.get('group')) ?? 1) !== 1) return refuse('with groups');
        if (cin !== x.channels) return refuse(`with weights for ${cin} input channels on a ${x.channels}-channel input`);
        const conv = sequenceWindow(attrs);
        if (conv === null) return refuse(`with pads, strides or dilations the reader cannot tell (${JSON.stringify(attrs.get('pads') ?? attrs.get('auto_pad') ?? null)})`);
        const args = { filters: m, kernelSize: k, strides: conv.stride, padding: 'valid', dilationRate: conv.dilation, useBias: (node.input[2] ?? '') !== '', sequence: 'channelsFirst', ...lengthPadding(conv.pads) };
        return { ...this.add(node, 'Conv1D', args, [x], 2, m!), length: windowLength(x.length, k!, conv) };
      }
      case 'MaxPool':
      case 'AveragePool': {
        const kernel = attrs.get('kernel_shape');
        if (!Array.isArray(kernel) || kernel.length !== 1 || typeof kernel[0] !== 'number') return refuse('without a 1-D kernel_shape');
        const k = kernel[0];
        const pool = sequenceWindow(attrs);
        if (pool === null || pool.dilation !== 1 || num(attrs.get('ceil_mode')) === 1 || pool.pads.some((p) => p !== 0)) return refuse('with padding, dilations or ceil_mode');
        const type = op === 'MaxPool' ? 'MaxPooling1D' : 'AveragePooling1D';
        return { ...this.add(node, type, { poolSize: k, strides: pool.stride, padding: 'valid', sequence: 'channelsFirst' }, [x], 2, x.channels), length: windowLength(x.length, k, pool) };
      }
      case 'GlobalAveragePool':
      case 'GlobalMaxPool': {
        // (N, C, 1): a pooling over the whole length (its window is the length the reader followed to here).
        const type = op === 'GlobalAveragePool' ? 'AveragePooling1D' : 'MaxPooling1D';
        return { ...this.add(node, type, { poolSize: x.length, strides: x.length, padding: 'valid', sequence: 'channelsFirst' }, [x], 2, x.channels), length: 1 };
      }
      case 'Flatten':
        if ((num(attrs.get('axis')) ?? 1) !== 1) return refuse(`Flatten(axis=${String(attrs.get('axis'))})`);
        return this.add(node, 'Flatten', {}, [x], 1, x.length === 1 ? x.channels : null);
      case 'Reshape': {
        // (N, −1) or (N, k) is a flatten to a vector; any other view of a sequence is not mapped.
        const shape = this.constants.get(node.input[1] ?? '');
        if (!allKnown(shape) || shape.length !== 2) return refuse(`Reshape to ${JSON.stringify(shape ?? 'a computed shape')} (only to (N, features) is mapped)`);
        return this.reshape(node, x);
      }
      case 'Unsqueeze': {
        // (N, C, L) → (N, C, 1, L): the first step of the dynamo export's AdaptiveAvgPool1d (lengthPool).
        const axes = (attrs.get('axes') as number[] | undefined) ?? this.constants.get(node.input[1] ?? '');
        if (!Array.isArray(axes) || axes.length !== 1 || (axes[0] !== 2 && axes[0] !== -2)) return refuse(`Unsqueeze at ${JSON.stringify(axes ?? 'a computed axis')}`);
        return { ...x, rank: null, lengthPool: 'unsqueezed' };
      }
      default:
        return refuse('');
    }
  }

  /** The steps after Unsqueeze of the dynamo export's AdaptiveAvgPool1d / AdaptiveMaxPool1d(1) (Value.lengthPool). */
  private lengthPoolStep(node: OnnxNode, attrs: Attrs, x: Value): Value | null {
    const refuse = (why: string): null => this.fail(node, `${why} (only Unsqueeze(2) → ReduceMean/ReduceMax over the last axes → Squeeze(2) of a sequence is mapped)`);
    const axesOf = (rank: number): number[] | null => {
      const axes = (attrs.get('axes') as number[] | undefined) ?? this.constants.get(node.input[1] ?? '');
      return allKnown(axes) ? axes.map((a) => (a < 0 ? a + rank : a)).sort() : null;
    };
    if (x.length === undefined || x.channels === null || node.input.filter((n) => this.values.has(n)).length !== 1) return refuse('on a view of a sequence');
    if (x.lengthPool === 'unsqueezed' && (node.op_type === 'ReduceMean' || node.op_type === 'ReduceMax')) {
      const axes = axesOf(4)?.join();
      if ((num(attrs.get('keepdims')) ?? 1) !== 1 || (axes !== '3' && axes !== '2,3')) return refuse(`over axes ${JSON.stringify(axesOf(4))}`);
      const type = node.op_type === 'ReduceMean' ? 'AveragePooling1D' : 'MaxPooling1D';
      const pooled = this.add(node, type, { poolSize: x.length, strides: x.length, padding: 'valid', sequence: 'channelsFirst' }, [x], 2, x.channels);
      return { ...pooled, rank: null, length: 1, lengthPool: 'pooled' };
    }
    if (x.lengthPool === 'pooled' && node.op_type === 'Squeeze' && axesOf(4)?.join() === '2') return { layer: x.layer, rank: 2, channels: x.channels, length: 1 };
    return refuse(`the ONNX op ${node.op_type}`);
  }

  /**
   * An op on an (N, C, D, H, W) volume (onnx/volumes.ts): only the ops whose 3-D meaning the engine has map;
   * every other one (a constant operand, a reshape that is not to a vector, a Gemm) is refused.
   */
  private volume(node: OnnxNode, attrs: Attrs, x: Value): Value | null {
    const op = node.op_type;
    const refuse = (why: string): null => this.fail(node, `${why ? `${why} ` : ''}on an (N, C, D, H, W) volume`);
    if (x.rank !== 4) return refuse('mixing a volume with a tensor of another rank');
    if (op in ACTIVATIONS) return this.add(node, 'Activation', { activation: ACTIVATIONS[op] }, [x], 4, x.channels);
    switch (op) {
      case 'BatchNormalization':
        return this.add(node, 'BatchNormalization', { epsilon: num(attrs.get('epsilon')) ?? 1e-5 }, [x], 4, x.channels);
      case 'LeakyRelu':
        return this.add(node, 'LeakyReLU', { alpha: num(attrs.get('alpha')) ?? 0.01 }, [x], 4, x.channels);
      case 'Clip':
        return this.add(node, 'Activation', { activation: this.clipActivation(node, attrs) }, [x], 4, x.channels);
      case 'Dropout':
        return this.add(node, 'Dropout', { rate: 0.5 }, [x], 4, x.channels);
      case 'Identity':
        return x;
      case 'Conv': {
        const w = this.weightDims(node.input[1]);
        if (!w || w.length !== 5 || w.some((d) => d === null)) return refuse('with weights that are not (M, C, kD, kH, kW)');
        const [m, cin, kd, kh, kw] = w as number[];
        if ((num(attrs.get('group')) ?? 1) !== 1) return refuse('with groups');
        if (x.channels === null || cin !== x.channels) return refuse(`with weights for ${cin} input channels on a ${x.channels ?? '?'}-channel input`);
        const kernel = [kd!, kh!, kw!] as [number, number, number];
        const strides = attrs.has('strides') ? triple(attrs.get('strides')) : [1, 1, 1];
        const dilations = attrs.has('dilations') ? triple(attrs.get('dilations')) : [1, 1, 1];
        if (!strides || !dilations || dilations.some((d) => d !== 1)) return refuse('with dilations > 1 or strides the reader cannot tell');
        const padding = volumePadding(attrs.get('pads'), attrs.get('auto_pad'), kernel, dilations as [number, number, number]);
        if (padding === null) return refuse(`with pads ${JSON.stringify(attrs.get('pads') ?? attrs.get('auto_pad'))} (only none or d·(k−1)/2 on each side is mapped)`);
        return this.add(node, 'Conv3D', { filters: m, kernelSize: kernel, strides, padding, useBias: (node.input[2] ?? '') !== '' }, [x], 4, m!);
      }
      case 'MaxPool':
      case 'AveragePool': {
        const kernel = triple(attrs.get('kernel_shape'));
        const strides = attrs.has('strides') ? triple(attrs.get('strides')) : [1, 1, 1];
        const dilations = attrs.has('dilations') ? triple(attrs.get('dilations')) : [1, 1, 1];
        if (!kernel || !strides || !dilations || dilations.some((d) => d !== 1)) return refuse('without a 3-D kernel, or with dilations');
        if (num(attrs.get('ceil_mode')) === 1) return refuse('with ceil_mode');
        const pads = attrs.get('pads');
        if ((attrs.get('auto_pad') ?? 'NOTSET') !== 'NOTSET' || (pads !== undefined && !(Array.isArray(pads) && pads.every((p) => p === 0)))) return refuse('with padding');
        return this.add(node, op === 'MaxPool' ? 'MaxPooling3D' : 'AveragePooling3D', { poolSize: kernel, strides, padding: 'valid' }, [x], 4, x.channels);
      }
      case 'GlobalAveragePool':
      case 'GlobalMaxPool':
      case 'ReduceMean':
      case 'ReduceMax': {
        const global = op.startsWith('Global');
        const axes = (attrs.get('axes') as number[] | undefined) ?? this.constants.get(node.input[1] ?? '');
        if (!global && !overVolume(axes)) return refuse(`over axes ${JSON.stringify(axes ?? 'all')} (only over D, H and W is mapped)`);
        const keepDims = global || (num(attrs.get('keepdims')) ?? 1) === 1;
        const mode = op === 'GlobalAveragePool' || op === 'ReduceMean' ? 'avg' : 'max';
        const pooled = this.add(node, 'GlobalPooling3D', { mode, keepDims }, [x], keepDims ? 4 : 1, x.channels);
        return keepDims ? { ...pooled, unitSpatial: true } : pooled;
      }
      case 'Flatten':
        if ((num(attrs.get('axis')) ?? 1) !== 1) return refuse(`Flatten(axis=${String(attrs.get('axis'))})`);
        return this.add(node, 'Flatten', {}, [x], 1, null);
      case 'Reshape': {
        // (N, −1) or (N, k) is a flatten to a vector, the same in either layout; any other view depends on it.
        const shape = this.constants.get(node.input[1] ?? '');
        if (!allKnown(shape) || shape.length !== 2) return refuse(`Reshape to ${JSON.stringify(shape ?? 'a computed shape')} (only to (N, features) is mapped)`);
        return this.reshape(node, x);
      }
      case 'Concat': {
        const all = node.input.map((n) => this.values.get(n));
        const axis = num(attrs.get('axis'));
        if (all.some((v) => v === undefined || v.rank !== 4) || (axis !== 1 && axis !== -4)) return refuse(`Concat on axis ${axis} or with a constant input`);
        const values = all as Value[];
        const channels = values.every((v) => v.channels !== null) ? values.reduce((a, v) => a + v.channels!, 0) : null;
        return this.add(node, 'Concatenate', { axis: -1 }, values, 4, channels);
      }
      default: {
        const all = node.input.map((n) => this.values.get(n));
        // Residual sums and gates of two volumes; a constant operand may broadcast, so it is not mapped here.
        if (op in MERGES && all.length >= 2 && all.every((v) => v !== undefined && v.rank === 4)) return this.add(node, MERGES[op]!, {}, all as Value[], 4, x.channels);
        return refuse('');
      }
    }
  }

  /**
   * A mean or max over H and W (the dynamo exporter's AdaptiveAvgPool2d(1) and x.mean((2, 3))) is global
   * pooling; axes come from the attribute (opset < 18) or a constant input (opset ≥ 18). Other axes depend on
   * the layout and are not mapped.
   */
  private reduce(node: OnnxNode, attrs: Attrs, x: Value): Value | null {
    const axes = (attrs.get('axes') as number[] | undefined) ?? this.constants.get(node.input[1] ?? '');
    const keepdims = (num(attrs.get('keepdims')) ?? 1) === 1;
    const norm = x.rank === 1 && node.op_type === 'ReduceMean' ? this.decomposedLayerNorm(node, attrs, x) : null;
    if (norm) return norm;
    const spatial = Array.isArray(axes) && axes.length === 2 && axes.map((a) => (a < 0 ? a + 4 : a)).sort().join() === '2,3';
    if (x.rank !== 3 || x.channels === null || !spatial) return this.fail(node, `over axes ${JSON.stringify(axes ?? 'all')} (only the mean or max over H and W is mapped)`);
    const pooled = this.add(node, node.op_type === 'ReduceMean' ? 'GlobalAveragePooling2D' : 'GlobalMaxPooling2D', {}, [x], 1, x.channels);
    return keepdims ? { ...this.add(node, 'Reshape', { targetShape: [1, 1, x.channels] }, [pooled], 3, x.channels, 'keepdims'), unitSpatial: true } : pooled;
  }

  /**
   * Shape(x): the sizes the reader knows (batch from the input, channels), NaN for H and W, which only the
   * engine computes; shape arithmetic on the known ones folds (torch.chunk's channel sizes), the rest stays unknown.
   */
  private shape(node: OnnxNode, attrs: Attrs, x: Value): null {
    const out = node.output[0]!;
    // start/end (opset 15) take a part of the shape: the dynamo exporter writes start=0, the whole of it.
    const start = num(attrs.get('start')) ?? 0;
    const end = num(attrs.get('end'));
    if (x.rank !== 3 || start !== 0 || (end !== null && end < 4)) return this.fail(node, 'of a tensor that is not (N, C, H, W), or of a part of its shape');
    const batch = this.graph.inputs.find((i) => this.values.get(i.name)?.layer === INPUT)?.dims[0] ?? null;
    const values = [batch ?? NaN, x.channels ?? NaN, NaN, NaN];
    this.shapeSources.set(out, node.input[0]!);
    this.dimSources.set(out, values.map((_, axis) => ({ tensor: node.input[0]!, axis })));
    this.constants.set(out, values);
    this.weights.set(out, { name: out, dataType: DataType.INT64, dims: [4], values });
    return null;
  }

  /** A slice of the channel axis (torch.chunk, x[:, a:b]) is the engine's ChannelSlice; other axes are not mapped. */
  private slice(node: OnnxNode, attrs: Attrs, x: Value): Value | null {
    const ints = (name: string | undefined): number[] | null => {
      const v = name ? this.constants.get(name) : undefined;
      return allKnown(v) ? v : null;
    };
    const starts = (attrs.get('starts') as number[] | undefined) ?? ints(node.input[1]);
    const ends = (attrs.get('ends') as number[] | undefined) ?? ints(node.input[2]);
    const axes = (attrs.get('axes') as number[] | undefined) ?? (node.input[3] ? ints(node.input[3]) : [0]);
    const steps = node.input[4] ? ints(node.input[4]) : [1];
    if (!starts || !ends || !axes || !steps) return this.fail(node, 'with bounds computed from sizes the reader does not know');
    const c = x.channels;
    if (x.rank !== 3 || c === null || axes.length !== 1 || (axes[0]! < 0 ? axes[0]! + 4 : axes[0]) !== 1 || steps[0] !== 1) {
      return this.fail(node, `along axes ${JSON.stringify(axes)} with steps ${JSON.stringify(steps)} (only a step-1 slice of the channels is mapped)`);
    }
    const clamp = (v: number): number => Math.min(c, Math.max(0, v < 0 ? v + c : v));
    const begin = clamp(starts[0]!);
    const size = clamp(ends[0]!) - begin;
    if (size <= 0) return this.fail(node, `to an empty channel range [${starts[0]}, ${ends[0]})`);
    return this.add(node, 'ChannelSlice', { axis: -1, begin, size }, [x], 3, size);
  }

  /** Split along the channels (torch.chunk/split in the dynamo export): one ChannelSlice per output. */
  private split(node: OnnxNode, attrs: Attrs, x: Value): Value | null {
    const axis = num(attrs.get('axis')) ?? 0;
    const c = x.channels;
    if (x.rank !== 3 || c === null || (axis < 0 ? axis + 4 : axis) !== 1) return this.fail(node, `along axis ${axis} (only the channel axis is mapped)`);
    const n = node.output.length;
    let sizes = (attrs.get('split') as number[] | undefined) ?? (node.input[1] ? this.constants.get(node.input[1]) : undefined);
    if (!sizes) {
      // Equal parts; opset 18's num_outputs makes the last one smaller when C does not divide.
      const part = Math.ceil(c / n);
      sizes = Array.from({ length: n }, (_, i) => Math.min(part, c - part * i));
    }
    if (!allKnown(sizes) || sizes.length !== n || sizes.some((d) => d <= 0) || sizes.reduce((a, b) => a + b, 0) !== c) {
      return this.fail(node, `into ${JSON.stringify(sizes)} channels of ${c}`);
    }
    let begin = 0;
    const parts = sizes.map((size, i) => {
      const v = this.add(node, 'ChannelSlice', { axis: -1, begin, size }, [x], 3, size, String(i));
      begin += size;
      return v;
    });
    node.output.slice(1).forEach((o, i) => this.values.set(o, parts[i + 1]!));
    return parts[0]!;
  }

  private fail(node: OnnxNode, why: string): null {
    this.unsupported(node, why);
    return null;
  }

  private conv(node: OnnxNode, attrs: Attrs, x: Value): Value | null {
    const w = this.weightDims(node.input[1]);
    if (!w || w.length !== 4 || w.some((d) => d === null)) return this.fail(node, w && w.length !== 4 ? `${w.length - 2}-D` : 'weights of unknown shape');
    const [m, cPerGroup, kh, kw] = w as number[];
    // ONNX requires kernel_shape, where given, to be the weight's: a file that says otherwise is not trusted.
    const stated = attrs.get('kernel_shape');
    if (Array.isArray(stated) && (stated.length !== 2 || stated[0] !== kh || stated[1] !== kw)) return this.fail(node, `with kernel_shape ${JSON.stringify(stated)} unlike its ${kh}×${kw} weights`);
    const group = num(attrs.get('group')) ?? 1;
    const strides = pair(attrs.get('strides')) ?? [1, 1];
    const dilations = pair(attrs.get('dilations')) ?? [1, 1];
    const padding = this.padding(node, attrs, [kh!, kw!], strides, dilations);
    if (padding === null) return null;
    const useBias = (node.input[2] ?? '') !== '';
    let input = x;
    if (padding.pre) input = this.add(node, 'ZeroPadding2D', { padding: padding.pre }, [x], 3, x.channels, 'pad');
    const common = { kernelSize: [kh, kw], strides, dilationRate: dilations, padding: padding.mode, useBias };
    if (group === 1 && x.channels !== null && cPerGroup !== x.channels) return this.fail(node, `with weights for ${cPerGroup} input channels on a ${x.channels}-channel input`);
    if (group === 1) return this.add(node, 'Conv2D', { filters: m, ...common }, [input], 3, m!);
    if (cPerGroup === 1 && x.channels === group && m! % group === 0) return this.add(node, 'DepthwiseConv2D', { depthMultiplier: m! / group, ...common }, [input], 3, m!);
    // Other groupings (RegNet, ResNeXt): the engine's grouped Conv2D, whose kernel (kH, kW, C/group, M) is ONNX's.
    if (x.channels !== null && cPerGroup! * group === x.channels && m! % group === 0) return this.add(node, 'Conv2D', { filters: m, groups: group, ...common }, [input], 3, m!);
    return this.fail(node, `group=${group} with weights for ${cPerGroup} input channels per group on a ${x.channels ?? '?'}-channel input`);
  }


  /**
   * ConvTranspose2d: out = (in − 1)·s + d·(k − 1) + 1 + output_padding − pads. The engine's transposed
   * convolution with 'valid' padding and the output padding, then the pads cropped off (as PyTorch defines
   * them); the weights are (C_in, C_out, kH, kW). Grouped, or with output_shape / auto_pad, it is reported.
   */
  private convTranspose(node: OnnxNode, attrs: Attrs, x: Value): Value | null {
    const w = this.weightDims(node.input[1]);
    if (!w || w.length !== 4 || w.some((d) => d === null)) return this.fail(node, w && w.length !== 4 ? `${w.length - 2}-D` : 'weights of unknown shape');
    const [cin, cout, kh, kw] = w as number[];
    if ((num(attrs.get('group')) ?? 1) !== 1) return this.fail(node, 'with groups');
    if (attrs.has('output_shape') || (attrs.get('auto_pad') ?? 'NOTSET') !== 'NOTSET') return this.fail(node, 'with output_shape or auto_pad');
    if (x.rank !== 3 || (x.channels !== null && x.channels !== cin)) return this.fail(node, `with weights for ${cin} input channels on a ${x.channels ?? '?'}-channel input`);
    const strides = pair(attrs.get('strides')) ?? [1, 1];
    const dilations = pair(attrs.get('dilations')) ?? [1, 1];
    const outputPadding = pair(attrs.get('output_padding')) ?? [0, 0];
    const pads = attrs.get('pads');
    const [top, left, bottom, right] = Array.isArray(pads) && pads.length === 4 ? (pads as number[]) : [0, 0, 0, 0];
    const useBias = (node.input[2] ?? '') !== '';
    const args = { filters: cout, kernelSize: [kh, kw], strides, dilationRate: dilations, padding: 'valid', outputPadding, useBias };
    const deconv = this.add(node, 'Conv2DTranspose', args, [x], 3, cout!);
    if (!top && !left && !bottom && !right) return deconv;
    return this.add(node, 'Cropping2D', { cropping: [[top, bottom], [left, right]] }, [deconv], 3, cout!, 'pads');
  }

  /** 'same' when the explicit pads give 'same''s shape, else explicit zero padding and 'valid'. */
  private padding(node: OnnxNode, attrs: Attrs, kernel: [number, number], strides: [number, number], dilations: [number, number]): { mode: 'same' | 'valid'; pre: number[][] | null } | null {
    const auto = attrs.get('auto_pad');
    if (auto === 'SAME_UPPER') return { mode: 'same', pre: null };
    if (auto === 'VALID') return { mode: 'valid', pre: null };
    if (auto === 'SAME_LOWER') return this.fail(node, 'auto_pad SAME_LOWER');
    const pads = attrs.get('pads');
    const p = Array.isArray(pads) && pads.length === 4 ? (pads as number[]) : [0, 0, 0, 0];
    const [top, left, bottom, right] = p as [number, number, number, number];
    if (top === 0 && left === 0 && bottom === 0 && right === 0) return { mode: 'valid', pre: null };
    // Symmetric pads of d·(k−1)/2 give ⌈H/s⌉, which is what tfjs's 'same' gives.
    if (top === bottom && left === right && 2 * top === dilations[0] * (kernel[0] - 1) && 2 * left === dilations[1] * (kernel[1] - 1)) return { mode: 'same', pre: null };
    void strides;
    return { mode: 'valid', pre: [[top, bottom], [left, right]] };
  }

  private pool(node: OnnxNode, attrs: Attrs, x: Value): Value | null {
    const kernel = pair(attrs.get('kernel_shape'));
    if (!kernel) return this.fail(node, 'without a 2-D kernel_shape');
    const strides = pair(attrs.get('strides')) ?? [1, 1];
    const dilations = pair(attrs.get('dilations')) ?? [1, 1];
    if (dilations[0] !== 1 || dilations[1] !== 1) return this.fail(node, 'dilations > 1');
    const ceil = num(attrs.get('ceil_mode')) === 1;
    const padding = this.padding(node, attrs, kernel, strides, dilations);
    if (padding === null) return null;
    let pre = padding.pre;
    let mode = padding.mode;
    if (ceil) {
      // ceil_mode adds stride−1 rows and columns at the bottom/right; exact while no window starts in the padding.
      const p = pre ?? (mode === 'same' ? [[(kernel[0] - 1) / 2, (kernel[0] - 1) / 2], [(kernel[1] - 1) / 2, (kernel[1] - 1) / 2]] : [[0, 0], [0, 0]]);
      if ([0, 1].some((a) => strides[a]! > 1 && kernel[a]! < p[a]![0]! + strides[a]!)) return this.fail(node, 'ceil_mode with kernel < padding + stride');
      pre = [[p[0]![0]!, p[0]![1]! + strides[0] - 1], [p[1]![0]!, p[1]![1]! + strides[1] - 1]];
      mode = 'valid';
    }
    let input = x;
    if (pre) input = this.add(node, 'ZeroPadding2D', { padding: pre }, [x], 3, x.channels, ceil ? 'ceil' : 'pad');
    const type = node.op_type === 'MaxPool' ? 'MaxPooling2D' : 'AveragePooling2D';
    return this.add(node, type, { poolSize: kernel, strides, padding: mode }, [input], 3, x.channels);
  }

  private clipActivation(node: OnnxNode, attrs: Attrs): string {
    const min = num(attrs.get('min')) ?? this.constants.get(node.input[1] ?? '')?.[0] ?? this.scalar(node.input[1]);
    const max = num(attrs.get('max')) ?? this.constants.get(node.input[2] ?? '')?.[0] ?? this.scalar(node.input[2]);
    // Any clip keeps the shape; relu6 is named when it is one, else it is analysed as linear (same shape, no weights).
    return min === 0 && max === 6 ? 'relu6' : 'linear';
  }

  private scalar(name: string | undefined): number | null {
    const v = name ? this.constants.get(name) : undefined;
    return v && v.length === 1 ? v[0]! : null;
  }

  private reshape(node: OnnxNode, x: Value): Value | null {
    const shape = this.constants.get(node.input[1] ?? '');
    if (!allKnown(shape)) return this.fail(node, 'to a shape computed in the graph');
    if (x.shuffle) {
      const [, c, h, w] = shape;
      const channels = x.channels!;
      if (shape.length !== 4 || !(c === channels || c === -1) || h !== x.shuffle.hw[0] || w !== x.shuffle.hw[1]) return this.fail(node, `to ${JSON.stringify(shape)} after a channel shuffle's transpose`);
      return this.add(node, 'ChannelShuffle', { groups: x.shuffle.groups }, [x], 3, channels);
    }
    if (shape.length === 5 && x.rank === 3 && x.channels !== null && shape[1]! > 0 && shape[1]! * shape[2]! === x.channels && shape[3]! > 0 && shape[4]! > 0) {
      // The first step of a channel shuffle; the engine layer comes at its last view.
      return { ...x, rank: null, shuffle: { groups: shape[1]!, stage: 1, hw: [shape[3]!, shape[4]!] } };
    }
    // (N, C, 1, 1) viewed as (−1) with batch 1: the dynamo export's as_strided, undone by the Gather after it.
    if (shape.length === 1 && shape[0] === -1 && x.unitSpatial && this.batchOne()) return { layer: x.layer, rank: null, channels: x.channels, flatOf: x };
    // (N, G, −1): the first step of nn.GroupNorm's export (Value.groupNorm); the engine layer comes at its last step.
    if (shape.length === 3 && x.rank === 3 && !x.layout && x.channels !== null && shape[1]! > 0 && x.channels % shape[1]! === 0 && shape[2] === -1) {
      if (!this.keepsBatch(shape[0]!)) return this.fail(node, `to ${JSON.stringify(shape)}, which does not keep the batch`);
      return { layer: x.layer, rank: null, channels: x.channels, groupNorm: { groups: shape[1]!, stage: 'grouped', source: node.input[0]!, of: x, weights: [] } };
    }
    // (N, -1) or (N, k) is a flatten to a vector: the same in NCHW and NHWC. Other reshapes depend on the layout.
    if (shape.length === 2 && (shape[1] === -1 || (shape[1] ?? 0) > 0)) {
      // The batch is kept only by 0 (copy), one −1 beside a fixed width, or the batch itself: (2, −1) on a batch
      // of 1 halves the features, and ONNX refuses two −1s.
      const batch = this.graph.inputs.find((i) => this.values.get(i.name)?.layer === INPUT)?.dims[0] ?? null;
      const [n, k] = shape as [number, number];
      if (!(n === 0 || (n === -1 && k !== -1) || (batch !== null ? n === batch : n === 1))) return this.fail(node, `to ${JSON.stringify(shape)}, which does not keep the batch${batch === null ? '' : ` of ${batch}`}`);
      if (x.rank === 1) return x;
      return shape[1] === -1 ? this.add(node, 'Flatten', {}, [x], 1, null) : this.add(node, 'Reshape', { targetShape: [shape[1]] }, [x], 1, shape[1]!);
    }
    return this.fail(node, `to ${JSON.stringify(shape)} (only reshapes to (N, features) are mapped)`);
  }

  /** A first dimension that keeps the batch: 0 (copied from the input) or the input's own batch size. */
  private keepsBatch(n: number): boolean {
    const batch = this.graph.inputs.find((i) => this.values.get(i.name)?.layer === INPUT)?.dims[0] ?? null;
    return n === 0 || (batch !== null && n === batch);
  }

  /** A tensor the file holds (an initializer, or a graph input with export_params=False), not a Constant node's value. */
  private isFileTensor(name: string): boolean {
    return this.graph.initializers.has(name) || this.graph.inputs.some((i) => i.name === name && this.weights.has(name));
  }

  /**
   * nn.InstanceNorm2d: the engine's InstanceNormalization; affine when the file holds its (C,) scale and bias
   * (with affine=False the TorchScript exporter writes ones and zeros as Constant nodes, which are not weights).
   */
  private instanceNorm(node: OnnxNode, attrs: Attrs, x: Value): Value | null {
    if (x.rank !== 3 || x.channels === null) return this.fail(node, 'on a tensor that is not (N, C, H, W) with known channels');
    const [scale, bias] = [node.input[1] ?? '', node.input[2] ?? ''];
    const perChannel = [scale, bias].every((n) => this.weightDims(n)?.join() === String(x.channels));
    const held = [scale, bias].map((n) => this.isFileTensor(n));
    if (!perChannel || held[0] !== held[1]) return this.fail(node, 'with a scale and bias that are not one value per channel, both held in the file or both constant');
    return this.add(node, 'InstanceNormalization', { epsilon: num(attrs.get('epsilon')) ?? 1e-5, affine: held[0] }, [x], 3, x.channels);
  }

  /** The steps after Reshape(x, (N, G, −1)) of nn.GroupNorm's export (Value.groupNorm). */
  private groupNormStep(node: OnnxNode, g: Value): Value | null {
    const gn = g.groupNorm!;
    const c = g.channels!;
    const refuse = (why: string): null => this.fail(node, `${why} (only nn.GroupNorm's Reshape to (N, G, −1) → InstanceNormalization → Reshape back is mapped)`);
    if (node.input[0] !== node.input.find((n) => this.values.get(n) === g) || node.input.slice(1).some((n) => this.values.has(n))) return refuse('reading a grouped view of the channels');
    if (gn.stage === 'grouped' && node.op_type === 'InstanceNormalization') {
      const [scale, bias] = [node.input[1] ?? '', node.input[2] ?? ''];
      if (![scale, bias].every((n) => this.weightDims(n)?.join() === String(gn.groups))) return refuse(`with a scale and bias that are not one value per group of ${gn.groups}`);
      const weights = [scale, bias].filter((n) => this.isFileTensor(n)).map((n) => ({ name: n === scale ? 'group_scale' : 'group_bias', shape: [gn.groups], trainable: true }));
      return { ...g, groupNorm: { ...gn, stage: 'normalised', weights } };
    }
    if (gn.stage === 'normalised' && node.op_type === 'Reshape') {
      const target = node.input[1] ?? '';
      const shape = this.constants.get(target);
      const restores = this.shapeSources.get(target) === gn.source;
      // A constant (N, C, H, W): the engine's H and W are checked against it (stated shapes).
      const stated = !restores && allKnown(shape) && shape.length === 4 && this.keepsBatch(shape[0]!) && shape[1] === c && shape[2]! > 0 && shape[3]! > 0;
      if (!restores && !stated) return refuse(`back to ${JSON.stringify(shape ?? 'a computed shape')}, not the shape of the tensor grouped`);
      const out = this.add(node, USER_LAYER, { outputShape: 'input', weights: gn.weights, macs: 0 }, [gn.of], 3, c);
      this.layers[this.layers.length - 1]!.frameworkType = `GroupNorm (ONNX, ${gn.groups} groups: Reshape → InstanceNormalization → Reshape)`;
      if (stated) this.statedShapes.push({ layer: out.layer, shape: [null, shape![1]!, shape![2]!, shape![3]!] });
      return out;
    }
    return refuse(`the ONNX op ${node.op_type}`);
  }

  private gemm(node: OnnxNode, attrs: Attrs, x: Value): Value | null {
    const b = this.weightDims(node.input[1]);
    if (!b || b.length !== 2 || b.some((d) => d === null)) return this.fail(node, 'with a weight of unknown shape');
    if ((num(attrs.get('transA')) ?? 0) !== 0) return this.fail(node, 'transA=1');
    const units = (num(attrs.get('transB')) ?? 0) === 1 ? b[0]! : b[1]!;
    const c = node.input[2] ?? '';
    const useBias = c !== '';
    const cDims = this.weightDims(c);
    if (useBias && !(cDims && cDims.length === 1 && cDims[0] === units)) return this.fail(node, 'with a bias that is not one value per output');
    return this.add(node, 'Dense', { units, useBias }, [x], 1, units);
  }

  private matmul(node: OnnxNode, x: Value): Value | null {
    const b = this.weightDims(node.input[1]);
    if (!b || b.length !== 2 || b.some((d) => d === null) || this.values.has(node.input[1] ?? '')) return this.fail(node, 'of two activations or with a weight of unknown shape');
    // On (N, C, H, W) a MatMul multiplies along W, not the channels: not a Dense.
    if (x.rank !== 1 && x.layout !== 'nhwc') return this.fail(node, 'along the W axis of an (N, C, H, W) tensor');
    if (x.channels !== null && b[0] !== x.channels) return this.fail(node, `with a (${b.join(', ')}) weight on ${x.channels} features`);
    const out = this.add(node, 'Dense', { units: b[1], useBias: false }, [x], x.rank, b[1]!);
    this.unbiasedDense.set(out.layer, node.output[0]!);
    return { ...out, layout: x.layout };
  }

  private merge(node: OnnxNode, x: Value): Value | null {
    const inputs = node.input.map((n) => this.values.get(n));
    const perChannel = this.perChannel(node, x);
    if (perChannel !== undefined) return perChannel;
    if (inputs.some((v) => v === undefined)) {
      const other = node.input.find((n) => !this.values.has(n));
      const w = other === undefined ? undefined : this.weights.get(other);
      // A scalar constant broadcasts without changing the shape and is not a parameter (x * 0.5, x + 3).
      if (w && w.dims.every((d) => d === 1) && node.input.length === 2) return { ...this.add(node, 'Activation', { activation: 'linear' }, [x], x.rank, x.channels), layout: x.layout };
      return this.fail(node, w ? `with a constant operand of shape (${w.dims.join(', ')})` : `with an operand computed from constants (${other ?? '?'}), not from the input`);
    }
    return { ...this.add(node, MERGES[node.op_type]!, {}, inputs as Value[], x.rank, x.channels), layout: x.layout };
  }

  /** The layout of an activation for per-channel constants. */
  private layoutOf(x: Value): OnnxLayout | null {
    if (x.layout === 'nhwc') return 'nhwc';
    return x.rank === 3 ? 'nchw' : x.rank === 1 ? 'vector' : null;
  }

  /**
   * x + b or x · s with one value per channel: a MatMul's bias (folded into the Dense it follows, as torch's
   * Linear holds it) or a parameter of its own (ConvNeXt's layer scale): a shape-keeping step that carries the
   * weights, with no multiply-accumulates (torch's FlopCounterMode counts none for element-wise ops).
   */
  private perChannel(node: OnnxNode, x: Value): Value | null | undefined {
    if (node.input.length !== 2 || (node.op_type !== 'Add' && node.op_type !== 'Mul')) return undefined;
    const other = node.input.find((n) => !this.values.has(n));
    const w = other === undefined ? undefined : this.weights.get(other);
    const layout = this.layoutOf(x);
    if (!w || !isFloating(w.dataType) || isScalar(w.dims) || layout === null || x.channels === null || !isPerChannel(w.dims, layout, x.channels)) return undefined;
    const dense = this.layers.at(-1);
    if (node.op_type === 'Add' && dense && dense.name === x.layer && this.unbiasedDense.get(x.layer) === node.input.find((n) => this.values.has(n)) && this.consumers(this.unbiasedDense.get(x.layer)!) === 1) {
      // MatMul + Add is how both exporters write nn.Linear on a tensor of rank > 2: one Dense with its bias.
      this.layers[this.layers.length - 1] = { ...dense, args: { ...dense.args, useBias: true } };
      this.unbiasedDense.delete(x.layer);
      const stated = this.statedParams.find((p) => p.layer === x.layer);
      if (stated) stated.params += x.channels;
      this.used.delete(this.nodeName);
      return x;
    }
    const count = (w.dims as number[]).reduce((a, b) => a * b, 1);
    const out = this.add(node, USER_LAYER, { outputShape: 'input', weights: [{ name: node.op_type === 'Mul' ? 'scale' : 'bias', shape: [count], trainable: true }], macs: 0 }, [x], x.rank, x.channels);
    this.layers[this.layers.length - 1]!.frameworkType = `${node.op_type} (ONNX, one ${node.op_type === 'Mul' ? 'scale' : 'bias'} per channel)`;
    this.sharesWeights(node, out.layer, [other!]);
    return { ...out, layout: x.layout };
  }

  private consumers(name: string): number {
    return new Set((this.uses.get(name) ?? []).map((u) => u.node)).size;
  }

  /** x − c, x / c, x ^ c by a scalar constant keeps the shape and adds no weights (GELU's x / √2). */
  private scalarArithmetic(node: OnnxNode, x: Value): Value | null {
    const w = this.weights.get(node.input[1] ?? '');
    if (this.values.get(node.input[0] ?? '') !== x || !w || !isScalar(w.dims)) return this.fail(node, 'other than an activation by a scalar constant');
    return { ...this.add(node, 'Activation', { activation: 'linear' }, [x], x.rank, x.channels), layout: x.layout };
  }

  private layerNorm(node: OnnxNode, attrs: Attrs, x: Value): Value | null {
    const axis = num(attrs.get('axis')) ?? -1;
    const last = x.rank === 1 ? [1, -1] : [3, -1];
    if (!last.includes(axis)) return this.fail(node, `over axis ${axis} (only the last axis is mapped)`);
    const gamma = this.weightDims(node.input[1]);
    if (!gamma || gamma.length !== 1 || gamma[0] !== x.channels) return this.fail(node, 'with a scale that is not one value per channel');
    const center = (node.input[2] ?? '') !== '';
    const out = this.add(node, 'LayerNormalization', { axis: -1, epsilon: num(attrs.get('epsilon')) ?? 1e-5, center }, [x], x.rank, x.channels);
    this.statedParams.push({ layer: out.layer, params: x.channels! * (center ? 2 : 1) });
    return { ...out, layout: x.layout };
  }

  /**
   * F.layer_norm as the exporter writes it below opset 17 (ConvNeXt's LayerNorm2d after its Transpose, a head's
   * nn.LayerNorm on (N, C)):
   * u = ReduceMean(x, [-1]); d = x − u; d / Sqrt(ReduceMean(d², [-1]) + eps), each step read only by the next.
   * One LayerNormalization without weights of its own (the Mul and Add by the weight and bias after it are
   * per-channel steps holding them), the steps after this node skipped; null when the graph is not that.
   */
  private decomposedLayerNorm(node: OnnxNode, attrs: Attrs, x: Value): Value | null {
    const lastAxis = (n: OnnxNode, a: Attrs): boolean => {
      const axes = (a.get('axes') as number[] | undefined) ?? this.constants.get(n.input[1] ?? '');
      return Array.isArray(axes) && axes.length === 1 && (axes[0] === -1 || axes[0] === x.rank) && (num(a.get('keepdims')) ?? 1) === 1;
    };
    // The one node reading `name`, if it is an `op` reading it in `slot`.
    const only = (name: string, op: string, slot: number): OnnxNode | null => {
      const uses = this.uses.get(name) ?? [];
      return uses.length === 1 && uses[0]!.node.op_type === op && uses[0]!.slot === slot ? uses[0]!.node : null;
    };
    // The exporter writes each Constant just before the node that reads it: later than this one.
    const scalar = (name: string | undefined): number | null => {
      const t = name === undefined ? undefined : this.constantNodes.get(name)?.attribute.find((a) => a.name === 'value')?.t;
      const v = name === undefined ? undefined : (this.constants.get(name) ?? (t ? constantTensorValues(t) : null) ?? undefined);
      return v && v.length === 1 && Number.isFinite(v[0]) ? v[0]! : null;
    };
    if (!lastAxis(node, attrs) || x.channels === null) return null;
    const sub = only(node.output[0]!, 'Sub', 1);
    if (!sub || sub.input[0] !== node.input[0]) return null;
    const d = sub.output[0]!;
    const uses = this.uses.get(d) ?? [];
    const pow = uses.find((u) => u.node.op_type === 'Pow' && u.slot === 0)?.node;
    const div = uses.find((u) => u.node.op_type === 'Div' && u.slot === 0)?.node;
    if (uses.length !== 2 || !pow || !div || scalar(pow.input[1]) !== 2) return null;
    const variance = only(pow.output[0]!, 'ReduceMean', 0);
    if (!variance || !lastAxis(variance, attrsOf(variance))) return null;
    const plusEps = only(variance.output[0]!, 'Add', 0);
    const epsilon = plusEps ? scalar(plusEps.input[1]) : null;
    const sqrt = plusEps ? only(plusEps.output[0]!, 'Sqrt', 0) : null;
    if (!plusEps || epsilon === null || epsilon < 0 || !sqrt || only(sqrt.output[0]!, 'Div', 1) !== div) return null;
    for (const n of [sub, pow, variance, plusEps, sqrt, div]) this.skipped.add(n);
    const out = this.add(node, 'LayerNormalization', { axis: -1, epsilon, center: false, scale: false }, [x], x.rank, x.channels);
    this.layers[this.layers.length - 1]!.frameworkType = 'LayerNorm (ONNX ops)';
    const result: Value = { ...out, layout: x.layout };
    this.values.set(div.output[0]!, result);
    return result;
  }

  /**
   * Ops on an (N, H, W, C) tensor: those that act on the last axis or element by element, which is what they
   * do in the engine's layout; back to (N, C, H, W) with Transpose(0, 3, 1, 2). Anything else depends on the
   * layout and is reported.
   */
  private channelsLast(node: OnnxNode, attrs: Attrs, x: Value): Value | null {
    const op = node.op_type;
    const inputs = node.input.map((n) => this.values.get(n)).filter((v): v is Value => v !== undefined);
    if (inputs.some((v) => v.layout !== 'nhwc')) return this.fail(node, 'mixing (N, H, W, C) and (N, C, H, W) tensors');
    const keep = (v: Value): Value => ({ ...v, layout: 'nhwc' });
    if (op in ACTIVATIONS) return keep(this.add(node, 'Activation', { activation: ACTIVATIONS[op] }, [x], 3, x.channels));
    switch (op) {
      case 'Transpose': {
        const perm = attrs.get('perm');
        if (Array.isArray(perm) && perm.join() === '0,3,1,2') return { layer: x.layer, rank: 3, channels: x.channels };
        return this.fail(node, `with perm ${JSON.stringify(perm)} on an (N, H, W, C) tensor`);
      }
      case 'LayerNormalization':
        return this.layerNorm(node, attrs, x);
      case 'ReduceMean':
      case 'ReduceMax': {
        const norm = op === 'ReduceMean' ? this.decomposedLayerNorm(node, attrs, x) : null;
        if (norm) return norm;
        // x.mean((1, 2)) on (N, H, W, C): global pooling over H and W, as in the engine's own layout.
        const axes = (attrs.get('axes') as number[] | undefined) ?? this.constants.get(node.input[1] ?? '');
        const spatial = Array.isArray(axes) && axes.length === 2 && axes.map((a) => (a < 0 ? a + 4 : a)).sort().join() === '1,2';
        if (x.channels === null || !spatial || (num(attrs.get('noop_with_empty_axes')) ?? 0) !== 0) return this.fail(node, `over axes ${JSON.stringify(axes ?? 'all')} of an (N, H, W, C) tensor (only the mean or max over H and W is mapped)`);
        const pooled = this.add(node, op === 'ReduceMean' ? 'GlobalAveragePooling2D' : 'GlobalMaxPooling2D', {}, [x], 1, x.channels);
        return (num(attrs.get('keepdims')) ?? 1) === 1 ? keep(this.add(node, 'Reshape', { targetShape: [1, 1, x.channels] }, [pooled], 3, x.channels, 'keepdims')) : pooled;
      }
      case 'MatMul':
        return this.matmul(node, x);
      case 'Identity':
        return x;
      case 'Dropout':
        return keep(this.add(node, 'Dropout', { rate: 0.5 }, [x], 3, x.channels));
      case 'Sub':
      case 'Div':
      case 'Pow':
        return this.scalarArithmetic(node, x);
      default:
        if (op in MERGES) return this.merge(node, x);
        return this.fail(node, 'on an (N, H, W, C) tensor (after a Transpose to channels-last only last-axis and element-wise ops are mapped)');
    }
  }

  /** Gather(reshape(x, −1), indices 0…C−1 shaped (1, C, 1, 1)) of a pooled (1, C, 1, 1) x is x itself. */
  private unflatten(node: OnnxNode, attrs: Attrs, flat: Value): Value | null {
    const x = flat.flatOf!;
    const indices = this.weights.get(node.input[1] ?? '');
    const c = x.channels!;
    const identity = indices?.values && indices.values.length === c && indices.values.every((v, i) => v === i);
    if ((num(attrs.get('axis')) ?? 0) !== 0 || !indices || indices.dims.join() !== `1,${c},1,1` || !identity) return this.fail(node, 'of a (−1) view with indices other than 0…C−1 shaped (1, C, 1, 1)');
    return x;
  }

  private batchOne(): boolean {
    return this.graph.inputs.find((i) => this.values.get(i.name)?.layer === INPUT)?.dims[0] === 1;
  }

  private pad(node: OnnxNode, attrs: Attrs, x: Value): Value | null {
    const mode = attrs.get('mode') ?? 'constant';
    const pads = (attrs.get('pads') as number[] | undefined) ?? this.constants.get(node.input[1] ?? '');
    if (!Array.isArray(pads) || pads.length !== 8 || x.rank !== 3) return this.fail(node, 'with pads the reader cannot tell');
    const [n0, c0, t, l, n1, c1, b, r] = pads;
    if (n0 || c0 || n1 || c1) return this.fail(node, 'padding the batch or channel axis');
    // Reflect/edge padding changes values, not shapes.
    void mode;
    return this.add(node, 'ZeroPadding2D', { padding: [[t, b], [l, r]] }, [x], 3, x.channels);
  }

  private resize(node: OnnxNode, attrs: Attrs, x: Value): Value | null {
    // Opset 11 needs a scales input beside sizes: the exporter writes an empty one, which is no scales.
    const given = (v: number[] | null | undefined): number[] | null => (v && v.length > 0 ? v : null);
    const scales = given(attrs.get('scales') as number[] | undefined) ?? given(this.floatConstant(node.input[2])) ?? given(this.floatConstant(node.input[1]));
    const sizes = node.input[3] ? this.constants.get(node.input[3]) : undefined;
    if (!scales && sizes !== undefined) {
      // F.interpolate(size=(h, w)) with static shapes (the dynamo export): the output is (N, C, h, w) by definition.
      const mode = attrs.get('mode') ?? 'nearest';
      const like = this.sizeOfTensor(node.input[3]!, sizes, x);
      if (like && (mode === 'linear' || mode === 'nearest') && !attrs.has('axes')) {
        // F.interpolate(x, size=y.shape[-2:]) (legacy export): y's height and width, which the engine knows.
        return this.add(node, 'Resize', { like: true, interpolation: mode === 'linear' ? 'bilinear' : 'nearest', alignCorners: attrs.get('coordinate_transformation_mode') === 'align_corners' }, [x, like], 3, x.channels);
      }
      const [n, c, h, w] = allKnown(sizes) && sizes.length === 4 ? sizes : [];
      // Past 2^53 bytes no count of its values is exact (a forged (1, 8, 2^40, 2^40)): refused, not rounded.
      const exact = n !== undefined && this.keepsBatch(n) && c === x.channels && Number.isInteger(h) && h! > 0 && Number.isInteger(w) && w! > 0 && Number.isSafeInteger(c! * h! * w! * 4);
      if (x.rank !== 3 || !exact || (mode !== 'linear' && mode !== 'nearest') || attrs.has('axes')) return this.fail(node, `to sizes ${JSON.stringify(sizes)} (only a constant (N, C, H, W) with the input's batch and channels, nearest or linear, is mapped)`);
      return this.add(node, 'Resize', { size: [h, w], interpolation: mode === 'linear' ? 'bilinear' : 'nearest', alignCorners: attrs.get('coordinate_transformation_mode') === 'align_corners' }, [x], 3, x.channels);
    }
    if (!scales || scales.length !== 4 || scales[0] !== 1 || scales[1] !== 1 || !Number.isInteger(scales[2]) || !Number.isInteger(scales[3])) {
      return this.fail(node, 'without integer spatial scales in the file');
    }
    const mode = attrs.get('mode');
    return this.add(node, 'UpSampling2D', { size: [scales[2], scales[3]], interpolation: mode === 'linear' ? 'bilinear' : 'nearest' }, [x], 3, x.channels);
  }

  /**
   * The tensor whose height and width a Resize's sizes are ((N, C) of its own input, then axes 2 and 3 of one
   * other (N, C, H, W) tensor the reader follows), else null.
   */
  private sizeOfTensor(name: string, sizes: readonly number[], x: Value): Value | null {
    const dims = this.dimSources.get(name);
    if (!dims || sizes.length !== 4 || !Number.isNaN(sizes[2]) || !Number.isNaN(sizes[3])) return null;
    const [h, w] = [dims[2], dims[3]];
    if (!h || !w || h.tensor !== w.tensor || h.axis !== 2 || w.axis !== 3) return null;
    const like = this.values.get(h.tensor);
    if (!like || like.rank !== 3 || like.layout === 'nhwc' || !this.keepsBatch(sizes[0]!) || sizes[1] !== x.channels) return null;
    return like;
  }

  private floatConstant(name: string | undefined): number[] | null {
    if (!name) return null;
    return this.constants.get(name) ?? null;
  }

  /** Floating-point weights the file holds or declares, for the report's check. */
  floatWeights(): OnnxTensorInfo[] {
    return [...this.weights.values()].filter((w) => isFloating(w.dataType));
  }
}

function num(v: unknown): number | null {
  return typeof v === 'number' ? v : null;
}

function pair(v: unknown): [number, number] | null {
  return Array.isArray(v) && v.length === 2 && v.every((d) => typeof d === 'number') ? [v[0] as number, v[1] as number] : null;
}

/** A node's attributes by name, as their values. */
function attrsOf(node: OnnxNode): Attrs {
  return new Map(node.attribute.map((a) => [a.name, attributeValue(a)]));
}

function formatDims(dims: (number | null)[]): string {
  return `(${dims.map((d) => d ?? '?').join(', ')})`;
}

/**
 * Slice(data, starts, ends[, axes[, steps]]) of a 1-D constant (the legacy exporter's Shape → Slice[0:2] for
 * F.interpolate(size=…)): ONNX's bounds, negative ones counted from the end and clamped to the length. Positive
 * steps only; null when the slice is of another axis or its bounds are unknown.
 */
function sliceConstant(values: number[][]): number[] | null {
  return sliceIndices(values)?.map((i) => values[0]![i]!) ?? null;
}

/** The indices of the 1-D data that Slice(data, starts, ends[, axes[, steps]]) keeps; null when it cannot tell. */
function sliceIndices(values: readonly (readonly number[])[]): number[] | null {
  const [data, starts, ends, axes, steps] = values as [number[], number[], number[], number[] | undefined, number[] | undefined];
  if (!starts || !ends || starts.length !== 1 || ends.length !== 1 || (axes && (axes.length !== 1 || (axes[0] !== 0 && axes[0] !== -1)))) return null;
  const step = steps?.[0] ?? 1;
  if (!Number.isInteger(step) || step < 1 || !Number.isInteger(starts[0]) || !Number.isFinite(ends[0])) return null;
  const n = data.length;
  const clamp = (v: number): number => Math.min(n, Math.max(0, v < 0 ? v + n : v));
  const out: number[] = [];
  for (let i = clamp(starts[0]!); i < clamp(ends[0]!); i += step) out.push(i);
  return out;
}

/** Axis `axis` of tensor `tensor`: a size only the engine knows. */
interface DimSource {
  tensor: string;
  axis: number;
}

/**
 * The sources of a folded shape constant's entries, for the ops that move entries without computing them
 * (Unsqueeze, Squeeze, Cast, Concat, Gather, Slice); arithmetic makes a size no single axis is (null).
 */
function foldDimSources(op: string, sources: readonly (DimSource | null)[][], values: readonly (readonly number[])[]): (DimSource | null)[] | null {
  if (op === 'Unsqueeze' || op === 'Squeeze' || op === 'Cast') return sources[0] ?? null;
  if (op === 'Concat') return sources.flat();
  if (op === 'Gather' && values[1]?.length === 1) {
    const at = values[1][0]!;
    return [sources[0]?.[at < 0 ? sources[0].length + at : at] ?? null];
  }
  if (op === 'Slice') return sliceIndices(values)?.map((i) => sources[0]?.[i] ?? null) ?? null;
  return null;
}
