/**
 * Conv2DTranspose with `outputPadding` (Keras' `output_padding`, PyTorch's ConvTranspose2d `output_padding`),
 * which tfjs-layers lacks. Output length per Keras' deconv_output_length:
 * (in − 1)·s + k_eff − 2·pad + outputPadding, pad = ⌊k_eff/2⌋ for 'same', 0 for 'valid'. The kernel is
 * (kH, kW, filters, inC) as in Keras, plus a bias of `filters`. Output padding must be smaller than the
 * stride or the dilation (PyTorch's rule; Keras' is stricter: smaller than the stride).
 */
import type { TfModule } from '../loadTf';
import { deconvOutputLength, pairOf, paddingOf, type PaddingMode } from './convArithmetic';
import { imageShape, initializerOf, knownChannels, positiveInt, type BatchShape, type Initializer } from './layerBase';

export function defineConv2DTransposeOutputPadding(tf: TfModule) {
  const { core } = tf;
  type Tensor = ReturnType<typeof core.zeros>;

  class Conv2DTransposeOutputPadding extends tf.tfl.layers.Layer {
    static className = 'Conv2DTransposeOutputPadding';
    readonly filters: number;
    readonly kernelSize: [number, number];
    readonly strides: [number, number];
    readonly dilationRate: [number, number];
    readonly outputPadding: [number, number];
    readonly padding: PaddingMode;
    readonly useBias: boolean;
    readonly activation: string;
    private readonly kernelInit: Initializer;
    private readonly biasInit: Initializer;
    private readonly activationLayer: ReturnType<typeof tf.tfl.layers.activation> | null;
    private kernel: ReturnType<Conv2DTransposeOutputPadding['addWeight']> | null = null;
    private bias: ReturnType<Conv2DTransposeOutputPadding['addWeight']> | null = null;

    constructor(args: Record<string, unknown>) {
      super({ name: args.name as string | undefined });
      this.filters = positiveInt(args.filters, 'filters');
      this.kernelSize = pairOf(args.kernelSize, NaN);
      this.strides = pairOf(args.strides, 1);
      this.dilationRate = pairOf(args.dilationRate, 1);
      this.outputPadding = pairOf(args.outputPadding, 0);
      this.padding = paddingOf(args.padding);
      this.useBias = args.useBias === undefined ? true : Boolean(args.useBias);
      this.activation = typeof args.activation === 'string' ? args.activation : 'linear';
      [...this.kernelSize, ...this.strides, ...this.dilationRate].forEach((v) => positiveInt(v, 'kernelSize, strides and dilationRate'));
      for (const axis of [0, 1] as const) {
        const op = this.outputPadding[axis];
        if (!Number.isInteger(op) || op < 0 || op >= Math.max(this.strides[axis], this.dilationRate[axis])) {
          throw new Error(
            `outputPadding must be smaller than either the stride or the dilation, but got outputPadding=[${this.outputPadding.join(', ')}], strides=[${this.strides.join(', ')}], dilationRate=[${this.dilationRate.join(', ')}]`,
          );
        }
      }
      this.kernelInit = initializerOf(tf, args.kernelInitializer, 'glorotUniform');
      this.biasInit = initializerOf(tf, args.biasInitializer, 'zeros');
      this.activationLayer = this.activation === 'linear' ? null : tf.tfl.layers.activation({ activation: this.activation as never });
    }

    override build(inputShape: BatchShape | BatchShape[]): void {
      const channels = knownChannels(imageShape(inputShape, 'Conv2DTranspose'), 'Conv2DTranspose');
      this.kernel = this.addWeight('kernel', [...this.kernelSize, this.filters, channels], 'float32', this.kernelInit);
      if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', this.biasInit);
      this.built = true;
    }

    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      const [batch, h, w] = imageShape(inputShape, 'Conv2DTranspose');
      const length = (n: number | null | undefined, axis: 0 | 1): number | null =>
        n == null
          ? null
          : deconvOutputLength(n, this.kernelSize[axis], this.padding, this.strides[axis], this.dilationRate[axis], this.outputPadding[axis]);
      return [batch ?? null, length(h, 0), length(w, 1), this.filters];
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      if (this.dilationRate.some((d) => d !== 1)) throw new Error('Conv2DTranspose with outputPadding cannot run with dilation > 1 in TensorFlow.js');
      return core.tidy(() => {
        const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
        const [batch, h, w] = x.shape;
        const [outH, outW] = [0, 1].map((a) =>
          deconvOutputLength([h, w][a as 0 | 1]!, this.kernelSize[a as 0 | 1], this.padding, this.strides[a as 0 | 1], 1, this.outputPadding[a as 0 | 1]),
        );
        // tfjs derives its padding from the output size; 'same' here means "pad ⌊k/2⌋" as Keras does.
        const pad = this.padding === 'valid' ? 'valid' : 'same';
        let y: Tensor = core.conv2dTranspose(x as never, this.kernel!.read() as never, [batch!, outH!, outW!, this.filters], this.strides, pad);
        if (this.bias) y = core.add(y, this.bias.read());
        return this.activationLayer ? (this.activationLayer.apply(y) as Tensor) : y;
      });
    }

    override getConfig() {
      return {
        filters: this.filters,
        kernelSize: this.kernelSize,
        strides: this.strides,
        padding: this.padding,
        dilationRate: this.dilationRate,
        outputPadding: this.outputPadding,
        useBias: this.useBias,
        activation: this.activation,
        ...super.getConfig(),
      };
    }
  }
  core.serialization.registerClass(Conv2DTransposeOutputPadding);
  return Conv2DTransposeOutputPadding;
}
