/**
 * PyTorch's nn.InstanceNorm2d (fast neural style, CycleGAN, pix2pix), which tfjs-layers lacks: each sample's
 * channels are normalised over H and W. Shape unchanged. With affine=True it learns a weight and a bias per
 * channel (2·C parameters, torch/nn/modules/instancenorm.py); without, none. Running statistics
 * (track_running_stats) are buffers, not parameters, and are not weights here.
 */
import type { TfModule } from '../loadTf';
import { imageShape, initializerOf, knownChannels, type BatchShape, type Initializer } from './layerBase';

export function defineInstanceNormalization(tf: TfModule) {
  const { core } = tf;
  type Tensor = ReturnType<typeof core.zeros>;

  class InstanceNormalization extends tf.tfl.layers.Layer {
    static className = 'InstanceNormalization';
    readonly affine: boolean;
    readonly epsilon: number;
    private readonly gammaInit: Initializer;
    private readonly betaInit: Initializer;
    private gamma: ReturnType<InstanceNormalization['addWeight']> | null = null;
    private beta: ReturnType<InstanceNormalization['addWeight']> | null = null;

    constructor(args: Record<string, unknown>) {
      super({ name: args.name as string | undefined });
      this.affine = args.affine === true;
      this.epsilon = typeof args.epsilon === 'number' ? args.epsilon : 1e-5;
      this.gammaInit = initializerOf(tf, args.gammaInitializer, 'zeros');
      this.betaInit = initializerOf(tf, args.betaInitializer, 'zeros');
    }

    override build(inputShape: BatchShape | BatchShape[]): void {
      const channels = knownChannels(imageShape(inputShape, 'InstanceNormalization'), 'InstanceNormalization');
      if (this.affine) {
        this.gamma = this.addWeight('gamma', [channels], 'float32', this.gammaInit);
        this.beta = this.addWeight('beta', [channels], 'float32', this.betaInit);
      }
      this.built = true;
    }

    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      return imageShape(inputShape, 'InstanceNormalization');
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return core.tidy(() => {
        const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
        const { mean, variance } = core.moments(x, [1, 2], true);
        const normed = core.div(core.sub(x, mean), core.sqrt(core.add(variance, this.epsilon)));
        return this.gamma && this.beta ? core.add(core.mul(normed, this.gamma.read()), this.beta.read()) : normed;
      });
    }

    override getConfig() {
      return { affine: this.affine, epsilon: this.epsilon, ...super.getConfig() };
    }
  }

  core.serialization.registerClass(InstanceNormalization);
  return InstanceNormalization;
}
