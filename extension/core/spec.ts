import type { Shape } from './shape';

/** Where a layer was written: 1-based line and column. */
export interface SourceLocation {
  file: string;
  line: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** Notebooks: the 1-based cell; `line` is then the line within that cell. */
  cell?: number;
}

/** The block (inception module, residual block, ...) a layer belongs to. */
export interface BlockRef {
  name: string;
  /** e.g. "inception", "residual", "bottleneck", "stem", "classifier". */
  type: string;
}

/**
 * One layer as the engine understands it, independent of the framework it was read from.
 * `type` is the Keras class name (Conv2D, Dense, MaxPooling2D, Add, Concatenate, ...) and `args`
 * are the matching `tf.layers.*` arguments in camelCase. A `type` the engine does not know is kept:
 * the layer is reported with an unknown output shape and everything downstream stays unknown.
 */
export interface LayerSpec {
  name: string;
  type: string;
  args: Readonly<Record<string, unknown>>;
  /** Names of the layers whose outputs this layer consumes; `INPUT` is the model input. */
  inputs: readonly string[];
  block?: BlockRef | null;
  source?: SourceLocation | null;
  /**
   * Trainable parameters the code fixes as written (PyTorch `nn.Linear(400, 120)`: 48,120), counted even when
   * the input is unknown or does not match (a mismatch is reported as an error, the count stays the written one).
   */
  declaredParams?: number;
  /** Non-trainable weights of a layer that is not called (a held Keras model's BatchNorm statistics): they count. */
  declaredNonTrainableParams?: number;
  /** PyTorch parameters the code froze (requires_grad False): they count, as non-trainable. */
  frozen?: boolean;
  /**
   * An engine layer the framework has no module for (nn.Conv2d's explicit padding, MaxPool2d's ceil_mode): the
   * report shows it as part of that layer's row, as the framework lists one module.
   */
  foldsInto?: string;
  /**
   * A registered module the forward pass never calls (PyTorch counts its parameters in model.parameters()):
   * it takes no input, is not built, and has no shape; only its declaredParams count.
   */
  notCalled?: boolean;
  /**
   * A later call of a layer object already called (Keras `conv(conv(x))`, a PyTorch module run twice): its
   * weights are that layer's, so they count once, as `count_params()` / `model.parameters()` count them.
   */
  sharesWeightsWith?: string;
  /**
   * The class as the framework names it, for models read from PyTorch code (`Conv2d`, `AdaptiveAvgPool2d`,
   * `F.relu` for a function); `type` stays the engine's (Keras) class that computes it.
   */
  frameworkType?: string;
}

/**
 * Which framework's conventions to present: shape order and what counts as a parameter. Model files add
 * 'onnx' (NCHW like PyTorch; every tensor the file holds counts, batch norm statistics as non-trainable) and
 * 'tflite' (NHWC like Keras).
 */
export type Framework = 'keras' | 'pytorch' | 'tfjs' | 'onnx' | 'tflite';

/** Frameworks whose users read shapes channels-first (N, C, H, W). */
export function isChannelsFirst(framework: string | undefined): boolean {
  return framework === 'pytorch' || framework === 'onnx';
}

/** A whole model: one image input (H, W, C without the batch) and its layers in execution order. */
/** One output of a model whose code names them (a forward() returning {"out": …, "aux": …}). */
export interface ModelOutput {
  /** The key the code gives it ("out"). */
  name: string;
  /** The layer whose output it is (INPUT for the input itself). */
  layer: string;
}

export interface ModelSpec {
  name: string;
  description?: string;
  framework?: Framework;
  input: Shape;
  layers: readonly LayerSpec[];
  source?: SourceLocation | null;
  /** Named outputs, in the order the code makes them; absent when the model's outputs are not named. */
  outputs?: readonly ModelOutput[];
  /** Why which parameters are trainable is unknown (freezing code the reader could not follow); absent when known. */
  trainableUnknown?: { message: string; source: SourceLocation };
}

/** The name layers use in `inputs` to refer to the model input. */
export const INPUT = 'input';

/**
 * Records layer specs in order, the way code calls a functional API: each call returns the name that
 * later layers pass as input. Blocks are opened with `block()` and apply to every layer made inside.
 */
export class SpecBuilder {
  private readonly layers: LayerSpec[] = [];
  private readonly names = new Set<string>([INPUT]);
  private currentBlock: BlockRef | null = null;

  constructor(
    private readonly name: string,
    private readonly input: Shape,
    private readonly description?: string,
  ) {}

  /** Adds a layer and returns its name, to be used as the input of later layers. */
  add(type: string, name: string, args: Record<string, unknown>, inputs: string | readonly string[]): string {
    if (this.names.has(name)) throw new Error(`duplicate layer name "${name}" in ${this.name}`);
    const from = typeof inputs === 'string' ? [inputs] : [...inputs];
    for (const i of from) {
      if (!this.names.has(i)) throw new Error(`layer "${name}" in ${this.name} reads "${i}", which is not defined yet`);
    }
    this.names.add(name);
    this.layers.push({ name, type, args, inputs: from, block: this.currentBlock });
    return name;
  }

  /** Runs `body` with every layer it adds marked as part of the block. */
  block<T>(name: string, type: string, body: () => T): T {
    const outer = this.currentBlock;
    this.currentBlock = { name, type };
    try {
      return body();
    } finally {
      this.currentBlock = outer;
    }
  }

  build(): ModelSpec {
    const spec: ModelSpec = { name: this.name, framework: 'keras', input: this.input, layers: [...this.layers] };
    return this.description === undefined ? spec : { ...spec, description: this.description };
  }
}
