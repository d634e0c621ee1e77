/**
 * Keras' random augmentation layers (RandomFlip, RandomRotation, RandomZoom, RandomTranslation, RandomContrast,
 * RandomBrightness): in inference, which is what the analysis describes, each returns its input unchanged (Keras:
 * "inactive at test time"), so one layer stands for all of them: same shape, no weights, no MACs. Its class name
 * is the Keras one the code wrote.
 */
import type { TfModule } from '../loadTf';
import { singleShape, type BatchShape } from './layerBase';

export const AUGMENTATION_LAYERS = ['RandomFlip', 'RandomRotation', 'RandomZoom', 'RandomTranslation', 'RandomContrast', 'RandomBrightness'] as const;

export function defineAugmentation(tf: TfModule) {
  type Tensor = ReturnType<typeof tf.core.zeros>;
  class InferenceIdentity extends tf.tfl.layers.Layer {
    static className = 'InferenceIdentity';
    constructor(args: Record<string, unknown>) {
      super({ name: args.name as string | undefined });
    }
    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      return singleShape(inputShape);
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      return Array.isArray(inputs) ? inputs[0]! : inputs;
    }
  }
  tf.core.serialization.registerClass(InferenceIdentity);
  return { InferenceIdentity };
}
