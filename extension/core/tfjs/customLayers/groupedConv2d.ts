/**
 * Conv2D with `groups` > 1 (ResNeXt, ShuffleNet, PyTorch's `Conv2d(groups=g)`), which tfjs-layers lacks: it
 * ignores `groups` and builds a full kernel. As in Keras 3's Conv2D: the kernel is (kH, kW, inC/groups,
 * filters), both inC and filters must divide by groups, output lengths follow conv_utils (dilation included).
 * Keras: Conv2D(filters=8, kernel_size=3, groups=2) on 4 channels has 3·3·2·8 + 8 = 152 parameters.
 */
import type { TfModule } from '../loadTf';
import { convOutputLength, pairOf, paddingOf, type PaddingMode } from './convArithmetic';
import { imageShape, initializerOf, knownChannels, positiveInt, type BatchShape, type Initializer } from './layerBase';

export function defineGroupedConv2D(tf: TfModule) {
  const { core } = tf;
  type Tensor = ReturnType<typeof core.zeros>;

  class GroupedConv2D extends tf.tfl.layers.Layer {
    static className = 'GroupedConv2D';
    readonly filters: number;
    readonly kernelSize: [number, number];
    readonly strides: [number, number];
    readonly dilationRate: [number, number];
    readonly padding: PaddingMode;
    readonly groups: number;
    readonly useBias: boolean;
    readonly activation: string;
    private readonly kernelInit: Initializer;
    private readonly biasInit: Initializer;
    private readonly activationLayer: ReturnType<typeof tf.tfl.layers.activation> | null;
    private kernel: ReturnType<GroupedConv2D['addWeight']> | null = null;
    private bias: ReturnType<GroupedConv2D['addWeight']> | null = null;

    constructor(args: Record<string, unknown>) {
      super({ name: args.name as string | undefined });
      this.filters = positiveInt(args.filters, 'filters');
      this.kernelSize = pairOf(args.kernelSize, NaN);
      this.strides = pairOf(args.strides, 1);
      this.dilationRate = pairOf(args.dilationRate, 1);
      this.padding = paddingOf(args.padding);
      this.groups = positiveInt(args.groups, 'groups');
      this.useBias = args.useBias === undefined ? true : Boolean(args.useBias);
      this.activation = typeof args.activation === 'string' ? args.activation : 'linear';
      [...this.kernelSize, ...this.strides, ...this.dilationRate].forEach((v) => positiveInt(v, 'kernelSize, strides and dilationRate'));
      if (this.filters % this.groups !== 0) {
        throw new Error(`the number of filters must be evenly divisible by the number of groups. Received groups=${this.groups}, filters=${this.filters}`);
      }
      this.kernelInit = initializerOf(tf, args.kernelInitializer, 'glorotUniform');
      this.biasInit = initializerOf(tf, args.biasInitializer, 'zeros');
      // The activation is a real tfjs activation, so an unknown name fails here as it would in tfjs.
      this.activationLayer = this.activation === 'linear' ? null : tf.tfl.layers.activation({ activation: this.activation as never });
    }

    private checkedChannels(inputShape: BatchShape | BatchShape[]): number {
      const shape = imageShape(inputShape, 'Conv2D');
      const channels = knownChannels(shape, 'Conv2D');
      if (channels % this.groups !== 0) {
        throw new Error(
          `the number of input channels must be evenly divisible by the number of groups. Received groups=${this.groups}, but the input has ${channels} channels`,
        );
      }
      return channels;
    }

    override build(inputShape: BatchShape | BatchShape[]): void {
      const channels = this.checkedChannels(inputShape);
      this.kernel = this.addWeight('kernel', [...this.kernelSize, channels / this.groups, this.filters], 'float32', this.kernelInit);
      if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', this.biasInit);
      this.built = true;
    }

    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      this.checkedChannels(inputShape);
      const [batch, h, w] = imageShape(inputShape, 'Conv2D');
      const length = (n: number | null | undefined, axis: 0 | 1): number | null =>
        n == null ? null : convOutputLength(n, this.kernelSize[axis], this.padding, this.strides[axis], this.dilationRate[axis]);
      return [batch ?? null, length(h, 0), length(w, 1), this.filters];
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return core.tidy(() => {
        const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
        const kernel = this.kernel!.read();
        const xs = core.split(x, this.groups, 3);
        const ks = core.split(kernel, this.groups, 3);
        const parts = xs.map((xi, i) =>
          core.conv2d(xi as never, ks[i] as never, this.strides, this.padding, 'NHWC', this.dilationRate),
        );
        let y: Tensor = core.concat(parts, 3);
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
        groups: this.groups,
        useBias: this.useBias,
        activation: this.activation,
        ...super.getConfig(),
      };
    }
  }
  core.serialization.registerClass(GroupedConv2D);
  return GroupedConv2D;
}
