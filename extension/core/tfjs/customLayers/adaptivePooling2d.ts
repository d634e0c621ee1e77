/**
 * AdaptivePooling2D {size: [oh, ow], mode: 'avg' | 'max'}: PyTorch's AdaptiveAvgPool2d / AdaptiveMaxPool2d to
 * any output size, also one larger than the input (VGG's AdaptiveAvgPool2d((7, 7)) on a 3×3 map), which no
 * tfjs pooling gives. Output bin i along an axis of length n covers [⌊i·n/o⌋, ⌈(i+1)·n/o⌉) (aten's
 * AdaptiveAveragePooling start_index / end_index), so bins overlap or repeat when o does not divide n.
 * No weights; the analysis counts no MACs for pooling.
 */
import type { TfModule } from '../loadTf';
import { imageShape, positiveInt, type BatchShape } from './layerBase';

/** [start, end) of each of `out` bins over an axis of `length` (PyTorch's adaptive pooling windows). */
export function adaptiveBins(length: number, out: number): [number, number][] {
  const bins: [number, number][] = [];
  for (let i = 0; i < out; i++) bins.push([Math.floor((i * length) / out), Math.ceil(((i + 1) * length) / out)]);
  return bins;
}

export function defineAdaptivePooling2D(tf: TfModule) {
  const { core } = tf;
  type Tensor = ReturnType<typeof core.zeros>;
  const Layer = tf.tfl.layers.Layer;

  class AdaptivePooling2D extends Layer {
    static className = 'AdaptivePooling2D';
    readonly size: [number, number];
    readonly mode: 'avg' | 'max';
    constructor(args: Record<string, unknown>) {
      super({ name: args.name as string | undefined });
      const size = args.size;
      if (!Array.isArray(size) || size.length !== 2) throw new Error(`size must be an [h, w] pair, got ${JSON.stringify(size)}`);
      this.size = [positiveInt(size[0], 'size[0]'), positiveInt(size[1], 'size[1]')];
      if (args.mode !== 'avg' && args.mode !== 'max') throw new Error(`mode must be 'avg' or 'max', got ${JSON.stringify(args.mode)}`);
      this.mode = args.mode;
    }
    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      const [batch, h, w, c] = imageShape(inputShape, 'AdaptivePooling2D');
      if (h === 0 || w === 0) throw new Error(`AdaptivePooling2D needs a non-empty input, got ${h}×${w}`);
      return [batch ?? null, this.size[0], this.size[1], c ?? null];
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      return core.tidy(() => {
        // A rectangle's mean (or max) is the mean (max) over rows of the per-column ones: pool H, then W.
        const pool = (t: Tensor, axis: 1 | 2, out: number): Tensor => {
          const pieces = adaptiveBins(t.shape[axis]!, out).map(([start, end]) => {
            const begin = t.shape.map((_, i) => (i === axis ? start : 0));
            const length = t.shape.map((d, i) => (i === axis ? end - start : d!));
            const window = core.slice(t, begin, length);
            return this.mode === 'avg' ? core.mean(window, axis, true) : core.max(window, axis, true);
          });
          return core.concat(pieces, axis);
        };
        return pool(pool(x, 1, this.size[0]), 2, this.size[1]);
      });
    }
    override getConfig() {
      return { size: this.size, mode: this.mode, ...super.getConfig() };
    }
  }

  core.serialization.registerClass(AdaptivePooling2D);
  return { AdaptivePooling2D };
}
