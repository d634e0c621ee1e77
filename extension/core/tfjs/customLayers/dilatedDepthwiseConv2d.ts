/**
 * DepthwiseConv2D with `dilationRate` > 1. tfjs-layers accepts the argument and then ignores it, both in
 * computeOutputShape (a 3×3 with dilation 2 on 9×9 gives 7×7; Keras and PyTorch give 5×5) and in call() (its
 * own "TODO: Add support for dilation"). This subclass keeps tfjs's weights and fixes both.
 */
import type { TfModule } from '../loadTf';
import { convOutputLength, type PaddingMode } from './convArithmetic';
import { imageShape, type BatchShape } from './layerBase';

export function defineDilatedDepthwiseConv2D(tf: TfModule) {
  const { core } = tf;
  type Tensor = ReturnType<typeof core.zeros>;
  // tfjs does not export the class; a throwaway instance gives its constructor.
  type Base = ReturnType<typeof tf.tfl.layers.depthwiseConv2d>;
  const BaseClass = tf.tfl.layers.depthwiseConv2d({ kernelSize: 1 }).constructor as new (args: object) => Base;
  interface Fields {
    kernelSize: number[];
    strides: number[];
    dilationRate: number[];
    padding: PaddingMode;
    depthMultiplier: number;
    useBias: boolean;
    depthwiseKernel: { read(): Tensor };
    bias: { read(): Tensor } | null;
    activation: { apply(x: Tensor): Tensor } | null;
  }

  class DilatedDepthwiseConv2D extends BaseClass {
    static className = 'DilatedDepthwiseConv2D';

    private get fields(): Fields {
      return this as unknown as Fields;
    }

    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      const [batch, h, w, c] = imageShape(inputShape, 'DepthwiseConv2D');
      const f = this.fields;
      const length = (n: number | null | undefined, axis: 0 | 1): number | null =>
        n == null ? null : convOutputLength(n, f.kernelSize[axis]!, f.padding, f.strides[axis]!, f.dilationRate[axis]!);
      return [batch ?? null, length(h, 0), length(w, 1), c == null ? null : c * f.depthMultiplier];
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      const f = this.fields;
      return core.tidy(() => {
        const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
        const strides = f.strides as [number, number];
        let y: Tensor = core.depthwiseConv2d(x as never, f.depthwiseKernel.read() as never, strides, f.padding, 'NHWC', f.dilationRate as [number, number]);
        if (f.bias) y = core.add(y, f.bias.read());
        return f.activation ? f.activation.apply(y) : y;
      });
    }
  }
  core.serialization.registerClass(DilatedDepthwiseConv2D as never);
  return DilatedDepthwiseConv2D;
}
