/**
 * A Keras Layer subclass written in the user's code (ConvNeXt's LayerScale, a tutorial's custom block), as the
 * reader understood it: the weights its build() / __init__ created with add_weight (their shapes and whether
 * they train), the output shape its call() gave on the symbolic input, and the multiply-accumulates of the
 * weight products the reader saw in call() (`macs`). Its code is never run here: with
 * no known output shape it refuses to build, so the layers after it are unknown rather than guessed.
 */
import type { TfModule } from './loadTf';

type Layer = InstanceType<TfModule['tfl']['layers']['Layer']>;
type Initializer = ReturnType<TfModule['tfl']['initializers']['zeros']>;

/** The engine type of a user Keras layer. */
export const USER_LAYER = 'UserLayer';

export interface UserWeight {
  name: string;
  shape: number[];
  trainable: boolean;
}

export function userLayer(tf: TfModule, args: Record<string, unknown>): Layer {
  const outputShape = args.outputShape;
  // 'input': a shape-keeping step whose input shape only the engine knows (an ONNX file's per-channel scale).
  const keepsShape = outputShape === 'input';
  if (!keepsShape && (!Array.isArray(outputShape) || !outputShape.every((d) => d === null || (typeof d === 'number' && d > 0)))) {
    throw new Error(typeof args.reason === 'string' ? args.reason : 'the output shape of its call() is unknown');
  }
  const weights = (args.weights ?? []) as UserWeight[];
  const initializer = (args.weightInitializer ?? 'zeros') as Initializer | 'zeros';
  class UserLayer extends tf.tfl.layers.Layer {
    static className = USER_LAYER;
    override build(): void {
      for (const w of weights) this.addWeight(w.name, w.shape, 'float32', initializer === 'zeros' ? tf.tfl.initializers.zeros() : initializer, undefined, w.trainable);
      this.built = true;
    }
    override computeOutputShape(inputShape: (number | null)[] | (number | null)[][]): (number | null)[] {
      const first = Array.isArray(inputShape[0]) ? (inputShape[0] as (number | null)[]) : (inputShape as (number | null)[]);
      if (keepsShape) return [...first];
      return [first[0] ?? null, ...(outputShape as (number | null)[])];
    }
    override getConfig() {
      // The multiply-accumulates of its call() as the reader counted them (ops.matmul by a weight matrix).
      return { macs: typeof args.macs === 'number' ? args.macs : 0, ...super.getConfig() };
    }
    override call(inputs: never): never {
      // Analysis never runs a model; the user's call() is Python the reader only read.
      void inputs;
      throw new Error('a Keras layer read from Python source is never executed');
    }
  }
  return new UserLayer({ name: String(args.name ?? 'user_layer') });
}
