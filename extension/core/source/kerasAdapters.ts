/**
 * The fix-ups a few Keras/tfjs kinds need after the generic argument mapping (layers.translateKeras), named
 * by their entry in the table of layer knowledge (../layerKnowledge/kinds.ts): each returns nothing, extra
 * engine parts, or why the call is unsupported (never approximated).
 */
import { isUnknown, type Plain } from './layerArgs';
import type { LayerPart, TensorRef } from './trace';
import type { LayerSpec } from '../spec';
import { invalidReason, show } from '../tfjs/validateArgs';
import { kerasClass } from '../layerKnowledge/index';

export interface KerasAdaptContext {
  /** The engine's arguments, kept and checked (tfjs spelling); an adapter may change them. */
  kept: Record<string, unknown>;
  /** Every argument the call gave (camelCase), kept or not. */
  given: Record<string, unknown>;
  inputs: readonly TensorRef[];
  style: 'keras' | 'tfjs';
  className: string;
}

/**
 * Nothing; extra parts after the layer; `replace`: the parts the call is instead (a part of type '' is the kind
 * itself with those arguments); or why the call is unsupported.
 */
export type KerasAdapt = (ctx: KerasAdaptContext) => { unsupported: string } | { extra: LayerPart[] } | { replace: LayerPart[] } | void;

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

/**
 * Keras GroupNormalization(groups=32, epsilon=1e-3, center, scale): 2·C weights with both, on the channel axis
 * (the engine's InstanceNormalization with groups).
 */
export const groupNormalization: KerasAdapt = ({ kept, given }) => {
  const center = given.center ?? true;
  const scale = given.scale ?? true;
  if (center !== scale || typeof center !== 'boolean') return { unsupported: 'GroupNormalization with only one of center and scale' };
  if (given.axis !== undefined && given.axis !== -1 && given.axis !== 3) return { unsupported: 'GroupNormalization on an axis other than the channels' };
  for (const k of ['axis', 'center', 'scale']) delete kept[k];
  Object.assign(kept, { groups: given.groups ?? 32, epsilon: given.epsilon ?? 1e-3, affine: center });
};

/** Keras Resizing(height, width): PyTorch-style Resize to that size (Keras: bilinear, no aligned corners). */
export const resizing: KerasAdapt = ({ kept, given, className }) => {
  const { height: h, width: w } = given;
  if (typeof h !== 'number' || typeof w !== 'number') return { unsupported: `${className} with a height or width the reader could not evaluate` };
  const interpolation = given.interpolation ?? 'bilinear';
  if (interpolation !== 'bilinear' && interpolation !== 'nearest') return { unsupported: `Resizing(interpolation=${JSON.stringify(interpolation)})` };
  Object.assign(kept, { size: [h, w], interpolation, alignCorners: false });
};

/**
 * Keras CenterCrop(height, width): the centred Cropping2D (keras/src/layers/preprocessing/center_crop.py: start
 * (H − h) // 2) when the input is known and at least that large, else a resize to (height, width). Cropping2D itself: nothing.
 */
export const centerCrop: KerasAdapt = ({ kept, given, inputs, className }) => {
  if (className !== 'CenterCrop') return;
  const { height: h, width: w } = given;
  if (typeof h !== 'number' || typeof w !== 'number') return { unsupported: `${className} with a height or width the reader could not evaluate` };
  const shape = inputs[0]?.shape ?? null;
  const [inH, inW] = shape && shape.length === 3 ? shape : [null, null];
  // Keras' output is (height, width, C) whatever the input (compute_output_shape; a smaller input is resized
  // first): where the crop's offsets cannot be told (a file states no shapes) or it resizes, the engine's Resize
  // to that size gives that shape, no weights and a receptive field marked lost.
  if (typeof inH !== 'number' || typeof inW !== 'number' || inH < h || inW < w) {
    return { replace: [{ type: 'Resize', args: { size: [h, w], interpolation: 'bilinear', alignCorners: false } }] };
  }
  const top = Math.floor((inH - h) / 2);
  const left = Math.floor((inW - w) / 2);
  kept.cropping = [[top, inH - h - top], [left, inW - w - left]];
};

/** An int, or one value per axis: Keras' int-or-tuple arguments. */
function perAxis(v: unknown, count: number): number[] | null {
  if (typeof v === 'number') return Array<number>(count).fill(v);
  if (Array.isArray(v) && v.length === count && v.every((n) => typeof n === 'number')) return v as number[];
  return null;
}

/**
 * Keras' 1-D and 3-D padding and cropping (ZeroPadding1D(1), (1, 2); ZeroPadding3D(1), (1, 2, 3), ((1, 1), (2, 2),
 * (3, 3)); the same for Cropping1D/3D): the engine's AxisPadding / AxisCropping on steps, or on D, H, W.
 */
export const axisPadding = (argument: 'padding' | 'cropping', rank: 1 | 3, fallback: number): KerasAdapt => ({ kept, className }) => {
  const v = kept[argument] ?? fallback;
  let pairs: unknown[] | null = null;
  if (rank === 1) pairs = typeof v === 'number' ? [[v, v]] : Array.isArray(v) && v.length === 2 ? [v] : null;
  else if (typeof v === 'number' || (Array.isArray(v) && v.every((n) => typeof n === 'number'))) pairs = perAxis(v, 3)?.map((n) => [n, n]) ?? null;
  else if (Array.isArray(v) && v.length === 3 && v.every((p) => Array.isArray(p) && p.length === 2)) pairs = v;
  if (!pairs || !pairs.flat().every((n) => typeof n === 'number' && Number.isInteger(n))) return { unsupported: `${className}(${argument}=${JSON.stringify(v)}): not ${rank === 1 ? 'an int or a pair' : 'an int, 3 ints or 3 pairs'}` };
  let reject: string | null = null;
  const negative = pairs.flat().filter((n) => (n as number) < 0);
  if (negative.length > 0) {
    // Keras 3.15 crops with a negative ZeroPadding3D (it checks nothing): not read.
    if (className === 'ZeroPadding3D') return { unsupported: 'ZeroPadding3D with a negative padding (Keras crops)' };
    // Keras' own checks (standardize_tuple for the 1-D layers, Cropping3D's own), raised by the layer at this line.
    reject = rank === 1
      ? `The \`${argument}\` argument must be a tuple of 2 integers. Received ${argument}=${show(v)}, including values {${[...new Set(negative)].join(', ')}} that do not satisfy \`value >= 0\``
      : `\`cropping\` cannot be negative. Received: cropping=${show(v)}.`;
  }
  delete kept[argument];
  Object.assign(kept, { axes: rank === 1 ? [1] : [1, 2, 3], [argument]: pairs, ...(argument === 'cropping' ? { kerasClass: className } : {}), ...(reject ? { reject } : {}) });
};

/** UpSampling1D(size=2) repeats the steps; UpSampling3D(size=(2, 2, 2)) D, H and W. */
export const axisUpSampling = (rank: 1 | 3): KerasAdapt => ({ kept, className }) => {
  const given = kept.size ?? 2;
  const size = perAxis(given, rank);
  if (!size || !size.every((n) => Number.isInteger(n))) return { unsupported: `${className}(size=${JSON.stringify(kept.size)}): not ${rank === 1 ? 'an int' : 'ints'}` };
  const bad = size.filter((n) => n <= 0);
  // Keras' own checks, raised by the layer at this line.
  const reject = bad.length === 0 ? null : rank === 1
    ? `Argument \`size\` should be a positive integer. Received: size=${show(given)}`
    : `The \`size\` argument must be a tuple of 3 integers. Received size=${show(given)}, including values {${[...new Set(bad)].join(', ')}} that do not satisfy \`value > 0\``;
  if ('interpolation' in kept) delete kept.interpolation;
  Object.assign(kept, { axes: rank === 1 ? [1] : [1, 2, 3], size: reject ? size.map(() => 1) : size, ...(reject ? { reject } : {}) });
};

/** GlobalAveragePooling3D / GlobalMaxPooling3D (and their GlobalAvgPool3D / GlobalMaxPool3D aliases). */
export const globalPool3d: KerasAdapt = ({ kept, given, className }) => {
  if (isUnknown(given.keepDims as Plain)) return { unsupported: `${className}(keepdims=…): the reader could not evaluate keepdims` };
  Object.assign(kept, { mode: /Max/.test(className) ? 'max' : 'avg', keepDims: given.keepDims === true });
};

/** Keras' RMSNormalization(axis=-1, epsilon=1e-6): a scale per channel and no centre, LayerNormalization's shape and weights. */
export const rmsNormalization: KerasAdapt = ({ kept, className }) => {
  if (className !== 'RMSNormalization') return;
  Object.assign(kept, { center: false, scale: true, epsilon: kept.epsilon ?? 1e-6 });
};

/**
 * Keras' Conv1DTranspose, SeparableConv1D and DepthwiseConv1D, which tfjs lacks: one layer (as summary() shows)
 * that holds the (steps, C) sequence as a (1, steps, C) image for the 2-D layer with a (1, k) kernel inside
 * itself (`sequence: 'asImage'`, ../sequenceLayout.ts): the same weights and MACs, Keras' (None, steps, C) shapes.
 */
export const asImage1d: KerasAdapt = ({ kept, className, inputs }) => {
  if (!/1D/.test(className)) return;
  // A rank the reader does not know (a model file's config) is checked by the layer itself, on the shape tfjs gives.
  const rank = inputs[0]?.rank ?? null;
  if (rank !== null && rank !== 2) return { unsupported: `${className} on a tensor that is not (steps, channels)` };
  const one = (name: string, fallback: number) => {
    const v = kept[name] ?? fallback;
    const n = Array.isArray(v) && v.length === 1 ? v[0] : v;
    return typeof n === 'number' ? [1, n] : null;
  };
  const kernel = one('kernelSize', NaN);
  const strides = one('strides', 1);
  const dilation = one('dilationRate', 1);
  if (!kernel || Number.isNaN(kernel[1]) || !strides || !dilation) return { unsupported: `${className} with a kernel_size, strides or dilation_rate the reader could not evaluate` };
  if (kept.padding === 'causal') return { unsupported: `${className}(padding='causal')` };
  // Keras' checks on the 1-D arguments ("a tuple of 1 integers"), raised at this line before the 2-D layer is made.
  const reject = invalidReason({ type: kerasClass(className)?.type ?? '', name: className, args: { ...kept, spatialRank: 1 }, inputs: [] } as unknown as LayerSpec, 'keras');
  // tfjs' transposed convolution ignores a dilation: it would give the undilated length.
  if (reject === null && /Transpose/.test(className) && dilation[1] !== 1) return { unsupported: `${className}(dilation_rate=${dilation[1]}): TensorFlow.js' transposed convolution has no dilation` };
  const outputPadding = one('outputPadding', NaN);
  const inner = { ...kept, kernelSize: kernel, strides, dilationRate: dilation, ...(outputPadding && !Number.isNaN(outputPadding[1]) ? { outputPadding: [0, outputPadding[1]] } : {}) };
  return { replace: [{ type: '', args: { ...inner, sequence: 'asImage', ...(reject === null ? {} : { reject }) } }] };
};

/**
 * Keras' Conv1D(groups>1), which tfjs' conv1d lacks (it would build a full kernel): one layer holding a grouped
 * (1, k) Conv2D on the sequence as a (1, steps, C) image, as asImage1d does for the other 1-D layers: kernel
 * (1, k, C/g, filters) and MACs steps·filters·k·C/g, Keras' own counts. Keras' check on the filters, in its words.
 */
export const conv1dGroups: KerasAdapt = (ctx) => {
  const { groups, filters } = ctx.kept;
  // tfjs' conv1d sizes padding='causal' as 'valid' (98 steps where Keras keeps 100): Keras' own causal padding
  // instead, dilation·(k − 1) zeros before the steps and a 'valid' convolution, on the (1, steps, C) image.
  if (ctx.kept.padding === 'causal') return causalConv1d(ctx);
  if (groups === undefined || groups === null || groups === 1) return;
  if (typeof groups !== 'number' || !Number.isInteger(groups) || groups < 1) return { unsupported: `${ctx.className}(groups=${JSON.stringify(groups)}): not a positive integer` };
  const image = asImage1d(ctx);
  if (!image || !('replace' in image)) return image;
  const reject = typeof filters === 'number' && filters % groups !== 0 ? `The number of filters must be evenly divisible by the number of groups. Received: groups=${groups}, filters=${filters}.` : null;
  return { replace: image.replace.map((p) => ({ ...p, type: 'Conv2D', args: { ...p.args, ...(reject !== null && p.args.reject === undefined ? { reject } : {}) } })) };
};

/** Keras' Conv1D(padding='causal'): zeros before the steps (keras.ops' causal padding), then a 'valid' one. */
function causalConv1d(ctx: Parameters<KerasAdapt>[0]): ReturnType<KerasAdapt> {
  // TF.js sizes it as 'valid' and its predict() raises: "The support for CAUSAL padding mode in conv1dWithBias is
  // not implemented yet" (tfjs-layers 4.22).
  if (ctx.style !== 'keras') return { unsupported: `${ctx.className}(padding='causal'): TensorFlow.js does not implement causal padding (its conv1d raises "The support for CAUSAL padding mode in conv1dWithBias is not implemented yet")` };
  const image = asImage1d({ ...ctx, kept: { ...ctx.kept, padding: 'valid' } });
  if (!image || !('replace' in image)) return image ?? { unsupported: `${ctx.className}(padding='causal')` };
  return {
    replace: image.replace.map((p) => {
      const [kernel, dilation] = [(p.args.kernelSize as number[])[1]!, (p.args.dilationRate as number[])[1]!];
      const groups = ctx.kept.groups;
      const reject = typeof groups === 'number' && groups > 1 && typeof ctx.kept.filters === 'number' && ctx.kept.filters % groups !== 0
        ? `The number of filters must be evenly divisible by the number of groups. Received: groups=${groups}, filters=${ctx.kept.filters}.`
        : null;
      return { ...p, type: 'Conv2D', args: { ...p.args, lengthPadding: [dilation * (kernel - 1), 0], ...(reject !== null && p.args.reject === undefined ? { reject } : {}) } };
    }),
  };
}

/** Keras' Conv3DTranspose: tfjs' ignores output_padding and dilation, which change the shape; either is unsupported, never dropped. */
export const conv3dTranspose: KerasAdapt = ({ kept, className }) => {
  if (kept.outputPadding !== undefined && kept.outputPadding !== null) return { unsupported: `${className}(output_padding=…): TensorFlow.js' Conv3DTranspose has no output padding` };
  const dilation = perAxis(kept.dilationRate ?? 1, 3);
  if (!dilation || dilation.some((d) => d !== 1)) return { unsupported: `${className}(dilation_rate=…): TensorFlow.js' Conv3DTranspose has no dilation` };
};

/**
 * Keras 3's Flatten of a (None, features) input is the same (None, features) (ops.reshape to (batch, -1)); tfjs'
 * Flatten rejects a rank-2 input, so Keras's is read as that reshape. TF.js code keeps tfjs' own check.
 */
export const flattenVector: KerasAdapt = ({ inputs, style }) => {
  const x = inputs[0];
  if (style !== 'keras' || !x || x.rank !== 1 || x.shape === null || typeof x.shape[0] !== 'number') return;
  return { replace: [{ type: 'Reshape', args: { targetShape: [x.shape[0]] } }] };
};
