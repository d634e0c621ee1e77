/**
 * Translation of framework layer constructors (Keras, TensorFlow.js, PyTorch) into the engine's vocabulary:
 * Keras class names with tf.layers arguments in camelCase, channels-last. Every translation is exact for
 * shapes, parameters and MACs, or the call is reported as unsupported (never approximated).
 */
import type { TensorRef, Translation } from './trace';
import { TORCH_3D_MODULES } from './torch3d';
import { TORCH_1D_MODULES } from './torch1d';
import { onLastDim, TORCH_LAST_DIM_MODULES } from './torchLastDim';

/** An evaluated argument: plain data, or a marker for something the reader could not evaluate. */
export type Plain = number | string | boolean | null | Plain[] | { unknown: string } | { ref: string };

export interface Args {
  positional: Plain[];
  keywords: Map<string, Plain>;
}

export type Translated = Translation | { unsupported: string };

function isUnknown(v: Plain | undefined): v is { unknown: string } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'unknown' in v;
}

/** Argument by keyword, else by position. */
export function arg(args: Args, name: string, position: number | null): Plain | undefined {
  if (args.keywords.has(name)) return args.keywords.get(name);
  return position === null ? undefined : args.positional[position];
}

function num(v: Plain | undefined): number | null {
  return typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : null;
}

function pair(v: Plain | undefined, fallback: number | null = null): [number, number] | null {
  if (v === undefined || v === null) return fallback === null ? null : [fallback, fallback];
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number') return [v[0], v[1]];
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'number') return [v[0], v[0]];
  return null;
}

const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

// ---------------------------------------------------------------- Keras and TensorFlow.js

interface KerasInfo {
  type: string;
  positional: string[];
}

const K = (type: string, ...positional: string[]): KerasInfo => ({ type, positional });

/** Keras class names (and aliases) → engine type and positional argument names (snake_case). */
export const KERAS_LAYERS: Record<string, KerasInfo> = {
  Conv2D: K('Conv2D', 'filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'groups', 'activation', 'use_bias'),
  Convolution2D: K('Conv2D', 'filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'groups', 'activation', 'use_bias'),
  Conv2DTranspose: K('Conv2DTranspose', 'filters', 'kernel_size', 'strides', 'padding'),
  DepthwiseConv2D: K('DepthwiseConv2D', 'kernel_size', 'strides', 'padding', 'depth_multiplier', 'data_format', 'dilation_rate', 'activation', 'use_bias'),
  SeparableConv2D: K('SeparableConv2D', 'filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'depth_multiplier', 'activation', 'use_bias'),
  Dense: K('Dense', 'units', 'activation', 'use_bias'),
  Conv1D: K('Conv1D', 'filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'groups', 'activation', 'use_bias'),
  Convolution1D: K('Conv1D', 'filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'groups', 'activation', 'use_bias'),
  MaxPooling1D: K('MaxPooling1D', 'pool_size', 'strides', 'padding', 'data_format'),
  MaxPool1D: K('MaxPooling1D', 'pool_size', 'strides', 'padding', 'data_format'),
  AveragePooling1D: K('AveragePooling1D', 'pool_size', 'strides', 'padding', 'data_format'),
  AvgPool1D: K('AveragePooling1D', 'pool_size', 'strides', 'padding', 'data_format'),
  GlobalAveragePooling1D: K('GlobalAveragePooling1D', 'data_format', 'keepdims'),
  GlobalAvgPool1D: K('GlobalAveragePooling1D', 'data_format', 'keepdims'),
  GlobalMaxPooling1D: K('GlobalMaxPooling1D', 'data_format', 'keepdims'),
  GlobalMaxPool1D: K('GlobalMaxPooling1D', 'data_format', 'keepdims'),
  MaxPooling2D: K('MaxPooling2D', 'pool_size', 'strides', 'padding', 'data_format'),
  MaxPool2D: K('MaxPooling2D', 'pool_size', 'strides', 'padding', 'data_format'),
  AveragePooling2D: K('AveragePooling2D', 'pool_size', 'strides', 'padding', 'data_format'),
  AvgPool2D: K('AveragePooling2D', 'pool_size', 'strides', 'padding', 'data_format'),
  GlobalAveragePooling2D: K('GlobalAveragePooling2D', 'data_format', 'keepdims'),
  GlobalAvgPool2D: K('GlobalAveragePooling2D', 'data_format', 'keepdims'),
  GlobalMaxPooling2D: K('GlobalMaxPooling2D', 'data_format', 'keepdims'),
  GlobalMaxPool2D: K('GlobalMaxPooling2D', 'data_format', 'keepdims'),
  BatchNormalization: K('BatchNormalization', 'axis', 'momentum', 'epsilon', 'center', 'scale'),
  LayerNormalization: K('LayerNormalization', 'axis', 'epsilon', 'center', 'scale'),
  Activation: K('Activation', 'activation'),
  ReLU: K('ReLU', 'max_value', 'negative_slope', 'threshold'),
  LeakyReLU: K('LeakyReLU', 'alpha'),
  ELU: K('ELU', 'alpha'),
  PReLU: K('PReLU'),
  Softmax: K('Softmax', 'axis'),
  Dropout: K('Dropout', 'rate'),
  SpatialDropout2D: K('SpatialDropout2D', 'rate'),
  Flatten: K('Flatten', 'data_format'),
  Reshape: K('Reshape', 'target_shape'),
  Permute: K('Permute', 'dims'),
  ZeroPadding2D: K('ZeroPadding2D', 'padding'),
  Cropping2D: K('Cropping2D', 'cropping'),
  UpSampling2D: K('UpSampling2D', 'size', 'data_format', 'interpolation'),
  Add: K('Add'),
  Multiply: K('Multiply'),
  Average: K('Average'),
  Maximum: K('Maximum'),
  Minimum: K('Minimum'),
  Concatenate: K('Concatenate', 'axis'),
  Rescaling: K('Rescaling', 'scale', 'offset'),
  Normalization: K('Normalization', 'axis', 'mean', 'variance'),
  // Data augmentation: inactive at inference, so their arguments (factors, modes, seeds) change nothing here.
  RandomFlip: K('RandomFlip'),
  RandomRotation: K('RandomRotation'),
  RandomZoom: K('RandomZoom'),
  RandomTranslation: K('RandomTranslation'),
  RandomContrast: K('RandomContrast'),
  RandomBrightness: K('RandomBrightness'),
  // Noise and regularisation layers are the identity at inference: same shape, no weights.
  GaussianNoise: K('InferenceIdentity'),
  GaussianDropout: K('InferenceIdentity'),
  AlphaDropout: K('InferenceIdentity'),
  ActivityRegularization: K('InferenceIdentity'),
  GroupNormalization: K('InstanceNormalization', 'groups', 'axis', 'epsilon', 'center', 'scale'),
  Resizing: K('Resize', 'height', 'width', 'interpolation'),
  CenterCrop: K('Cropping2D', 'height', 'width'),
};

/** keras.layers.add(...) style functions → class. */
export const KERAS_MERGE_FUNCTIONS: Record<string, string> = {
  add: 'Add',
  multiply: 'Multiply',
  average: 'Average',
  maximum: 'Maximum',
  minimum: 'Minimum',
  concatenate: 'Concatenate',
};

/** tf.layers.* factory names → Keras class. */
export const TFJS_LAYERS: Record<string, string> = {
  conv2d: 'Conv2D',
  conv2dTranspose: 'Conv2DTranspose',
  depthwiseConv2d: 'DepthwiseConv2D',
  separableConv2d: 'SeparableConv2D',
  dense: 'Dense',
  conv1d: 'Conv1D',
  maxPooling1d: 'MaxPooling1D',
  maxPool1d: 'MaxPooling1D',
  averagePooling1d: 'AveragePooling1D',
  avgPool1d: 'AveragePooling1D',
  globalAveragePooling1d: 'GlobalAveragePooling1D',
  globalMaxPooling1d: 'GlobalMaxPooling1D',
  globalMaxPool1d: 'GlobalMaxPooling1D',
  maxPooling2d: 'MaxPooling2D',
  maxPool2d: 'MaxPooling2D',
  averagePooling2d: 'AveragePooling2D',
  avgPool2d: 'AveragePooling2D',
  globalAveragePooling2d: 'GlobalAveragePooling2D',
  globalMaxPooling2d: 'GlobalMaxPooling2D',
  globalMaxPool2d: 'GlobalMaxPooling2D',
  batchNormalization: 'BatchNormalization',
  layerNormalization: 'LayerNormalization',
  activation: 'Activation',
  reLU: 'ReLU',
  leakyReLU: 'LeakyReLU',
  elu: 'ELU',
  prelu: 'PReLU',
  softmax: 'Softmax',
  dropout: 'Dropout',
  spatialDropout2d: 'SpatialDropout2D',
  flatten: 'Flatten',
  reshape: 'Reshape',
  permute: 'Permute',
  zeroPadding2d: 'ZeroPadding2D',
  cropping2D: 'Cropping2D',
  upSampling2d: 'UpSampling2D',
  rescaling: 'Rescaling',
  // tf.layers.add(...), concatenate(...): the same merge factories as Keras's functions.
  ...KERAS_MERGE_FUNCTIONS,
};

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

const TFJS_ACTIVATIONS = new Set(['elu', 'hardSigmoid', 'linear', 'relu', 'relu6', 'selu', 'sigmoid', 'softmax', 'softplus', 'softsign', 'tanh', 'swish', 'mish', 'gelu', 'gelu_new']);
const ACTIVATION_ALIASES: Record<string, string> = { silu: 'swish', hard_sigmoid: 'hardSigmoid', None: 'linear' };

function normaliseActivation(v: Plain | undefined): { value: Plain | undefined; problem: string | null } {
  const a = activationName(v);
  if (a === undefined || a === null) return { value: a, problem: null };
  if (typeof a !== 'string') return { value: undefined, problem: 'an activation the reader cannot evaluate' };
  const name = ACTIVATION_ALIASES[a] ?? a;
  // Every activation keeps the shape; one tfjs lacks is analysed as linear, which has the same shape and no weights.
  return TFJS_ACTIVATIONS.has(name) ? { value: name, problem: null } : { value: 'linear', problem: null };
}

/**
 * A Keras (Python, snake_case) or tfjs (camelCase config) layer. `args` for Keras are the call's positional and
 * keyword arguments; for tfjs the config object's properties as keywords.
 */
export function translateKeras(className: string, args: Args, inputs: readonly TensorRef[], style: 'keras' | 'tfjs'): Translated {
  // keras.layers.Identity: the input itself, no engine layer (as PyTorch's nn.Identity).
  if (className === 'Identity' && style === 'keras') return { parts: [] };
  const info = KERAS_LAYERS[className];
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
  if (className === 'GroupNormalization' || className === 'Resizing' || className === 'CenterCrop') {
    const extra = kerasImageOp(className, out, inputs);
    if ('unsupported' in extra) return { unsupported: String(extra.unsupported) };
    for (const k of ['axis', 'center', 'scale']) delete result[k];
    Object.assign(result, extra);
  }
  // Keras' UpSampling2D(2) is size (2, 2); tfjs takes only the pair.
  if (style === 'keras' && type === 'UpSampling2D' && typeof result.size === 'number') result.size = [result.size, result.size];
  const parts: Translation['parts'] = [{ type, args: result, merge: MERGES.has(type) }];
  if ((type === 'GlobalAveragePooling2D' || type === 'GlobalMaxPooling2D') && out.keepDims === true) {
    const channels = inputs[0]?.channels ?? null;
    if (channels === null) return { unsupported: `${className}(keepdims=True) on a tensor whose shape is unknown` };
    parts.push({ type: 'Reshape', args: { targetShape: [1, 1, channels] }, suffix: 'keepdims' });
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

/**
 * Keras GroupNormalization(groups=32, epsilon=1e-3, center, scale): 2·C weights with both, on the channel axis;
 * Resizing(height, width): PyTorch-style Resize to that size (Keras: bilinear, no aligned corners); CenterCrop
 * (height, width): the centred Cropping2D (keras/src/layers/preprocessing/center_crop.py: start (H − h) // 2), only
 * when the input is at least that large (Keras resizes a smaller one).
 */
function kerasImageOp(className: string, out: Record<string, unknown>, inputs: readonly TensorRef[]): Record<string, unknown> | { unsupported: string } {
  const shape = inputs[0]?.shape ?? null;
  if (className === 'GroupNormalization') {
    const center = out.center ?? true;
    const scale = out.scale ?? true;
    if (center !== scale || typeof center !== 'boolean') return { unsupported: 'GroupNormalization with only one of center and scale' };
    if (out.axis !== undefined && out.axis !== -1 && out.axis !== 3) return { unsupported: 'GroupNormalization on an axis other than the channels' };
    return { groups: out.groups ?? 32, epsilon: out.epsilon ?? 1e-3, affine: center };
  }
  const h = out.height;
  const w = out.width;
  if (typeof h !== 'number' || typeof w !== 'number') return { unsupported: `${className} with a height or width the reader could not evaluate` };
  if (className === 'Resizing') {
    const interpolation = out.interpolation ?? 'bilinear';
    if (interpolation !== 'bilinear' && interpolation !== 'nearest') return { unsupported: `Resizing(interpolation=${JSON.stringify(interpolation)})` };
    return { size: [h, w], interpolation, alignCorners: false };
  }
  const [inH, inW] = shape && shape.length === 3 ? shape : [null, null];
  if (typeof inH !== 'number' || typeof inW !== 'number') return { unsupported: 'CenterCrop on a tensor whose height and width are unknown' };
  if (inH < h || inW < w) return { unsupported: 'CenterCrop to a size larger than its input (Keras resizes it first)' };
  const top = Math.floor((inH - h) / 2);
  const left = Math.floor((inW - w) / 2);
  return { cropping: [[top, inH - h - top], [left, inW - w - left]] };
}

const MERGES = new Set(['Add', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate']);

// ---------------------------------------------------------------- PyTorch

type TorchTranslator = (args: Args, inputs: readonly TensorRef[]) => Translated;

function same(kernel: [number, number], padding: [number, number], dilation: [number, number]): boolean {
  return 2 * padding[0] === dilation[0] * (kernel[0] - 1) && 2 * padding[1] === dilation[1] * (kernel[1] - 1);
}

function torchPadding(v: Plain | undefined): [number, number] | 'same' | 'valid' | null {
  if (v === 'same' || v === 'valid') return v;
  return pair(v, 0);
}

function conv(args: Args): Translated {
  const inC = num(arg(args, 'in_channels', 0));
  const outC = num(arg(args, 'out_channels', 1));
  const kernel = pair(arg(args, 'kernel_size', 2));
  const stride = pair(arg(args, 'stride', 3), 1);
  const padding = torchPadding(arg(args, 'padding', 4));
  const dilation = pair(arg(args, 'dilation', 5), 1);
  const groups = num(arg(args, 'groups', 6) ?? 1);
  const bias = arg(args, 'bias', 7) ?? true;
  // padding_mode (zeros, reflect, ...) changes values, never shapes: not read.
  if (outC === null || kernel === null || stride === null || padding === null || dilation === null || groups === null || typeof bias !== 'boolean') {
    return { unsupported: 'Conv2d with arguments the reader could not evaluate' };
  }
  const parts: Translation['parts'] = [];
  let pad: 'same' | 'valid' = 'valid';
  if (padding === 'same') pad = 'same';
  else if (padding !== 'valid' && (padding[0] > 0 || padding[1] > 0)) {
    if (same(kernel, padding, dilation)) pad = 'same';
    else parts.push({ type: 'ZeroPadding2D', args: { padding: [[padding[0], padding[0]], [padding[1], padding[1]]] }, suffix: 'pad' });
  }
  const common = { kernelSize: kernel, strides: stride, padding: pad, dilationRate: dilation, useBias: bias };
  // in_channels is only checked, never needed: a value the reader cannot evaluate just skips the check.
  const declared = inC === null ? [] : [{ argument: 'in_channels', value: inC, axis: 'channels' as const }];
  if (groups === 1) {
    parts.push({ type: 'Conv2D', args: { filters: outC, ...common } });
  } else if (inC !== null && groups === inC && outC % inC === 0) {
    parts.push({ type: 'DepthwiseConv2D', args: { depthMultiplier: outC / inC, ...common } });
  } else {
    // A grouped convolution (ResNeXt, ShuffleNet): each filter sees in_channels/groups channels.
    parts.push({ type: 'Conv2D', args: { filters: outC, groups, ...common } });
  }
  // PyTorch's parameters are fixed by the constructor: (in/groups)·out·kH·kW + bias, whatever arrives.
  const params = inC === null || inC % groups !== 0 ? undefined : (inC / groups) * outC * kernel[0] * kernel[1] + (bias ? outC : 0);
  return { parts, declared, ...(params === undefined ? {} : { params }) };
}

function convTranspose(args: Args): Translated {
  const inC = num(arg(args, 'in_channels', 0));
  const outC = num(arg(args, 'out_channels', 1));
  const kernel = pair(arg(args, 'kernel_size', 2));
  const stride = pair(arg(args, 'stride', 3), 1);
  const padding = pair(arg(args, 'padding', 4), 0);
  const outputPadding = pair(arg(args, 'output_padding', 5), 0);
  const groups = num(arg(args, 'groups', 6) ?? 1);
  const bias = arg(args, 'bias', 7) ?? true;
  if (inC === null || outC === null || !kernel || !stride || !padding || !outputPadding || groups !== 1 || typeof bias !== 'boolean') {
    return { unsupported: 'ConvTranspose2d with arguments the reader could not evaluate or groups > 1' };
  }
  const args2 = { filters: outC, kernelSize: kernel, strides: stride, useBias: bias };
  // PyTorch: (H−1)·s − 2p + k + op. tfjs 'valid': (H−1)·s + max(k−s, 0) + s; 'same': H·s.
  const axes = [0, 1] as const;
  let padMode: string | null = null;
  if (axes.every((a) => padding[a] === 0 && outputPadding[a] === 0 && kernel[a] >= stride[a])) padMode = 'valid';
  else if (axes.every((a) => kernel[a] - 2 * padding[a] + outputPadding[a] === stride[a])) padMode = 'same';
  if (padMode === null) return { unsupported: 'ConvTranspose2d with this padding/output_padding is not supported yet' };
  return {
    parts: [{ type: 'Conv2DTranspose', args: { ...args2, padding: padMode } }],
    declared: [{ argument: 'in_channels', value: inC, axis: 'channels' }],
    params: inC * outC * kernel[0] * kernel[1] + (bias ? outC : 0),
  };
}

/** MaxPool2d / AvgPool2d and their functional forms (`args` without the tensor). */
function pool(type: 'MaxPooling2D' | 'AveragePooling2D', args: Args, inputs: readonly TensorRef[], functional = false): Translated {
  const kernel = pair(arg(args, 'kernel_size', 0));
  const strideArg = arg(args, 'stride', 1);
  const stride = strideArg === null || strideArg === undefined || (Array.isArray(strideArg) && strideArg.length === 0) ? kernel : pair(strideArg);
  const padding = pair(arg(args, 'padding', 2), 0);
  const isMax = type === 'MaxPooling2D';
  const dilation = isMax ? pair(arg(args, 'dilation', 3), 1) : ([1, 1] as [number, number]);
  // nn.MaxPool2d(k, s, p, dilation, return_indices, ceil_mode); F.max_pool2d(x, k, s, p, dilation, ceil_mode).
  const ceil = arg(args, 'ceil_mode', isMax ? (functional ? 4 : 5) : 3) ?? false;
  if (!kernel || !stride || !padding || !dilation || typeof ceil !== 'boolean') return { unsupported: `${type} with arguments the reader could not evaluate` };
  if (dilation[0] !== 1 || dilation[1] !== 1) return { unsupported: 'MaxPool2d(dilation>1) is not supported yet' };
  const parts: Translation['parts'] = [];
  let pad = 'valid';
  if (!ceil && same(kernel, padding, [1, 1]) && (padding[0] > 0 || padding[1] > 0)) {
    pad = 'same';
  } else if (padding[0] > 0 || padding[1] > 0 || ceil) {
    // ceil_mode adds stride−1 rows/columns at the bottom/right: ⌊(H+2p−k+s−1)/s⌋+1 = ⌈(H+2p−k)/s⌉+1. PyTorch drops a
    // last window that would start in the padding, which cannot happen when k ≥ s and p = 0 (checked below).
    const extra: [number, number] = ceil ? [stride[0] - 1, stride[1] - 1] : [0, 0];
    // PyTorch also drops a last window that would start in the right padding: (out−1)·s ≥ H+p. That cannot
    // happen when s = 1 or k ≥ p + s (then (out−1)·s ≤ H+2p−k+s−1 < H+p), the cases translated here.
    if (ceil && [0, 1].some((a) => stride[a]! > 1 && kernel[a]! < padding[a]! + stride[a]!)) {
      return { unsupported: `${type === 'MaxPooling2D' ? 'MaxPool2d' : 'AvgPool2d'}(ceil_mode=True) with kernel < padding + stride is not supported yet` };
    }
    parts.push({ type: 'ZeroPadding2D', args: { padding: [[padding[0], padding[0] + extra[0]], [padding[1], padding[1] + extra[1]]] }, suffix: ceil ? 'ceil' : 'pad' });
  }
  parts.push({ type, args: { poolSize: kernel, strides: stride, padding: pad } });
  return { parts };
}

/**
 * AdaptiveAvgPool2d / AdaptiveMaxPool2d. Output 1×1 is a global pooling. Any other output size (oh, ow) from the
 * input's (h, w), known from tfjs, is a valid pooling with stride ⌊h/oh⌋ and window h − (oh−1)·stride, which
 * gives exactly oh outputs ((h − k)/s + 1 = oh); PyTorch's windows differ in position when h is not a multiple
 * of oh, but the shape (all that analysis uses; pooling has no MACs or weights) is the same.
 */
function adaptive(type: 'GlobalAveragePooling2D' | 'GlobalMaxPooling2D', size: Plain | undefined, inputs: readonly TensorRef[]): Translated {
  const shape = inputs[0]?.shape ?? null;
  const hw = shape && shape.length === 3 && shape[0] != null && shape[1] != null ? [shape[0], shape[1]] : null;
  const s = Array.isArray(size) && size.length === 2 ? [size[0] === null ? hw?.[0] ?? null : size[0], size[1] === null ? hw?.[1] ?? null : size[1]] : pair(size ?? null);
  const channels = inputs[0]?.channels ?? null;
  if (s && typeof s[0] === 'number' && typeof s[1] === 'number' && !(s[0] === 1 && s[1] === 1)) {
    const [oh, ow] = s as [number, number];
    if (!hw) return { unsupported: `adaptive pooling to ${oh}×${ow} on a tensor whose size is unknown` };
    // Larger than the input: PyTorch's bins overlap or repeat, which only our AdaptivePooling2D computes.
    if (oh > hw[0]! || ow > hw[1]!) return { parts: [{ type: 'AdaptivePooling2D', args: { size: [oh, ow], mode: type === 'GlobalAveragePooling2D' ? 'avg' : 'max' } }] };
    const stride: [number, number] = [Math.floor(hw[0]! / oh), Math.floor(hw[1]! / ow)];
    const window: [number, number] = [hw[0]! - (oh - 1) * stride[0], hw[1]! - (ow - 1) * stride[1]];
    const poolType = type === 'GlobalAveragePooling2D' ? 'AveragePooling2D' : 'MaxPooling2D';
    return { parts: [{ type: poolType, args: { poolSize: window, strides: stride, padding: 'valid' } }] };
  }
  if (!s || s[0] !== 1 || s[1] !== 1) return { unsupported: `adaptive pooling to ${JSON.stringify(size)}` };
  const parts: Translation['parts'] = [{ type, args: {} }];
  if (channels !== null) {
    parts.push({ type: 'Reshape', args: { targetShape: [1, 1, channels] }, suffix: 'keepdims' });
    return { parts };
  }
  // The channel count is unknown here: keep the engine's flat (C) and present it as (C, 1, 1).
  return { parts, keepDims: true };
}

/** A translation of shape-keeping layers (activations, dropout, normalisation). */
function keepShape(parts: Translation['parts'], _inputs: readonly TensorRef[]): Translation {
  return { parts };
}

function activation(name: string): TorchTranslator {
  return (_args, inputs) => keepShape([{ type: 'Activation', args: { activation: name } }], inputs);
}

/** nn.Dropout(p) and F.dropout(x, p): `args` never include the tensor, so p is first. */
function dropout(args: Args, inputs: readonly TensorRef[]): Translation {
  return keepShape([{ type: 'Dropout', args: { rate: num(arg(args, 'p', 0) ?? 0.5) ?? 0.5 } }], inputs);
}

/** nn.LeakyReLU(negative_slope) and F.leaky_relu(x, negative_slope). */
function leakyRelu(args: Args, inputs: readonly TensorRef[]): Translation {
  return keepShape([{ type: 'LeakyReLU', args: { alpha: num(arg(args, 'negative_slope', 0) ?? 0.01) ?? 0.01 } }], inputs);
}

function flatten(startDim: Plain | undefined, endDim: Plain | undefined, inputs: readonly TensorRef[]): Translated {
  if ((startDim ?? 1) !== 1 || (endDim ?? -1) !== -1) return { unsupported: `flatten(start_dim=${String(startDim)}, end_dim=${String(endDim)}): only start_dim=1 keeps the batch axis` };
  const input = inputs[0];
  if (input && input.rank === 1) return { parts: [] };
  return { parts: [{ type: 'Flatten', args: {} }] };
}

/** nn.* module classes. */
export const TORCH_MODULES: Record<string, TorchTranslator> = {
  Conv2d: conv,
  ConvTranspose2d: convTranspose,
  Linear: (args, inputs) => {
    const inF = num(arg(args, 'in_features', 0));
    const outF = num(arg(args, 'out_features', 1));
    const bias = arg(args, 'bias', 2) ?? true;
    if (outF === null || typeof bias !== 'boolean') return { unsupported: 'Linear with arguments the reader could not evaluate' };
    return onLastDim({
      parts: [{ type: 'Dense', args: { units: outF, useBias: bias } }],
      declared: inF === null ? [] : [{ argument: 'in_features', value: inF, axis: 'last' }],
      // nn.Linear(400, 120) has 48,120 parameters whatever arrives (a mismatch is an error, not a recount).
      ...(inF === null ? {} : { params: inF * outF + (bias ? outF : 0) }),
    }, inputs);
  },
  // Lazy modules infer their input size, as the engine does: only the output size is given.
  LazyLinear: (args, inputs) => {
    const outF = num(arg(args, 'out_features', 0));
    const bias = arg(args, 'bias', 1) ?? true;
    if (outF === null || typeof bias !== 'boolean') return { unsupported: 'LazyLinear with arguments the reader could not evaluate' };
    return { parts: [{ type: 'Dense', args: { units: outF, useBias: bias } }] };
  },
  LazyConv2d: (args) => conv({ positional: [null, ...args.positional], keywords: args.keywords }),
  LazyBatchNorm2d: (_args, inputs) => keepShape([{ type: 'BatchNormalization', args: { epsilon: 1e-5 } }], inputs),
  BatchNorm2d: batchNorm,
  BatchNorm1d: batchNorm,
  ...TORCH_3D_MODULES,
  ...TORCH_1D_MODULES,
  ...TORCH_LAST_DIM_MODULES,
  MaxPool2d: (args, inputs) => pool('MaxPooling2D', args, inputs),
  AvgPool2d: (args, inputs) => pool('AveragePooling2D', args, inputs),
  AdaptiveAvgPool2d: (args, inputs) => adaptive('GlobalAveragePooling2D', arg(args, 'output_size', 0), inputs),
  AdaptiveMaxPool2d: (args, inputs) => adaptive('GlobalMaxPooling2D', arg(args, 'output_size', 0), inputs),
  ReLU: activation('relu'),
  ReLU6: activation('relu6'),
  Sigmoid: activation('sigmoid'),
  Tanh: activation('tanh'),
  SiLU: activation('swish'),
  Mish: activation('mish'),
  GELU: activation('gelu'),
  ELU: activation('elu'),
  SELU: activation('selu'),
  Softplus: activation('softplus'),
  Softmax: activation('softmax'),
  LogSoftmax: activation('softmax'),
  Hardswish: activation('linear'),
  Hardsigmoid: activation('hardSigmoid'),
  LeakyReLU: leakyRelu,
  // Shape-preserving layers without parameters, analysed as a linear activation (same shape, no weights).
  LocalResponseNorm: activation('linear'),
  Dropout: dropout,
  Dropout2d: dropout,
  AlphaDropout: dropout,
  Flatten: (args, inputs) => flatten(arg(args, 'start_dim', 0), arg(args, 'end_dim', 1), inputs),
  Identity: (_a, inputs) => keepShape([], inputs),
  // Quantization stubs of a model that is not quantized return their input (torch/ao/quantization/stubs.py).
  QuantStub: (_a, inputs) => keepShape([], inputs),
  DeQuantStub: (_a, inputs) => keepShape([], inputs),
  // The padding mode changes values, never shapes: every 2-D pad is the engine's ZeroPadding2D.
  ZeroPad2d: (args) => pad2d('ZeroPad2d', arg(args, 'padding', 0)),
  ReflectionPad2d: (args) => pad2d('ReflectionPad2d', arg(args, 'padding', 0)),
  ReplicationPad2d: (args) => pad2d('ReplicationPad2d', arg(args, 'padding', 0)),
  ConstantPad2d: (args) => pad2d('ConstantPad2d', arg(args, 'padding', 0)),
  InstanceNorm2d: instanceNorm,
  GroupNorm: groupNorm,
  SyncBatchNorm: batchNorm,
  PReLU: prelu,
  UpsamplingBilinear2d: (args, inputs) => upsample({ positional: [arg(args, 'size', 0) ?? null, arg(args, 'scale_factor', 1) ?? null, 'bilinear', true], keywords: new Map() }, inputs),
  ChannelShuffle: (args) => {
    const g = num(arg(args, 'groups', 0));
    return g === null || !Number.isInteger(g) || g < 1 ? { unsupported: 'ChannelShuffle with groups the reader could not evaluate' } : { parts: [{ type: 'ChannelShuffle', args: { groups: g } }] };
  },
  // More shape-preserving activations without parameters (RReLU's slope is random, not learned).
  Hardtanh: activation('linear'),
  CELU: activation('linear'),
  Softsign: activation('linear'),
  LogSigmoid: activation('linear'),
  Tanhshrink: activation('linear'),
  Softshrink: activation('linear'),
  Hardshrink: activation('linear'),
  RReLU: activation('linear'),
  Threshold: activation('linear'),
  Softmax2d: activation('linear'),
  PixelShuffle: (args) => {
    const r = num(arg(args, 'upscale_factor', 0));
    if (r === null || !Number.isInteger(r) || r < 1) return { unsupported: 'PixelShuffle with an upscale_factor the reader could not evaluate' };
    return { parts: [{ type: 'PixelShuffle', args: { upscaleFactor: r } }] };
  },
  Upsample: upsample,
  UpsamplingNearest2d: upsample,
};

/**
 * A 2-D pad as PyTorch states it: one number for all four sides, or (left, right, top, bottom); F.pad's
 * two-number list pads only the last dim (W). Negative values crop, which is not read.
 */
function pad2d(what: string, p: Plain | undefined): Translated {
  let pads: [[number, number], [number, number]] | null = null;
  if (typeof p === 'number') pads = [[p, p], [p, p]];
  else if (Array.isArray(p) && (p.length === 2 || p.length === 4) && p.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0)) {
    const [l, r, t = 0, b = 0] = p as number[];
    pads = [[t, b], [l!, r!]];
  }
  if (!pads) return { unsupported: `${what} with padding the reader could not evaluate` };
  return { parts: [{ type: 'ZeroPadding2D', args: { padding: pads } }] };
}

/**
 * nn.InstanceNorm2d(num_features, eps, momentum, affine=False, track_running_stats=False): 2·C parameters
 * with affine=True, else none; PyTorch checks num_features against the channels only when affine.
 */
function instanceNorm(args: Args): Translated {
  const n = num(arg(args, 'num_features', 0));
  const eps = num(arg(args, 'eps', 1) ?? 1e-5);
  const affine = arg(args, 'affine', 3) ?? false;
  if (eps === null || typeof affine !== 'boolean') return { unsupported: 'InstanceNorm2d with arguments the reader could not evaluate' };
  return {
    parts: [{ type: 'InstanceNormalization', args: { epsilon: eps, affine } }],
    declared: n === null || !affine ? [] : [{ argument: 'num_features', value: n, axis: 'channels' }],
    ...(n === null ? {} : { params: affine ? 2 * n : 0 }),
  };
}

/** nn.GroupNorm(num_groups, num_channels, eps, affine=True): 2·C parameters with affine; PyTorch checks C. */
function groupNorm(args: Args): Translated {
  const g = num(arg(args, 'num_groups', 0));
  const c = num(arg(args, 'num_channels', 1));
  const eps = num(arg(args, 'eps', 2) ?? 1e-5);
  const affine = arg(args, 'affine', 3) ?? true;
  if (g === null || eps === null || typeof affine !== 'boolean') return { unsupported: 'GroupNorm with arguments the reader could not evaluate' };
  if (c !== null && c % g !== 0) return { unsupported: `GroupNorm(${g}, ${c}): PyTorch raises "num_channels (${c}) must be divisible by num_groups (${g})"` };
  return {
    parts: [{ type: 'InstanceNormalization', args: { epsilon: eps, affine, groups: g } }],
    declared: c === null ? [] : [{ argument: 'num_channels', value: c, axis: 'channels' }],
    ...(c === null ? {} : { params: affine ? 2 * c : 0 }),
  };
}

/**
 * nn.PReLU(num_parameters=1): one learned slope shared by every element, or one per channel (dim 1). tfjs
 * PReLU learns one per element unless axes are shared: all of them, or all but the channels.
 */
function prelu(args: Args, inputs: readonly TensorRef[]): Translated {
  const n = num(arg(args, 'num_parameters', 0) ?? 1);
  const rank = inputs[0]?.rank ?? null;
  if (n === null || !Number.isInteger(n) || n < 1) return { unsupported: 'PReLU with num_parameters the reader could not evaluate' };
  if (rank !== 3 && rank !== 1) return { unsupported: 'PReLU on a tensor that is not (N, C, H, W) or (N, F)' };
  const all = rank === 3 ? [1, 2, 3] : [1];
  const sharedAxes = n === 1 ? all : rank === 3 ? [1, 2] : null;
  return {
    parts: [{ type: 'PReLU', args: sharedAxes ? { sharedAxes } : {} }],
    declared: n === 1 ? [] : [{ argument: 'num_parameters', value: n, axis: 'channels' }],
    params: n,
  };
}

function batchNorm(args: Args, inputs: readonly TensorRef[]): Translated {
  const n = num(arg(args, 'num_features', 0));
  const eps = num(arg(args, 'eps', 1) ?? 1e-5);
  const affine = arg(args, 'affine', 3) ?? true;
  if (eps === null || typeof affine !== 'boolean') return { unsupported: 'BatchNorm with arguments the reader could not evaluate' };
  // BatchNorm1d on (N, C, L): the engine holds PyTorch's rank-2 samples channels-first, so C is tfjs axis 1.
  const channelsFirst = inputs[0]?.rank === 2 ? { axis: 1 } : {};
  return {
    parts: [{ type: 'BatchNormalization', args: { epsilon: eps, center: affine, scale: affine, ...channelsFirst } }],
    declared: n === null ? [] : [{ argument: 'num_features', value: n, axis: 'channels' }],
    ...(n === null ? {} : { params: affine ? 2 * n : 0 }),
  };
}

/**
 * nn.Upsample(size, scale_factor, mode, align_corners) and F.interpolate(x, size, scale_factor, mode, …): an
 * integer scale is UpSampling2D; a size, or a scale that is not whole, is the engine's Resize (PyTorch's
 * ⌊in · scale⌋). No parameters and no MACs either way, as torch's FlopCounterMode and Keras count them.
 */
function upsample(args: Args, inputs: readonly TensorRef[]): Translated {
  const scale = arg(args, 'scale_factor', 1);
  const size = arg(args, 'size', 0);
  const mode = arg(args, 'mode', 2) ?? 'nearest';
  const alignCorners = arg(args, 'align_corners', 3) ?? false;
  if (inputs[0]?.rank !== undefined && inputs[0].rank !== null && inputs[0].rank !== 3) return { unsupported: 'interpolate on a tensor that is not (N, C, H, W)' };
  if (typeof mode !== 'string' || typeof alignCorners !== 'boolean') return { unsupported: 'interpolate with a mode or align_corners the reader could not evaluate' };
  const interpolation = mode === 'bilinear' ? 'bilinear' : 'nearest';
  if (size !== undefined && size !== null) {
    const hw = pair(size);
    if (!hw || !hw.every((n) => Number.isInteger(n) && n > 0)) return { unsupported: 'interpolate with a size the reader could not evaluate' };
    if (scale !== undefined && scale !== null) return { unsupported: 'interpolate with both size and scale_factor (PyTorch refuses it)' };
    return { parts: [{ type: 'Resize', args: { size: hw, interpolation, alignCorners } }] };
  }
  const s = pair(scale ?? null);
  if (!s || !s.every((n) => typeof n === 'number' && n > 0)) return { unsupported: 'interpolate with a scale_factor the reader could not evaluate' };
  if (Number.isInteger(s[0]) && Number.isInteger(s[1])) return { parts: [{ type: 'UpSampling2D', args: { size: s } }] };
  return { parts: [{ type: 'Resize', args: { scale: s, interpolation, alignCorners } }] };
}

/** Engine axis (channels-last, no batch) of a PyTorch dim for a tensor of engine rank `rank`. */
export function torchDimToAxis(dim: number, rank: number | null): number | null {
  if (rank === null) return dim === 1 ? -1 : null;
  const torchRank = rank + 1;
  const d = dim < 0 ? dim + torchRank : dim;
  if (d <= 0 || d >= torchRank) return null;
  if (rank === 3) return d === 1 ? 3 : d - 1; // N C H W → H W C (axes 1, 2, 3 with batch 0)
  return d;
}

/** F.relu(x) and friends → tfjs activation names. */
const TORCH_FUNCTION_ACTIVATIONS = new Map([
  ['relu', 'relu'],
  ['relu_', 'relu'],
  ['relu6', 'relu6'],
  ['sigmoid', 'sigmoid'],
  ['tanh', 'tanh'],
  ['silu', 'swish'],
  ['gelu', 'gelu'],
  ['elu', 'elu'],
  ['mish', 'mish'],
  ['softmax', 'softmax'],
  ['log_softmax', 'softmax'],
  ['hardswish', 'linear'],
]);

/**
 * Elementwise torch functions and tensor methods (torch.exp(x), x.pow(2), torch.randn_like(x)): the input's
 * shape, no weights, when every other argument is a number (a tensor argument could broadcast to another shape).
 */
export const TORCH_ELEMENTWISE = new Set([
  'exp', 'exp_', 'log', 'log1p', 'sqrt', 'rsqrt', 'abs', 'neg', 'square', 'pow', 'sin', 'cos', 'sign', 'reciprocal', 'erf',
  'clamp', 'clamp_', 'clip', 'softplus', 'selu', 'celu', 'hardsigmoid', 'hardtanh', 'relu6',
  'randn_like', 'rand_like', 'zeros_like', 'ones_like', 'empty_like', 'full_like',
]);

/** torch.nn.functional.* and torch.* functions applied to tensors. `args` excludes the tensor itself. */
export function translateTorchFunction(fn: string, args: Args, inputs: readonly TensorRef[]): Translated | null {
  const act = TORCH_FUNCTION_ACTIVATIONS.get(fn);
  if (act !== undefined) return keepShape([{ type: 'Activation', args: { activation: act } }], inputs);
  if (TORCH_ELEMENTWISE.has(fn)) {
    const scalars = [...args.positional, ...args.keywords.values()].every((v) => v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string');
    return scalars ? keepShape([{ type: 'Activation', args: { activation: 'linear' } }], inputs) : { unsupported: `torch.${fn} with an argument that is not a number` };
  }
  switch (fn) {
    case 'leaky_relu':
      return leakyRelu(args, inputs);
    case 'dropout':
    case 'dropout2d':
      return dropout(args, inputs);
    case 'max_pool2d':
      return pool('MaxPooling2D', args, inputs, true);
    case 'avg_pool2d':
      return pool('AveragePooling2D', args, inputs, true);
    case 'adaptive_avg_pool2d':
      return adaptive('GlobalAveragePooling2D', arg(args, 'output_size', 0), inputs);
    case 'adaptive_max_pool2d':
      return adaptive('GlobalMaxPooling2D', arg(args, 'output_size', 0), inputs);
    case 'flatten':
      return flatten(arg(args, 'start_dim', 0) ?? 0, arg(args, 'end_dim', 1), inputs);
    case 'interpolate':
    case 'upsample':
      return upsample(args, inputs);
    case 'pad': {
      // F.pad(x, pad, mode, value) on an image: the mode changes values, not the shape.
      if (inputs[0]?.rank !== undefined && inputs[0].rank !== null && inputs[0].rank !== 3) return { unsupported: 'F.pad on a tensor that is not (N, C, H, W)' };
      return pad2d('F.pad', arg(args, 'pad', 0));
    }
    default:
      return null;
  }
}
