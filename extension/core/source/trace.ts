/**
 * The graph a model's code builds while the interpreter walks it: per constructor call, the engine LayerSpecs
 * it becomes, each applied at once to a real TensorFlow.js SymbolicTensor (shape-only weights), the way Keras
 * itself works. So every tensor the interpreter holds has its real shape, from tfjs: `x.shape[-1]` in a
 * condition, a flatten size computed by running a dummy tensor, adaptive pooling's window. Where a shape is
 * unknown (no input yet, an unsupported layer on the way) it stays null; nothing here guesses one.
 */
import type { Shape } from '../shape';
import { INPUT, type BlockRef, type Framework, type LayerSpec, type ModelSpec, type SourceLocation } from '../spec';
import type { TfModule } from '../tfjs/loadTf';
import { isSupportedType } from '../tfjs/layerFactory';
import { layerOutcome } from '../tfjs/layerOutcome';
import type { DeclaredSize, SourceCall, ValueSite } from './types';


/**
 * The layer type that stands for code the reader could not tell would run; `args.reason` says why. The engine
 * reports it as an issue with that reason, and everything after it is unknown.
 */
export const UNKNOWN_LAYER = 'Unknown';

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
  /** Shape without the batch axis in the engine's channels-last layout, as tfjs computed it; null when unknown. */
  shape: Shape | null;
  /** Rank without the batch axis (shape.length); null when unknown. */
  rank: number | null;
  /** Last-axis (channel) size; null when unknown. */
  channels: number | null;
}

/** A tensor value named `name` with a shape (rank and channels follow from it). */
export function tensorRef(trace: Trace, name: string, shape: Shape | null): TensorRef {
  return { kind: 'tensor', trace, name, shape, rank: shape ? shape.length : null, channels: shape && shape.length > 0 ? (shape[shape.length - 1] ?? null) : null };
}

/** One engine layer a call becomes. */
export interface LayerPart {
  type: string;
  args: Record<string, unknown>;
  /** Name suffix for helper layers ("pad"); the last part carries the call's own name. */
  suffix?: string;
  /** Extra inputs (merge layers): the part reads all call inputs instead of the previous part. */
  merge?: boolean;
  /** The class the framework names it by, where the engine type is not it (a user Keras layer: LayerScale). */
  frameworkType?: string;
  /** Its parameters were frozen by the code (PyTorch requires_grad False). */
  frozen?: boolean;
}

export interface Translation {
  parts: LayerPart[];
  /** Parameters the constructor fixes (PyTorch Linear/Conv2d/BatchNorm as written); they go on the last part. */
  params?: number;
  declared?: { argument: string; value: number; axis: 'channels' | 'last' }[];
}

export interface CallInfo {
  name: string;
  sourceType: string;
  source: SourceLocation;
  use?: number;
  sharesWeightsWith?: string | null;
}

export interface TraceMark {
  layers: number;
  calls: number;
  declared: number;
  sites: number;
  unknownFrom: UnknownFrom | null;
}

/** The first layer whose output shape tfjs could not give, and the call that made it. */
interface UnknownFrom {
  layer: string;
  sourceType: string;
  line: number;
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
  /** The output shape tfjs gave every engine layer applied so far, by name (INPUT too when the input is known). */
  private readonly shapes = new Map<string, Shape>();
  private unknownFrom: UnknownFrom | null = null;
  /**
   * The batch size the code runs the model on (its example `model(torch.randn(2, …))` or input comment), null
   * when it states none. Shapes are shown per sample; only ops whose result depends on the batch (squeeze())
   * read it.
   */
  batch: number | null = null;

  /** The first layer whose output shape tfjs could not give ("conv1 (nn.Conv2d, line 12)"), for messages about unknowns. */
  get firstUnknown(): string | null {
    const u = this.unknownFrom;
    return u && `${u.layer} (${u.sourceType}, line ${u.line})`;
  }

  /** Whether a layer after `mark` was the first with an unknown shape. */
  unknownSince(mark: TraceMark): boolean {
    return this.unknownFrom !== mark.unknownFrom;
  }

  /** The same layer's call as the code writes it ("nn.LPPool2d at line 8"), the same in every read of the file. */
  get firstUnknownSite(): string | null {
    const u = this.unknownFrom;
    return u && `${u.sourceType} at line ${u.line}`;
  }

  /**
   * `input` is the engine shape (H, W, C; unknown sizes null) or null when the input is not known yet; `example`
   * marks a dummy tensor made by the code itself (torch.zeros(1, 3, 32, 32)), whose layers are no model's.
   */
  constructor(
    readonly framework: Framework,
    readonly input: Shape | null,
    readonly maxLayers: number,
    readonly tf: TfModule,
    readonly example: number[] | null = null,
  ) {
    // tf.input accepts any such shape (it checks sizes only when a layer is applied): nothing to ask it here.
    if (input !== null && input.every((d) => d === null || (Number.isInteger(d) && d > 0))) this.shapes.set(INPUT, input);
    this.inputTensor = tensorRef(this, INPUT, this.shapes.has(INPUT) ? input : null);
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

  /** Adds the engine layers of one call, applies them in tfjs, and returns its output tensor. */
  emit(call: CallInfo, translation: Translation, inputs: readonly TensorRef[]): TensorRef {
    const name = this.uniqueName(call.name);
    const made: string[] = [];
    let previous = inputs.map((t) => t.name);
    let shape: Shape | null = inputs[0]?.shape ?? null;
    translation.parts.forEach((part, i) => {
      const last = i === translation.parts.length - 1;
      const layerName = last ? name : this.uniqueName(`${name}/${part.suffix ?? `part${i}`}`);
      if (this.layers.length >= this.maxLayers) throw new LimitError(`more than ${this.maxLayers} layers; stopped reading`, call.source);
      this.names.add(layerName);
      const spec: LayerSpec = {
        name: layerName,
        type: part.type,
        args: part.args,
        inputs: part.merge ? inputs.map((t) => t.name) : previous,
        block: this.block,
        source: call.source,
        ...(last && translation.params !== undefined ? { declaredParams: translation.params } : {}),
        // Every part of a reused module shares its weights (an nn.Conv2d(k=3, padding=2) is a ZeroPadding2D and a Conv2D).
        ...(call.sharesWeightsWith ? { sharesWeightsWith: call.sharesWeightsWith } : {}),
        ...(this.framework === 'pytorch' ? { frameworkType: pytorchClass(call.sourceType, last ? null : (part.suffix ?? `part${i}`)) } : {}),
        ...(part.frameworkType ? { frameworkType: part.frameworkType } : {}),
        ...(part.frozen ? { frozen: true } : {}),
        // PyTorch's padding / ceil_mode of one module: a row of its own would be a module PyTorch does not have.
        // The axes of one slice x[:, a:b, c:d] are one row too: its middle tensors are not the model's.
        ...(!last && ((this.framework === 'pytorch' && (part.suffix === 'pad' || part.suffix === 'ceil')) || part.suffix === 'slice') ? { foldsInto: name } : {}),
      };
      this.layers.push(spec);
      shape = this.apply(spec);
      if (shape === null && this.unknownFrom === null && this.shapes.has(INPUT)) this.unknownFrom = { layer: layerName, sourceType: call.sourceType, line: call.source.line };
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
    });
    for (const d of translation.declared ?? []) {
      if (made.length === 0) continue;
      this.declared.push({ layer: made[0]!, argument: d.argument, value: d.value, axis: d.axis, source: call.source, sourceType: call.sourceType });
    }
    return tensorRef(this, output, shape);
  }

  /**
   * A registered module the forward pass never called (PyTorch's aux heads at inference): one layer with no
   * input that is never built; `params` are its parameters as written (undefined when the code does not fix them).
   */
  notCalled(call: CallInfo, type: string, params: number | undefined, nonTrainableParams = 0): void {
    const name = this.uniqueName(call.name);
    this.names.add(name);
    // A layer of the spec (its parameters count), not a call: the code never calls it.
    this.layers.push({
      name, type, args: {}, inputs: [], block: this.block, source: call.source, notCalled: true,
      ...(params === undefined ? {} : { declaredParams: params }),
      ...(nonTrainableParams > 0 ? { declaredNonTrainableParams: nonTrainableParams } : {}),
      ...(this.framework === 'pytorch' ? { frameworkType: pytorchClass(call.sourceType, null) } : {}),
    });
  }

  /** Where the trace stands now, to take back what a body adds (a user Keras layer's call(), read for its shape). */
  mark(): TraceMark {
    return { layers: this.layers.length, calls: this.calls.length, declared: this.declared.length, sites: this.sites.length, unknownFrom: this.unknownFrom };
  }

  /** Takes back every layer, call and site added since `mark`; returns the layers taken back. */
  rollback(mark: TraceMark): LayerSpec[] {
    const removed = this.layers.splice(mark.layers);
    this.calls.splice(mark.calls);
    this.declared.splice(mark.declared);
    this.sites.splice(mark.sites);
    this.unknownFrom = mark.unknownFrom;
    return removed;
  }

  /** The shape of a layer's output, or of the input ("input"), when tfjs knows it. */
  shapeOf(name: string): Shape | null {
    return this.shapes.get(name) ?? null;
  }

  /**
   * Applies one engine layer in tfjs. Its shape is null when an input is unknown, the type is not an engine
   * layer, tfjs rejects it or a size collapses: the engine's analysis reports why, at that layer.
   */
  private apply(spec: LayerSpec): Shape | null {
    const inputs = spec.inputs.map((n) => this.shapes.get(n));
    if (!isSupportedType(spec.type) || inputs.length === 0 || !inputs.every((s): s is Shape => s !== undefined)) return null;
    const outcome = layerOutcome(this.tf, spec, inputs);
    if ('error' in outcome) return null;
    const shape = outcome.built.outputShape;
    if (shape.some((d) => d !== null && !(d > 0))) return null;
    this.shapes.set(spec.name, shape);
    return shape;
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
    // Modules never called are part of the model (PyTorch counts them), though no output depends on them.
    if (keep) for (const l of this.layers) if (l.notCalled) keep.add(l.name);
    const layers = keep ? this.layers.filter((l) => keep!.has(l.name)) : [...this.layers];
    const calls = keep ? this.calls.filter((c) => keep!.has(c.output)) : [...this.calls];
    const declared = keep ? this.declared.filter((d) => keep!.has(d.layer)) : [...this.declared];
    const sites = keep ? this.sites.filter((x) => x.output === INPUT || keep!.has(x.output)) : [...this.sites];
    const spec: ModelSpec = { name, framework: this.framework, input, layers, source };
    return { spec, calls, declared, sites };
  }
}

/**
 * How PyTorch names what a call made: the module class without its namespace (`nn.Conv2d` → `Conv2d`), a
 * function as written (`F.relu`); an extra engine layer one module needs (Conv2d's padding) says which part it is.
 */
function pytorchClass(sourceType: string, part: string | null): string {
  let cls = pytorchClasses.get(sourceType);
  if (cls === undefined) {
    cls = sourceType.replace(/^(torch\.)?nn\.(modules\.\w+\.)?/, '');
    // Bounded: source types come from the code read.
    if (pytorchClasses.size > 10_000) pytorchClasses.clear();
    pytorchClasses.set(sourceType, cls);
  }
  return part === null ? cls : `${cls} (${part})`;
}

/** Every layer of a model asks for its class's name: the answers are kept. */
const pytorchClasses = new Map<string, string>();
