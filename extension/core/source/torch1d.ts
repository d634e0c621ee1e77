/**
 * PyTorch's 1-D layers on (N, C, L) sequences: Conv1d → tfjs conv1d, MaxPool1d / AvgPool1d → tfjs 1-D pooling.
 * The engine holds PyTorch's rank-2 samples as PyTorch writes them, (C, L), the order its Linear and Flatten
 * read; tfjs' 1-D layers read (L, C), so each call is ONE engine layer that holds the tfjs layer and changes
 * the layout inside itself (`sequence`, ../sequenceLayout.ts): one row per module, as torchinfo shows, with
 * PyTorch's shapes and the real weights. A Conv1d's padding is tfjs' "same" where that gives PyTorch's length
 * (p = d·(k−1)/2), else zeros on the length inside the layer; groups > 1 is a grouped (1, k) convolution on
 * the sequence held as a (1, L, C) image; a pooling's padding and ceil_mode are padding on the length inside it.
 */
import { affineParams, arg, normBias, torchConvArgs, type Args, type Plain, type Translated } from './layerArgs';
import type { TensorRef } from './trace';
import type { TorchTranslator } from './torch2d';

/** 3 or (3,) → 3; null when not one known integer. */
function single(v: Plain | undefined, fallback: number | null = null): number | null {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'number') return v[0];
  return null;
}

/** The call as one layer on (C, L): tfjs' 1-D `type` reads it as (L, C) inside; the output is PyTorch's (C_out, L_out). */
function channelsFirst(type: string, args: Record<string, unknown>): { type: string; args: Record<string, unknown> }[] {
  return [{ type, args: { ...args, sequence: 'channelsFirst' } }];
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
  if (typeof padding === 'number' && padding < 0) return { unsupported: `Conv1d(padding=${padding}): a negative padding` };
  // ⌊(L + 2p − d(k−1) − 1)/s⌋ + 1 = ⌈L/s⌉ (tfjs "same") whenever 2p = d(k−1); any other p: p zeros on each
  // side of the length, then "valid", inside the one layer.
  const pad = typeof padding === 'string' ? padding : padding === 0 ? 'valid' : 2 * padding === dilation * (kernel - 1) ? 'same' : 'valid';
  const lengthPadding = typeof padding === 'number' && padding > 0 && pad === 'valid' ? { lengthPadding: [padding, padding] } : {};
  // PyTorch's constructor check (torch/nn/modules/conv.py), raised at this line.
  const reject = padding === 'same' && stride !== 1 ? { reject: "padding='same' is not supported for strided convolutions" } : {};
  // in_channels is checked against the C that arrives (a mismatch is PyTorch's error at this line); the count
  // is the constructor's, whatever arrives, as model.parameters() counts it.
  const declared = inC === null ? [] : [{ argument: 'in_channels', value: inC, axis: 'channels' as const }];
  // tfjs' conv1d has no groups: a grouped (1, k) Conv2D on the sequence held as a (1, L, C) image, the same
  // weights ((C/g)·out·k + out) and MACs (L_out·out·k·C/g).
  const parts =
    groups === 1
      ? channelsFirst('Conv1D', { filters: outC, kernelSize: kernel, strides: stride, padding: pad, dilationRate: dilation, useBias: bias, ...lengthPadding, ...reject })
      : [{
          type: 'Conv2D',
          args: { filters: outC, kernelSize: [1, kernel], strides: [1, stride], padding: pad, dilationRate: [1, dilation], groups, useBias: bias, sequence: 'channelsFirstAsImage', ...lengthPadding, ...reject },
        }];
  return {
    parts,
    declared,
    // The weights its constructor fixes, called or not, as model.parameters() counts them.
    ...(inC !== null && inC % groups === 0 ? { params: (inC / groups) * outC * kernel + (bias ? outC : 0) } : {}),
  };
}

/** `fn`: F.max_pool1d / F.avg_pool1d, whose ceil_mode comes before return_indices (the module's after). */
export function pool1d(type: 'MaxPooling1D' | 'AveragePooling1D', args: Args, inputs: readonly TensorRef[], fn = false): Translated {
  const name = type === 'MaxPooling1D' ? 'MaxPool1d' : 'AvgPool1d';
  const notSequence = sequenceInput(inputs, name);
  if (notSequence) return { unsupported: notSequence };
  const kernel = single(arg(args, 'kernel_size', 0));
  const strideArg = arg(args, 'stride', 1);
  const stride = strideArg === null || strideArg === undefined ? kernel : single(strideArg);
  const padding = single(arg(args, 'padding', 2), 0);
  const dilation = type === 'MaxPooling1D' ? single(arg(args, 'dilation', 3), 1) : 1;
  const ceil = arg(args, 'ceil_mode', type === 'MaxPooling1D' ? (fn ? 4 : 5) : 3) ?? false;
  if (kernel === null || stride === null || padding === null || padding < 0 || dilation !== 1 || typeof ceil !== 'boolean') {
    return { unsupported: `${name} with these arguments (padding or dilation) is not supported yet` };
  }
  // PyTorch's check, in its words (torch 2.13), raised at this line.
  const reject =
    2 * padding <= kernel ? null
    : type === 'MaxPooling1D' ? `max_pool1d() padding should be at most half of kernel size, but got padding=${padding} and kernel_size=${kernel}`
    : `pad should be at most half of effective kernel size, but got pad=${padding}, kernel_size=${kernel} and dilation=1`;
  // ceil_mode adds s − 1 at the end: ⌊(L+2p−k+s−1)/s⌋+1 = ⌈(L+2p−k)/s⌉+1. PyTorch drops a last window that would
  // start in the right padding ((out−1)·s ≥ L+p), which cannot happen when s = 1 or k ≥ p + s (torch2d.pool's rule).
  if (ceil && stride > 1 && kernel < padding + stride) return { unsupported: `${name}(ceil_mode=True) with kernel < padding + stride is not supported yet` };
  const extra = ceil ? stride - 1 : 0;
  // Padded with −∞ for a max (never chosen), 0 for an average (count_include_pad, PyTorch's default).
  const lengthPadding = padding > 0 || extra > 0 ? { lengthPadding: [padding, padding + extra], ...(type === 'MaxPooling1D' ? { paddingValue: 'min' } : {}) } : {};
  return { parts: channelsFirst(type, { poolSize: kernel, strides: stride, padding: 'valid', ...lengthPadding, ...(reject === null ? {} : { reject }) }) };
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
  return { parts: channelsFirst(type, { poolSize: length - (o - 1) * stride, strides: stride, padding: 'valid' }) };
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
 * convolution, so the one layer holds (C, L) as (1, L, C) for a Conv2DTranspose with a (1, k) kernel, which has
 * the same weights (in·out·k + out) and MACs (L·in·k·out), and gives PyTorch's (C_out, L_out) back. PyTorch's length (L−1)·s − 2p + k + op is
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
    parts: [{
      type: 'Conv2DTranspose',
      args: { filters: outC, kernelSize: [1, kernel], strides: [1, stride], padding: pad, useBias: bias, sequence: 'channelsFirstAsImage', ...(reject === null ? {} : { reject }) },
    }],
    declared: [{ argument: 'in_channels', value: inC, axis: 'channels' }],
    // in·out·k + out, called or not, as model.parameters() counts them.
    params: inC * outC * kernel + (bias ? outC : 0),
  };
}

/**
 * nn.InstanceNorm1d(num_features, eps, momentum, affine=False) on (N, C, L): each channel over L, one layer
 * around the engine's channels-last InstanceNormalization; 2·C weights with affine.
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
  const bias = normBias(args);
  if (typeof eps !== 'number' || typeof affine !== 'boolean' || typeof bias !== 'boolean') return { unsupported: `${name} with arguments the reader could not evaluate` };
  return {
    parts: channelsFirst('InstanceNormalization', { epsilon: eps, affine }),
    declared: n === null || !affine ? [] : [{ argument: 'num_features', value: n, axis: 'channels' }],
    // 2·C with affine, called or not, as model.parameters() counts them.
    ...(n !== null ? { params: affineParams(affine, bias, n) } : {}),
  };
}
