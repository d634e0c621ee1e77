/**
 * Weight-free layers on chosen axes that tfjs-layers has only in 2-D (or not at all), each a real tfjs layer
 * with computeOutputShape and a call(). `axes` are the engine's (the batch is axis 0), so one class serves
 * Keras' (steps, C) and (D, H, W, C) and PyTorch's (C, L) and (D, H, W, C):
 *   AxisPadding {axes, padding, limit?}   ZeroPadding1D/3D, nn.ZeroPad1d/3d and every other 1-D/3-D pad (the
 *                                         mode changes values, never the shape; `limit` is PyTorch's check)
 *   AxisCropping {axes, cropping, className}   Cropping1D / Cropping3D, with Keras' message when too large
 *   AxisUpSampling {axes, size}          UpSampling1D / UpSampling3D: each axis repeated `size` times
 *   GlobalPooling3D {mode, keepDims}     GlobalAveragePooling3D / GlobalMaxPooling3D on (D, H, W, C)
 *   Halve {axis}                         PyTorch's nn.GLU: the axis halves (a·σ(b) of its two halves)
 *   UnitNormalization {axis}             Keras' UnitNormalization: x / ‖x‖ along the axis, shape unchanged
 *   Subtract                             Keras' Subtract: exactly two inputs, their difference
 *   Divide                               PyTorch's tensor / tensor: two inputs broadcast as Subtract's, their quotient
 *   Unflatten {targetShape, sizes, dimSize, torchDim}   nn.Unflatten, with PyTorch's message for sizes that do not fit
 */
import type { TfModule } from '../loadTf';
import { positiveInt, singleShape, type BatchShape } from './layerBase';

type Pads = [number, number][];

function intList(value: unknown, what: string): number[] {
  if (!Array.isArray(value) || !value.every((n) => typeof n === 'number' && Number.isInteger(n))) throw new Error(`${what} must be a list of integers, got ${JSON.stringify(value)}`);
  return value as number[];
}

function padList(value: unknown, count: number, what: string): Pads {
  if (!Array.isArray(value) || value.length !== count || !value.every((p) => Array.isArray(p) && p.length === 2 && p.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0))) {
    throw new Error(`${what} must be ${count} pairs of non-negative integers, got ${JSON.stringify(value)}`);
  }
  return value as Pads;
}

/** The framework's reason to refuse the call, found by the reader (Keras' argument checks): raised where the layer is made. */
function rejected(args: Record<string, unknown>): void {
  if (typeof args.reject === 'string') throw new Error(args.reject);
}

function axesOf(shape: BatchShape, axes: readonly number[], layer: string): void {
  for (const a of axes) if (a < 1 || a >= shape.length) throw new Error(`${layer}: axis ${a} is not a non-batch axis of a rank-${shape.length} input`);
}

export function defineAxisOps(tf: TfModule) {
  const { core } = tf;
  type Tensor = ReturnType<typeof core.zeros>;
  const Layer = tf.tfl.layers.Layer;
  const first = (inputs: Tensor | Tensor[]): Tensor => (Array.isArray(inputs) ? inputs[0]! : inputs);

  class AxisPadding extends Layer {
    static className = 'AxisPadding';
    readonly axes: number[];
    readonly padding: Pads;
    /** PyTorch's reflect pad needs pad < size; circular pad ≤ size (it wraps once); other modes any pad. */
    readonly limit: 'reflect' | 'circular' | null;
    constructor(args: Record<string, unknown>) {
      super({ name: args.name as string | undefined });
      rejected(args);
      this.axes = intList(args.axes, 'axes');
      this.padding = padList(args.padding, this.axes.length, 'padding');
      this.limit = args.limit === 'reflect' || args.limit === 'circular' ? args.limit : null;
    }
    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      const input = singleShape(inputShape);
      const shape = [...input];
      axesOf(shape, this.axes, 'padding');
      this.axes.forEach((a, i) => {
        const [before, after] = this.padding[i]!;
        const n = shape[a];
        if (n == null) return;
        if (this.limit === 'reflect' && (before >= n || after >= n)) {
          // PyTorch's reflection_pad check, in its (N, C, ...) dims: the engine holds rank ≥ 3 samples channels-last.
          const torch = input.length >= 4 ? [input[0], input.at(-1), ...input.slice(1, -1)] : input;
          const dim = shape.length >= 4 ? a + 1 : a;
          throw new Error(`Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (${before}, ${after}) at dimension ${dim} of input [${torch.map((d) => d ?? 'N').join(', ')}]`);
        }
        if (this.limit === 'circular' && (before > n || after > n)) throw new Error('Padding value causes wrapping around more than once.');
        shape[a] = n + before + after;
      });
      return shape;
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      const x = first(inputs);
      const pads = x.shape.map((_, i): [number, number] => (this.axes.includes(i) ? this.padding[this.axes.indexOf(i)]! : [0, 0]));
      return core.pad(x, pads);
    }
    override getConfig() {
      return { axes: this.axes, padding: this.padding, limit: this.limit, ...super.getConfig() };
    }
  }

  class AxisCropping extends Layer {
    static className = 'AxisCropping';
    readonly axes: number[];
    readonly cropping: Pads;
    readonly kerasClass: string;
    constructor(args: Record<string, unknown>) {
      super({ name: args.name as string | undefined });
      rejected(args);
      this.axes = intList(args.axes, 'axes');
      this.cropping = padList(args.cropping, this.axes.length, 'cropping');
      this.kerasClass = typeof args.kerasClass === 'string' ? args.kerasClass : 'Cropping';
    }
    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      const shape = [...singleShape(inputShape)];
      axesOf(shape, this.axes, this.kerasClass);
      const tooLarge = this.axes.some((a, i) => shape[a] != null && this.cropping[i]![0] + this.cropping[i]![1] >= shape[a]!);
      if (tooLarge) {
        // Keras' own words (keras/src/layers/reshaping/cropping1d.py, cropping3d.py).
        const received = `input_shape=(None, ${shape.slice(1).join(', ')}), cropping=${this.axes.length === 1 ? `(${this.cropping[0]!.join(', ')})` : `(${this.cropping.map((p) => `(${p.join(', ')})`).join(', ')})`}`;
        throw new Error(this.axes.length === 1
          ? `\`cropping\` parameter of \`${this.kerasClass}\` layer must be smaller than the input length. Received: ${received}`
          : `Values in \`cropping\` argument should be smaller than the corresponding spatial dimension of the input. Received: ${received}`);
      }
      this.axes.forEach((a, i) => {
        if (shape[a] != null) shape[a] = shape[a]! - this.cropping[i]![0] - this.cropping[i]![1];
      });
      return shape;
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      const x = first(inputs);
      const begin = x.shape.map((_, i) => (this.axes.includes(i) ? this.cropping[this.axes.indexOf(i)]![0] : 0));
      const size = x.shape.map((d, i) => (this.axes.includes(i) ? d - this.cropping[this.axes.indexOf(i)]![0] - this.cropping[this.axes.indexOf(i)]![1] : d));
      return core.slice(x, begin, size);
    }
    override getConfig() {
      return { axes: this.axes, cropping: this.cropping, kerasClass: this.kerasClass, ...super.getConfig() };
    }
  }

  class AxisUpSampling extends Layer {
    static className = 'AxisUpSampling';
    readonly axes: number[];
    readonly size: number[];
    constructor(args: Record<string, unknown>) {
      super({ name: args.name as string | undefined });
      rejected(args);
      this.axes = intList(args.axes, 'axes');
      this.size = intList(args.size, 'size').map((s) => positiveInt(s, 'size'));
      if (this.size.length !== this.axes.length) throw new Error(`size must have ${this.axes.length} values, got ${JSON.stringify(args.size)}`);
    }
    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      const shape = [...singleShape(inputShape)];
      axesOf(shape, this.axes, 'UpSampling');
      this.axes.forEach((a, i) => {
        if (shape[a] != null) shape[a] = shape[a]! * this.size[i]!;
      });
      return shape;
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      return core.tidy(() => {
        let x = first(inputs);
        this.axes.forEach((a, i) => {
          // Nearest repetition: index j of the output reads ⌊j / size⌋ of the input.
          const n = x.shape[a]!;
          const index = core.tensor1d(Array.from({ length: n * this.size[i]! }, (_, j) => Math.floor(j / this.size[i]!)), 'int32');
          x = core.gather(x, index, a);
        });
        return x;
      });
    }
    override getConfig() {
      return { axes: this.axes, size: this.size, ...super.getConfig() };
    }
  }

  class GlobalPooling3D extends Layer {
    static className = 'GlobalPooling3D';
    readonly mode: 'avg' | 'max';
    readonly keepDims: boolean;
    constructor(args: Record<string, unknown>) {
      super({ name: args.name as string | undefined });
      if (args.mode !== 'avg' && args.mode !== 'max') throw new Error(`mode must be 'avg' or 'max', got ${JSON.stringify(args.mode)}`);
      this.mode = args.mode;
      this.keepDims = args.keepDims === true;
    }
    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      const s = singleShape(inputShape);
      if (s.length !== 5) throw new Error(`GlobalPooling3D expects a (batch, depth, height, width, channels) input, got rank ${s.length}`);
      return this.keepDims ? [s[0] ?? null, 1, 1, 1, s[4] ?? null] : [s[0] ?? null, s[4] ?? null];
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      const x = first(inputs);
      return this.mode === 'avg' ? core.mean(x, [1, 2, 3], this.keepDims) : core.max(x, [1, 2, 3], this.keepDims);
    }
    override getConfig() {
      return { mode: this.mode, keepDims: this.keepDims, ...super.getConfig() };
    }
  }

  class Halve extends Layer {
    static className = 'Halve';
    readonly axis: number;
    /** The dim as PyTorch numbers it, for its message. */
    readonly torchDim: number;
    constructor(args: Record<string, unknown>) {
      super({ name: args.name as string | undefined });
      if (typeof args.axis !== 'number' || !Number.isInteger(args.axis) || args.axis < 1) throw new Error(`axis must be a positive integer, got ${JSON.stringify(args.axis)}`);
      this.axis = args.axis;
      this.torchDim = typeof args.torchDim === 'number' ? args.torchDim : args.axis;
    }
    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      const shape = [...singleShape(inputShape)];
      axesOf(shape, [this.axis], 'GLU');
      const n = shape[this.axis];
      if (n != null && n % 2 !== 0) throw new Error(`Halving dimension must be even, but dimension ${this.torchDim} is size ${n}`);
      if (n != null) shape[this.axis] = n / 2;
      return shape;
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      const [a, b] = core.split(first(inputs), 2, this.axis);
      return core.mul(a!, core.sigmoid(b!));
    }
    override getConfig() {
      return { axis: this.axis, torchDim: this.torchDim, ...super.getConfig() };
    }
  }

  class UnitNormalization extends Layer {
    static className = 'UnitNormalization';
    readonly axis: number | number[];
    constructor(args: Record<string, unknown>) {
      super({ name: args.name as string | undefined });
      const axis = args.axis ?? -1;
      if (!(typeof axis === 'number' && Number.isInteger(axis)) && !(Array.isArray(axis) && axis.every((a) => Number.isInteger(a)))) {
        throw new Error(`Invalid value for \`axis\` argument: expected an int or a list/tuple of ints. Received: axis=${JSON.stringify(axis)}`);
      }
      this.axis = axis as number | number[];
    }
    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      const shape = singleShape(inputShape);
      const keras = `(${shape.map((d) => d ?? 'None').join(', ')})`;
      for (const a of [this.axis].flat()) if (a >= shape.length || a < -shape.length) throw new Error(`Axis ${a} is out of bounds for input shape ${keras}.`);
      return shape;
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      const x = first(inputs);
      // Keras: x / sqrt(max(Σx², 1e-12)).
      return core.tidy(() => core.mul(x, core.rsqrt(core.maximum(core.sum(core.square(x), this.axis, true), 1e-12))));
    }
    override getConfig() {
      return { axis: this.axis, ...super.getConfig() };
    }
  }

  class Subtract extends Layer {
    static className = 'Subtract';
    constructor(args: Record<string, unknown>) {
      super({ name: args.name as string | undefined });
    }
    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      const shapes = Array.isArray(inputShape[0]) ? (inputShape as BatchShape[]) : [inputShape as BatchShape];
      if (shapes.length !== 2) {
        const received = shapes.map((s) => `(${s.map((d) => (d == null ? 'None' : d)).join(', ')})`).join(', ');
        throw new Error(`A \`Subtract\` layer should be called on exactly 2 inputs. Received: input_shape=[${received}]`);
      }
      const [a, b] = shapes as [BatchShape, BatchShape];
      if (a.length !== b.length || a.some((d, i) => d != null && b[i] != null && d !== b[i] && d !== 1 && b[i] !== 1)) {
        throw new Error(`Inputs have incompatible shapes. Received shapes (${a.slice(1).join(', ')}) and (${b.slice(1).join(', ')})`);
      }
      return a.map((d, i) => (d === 1 || d == null ? b[i] ?? d : d));
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      const [a, b] = inputs as Tensor[];
      return core.sub(a!, b!);
    }
  }

  // The same two-input broadcast as Subtract (channels-first LayerNorm's (x - u) / torch.sqrt(s + eps)).
  class Divide extends Subtract {
    static override className = 'Divide';
    override call(inputs: Tensor | Tensor[]): Tensor {
      const [a, b] = inputs as Tensor[];
      return core.div(a!, b!);
    }
  }

  class Unflatten extends Layer {
    static className = 'Unflatten';
    readonly targetShape: number[];
    readonly sizes: number[];
    readonly dimSize: number;
    readonly torchDim: number;
    constructor(args: Record<string, unknown>) {
      super({ name: args.name as string | undefined });
      this.targetShape = args.targetShape as number[];
      this.sizes = intList(args.sizes, 'unflattened_size');
      this.dimSize = positiveInt(args.dimSize, 'the size of dim');
      this.torchDim = positiveInt(args.torchDim, 'dim');
    }
    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      const s = singleShape(inputShape);
      const known = this.sizes.filter((n) => n !== -1).reduce((a, b) => a * b, 1);
      const inferred = this.sizes.includes(-1);
      if (inferred ? this.dimSize % known !== 0 : known !== this.dimSize) {
        throw new Error(`unflatten: Provided sizes [${this.sizes.join(', ')}] don't multiply up to the size of dim ${this.torchDim} (${this.dimSize}) in the input tensor`);
      }
      const elements = (shape: readonly (number | null)[]) => shape.reduce<number | null>((a, b) => (a === null || b == null ? null : a * b), 1);
      const before = elements(s.slice(1));
      if (before !== null && before !== elements(this.targetShape)) throw new Error(`Unflatten: ${before} elements cannot be held as (${this.targetShape.join(', ')})`);
      return [s[0] ?? null, ...this.targetShape];
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      return core.tidy(() => {
        const x = first(inputs);
        // PyTorch's element order: to (N, C, …) when the engine holds the sample channels-last (rank ≥ 3), reshape, back.
        const r = x.rank;
        const torch = r >= 4 ? core.transpose(x, [0, r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1)]) : x;
        const t = this.targetShape.length;
        const torchTarget = t >= 3 ? [this.targetShape[t - 1]!, ...this.targetShape.slice(0, t - 1)] : this.targetShape;
        const y = core.reshape(torch, [x.shape[0]!, ...torchTarget]);
        return t >= 3 ? core.transpose(y, [0, ...Array.from({ length: t - 1 }, (_, i) => i + 2), 1]) : y;
      });
    }
    override getConfig() {
      return { targetShape: this.targetShape, sizes: this.sizes, dimSize: this.dimSize, torchDim: this.torchDim, ...super.getConfig() };
    }
  }

  const classes = { AxisPadding, AxisCropping, AxisUpSampling, GlobalPooling3D, Halve, UnitNormalization, Subtract, Divide, Unflatten };
  for (const cls of Object.values(classes)) core.serialization.registerClass(cls);
  return classes;
}
