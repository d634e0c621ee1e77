/**
 * The fix-ups a few Keras/tfjs kinds need after the generic argument mapping (layers.translateKeras), named
 * by their entry in the table of layer knowledge (../layerKnowledge/kinds.ts): each returns nothing, extra
 * engine parts, or why the call is unsupported (never approximated).
 */
import { isUnknown, type Plain } from './layerArgs';
import type { LayerPart, TensorRef } from './trace';

export interface KerasAdaptContext {
  /** The engine's arguments, kept and checked (tfjs spelling); an adapter may change them. */
  kept: Record<string, unknown>;
  /** Every argument the call gave (camelCase), kept or not. */
  given: Record<string, unknown>;
  inputs: readonly TensorRef[];
  style: 'keras' | 'tfjs';
  className: string;
}

export type KerasAdapt = (ctx: KerasAdaptContext) => { unsupported: string } | { extra: LayerPart[] } | void;

/** ReLU(max_value=None) is tfjs' ReLU without a maxValue. */
export const reluMaxValue: KerasAdapt = ({ kept }) => {
  if (kept.maxValue === null) delete kept.maxValue;
};

/** Keras' UpSampling2D(2) is size (2, 2); tfjs takes only the pair. */
export const upSamplingSize: KerasAdapt = ({ kept, style }) => {
  if (style === 'keras' && typeof kept.size === 'number') kept.size = [kept.size, kept.size];
};

/**
 * keepdims=True: tfjs' global pooling gives (C); a Reshape makes it Keras' (1, C) for 1-D, (1, 1, C) for 2-D.
 * keepdims decides the output rank: never dropped, never guessed.
 */
export const globalPoolKeepDims = (spatialRank: 1 | 2): KerasAdapt => ({ given, inputs, className }) => {
  if (isUnknown(given.keepDims as Plain)) return { unsupported: `${className}(keepdims=…): the reader could not evaluate keepdims` };
  if (given.keepDims !== true) return;
  const channels = inputs[0]?.channels ?? null;
  if (channels === null) return { unsupported: `${className}(keepdims=True) on a tensor whose shape is unknown` };
  return { extra: [{ type: 'Reshape', args: { targetShape: [...Array<number>(spatialRank).fill(1), channels] }, suffix: 'keepdims' }] };
};

/**
 * Keras' Normalization: its weights (mean, variance, count) exist only when the code states no mean and
 * variance (keras/src/layers/preprocessing/normalization.py builds them for adapt()); only the channel axis.
 */
export const normalization: KerasAdapt = ({ kept, given, inputs }) => {
  const mean = given.mean as Plain | undefined;
  const variance = given.variance as Plain | undefined;
  if (isUnknown(mean) || isUnknown(variance)) return { unsupported: 'Normalization(mean=…, variance=…): the reader could not evaluate them' };
  const stated = mean !== undefined && mean !== null;
  if (stated !== (variance !== undefined && variance !== null)) return { unsupported: 'Normalization with only one of mean and variance (Keras raises)' };
  const axis = given.axis === undefined ? -1 : given.axis;
  const rank = inputs[0]?.rank ?? null;
  if (axis !== -1 && (rank === null || axis !== rank)) return { unsupported: `Normalization(axis=${JSON.stringify(axis)}) other than the channel axis` };
  kept.statedStatistics = stated;
};
