/**
 * PyTorch's nn.InstanceNorm2d (fast neural style, CycleGAN, pix2pix) and nn.GroupNorm (`groups`), which
 * tfjs-layers lacks: each sample's channels are normalised over H and W, per channel (instance) or per group of
 * channels. Shape unchanged. With affine it learns a weight and a bias per channel (2·C parameters,
 * torch/nn/modules/instancenorm.py, normalization.py); without, none. Running statistics (track_running_stats)
 * are buffers, not parameters, and are not weights here. GroupNorm needs C divisible by the groups.
 * Any channels-last rank from (L, C) up: InstanceNorm1d's (C, L) is read as (L, C) inside one layer (../../sequenceLayout.ts), InstanceNorm3d's is (D, H, W, C).
 */
import type { TfModule } from '../loadTf';
import { initializerOf, positiveInt, singleShape, type BatchShape, type Initializer } from './layerBase';

/** (batch, ..., channels) with at least one axis between. */
function channelsLast(shape: BatchShape | BatchShape[]): BatchShape {
  const s = singleShape(shape);
  if (s.length < 3) throw new Error(`InstanceNormalization expects a (batch, ..., channels) input, got rank ${s.length}`);
  return s;
}

export function defineInstanceNormalization(tf: TfModule) {
  const { core } = tf;
  type Tensor = ReturnType<typeof core.zeros>;

  class InstanceNormalization extends tf.tfl.layers.Layer {
    static className = 'InstanceNormalization';
    readonly affine: boolean;
    readonly epsilon: number;
    /** GroupNorm's num_groups; null: one group per channel (instance norm). */
    readonly groups: number | null;
    private readonly gammaInit: Initializer;
    private readonly betaInit: Initializer;
    private gamma: ReturnType<InstanceNormalization['addWeight']> | null = null;
    private beta: ReturnType<InstanceNormalization['addWeight']> | null = null;

    constructor(args: Record<string, unknown>) {
      super({ name: args.name as string | undefined });
      this.affine = args.affine === true;
      this.epsilon = typeof args.epsilon === 'number' ? args.epsilon : 1e-5;
      this.groups = args.groups === undefined || args.groups === null ? null : positiveInt(args.groups, 'num_groups');
      this.gammaInit = initializerOf(tf, args.gammaInitializer, 'zeros');
      this.betaInit = initializerOf(tf, args.betaInitializer, 'zeros');
    }

    override build(inputShape: BatchShape | BatchShape[]): void {
      const channels = channelsLast(inputShape).at(-1);
      if (channels == null) throw new Error('InstanceNormalization needs a known number of input channels');
      if (this.affine) {
        this.gamma = this.addWeight('gamma', [channels], 'float32', this.gammaInit);
        this.beta = this.addWeight('beta', [channels], 'float32', this.betaInit);
      }
      this.built = true;
    }

    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      const shape = channelsLast(inputShape);
      const c = shape.at(-1);
      if (this.groups !== null && c != null && c % this.groups !== 0) throw new Error(`num_channels must be divisible by num_groups (${c} channels, ${this.groups} groups)`);
      return shape;
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return core.tidy(() => {
        const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
        const shape = x.shape as number[];
        const c = shape.at(-1)!;
        const g = this.groups ?? c;
        const grouped = core.reshape(x, [...shape.slice(0, -1), g, c / g]);
        // Over every axis but the batch and the group.
        const axes = [...Array.from({ length: shape.length - 2 }, (_, i) => i + 1), shape.length];
        const { mean, variance } = core.moments(grouped, axes, true);
        const normed = core.reshape(core.div(core.sub(grouped, mean), core.sqrt(core.add(variance, this.epsilon))), shape);
        return this.gamma && this.beta ? core.add(core.mul(normed, this.gamma.read()), this.beta.read()) : normed;
      });
    }

    override getConfig() {
      return { affine: this.affine, epsilon: this.epsilon, groups: this.groups, ...super.getConfig() };
    }
  }

  core.serialization.registerClass(InstanceNormalization);
  return InstanceNormalization;
}
