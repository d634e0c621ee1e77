/**
 * The graph a model's code builds while the interpreter walks it: symbolic tensors (which engine layer made
 * them) and, per constructor call, the engine LayerSpecs it becomes. Shapes are not computed here; only the
 * rank and channel count are carried, where the code makes them certain, for translations that need them.
 */
import type { Shape } from '../shape';
import { INPUT, type BlockRef, type Framework, type LayerSpec, type ModelSpec, type SourceLocation } from '../spec';
import type { DeclaredSize, SourceCall, ValueSite } from './types';

export class LimitError extends Error {
  constructor(
    message: string,
    readonly source: SourceLocation | null = null,
  ) {
    super(message);
    this.name = 'LimitError';
  }
}

export interface TensorRef {
  kind: 'tensor';
  trace: Trace;
  /** Engine layer that produced it, or INPUT. */
  name: string;
  /** Rank without the batch axis in the engine's channels-last layout; null when unknown. */
  rank: number | null;
  /** Channel (last-axis) count when certain. */
  channels: number | null;
  /** PyTorch global pooling kept as (C) in the engine, (C, 1, 1) in PyTorch. */
  keepDims?: boolean;
  /** Height and width when certain (input known, every layer on the way understood); for adaptive pooling. */
  spatial?: [number, number] | null;
}

/** One engine layer a call becomes. */
export interface LayerPart {
  type: string;
  args: Record<string, unknown>;
  /** Name suffix for helper layers ("pad"); the last part carries the call's own name. */
  suffix?: string;
  /** Extra inputs (merge layers): the part reads all call inputs instead of the previous part. */
  merge?: boolean;
}

export interface Translation {
  parts: LayerPart[];
  rank: number | null;
  channels: number | null;
  keepDims?: boolean;
  declared?: { argument: string; value: number; axis: 'channels' | 'last' }[];
}

export interface CallInfo {
  name: string;
  sourceType: string;
  source: SourceLocation;
  use?: number;
  sharesWeightsWith?: string | null;
}

export class Trace {
  readonly layers: LayerSpec[] = [];
  readonly calls: SourceCall[] = [];
  readonly declared: DeclaredSize[] = [];
  /** Expressions that produced a tensor (forward lines, helper calls), in execution order. */
  readonly sites: ValueSite[] = [];
  private readonly names = new Set<string>([INPUT]);
  private readonly counters = new Map<string, number>();
  private readonly blockStack: BlockRef[] = [];
  readonly inputTensor: TensorRef;

  constructor(
    readonly framework: Framework,
    readonly input: Shape | null,
    readonly maxLayers: number,
  ) {
    const hw: [number, number] | null = input && input[0] != null && input[1] != null ? [input[0], input[1]] : null;
    this.inputTensor = { kind: 'tensor', trace: this, name: INPUT, rank: 3, channels: input ? (input[2] ?? null) : null, spatial: hw };
  }

  /** Records that the expression at `source` evaluated to `tensor` (for hints on forward() lines). */
  site(source: SourceLocation, tensor: TensorRef): void {
    if (tensor.trace === this && this.sites.length < this.maxLayers * 4) this.sites.push({ source, output: tensor.name });
  }

  /** `base`, or `base#2`, `base#3`, ... when taken. */
  uniqueName(base: string): string {
    if (!this.names.has(base)) return base;
    for (let i = 2; ; i++) {
      const name = `${base}#${i}`;
      if (!this.names.has(name)) return name;
    }
  }

  /** Keras-style automatic names: conv2d, conv2d_1, conv2d_2, ... */
  autoName(base: string): string {
    for (;;) {
      const n = this.counters.get(base) ?? 0;
      this.counters.set(base, n + 1);
      const name = n === 0 ? base : `${base}_${n}`;
      if (!this.names.has(name)) return name;
    }
  }

  private readonly blockCounts = new Map<string, number>();

  /** conv_block_1, conv_block_2, ... per helper function, in call order. */
  blockName(base: string): string {
    const n = (this.blockCounts.get(base) ?? 0) + 1;
    this.blockCounts.set(base, n);
    return `${base}_${n}`;
  }

  get block(): BlockRef | null {
    return this.blockStack[0] ?? null;
  }

  /**
   * Runs body inside a block named after a helper (conv_block_1, conv_block_2, ...) unless a block is already
   * open: the outermost block wins (the engine records one block per layer). `type` is asked only when a block opens.
   */
  withHelperBlock<T>(base: string, type: () => string, body: () => T): T {
    if (this.blockStack.length > 0) return body();
    return this.withBlock({ name: this.blockName(base), type: type() }, body);
  }

  /** Runs body inside a block; the outermost block wins (the engine records one block per layer). */
  withBlock<T>(block: BlockRef, body: () => T): T {
    this.blockStack.push(block);
    try {
      return body();
    } finally {
      this.blockStack.pop();
    }
  }

  /** Adds the engine layers of one call and returns its output tensor. */
  emit(call: CallInfo, translation: Translation, inputs: readonly TensorRef[]): TensorRef {
    const name = this.uniqueName(call.name);
    const made: string[] = [];
    let previous = inputs.map((t) => t.name);
    translation.parts.forEach((part, i) => {
      const last = i === translation.parts.length - 1;
      const layerName = last ? name : this.uniqueName(`${name}/${part.suffix ?? `part${i}`}`);
      if (this.layers.length >= this.maxLayers) throw new LimitError(`more than ${this.maxLayers} layers; stopped reading`, call.source);
      this.names.add(layerName);
      this.layers.push({
        name: layerName,
        type: part.type,
        args: part.args,
        inputs: part.merge ? inputs.map((t) => t.name) : previous,
        block: this.block,
        source: call.source,
      });
      made.push(layerName);
      previous = [layerName];
    });
    if (made.length === 0) this.names.add(name);
    const output = made.length > 0 ? made[made.length - 1]! : (inputs[0]?.name ?? INPUT);
    this.calls.push({
      name,
      sourceType: call.sourceType,
      layers: made,
      output,
      source: call.source,
      block: this.block,
      use: call.use ?? 1,
      sharesWeightsWith: call.sharesWeightsWith ?? null,
      ...(translation.keepDims ? { keepDims: true } : {}),
    });
    for (const d of translation.declared ?? []) {
      if (made.length === 0) continue;
      this.declared.push({ layer: made[0]!, argument: d.argument, value: d.value, axis: d.axis, source: call.source, sourceType: call.sourceType });
    }
    let spatial: [number, number] | null = translation.rank === 3 ? (inputs[0]?.spatial ?? null) : null;
    for (const part of translation.parts) spatial = spatialAfter(part, spatial);
    if (translation.rank !== 3) spatial = null;
    const out: TensorRef = { kind: 'tensor', trace: this, name: output, rank: translation.rank, channels: translation.channels, spatial };
    if (translation.keepDims) out.keepDims = true;
    return out;
  }

  /**
   * The spec of the layers that lead to `outputs` (all layers when null), in the order they were made.
   */
  toSpec(
    name: string,
    input: Shape,
    outputs: readonly string[] | null,
    source: SourceLocation | null,
  ): { spec: ModelSpec; calls: SourceCall[]; declared: DeclaredSize[]; sites: ValueSite[] } {
    let keep: Set<string> | null = null;
    if (outputs !== null) {
      keep = new Set<string>();
      const byName = new Map(this.layers.map((l) => [l.name, l]));
      const stack = [...outputs];
      while (stack.length > 0) {
        const n = stack.pop()!;
        if (keep.has(n)) continue;
        keep.add(n);
        for (const i of byName.get(n)?.inputs ?? []) stack.push(i);
      }
    }
    const layers = keep ? this.layers.filter((l) => keep!.has(l.name)) : [...this.layers];
    const calls = keep ? this.calls.filter((c) => keep!.has(c.output)) : [...this.calls];
    const declared = keep ? this.declared.filter((d) => keep!.has(d.layer)) : [...this.declared];
    const sites = keep ? this.sites.filter((x) => x.output === INPUT || keep!.has(x.output)) : [...this.sites];
    const spec: ModelSpec = { name, framework: this.framework, input, layers, source };
    return { spec, calls, declared, sites };
  }
}

function pairOf(v: unknown, fallback: [number, number] | null): [number, number] | null {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number') return [v[0], v[1]];
  return v === undefined || v === null ? fallback : null;
}

/**
 * Height and width after one engine layer, for the few translations that need them (PyTorch adaptive
 * pooling to a size other than 1). Null whenever anything is uncertain; the engine remains the authority.
 */
function spatialAfter(part: LayerPart, hw: [number, number] | null): [number, number] | null {
  if (hw === null) return null;
  const a = part.args;
  switch (part.type) {
    case 'Conv2D':
    case 'DepthwiseConv2D':
    case 'SeparableConv2D':
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const pool = part.type.endsWith('Pooling2D');
      const k = pairOf(pool ? a.poolSize : a.kernelSize, pool ? [2, 2] : null);
      const s = pairOf(a.strides, k && pool ? k : [1, 1]);
      const d = pairOf(a.dilationRate, [1, 1]);
      if (!k || !s || !d) return null;
      const out = [0, 1].map((i) => (a.padding === 'same' ? Math.ceil(hw[i]! / s[i]!) : Math.floor((hw[i]! - d[i]! * (k[i]! - 1) - 1) / s[i]!) + 1));
      return out.every((x) => x > 0) ? [out[0]!, out[1]!] : null;
    }
    case 'ZeroPadding2D': {
      const p = a.padding;
      if (typeof p === 'number') return [hw[0] + 2 * p, hw[1] + 2 * p];
      if (Array.isArray(p) && Array.isArray(p[0]) && Array.isArray(p[1])) return [hw[0] + Number(p[0][0]) + Number(p[0][1]), hw[1] + Number(p[1][0]) + Number(p[1][1])];
      if (Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number') return [hw[0] + 2 * p[0], hw[1] + 2 * p[1]];
      return null;
    }
    case 'Conv2DTranspose': {
      const k = pairOf(a.kernelSize, null);
      const s = pairOf(a.strides, [1, 1]);
      if (!k || !s) return null;
      return a.padding === 'same' ? [hw[0] * s[0], hw[1] * s[1]] : [hw[0] * s[0] + Math.max(k[0] - s[0], 0), hw[1] * s[1] + Math.max(k[1] - s[1], 0)];
    }
    case 'UpSampling2D': {
      const s = pairOf(a.size, [2, 2]);
      return s ? [hw[0] * s[0], hw[1] * s[1]] : null;
    }
    case 'Reshape': {
      const t = a.targetShape;
      return Array.isArray(t) && t.length === 3 && typeof t[0] === 'number' && typeof t[1] === 'number' && t[0] > 0 && t[1] > 0 ? [t[0], t[1]] : null;
    }
    case 'Activation':
    case 'ReLU':
    case 'LeakyReLU':
    case 'BatchNormalization':
    case 'Dropout':
    case 'Add':
    case 'Multiply':
    case 'Concatenate':
      return hw;
    default:
      return null;
  }
}
