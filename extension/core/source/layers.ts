/**
 * Translation of framework layer constructors (Keras, TensorFlow.js, PyTorch) into the engine's vocabulary:
 * Keras class names with tf.layers arguments in camelCase, channels-last. Every translation is exact for
 * shapes, parameters and MACs, or the call is reported as unsupported (never approximated). Which names mean
 * which kind is the table of layer knowledge's (../layerKnowledge/kinds.ts).
 */
import type { TensorRef, Translation } from './trace';
import { isUnknown, type Args, type Plain, type Translated } from './layerArgs';
import { isMerge, kerasClass, torchFunction } from '../layerKnowledge/index';
import { tfjsActivation } from '../layerKnowledge/activations';
import { engineAxisOfTorchDim } from './torchAxes';

export { arg, type Args, type Plain, type Translated } from './layerArgs';

const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Arguments the engine's layers take; anything else (initializers, regularizers, names, data_format, keepdims) is dropped. */
const KEPT_ARGS = new Set([
  'filters', 'kernelSize', 'strides', 'padding', 'dilationRate', 'activation', 'useBias', 'depthMultiplier', 'units',
  'poolSize', 'axis', 'momentum', 'epsilon', 'center', 'scale', 'maxValue', 'alpha', 'rate', 'targetShape', 'dims',
  'cropping', 'size', 'interpolation', 'offset', 'groups', 'outputPadding',
]);

/** Python activations given as functions (tf.nn.relu, keras.activations.swish) → tfjs names. */
export function activationName(v: Plain | undefined): Plain | undefined {
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && 'ref' in v) return v.ref.split('.').pop() ?? '';
  return v;
}

function normaliseActivation(v: Plain | undefined): { value: Plain | undefined; problem: string | null } {
  const a = activationName(v);
  if (a === undefined || a === null) return { value: a, problem: null };
  if (typeof a !== 'string') return { value: undefined, problem: 'an activation the reader cannot evaluate' };
  // Every activation keeps the shape; one tfjs lacks is analysed as linear, which has the same shape and no weights.
  return { value: tfjsActivation(a) ?? 'linear', problem: null };
}

/**
 * A Keras (Python, snake_case) or tfjs (camelCase config) layer. `args` for Keras are the call's positional and
 * keyword arguments; for tfjs the config object's properties as keywords.
 */
export function translateKeras(className: string, args: Args, inputs: readonly TensorRef[], style: 'keras' | 'tfjs'): Translated {
  // keras.layers.Identity: the input itself, no engine layer (as PyTorch's nn.Identity).
  if (className === 'Identity' && style === 'keras') return { parts: [] };
  const info = kerasClass(className);
  if (!info) return { unsupported: className };
  const out: Record<string, unknown> = {};
  info.positional.forEach((p, i) => {
    const v = args.positional[i];
    if (v !== undefined) out[camel(p)] = v;
  });
  for (const [k, v] of args.keywords) out[style === 'keras' ? camel(k) : k] = v;
  if (style === 'keras') {
    if ('negativeSlope' in out && className === 'LeakyReLU') out.alpha = out.negativeSlope;
    if ('keepdims' in out) out.keepDims = out.keepdims;
  }
  const dataFormat = out.dataFormat;
  if (dataFormat === 'channels_first' || dataFormat === 'channelsFirst') return { unsupported: `${className}(data_format='channels_first')` };
  const result: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(out)) {
    if (!KEPT_ARGS.has(k)) continue;
    if (isUnknown(v as Plain)) return { unsupported: `${className}(${k}=…): the reader could not evaluate ${k}` };
    result[k] = v;
  }
  if ('activation' in result) {
    const a = normaliseActivation(result.activation as Plain);
    if (a.problem) return { unsupported: `${className}: ${a.problem}` };
    if (a.value === undefined || a.value === null) delete result.activation;
    else result.activation = a.value;
  }
  if (className === 'ReLU' && result.maxValue === null) delete result.maxValue;
  const type = info.type;
  // Keras lower-cases padding (standardize_padding): padding="SAME" is 'same'.
  if (style === 'keras' && typeof result.padding === 'string') result.padding = result.padding.toLowerCase();
  if (type === 'Normalization') {
    const normalization = normalizationArgs(out, inputs);
    if ('unsupported' in normalization) return normalization;
    Object.assign(result, normalization);
  }
  // Keras' UpSampling2D(2) is size (2, 2); tfjs takes only the pair.
  if (style === 'keras' && type === 'UpSampling2D' && typeof result.size === 'number') result.size = [result.size, result.size];
  const parts: Translation['parts'] = [{ type, args: result, merge: isMerge(type) }];
  const globalPooling = GLOBAL_POOLING_RANK[type];
  // keepdims decides the output rank: never dropped, never guessed (Keras: (None, 1, C) for 1-D, (None, 1, 1, C) for 2-D).
  if (globalPooling !== undefined && isUnknown(out.keepDims as Plain)) return { unsupported: `${className}(keepdims=…): the reader could not evaluate keepdims` };
  if (globalPooling !== undefined && out.keepDims === true) {
    const channels = inputs[0]?.channels ?? null;
    if (channels === null) return { unsupported: `${className}(keepdims=True) on a tensor whose shape is unknown` };
    parts.push({ type: 'Reshape', args: { targetShape: [...Array<number>(globalPooling).fill(1), channels] }, suffix: 'keepdims' });
  }
  return { parts };
}

/**
 * Keras' Normalization: its weights (mean, variance, count) exist only when the code states no mean and
 * variance (keras/src/layers/preprocessing/normalization.py builds them for adapt()); only the channel axis.
 */
function normalizationArgs(out: Record<string, unknown>, inputs: readonly TensorRef[]): { statedStatistics: boolean } | { unsupported: string } {
  const mean = out.mean as Plain | undefined;
  const variance = out.variance as Plain | undefined;
  if (isUnknown(mean) || isUnknown(variance)) return { unsupported: 'Normalization(mean=…, variance=…): the reader could not evaluate them' };
  const stated = mean !== undefined && mean !== null;
  if (stated !== (variance !== undefined && variance !== null)) return { unsupported: 'Normalization with only one of mean and variance (Keras raises)' };
  const axis = out.axis === undefined ? -1 : out.axis;
  const rank = inputs[0]?.rank ?? null;
  if (axis !== -1 && (rank === null || axis !== rank)) return { unsupported: `Normalization(axis=${JSON.stringify(axis)}) other than the channel axis` };
  return { statedStatistics: stated };
}

/** Global poolings and their spatial rank (the 1s keepdims keeps). */
const GLOBAL_POOLING_RANK: Record<string, number> = { GlobalAveragePooling1D: 1, GlobalMaxPooling1D: 1, GlobalAveragePooling2D: 2, GlobalMaxPooling2D: 2 };

/**
 * Engine axis (channels-last, with the batch as axis 0) of a PyTorch dim for a tensor of engine rank `rank`:
 * torchAxes.ts's one mapping, so (C, D, H, W) held as (D, H, W, C) concatenates channels on its last axis.
 */
export function torchDimToAxis(dim: number, rank: number | null): number | null {
  if (rank === null) return dim === 1 ? -1 : null;
  const axis = engineAxisOfTorchDim(dim, rank);
  return axis === null ? null : axis + 1;
}


/** torch.nn.functional.* and torch.* functions applied to tensors. `args` excludes the tensor itself. */
export function translateTorchFunction(fn: string, args: Args, inputs: readonly TensorRef[]): Translated | null {
  return torchFunction(fn)?.(args, inputs) ?? null;
}
