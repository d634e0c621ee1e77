/**
 * Layers without weights that tfjs-layers lacks, each a real tfjs layer with computeOutputShape and a call():
 *   LRN {size, alpha, beta, k}          PyTorch LocalResponseNorm (AlexNet, GoogLeNet): shape unchanged
 *   ChannelShuffle {groups}             ShuffleNet's channel shuffle: shape unchanged, C divisible by groups
 *   ChannelSlice {axis, begin, size}    one piece of torch.chunk / torch.split / x[:, a:b]: `size` along `axis`
 *   Resize {size | scale | like, interpolation} F.interpolate / nn.Upsample: (size), ⌊in · scale⌋ (PyTorch's rule)
 *                                       or a second input's height and width
 *   GlobalPooling2DKeepDims {mode}      GlobalAveragePooling2D / GlobalMaxPooling2D with keepDims: (1, 1, C)
 * Axes count the batch as axis 0, as Keras does (channels are axis 3 or −1).
 */
import type { TfModule } from '../loadTf';
import { imageShape, positiveInt, singleShape, type BatchShape } from './layerBase';

export function defineShapeOnlyOps(tf: TfModule) {
  const { core } = tf;
  type Tensor = ReturnType<typeof core.zeros>;
  const Layer = tf.tfl.layers.Layer;
  const first = (inputs: Tensor | Tensor[]): Tensor => (Array.isArray(inputs) ? inputs[0]! : inputs);

  class LRN extends Layer {
    static className = 'LRN';
    readonly size: number;
    readonly alpha: number;
    readonly beta: number;
    readonly k: number;
    constructor(args: Record<string, unknown>) {
      super({ name: args.name as string | undefined });
      this.size = positiveInt(args.size, 'size');
      this.alpha = typeof args.alpha === 'number' ? args.alpha : 1e-4;
      this.beta = typeof args.beta === 'number' ? args.beta : 0.75;
      this.k = typeof args.k === 'number' ? args.k : 1;
    }
    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      return imageShape(inputShape, 'LRN');
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      // PyTorch divides alpha by the window size; its window is centred only for an odd size.
      if (this.size % 2 === 0) throw new Error('LRN with an even size cannot run in TensorFlow.js (its window is centred)');
      return core.localResponseNormalization(first(inputs) as never, (this.size - 1) / 2, this.k, this.alpha / this.size, this.beta);
    }
    override getConfig() {
      return { size: this.size, alpha: this.alpha, beta: this.beta, k: this.k, ...super.getConfig() };
    }
  }

  class ChannelShuffle extends Layer {
    static className = 'ChannelShuffle';
    readonly groups: number;
    constructor(args: Record<string, unknown>) {
      super({ name: args.name as string | undefined });
      this.groups = positiveInt(args.groups, 'groups');
    }
    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      const shape = imageShape(inputShape, 'ChannelShuffle');
      const c = shape[3];
      if (c != null && c % this.groups !== 0) {
        throw new Error(`the number of channels (${c}) must be divisible by groups (${this.groups})`);
      }
      return shape;
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      return core.tidy(() => {
        const x = first(inputs);
        const [n, h, w, c] = x.shape as number[];
        const g = this.groups;
        // NHWC twin of PyTorch's view(N, g, C/g, H, W).transpose(1, 2).
        return core.reshape(core.transpose(core.reshape(x, [n!, h!, w!, g, c! / g]), [0, 1, 2, 4, 3]), [n!, h!, w!, c!]);
      });
    }
    override getConfig() {
      return { groups: this.groups, ...super.getConfig() };
    }
  }

  class ChannelSlice extends Layer {
    static className = 'ChannelSlice';
    readonly axis: number;
    readonly begin: number;
    readonly size: number;
    /** Every step-th position of the span (PyTorch's x[..., ::2, 1::2]): ceil(size / step) remain. */
    readonly step: number;
    constructor(args: Record<string, unknown>) {
      super({ name: args.name as string | undefined });
      if (typeof args.axis !== 'number' || !Number.isInteger(args.axis)) throw new Error(`axis must be an integer, got ${JSON.stringify(args.axis)}`);
      if (typeof args.begin !== 'number' || !Number.isInteger(args.begin) || args.begin < 0) {
        throw new Error(`begin must be a non-negative integer, got ${JSON.stringify(args.begin)}`);
      }
      this.axis = args.axis;
      this.begin = args.begin;
      this.size = positiveInt(args.size, 'size');
      this.step = args.step === undefined ? 1 : positiveInt(args.step, 'step');
    }
    private axisOf(rank: number): number {
      const axis = this.axis < 0 ? rank + this.axis : this.axis;
      if (axis < 1 || axis >= rank) throw new Error(`axis ${this.axis} is not a non-batch axis of a rank-${rank} input`);
      return axis;
    }
    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      const shape = [...singleShape(inputShape)];
      const axis = this.axisOf(shape.length);
      const length = shape[axis];
      if (length != null && this.begin + this.size > length) {
        throw new Error(`a slice [${this.begin}, ${this.begin + this.size}) along axis ${this.axis} does not fit in a length of ${length}`);
      }
      shape[axis] = Math.ceil(this.size / this.step);
      return shape;
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      const x = first(inputs);
      const axis = this.axisOf(x.rank);
      const begin = x.shape.map((_, i) => (i === axis ? this.begin : 0));
      if (this.step !== 1) {
        const end = x.shape.map((d, i) => (i === axis ? this.begin + this.size : d));
        return core.stridedSlice(x, begin, end, x.shape.map((_, i) => (i === axis ? this.step : 1)));
      }
      const size = x.shape.map((d, i) => (i === axis ? this.size : d));
      return core.slice(x, begin, size);
    }
    override getConfig() {
      return { axis: this.axis, begin: this.begin, size: this.size, ...(this.step === 1 ? {} : { step: this.step }), ...super.getConfig() };
    }
  }

  class Resize extends Layer {
    static className = 'Resize';
    readonly size: [number, number] | null;
    readonly scale: [number, number] | null;
    readonly interpolation: string;
    readonly alignCorners: boolean;
    /** To the height and width of a second input (F.interpolate(x, size=y.shape[-2:]) as an ONNX file has it). */
    readonly like: boolean;
    constructor(args: Record<string, unknown>) {
      super({ name: args.name as string | undefined });
      const pairArg = (v: unknown, what: string, check: (n: number) => boolean): [number, number] | null => {
        if (v === undefined || v === null) return null;
        const p = typeof v === 'number' ? [v, v] : v;
        if (!Array.isArray(p) || p.length !== 2 || !p.every((n) => typeof n === 'number' && check(n))) {
          throw new Error(`${what} must be a number or an [h, w] pair of them, got ${JSON.stringify(v)}`);
        }
        return [p[0] as number, p[1] as number];
      };
      this.size = pairArg(args.size, 'size (positive integers)', (n) => Number.isInteger(n) && n > 0);
      this.scale = pairArg(args.scale, 'scale (positive numbers)', (n) => n > 0);
      this.like = args.like === true;
      if ([this.size !== null, this.scale !== null, this.like].filter(Boolean).length !== 1) throw new Error('Resize takes exactly one of size, scale and like');
      this.interpolation = typeof args.interpolation === 'string' ? args.interpolation : 'nearest';
      this.alignCorners = args.alignCorners === true;
    }
    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      if (this.like) {
        if (!Array.isArray(inputShape[0]) || inputShape.length !== 2) throw new Error('Resize to the size of another tensor takes two inputs: the tensor and the one whose size it takes');
        const [batch, , , c] = imageShape(inputShape[0] as BatchShape, 'Resize');
        const [, h, w] = imageShape(inputShape[1] as BatchShape, 'Resize');
        return [batch ?? null, h ?? null, w ?? null, c ?? null];
      }
      const [batch, h, w, c] = imageShape(inputShape, 'Resize');
      if (this.size) return [batch ?? null, this.size[0], this.size[1], c ?? null];
      const [sh, sw] = this.scale!;
      // PyTorch: output = ⌊input · scale_factor⌋ (torch.nn.functional.interpolate).
      const scaled = (n: number | null | undefined, s: number) => (n == null ? null : Math.floor(n * s));
      return [batch ?? null, scaled(h, sh), scaled(w, sw), c ?? null];
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      const x = first(inputs);
      const [, outH, outW] = this.computeOutputShape(this.like && Array.isArray(inputs) ? inputs.map((t) => t.shape as BatchShape) : (x.shape as BatchShape));
      const size: [number, number] = [outH!, outW!];
      if (this.interpolation === 'nearest') return core.image.resizeNearestNeighbor(x as never, size, this.alignCorners);
      // PyTorch's bilinear without align_corners samples at half-pixel centres.
      if (this.interpolation === 'bilinear') return core.image.resizeBilinear(x as never, size, this.alignCorners, !this.alignCorners);
      throw new Error(`Resize with '${this.interpolation}' interpolation cannot run in TensorFlow.js`);
    }
    override getConfig() {
      return { size: this.size, scale: this.scale, ...(this.like ? { like: true } : {}), interpolation: this.interpolation, alignCorners: this.alignCorners, ...super.getConfig() };
    }
  }

  class GlobalPooling2DKeepDims extends Layer {
    static className = 'GlobalPooling2DKeepDims';
    readonly mode: 'avg' | 'max';
    constructor(args: Record<string, unknown>) {
      super({ name: args.name as string | undefined });
      if (args.mode !== 'avg' && args.mode !== 'max') throw new Error(`mode must be 'avg' or 'max', got ${JSON.stringify(args.mode)}`);
      this.mode = args.mode;
    }
    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      const [batch, , , c] = imageShape(inputShape, 'GlobalPooling2D');
      return [batch ?? null, 1, 1, c ?? null];
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      const x = first(inputs);
      return this.mode === 'avg' ? core.mean(x, [1, 2], true) : core.max(x, [1, 2], true);
    }
    override getConfig() {
      return { mode: this.mode, keepDims: true, ...super.getConfig() };
    }
  }

  for (const cls of [LRN, ChannelShuffle, ChannelSlice, Resize, GlobalPooling2DKeepDims]) core.serialization.registerClass(cls);
  return { LRN, ChannelShuffle, ChannelSlice, Resize, GlobalPooling2DKeepDims };
}
