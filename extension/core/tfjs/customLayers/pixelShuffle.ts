/**
 * PyTorch's nn.PixelShuffle(r) (ESPCN super-resolution), which tfjs-layers lacks: (H, W, C·r²) → (H·r, W·r, C)
 * channels-last, PyTorch's (N, C·r², H, W) → (N, C, H·r, W·r). No weights. PyTorch refuses a channel count
 * that r² does not divide ("pixel_shuffle expects its input's 'channel' dimension to be divisible by the square
 * of upscale_factor"). Its inverse nn.PixelUnshuffle(r) is here too.
 */
import type { TfModule } from '../loadTf';
import { imageShape, positiveInt, type BatchShape } from './layerBase';

export function definePixelShuffle(tf: TfModule) {
  const { core } = tf;
  type Tensor = ReturnType<typeof core.zeros>;

  class PixelShuffle extends tf.tfl.layers.Layer {
    static className = 'PixelShuffle';
    readonly upscaleFactor: number;

    constructor(args: Record<string, unknown>) {
      super({ name: args.name as string | undefined });
      this.upscaleFactor = positiveInt(args.upscaleFactor, 'upscale_factor');
    }

    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      const [batch, h, w, c] = imageShape(inputShape, 'PixelShuffle');
      const r = this.upscaleFactor;
      if (c != null && c % (r * r) !== 0) {
        throw new Error(`pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=${c} is not divisible by ${r * r}`);
      }
      const times = (n: number | null | undefined): number | null => (n == null ? null : n * r);
      return [batch ?? null, times(h), times(w), c == null ? null : c / (r * r)];
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return core.tidy(() => {
        const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
        const [n, h, w, cr2] = x.shape as number[];
        const r = this.upscaleFactor;
        const c = cr2! / (r * r);
        // PyTorch's channel index is c·r² + i·r + j: split it, then interleave i with H and j with W.
        const split = core.reshape(x, [n!, h!, w!, c, r, r]);
        return core.reshape(core.transpose(split, [0, 1, 4, 2, 5, 3]), [n!, h! * r, w! * r, c]);
      });
    }

    override getConfig() {
      return { upscaleFactor: this.upscaleFactor, ...super.getConfig() };
    }
  }

  /**
   * nn.PixelUnshuffle(r), PixelShuffle's inverse: (H, W, C) → (H/r, W/r, C·r²); PyTorch refuses a height or
   * width that r does not divide.
   */
  class PixelUnshuffle extends tf.tfl.layers.Layer {
    static className = 'PixelUnshuffle';
    readonly downscaleFactor: number;

    constructor(args: Record<string, unknown>) {
      super({ name: args.name as string | undefined });
      this.downscaleFactor = positiveInt(args.downscaleFactor, 'downscale_factor');
    }

    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      const [batch, h, w, c] = imageShape(inputShape, 'PixelUnshuffle');
      const r = this.downscaleFactor;
      for (const [n, what, dim] of [[h, 'height', -2], [w, 'width', -1]] as const) {
        if (n != null && n % r !== 0) throw new Error(`pixel_unshuffle expects ${what} to be divisible by downscale_factor, but input.size(${dim})=${n} is not divisible by ${r}`);
      }
      const over = (n: number | null | undefined): number | null => (n == null ? null : n / r);
      return [batch ?? null, over(h), over(w), c == null ? null : c * r * r];
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return core.tidy(() => {
        const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
        const [n, h, w, c] = x.shape as number[];
        const r = this.downscaleFactor;
        // PyTorch's output channel is c·r² + i·r + j for row offset i and column offset j.
        const split = core.reshape(x, [n!, h! / r, r, w! / r, r, c!]);
        return core.reshape(core.transpose(split, [0, 1, 3, 5, 2, 4]), [n!, h! / r, w! / r, c! * r * r]);
      });
    }

    override getConfig() {
      return { downscaleFactor: this.downscaleFactor, ...super.getConfig() };
    }
  }

  core.serialization.registerClass(PixelShuffle);
  core.serialization.registerClass(PixelUnshuffle);
  return { PixelShuffle, PixelUnshuffle };
}
