/**
 * What every custom layer shares: reading its arguments, its weight initializers (the shape-only one during
 * analysis, see ../shapeOnlyWeights.ts) and its input shape. Errors name the argument and the value received,
 * like tfjs's own ValueErrors.
 */
import type { TfModule } from '../loadTf';

export type Initializer = ReturnType<TfModule['tfl']['initializers']['zeros']>;
/** A shape with the batch dimension first, as tfjs passes it to build() and computeOutputShape(). */
export type BatchShape = (number | null)[];

export function positiveInt(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`${what} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** `value` as given to the layer, else the Keras default (glorot uniform kernels, zero biases). */
export function initializerOf(tf: TfModule, value: unknown, fallback: 'glorotUniform' | 'zeros'): Initializer {
  if (value === undefined || value === null) {
    return fallback === 'zeros' ? tf.tfl.initializers.zeros() : tf.tfl.initializers.glorotUniform({});
  }
  if (value === 'zeros') return tf.tfl.initializers.zeros();
  if (typeof value === 'object') return value as Initializer;
  throw new Error(`unknown initializer ${JSON.stringify(value)}`);
}

/** The one input shape of a single-input layer. */
export function singleShape(shape: BatchShape | BatchShape[]): BatchShape {
  const first = shape[0];
  if (Array.isArray(first)) {
    if (shape.length !== 1) throw new Error(`expected one input, got ${shape.length}`);
    return first;
  }
  return shape as BatchShape;
}

/** (batch, H, W, C) of an image input; throws for any other rank. */
export function imageShape(shape: BatchShape | BatchShape[], layer: string): BatchShape {
  const s = singleShape(shape);
  if (s.length !== 4) throw new Error(`${layer} expects a (batch, height, width, channels) input, got rank ${s.length}`);
  return s;
}

/** The channel count, which every layer with weights needs to know. */
export function knownChannels(shape: BatchShape, layer: string): number {
  const c = shape[3];
  if (c === null || c === undefined) throw new Error(`${layer} needs a known number of input channels`);
  return c;
}
