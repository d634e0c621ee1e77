/**
 * PyTorch's 1-D layers on (N, C, L) sequences: Conv1d → tfjs conv1d, MaxPool1d / AvgPool1d → tfjs 1-D pooling.
 * The engine holds PyTorch's rank-2 samples as PyTorch writes them, (C, L), the order its Linear and Flatten
 * read; tfjs' 1-D layers read (L, C), so each one is wrapped in two Permutes (no weights, no MACs). Padding is
 * translated only where tfjs' "same" or "valid" gives PyTorch's length (p = d·(k−1)/2, or p = 0); groups,
 * ceil_mode and pooling padding are unsupported, never approximated.
 */
import { arg, torchConvArgs, type Args, type Plain, type Translated } from './layerArgs';
import type { TensorRef } from './trace';
import type { TorchTranslator } from './torch2d';

/** 3 or (3,) → 3; null when not one known integer. */
function single(v: Plain | undefined, fallback: number | null = null): number | null {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'number') return v[0];
  return null;
}

/** The tfjs layer between (C, L) → (L, C) and back: the call's output is PyTorch's (C_out, L_out). */
type Part = { type: string; args: Record<string, unknown>; suffix: string };

function channelsLastAround(part: Part): Part[] {
  return [
    { type: 'Permute', args: { dims: [2, 1] }, suffix: 'to_length_first' },
    part,
    { type: 'Permute', args: { dims: [2, 1] }, suffix: 'to_channels_first' },
  ];
}

function sequenceInput(inputs: readonly TensorRef[], layer: string): string | null {
  // A module forward() never calls has no input: only its weights are asked for.
  if (inputs.length === 0) return null;
  const rank = inputs[0]?.rank;
  return rank === 2 ? null : `${layer} on a tensor that is not (N, C, L)${rank === null || rank === undefined ? '' : `: it has ${rank} dimensions after the batch`}`;
}

export function conv1d(args: Args, inputs: readonly TensorRef[]): Translated {
  const notSequence = sequenceInput(inputs, 'Conv1d');
  if (notSequence) return { unsupported: notSequence };
  const conv = torchConvArgs(args, single, single);
  if (conv === null) return { unsupported: 'Conv1d with arguments the reader could not evaluate' };
  const { inC, outC, kernel, stride, padding, dilation, groups, bias } = conv;
  if (groups !== 1) return { unsupported: 'Conv1d(groups>1) is not supported yet' };
  // ⌊(L + 2p − d(k−1) − 1)/s⌋ + 1 = ⌈L/s⌉ (tfjs "same") whenever 2p = d(k−1).
  const pad = typeof padding === 'string' ? padding : padding === 0 ? 'valid' : 2 * padding === dilation * (kernel - 1) ? 'same' : null;
  if (pad === null) return { unsupported: `Conv1d(kernel_size=${kernel}, padding=${padding})` };
  // in_channels is checked against the C that arrives (a mismatch is PyTorch's error at this line); the count
  // is tfjs' kernel for that C (the weights sit on the inner Conv1D, not on the call's last, named, Permute).
  const declared = inC === null ? [] : [{ argument: 'in_channels', value: inC, axis: 'channels' as const }];
  return {
    parts: channelsLastAround({ type: 'Conv1D', args: { filters: outC, kernelSize: kernel, strides: stride, padding: pad, dilationRate: dilation, useBias: bias }, suffix: 'conv' }),
    declared,
    // Not called (no input): the weights its constructor fixes, as model.parameters() counts them.
    ...(inputs.length === 0 && inC !== null ? { params: inC * outC * kernel + (bias ? outC : 0) } : {}),
  };
}

export function pool1d(type: 'MaxPooling1D' | 'AveragePooling1D', args: Args, inputs: readonly TensorRef[]): Translated {
  const name = type === 'MaxPooling1D' ? 'MaxPool1d' : 'AvgPool1d';
  const notSequence = sequenceInput(inputs, name);
  if (notSequence) return { unsupported: notSequence };
  const kernel = single(arg(args, 'kernel_size', 0));
  const strideArg = arg(args, 'stride', 1);
  const stride = strideArg === null || strideArg === undefined ? kernel : single(strideArg);
  const padding = single(arg(args, 'padding', 2), 0);
  const dilation = type === 'MaxPooling1D' ? single(arg(args, 'dilation', 3), 1) : 1;
  const ceil = arg(args, 'ceil_mode', type === 'MaxPooling1D' ? 5 : 3) ?? false;
  if (kernel === null || stride === null || padding !== 0 || dilation !== 1 || ceil !== false) return { unsupported: `${name} with these arguments (padding, dilation or ceil_mode) is not supported yet` };
  return { parts: channelsLastAround({ type, args: { poolSize: kernel, strides: stride, padding: 'valid' }, suffix: 'pool' }) };
}

/**
 * AdaptiveAvgPool1d / AdaptiveMaxPool1d to o no longer than L: a valid pooling with stride ⌊L/o⌋ and window
 * L − (o−1)·stride has exactly o outputs (torch2d.adaptive's rule; pooling has no weights or MACs, so the shape
 * is all the analysis needs). A longer output repeats bins, which no tfjs pooling gives: unsupported.
 */
export function adaptivePool1d(type: 'MaxPooling1D' | 'AveragePooling1D', args: Args, inputs: readonly TensorRef[]): Translated {
  const name = type === 'MaxPooling1D' ? 'AdaptiveMaxPool1d' : 'AdaptiveAvgPool1d';
  const notSequence = sequenceInput(inputs, name);
  if (notSequence) return { unsupported: notSequence };
  const o = single(arg(args, 'output_size', 0));
  const length = inputs[0]?.shape?.[1] ?? null;
  if (o === null || !Number.isInteger(o) || o < 1) return { unsupported: `${name} with an output_size the reader could not evaluate` };
  // Not called (no input): no weights.
  if (inputs.length === 0) return { parts: [], params: 0 };
  if (length === null) return { unsupported: `${name} on a tensor whose length is unknown` };
  if (o > length) return { unsupported: `${name}(${o}) on a length of ${length}: its bins repeat, which no TensorFlow.js pooling gives` };
  const stride = Math.floor(length / o);
  return { parts: channelsLastAround({ type, args: { poolSize: length - (o - 1) * stride, strides: stride, padding: 'valid' }, suffix: 'pool' }) };
}

/**
 * nn.ConstantPad1d / ZeroPad1d / ReflectionPad1d / ReplicationPad1d / CircularPad1d on (N, C, L): one number
 * or (left, right) on L. The mode changes values, not the shape; reflection needs pad < L and circular pad ≤ L
 * (PyTorch's checks, made by the layer). Negative values crop, which is not read.
 */
export const pad1d = (module: string): TorchTranslator => (args, inputs) => {
  const notSequence = sequenceInput(inputs, module);
  if (notSequence) return { unsupported: notSequence };
  const p = arg(args, 'padding', 0);
  const pads = typeof p === 'number' ? [p, p] : Array.isArray(p) && p.length === 2 ? p : null;
  if (!pads || !pads.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0)) return { unsupported: `${module} with padding the reader could not evaluate (or negative)` };
  const limit = module.startsWith('Reflection') ? 'reflect' : module.startsWith('Circular') ? 'circular' : null;
  return { parts: [{ type: 'AxisPadding', args: { axes: [2], padding: [pads], ...(limit ? { limit } : {}) } }] };
};

/**
 * nn.ConvTranspose1d(in, out, k, stride, padding, output_padding, groups, bias): tfjs has no 1-D transposed
 * convolution, so (C, L) is held as (1, L, C) for a Conv2DTranspose with a (1, k) kernel, which has the same
 * weights (in·out·k + out) and MACs (L·in·k·out), then brought back. PyTorch's length (L−1)·s − 2p + k + op is
 * tfjs' "valid" ((L−1)·s + max(k, s)) when p = op = 0 and k ≥ s, its "same" (L·s) when k − 2p + op = s;
 * any other padding is unsupported.
 */
export function convTranspose1d(args: Args, inputs: readonly TensorRef[]): Translated {
  const notSequence = sequenceInput(inputs, 'ConvTranspose1d');
  if (notSequence) return { unsupported: notSequence };
  const inC = typeof arg(args, 'in_channels', 0) === 'number' ? (arg(args, 'in_channels', 0) as number) : null;
  const outC = single(arg(args, 'out_channels', 1));
  const kernel = single(arg(args, 'kernel_size', 2));
  const stride = single(arg(args, 'stride', 3), 1);
  const padding = single(arg(args, 'padding', 4), 0);
  const outputPadding = single(arg(args, 'output_padding', 5), 0);
  const groups = single(arg(args, 'groups', 6), 1);
  const bias = arg(args, 'bias', 7) ?? true;
  const dilation = single(arg(args, 'dilation', 8), 1);
  if (inC === null || outC === null || kernel === null || stride === null || padding === null || outputPadding === null || typeof bias !== 'boolean') {
    return { unsupported: 'ConvTranspose1d with arguments the reader could not evaluate' };
  }
  if (groups !== 1 || dilation !== 1) return { unsupported: 'ConvTranspose1d with groups or dilation > 1 is not supported yet' };
  // PyTorch's checks, in its words (it runs a 1-D transposed convolution as a (1, k) 2-D one too): raised at this line.
  const reject = kernel <= 0 ? `kernel size should be greater than zero, but got kernel_height: 1 kernel_width: ${kernel}` : stride <= 0 ? 'non-positive stride is not supported' : null;
  const pad = reject !== null ? 'valid' : padding === 0 && outputPadding === 0 && kernel >= stride ? 'valid' : kernel - 2 * padding + outputPadding === stride ? 'same' : null;
  if (pad === null) return { unsupported: `ConvTranspose1d(kernel_size=${kernel}, stride=${stride}, padding=${padding}, output_padding=${outputPadding}) is not supported yet` };
  return {
    parts: [
      { type: 'Permute', args: { dims: [2, 1] }, suffix: 'to_length_first' },
      { type: 'SequenceAsImage', args: reject === null ? {} : { reject }, suffix: 'to_image' },
      { type: 'Conv2DTranspose', args: { filters: outC, kernelSize: [1, kernel], strides: [1, stride], padding: pad, useBias: bias }, suffix: 'conv' },
      { type: 'ImageAsSequence', args: {}, suffix: 'to_sequence' },
      { type: 'Permute', args: { dims: [2, 1] }, suffix: 'to_channels_first' },
    ],
    declared: [{ argument: 'in_channels', value: inC, axis: 'channels' }],
    // Not called (no input): in·out·k + out, as model.parameters() counts them.
    ...(inputs.length === 0 ? { params: inC * outC * kernel + (bias ? outC : 0) } : {}),
  };
}

/**
 * nn.InstanceNorm1d(num_features, eps, momentum, affine=False) on (N, C, L): each channel over L, between
 * Permutes (the engine's InstanceNormalization is channels-last); 2·C weights with affine, on the inner part.
 */
export function instanceNorm1d(args: Args, inputs: readonly TensorRef[], lazy = false): Translated {
  const name = lazy ? 'LazyInstanceNorm1d' : 'InstanceNorm1d';
  const notSequence = sequenceInput(inputs, name);
  if (notSequence) return { unsupported: notSequence };
  // InstanceNorm1d(num_features, eps, momentum, affine); the lazy one has no num_features: eps comes first.
  const at = lazy ? 0 : 1;
  const n = lazy ? null : single(arg(args, 'num_features', 0));
  const eps = arg(args, 'eps', at) ?? 1e-5;
  // The lazy modules default to affine=True (torch/nn/modules/instancenorm.py), the others to False.
  const affine = arg(args, 'affine', at + 2) ?? lazy;
  if (typeof eps !== 'number' || typeof affine !== 'boolean') return { unsupported: `${name} with arguments the reader could not evaluate` };
  return {
    parts: channelsLastAround({ type: 'InstanceNormalization', args: { epsilon: eps, affine }, suffix: 'norm' }),
    declared: n === null || !affine ? [] : [{ argument: 'num_features', value: n, axis: 'channels' }],
    // Not called (no input): 2·C with affine, as model.parameters() counts them.
    ...(inputs.length === 0 && n !== null ? { params: affine ? 2 * n : 0 } : {}),
  };
}
