/**
 * A layer whose code CNN Inspector never runs (a Keras Lambda read from a model file): it has no weights and
 * its output shape is the one the file states. Without a stated shape it refuses to build, so the layers
 * after it are unknown rather than guessed.
 */
import type { TfModule } from './loadTf';

type Layer = InstanceType<TfModule['tfl']['layers']['Layer']>;

/** The engine type of a Lambda read from a file (a Lambda in code stays an unsupported "Lambda"). */
export const OPAQUE_LAMBDA = 'Lambda (not executed)';

export function statedShapeLayer(tf: TfModule, args: Record<string, unknown>): Layer {
  const outputShape = args.outputShape;
  if (!Array.isArray(outputShape) || !outputShape.every((d) => typeof d === 'number' && d > 0)) {
    throw new Error('its code is not executed and the file states no output_shape, so its output shape is unknown');
  }
  class StatedShape extends tf.tfl.layers.Layer {
    static className = 'StatedShape';
    override computeOutputShape(inputShape: (number | null)[] | (number | null)[][]): (number | null)[] {
      // Several inputs (F.grid_sample's input and grid): the batch is the first one's.
      const first = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as (number | null)[];
      return [first[0] ?? null, ...(outputShape as number[])];
    }
    override call(inputs: never): never {
      // Analysis never runs a model; a model built for running (the benchmark's naive build) cannot run this.
      void inputs;
      throw new Error('a Lambda read from a file is never executed');
    }
  }
  return new StatedShape({ name: String(args.name ?? 'lambda') });
}
