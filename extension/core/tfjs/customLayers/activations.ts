/**
 * Activations tfjs does not know by their Keras 3 / PyTorch names, registered so that `Activation` layers and
 * any layer's `activation` argument accept them:
 *   hard_sigmoid  relu6(x + 3) / 6        (Keras 3 and PyTorch Hardsigmoid; tfjs's 'hardSigmoid' is the old 0.2x + 0.5)
 *   hard_swish    x · relu6(x + 3) / 6    (Keras 3 hard_swish, PyTorch Hardswish; MobileNetV3)
 *   silu          x · sigmoid(x)          (Keras 3 silu, PyTorch SiLU; tfjs calls it 'swish')
 * They change no shape and have no weights.
 */
import type { TfModule } from '../loadTf';

type Tensor = ReturnType<TfModule['core']['zeros']>;
type ActivationClass = new () => { apply(x: Tensor): Tensor };

export const EXTRA_ACTIVATIONS = ['hard_sigmoid', 'hard_swish', 'silu'] as const;

export function registerActivations(tf: TfModule): void {
  const { core } = tf;
  // tfjs does not export its Activation base class; the one behind a built-in activation stands in.
  const probe = tf.tfl.layers.activation({ activation: 'linear' }) as unknown as { activation: object };
  const Base = Object.getPrototypeOf(probe.activation.constructor) as ActivationClass;
  const hardSigmoid = (x: Tensor): Tensor => core.div(core.relu6(core.add(x, 3)), 6);

  class HardSigmoid extends Base {
    static className = 'hard_sigmoid';
    override apply(x: Tensor): Tensor {
      return core.tidy(() => hardSigmoid(x));
    }
  }
  class HardSwish extends Base {
    static className = 'hard_swish';
    override apply(x: Tensor): Tensor {
      return core.tidy(() => core.mul(x, hardSigmoid(x)));
    }
  }
  class Silu extends Base {
    static className = 'silu';
    override apply(x: Tensor): Tensor {
      return core.tidy(() => core.mul(x, core.sigmoid(x)));
    }
  }
  for (const cls of [HardSigmoid, HardSwish, Silu]) core.serialization.registerClass(cls as never);
}
