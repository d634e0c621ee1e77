/**
 * Translation of framework layer constructors (Keras, TensorFlow.js, PyTorch) into the engine's vocabulary:
 * Keras class names with tf.layers arguments in camelCase, channels-last. Every translation is exact for
 * shapes, parameters and MACs, or the call is reported as unsupported (never approximated). Which names mean
 * which kind is the table of layer knowledge's (../layerKnowledge/kinds.ts).
 */
import type { TensorRef, Translation } from './trace';
import { isUnknown, type Args, type Plain, type Translated } from './layerArgs';
import { isMerge, kerasClass, layerKind, torchFunction } from '../layerKnowledge/index';
import { tfjsActivation } from '../layerKnowledge/activations';
import { engineAxisOfTorchDim } from './torchAxes';

export { arg, type Args, type Plain, type Translated } from './layerArgs';

const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Arguments the engine's layers take; anything else (initializers, regularizers, names, data_format, keepdims) is dropped. */
const KEPT_ARGS = new Set([
  'filters', 'kernelSize', 'strides', 'padding', 'dilationRate', 'activation', 'useBias', 'depthMultiplier', 'units',
  'poolSize', 'axis', 'momentum', 'epsilon', 'center', 'scale', 'maxValue', 'alpha', 'rate', 'targetShape', 'dims',
  'cropping', 'size', 'interpolation', 'offset', 'groups', 'outputPadding', 'n', 'inputDim', 'outputDim',
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
  const keras = layerKind(info.type)?.keras;
  if (style === 'keras') {
    for (const [from, to] of Object.entries(keras?.renames ?? {})) if (from in out) out[to] = out[from];
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
  const type = info.type;
  // Keras lower-cases padding (standardize_padding): padding="SAME" is 'same'.
  if (style === 'keras' && typeof result.padding === 'string') result.padding = result.padding.toLowerCase();
  // The kind's own fix-ups (kerasAdapters.ts), as its entry in the table names them.
  // An alias of a class the kind holds (GlobalAvgPool3D) is that class to the adapter and in the report.
  const cls = keras?.aliases?.[className] ?? className;
  const adapted = keras?.adapt?.({ kept: result, given: out, inputs, style, className: cls });
  if (adapted && 'unsupported' in adapted) return adapted;
  // A Keras class the engine builds as another kind (GroupNormalization as InstanceNormalization, CenterCrop as
  // Cropping2D) is shown as itself, as Keras' summary() does; an alias (Convolution2D) is its kind's class.
  const ownClass = keras !== undefined && cls !== type && ((keras.names.includes(cls) && !keras.names.includes(type)) || cls in (keras.classes ?? {}));
  const shown = ownClass ? { frameworkType: cls } : {};
  // trainable=False (or `layer.trainable = False` before the call): every engine layer it becomes holds frozen weights.
  if (isUnknown(out.trainable as Plain)) return { unsupported: `${className}(trainable=…): the reader could not evaluate trainable` };
  const frozen = (parts: Translation['parts']): Translation['parts'] => (out.trainable === false ? parts.map((p) => ({ ...p, args: { ...p.args, trainable: false } })) : parts);
  if (adapted && 'replace' in adapted) {
    // The call built as another kind (Conv1DTranspose as a Conv2DTranspose on a (1, steps, C) image, in one layer): shown as its class.
    return { parts: frozen(adapted.replace.map((p) => ({ ...p, type: p.type === '' ? type : p.type, merge: false, frameworkType: cls }))) };
  }
  const parts: Translation['parts'] = [{ type, args: result, merge: isMerge(type), ...shown }, ...(adapted && 'extra' in adapted ? adapted.extra : [])];
  return { parts: frozen(parts) };
}

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
