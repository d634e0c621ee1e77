/**
 * Keras's Normalization preprocessing layer, which tfjs lacks: the shape is kept and, when the config gives no
 * mean and variance, the layer holds Keras's three non-trainable weights (mean and variance per channel, and
 * a count), as `count_params()` counts them. Only the channel axis is taken.
 */
import type { TfModule } from './loadTf';

type Layer = InstanceType<TfModule['tfl']['layers']['Layer']>;

export function normalizationLayer(tf: TfModule, args: Record<string, unknown>): Layer {
  const adapted = args.statedStatistics === true;
  class Normalization extends tf.tfl.layers.Layer {
    static className = 'Normalization';
    override build(inputShape: (number | null)[]): void {
      const channels = inputShape[inputShape.length - 1];
      if (!adapted && typeof channels === 'number') {
        const zeros = tf.tfl.initializers.zeros();
        this.addWeight('mean', [channels], 'float32', zeros, undefined, false);
        this.addWeight('variance', [channels], 'float32', zeros, undefined, false);
        this.addWeight('count', [], 'float32', zeros, undefined, false);
      }
      this.built = true;
    }
    override computeOutputShape(inputShape: (number | null)[]): (number | null)[] {
      return inputShape;
    }
  }
  return new Normalization({ name: String(args.name ?? 'normalization') });
}
