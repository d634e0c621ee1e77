/**
 * PyTorch's 2-D (and rank-free) modules and functions as engine layers: Conv2d, ConvTranspose2d, pooling,
 * adaptive pooling, BatchNorm, Linear, activations, dropout, flatten, padding, upsampling. Each translator is
 * exact for shapes, parameters and MACs or says why it is unsupported (never approximated); the table of
 * layer knowledge (../layerKnowledge/kinds.ts) names which PyTorch class or function uses which.
 */
import { affineParams, arg, normBias, num, pair, torchConvArgs, type Args, type Plain, type Translated } from './layerArgs';
import type { TensorRef, Translation } from './trace';
import { onLastDim } from './torchLastDim';
import { engineAxisOfTorchDim, torchDimsOfEngineAxes } from './torchAxes';

/** A PyTorch module's constructor arguments (or a function's, without the tensor) → engine layers. */
export type TorchTranslator = (args: Args, inputs: readonly TensorRef[]) => Translated;

function same(kernel: [number, number], padding: [number, number], dilation: [number, number]): boolean {
  return 2 * padding[0] === dilation[0] * (kernel[0] - 1) && 2 * padding[1] === dilation[1] * (kernel[1] - 1);
}

/** A kernel_size of one size is not a square kernel in PyTorch (python/kernelRank.ts): only an int or two sizes. */
function twoKernelSizes(args: Args): boolean {
  const k = arg(args, 'kernel_size', 2);
  return !Array.isArray(k) || k.length === 2;
}

export function conv2d(args: Args): Translated {
  const conv = twoKernelSizes(args) ? torchConvArgs(args, pair, num) : null;
  if (conv === null) return { unsupported: 'Conv2d with arguments the reader could not evaluate' };
  const { inC, outC, kernel, stride, padding, dilation, groups, bias } = conv;
  const parts: Translation['parts'] = [];
  let pad: 'same' | 'valid' = 'valid';
  if (padding === 'same') pad = 'same';
  // A negative padding goes on to the engine, which rejects it as PyTorch does (never read as no padding).
  else if (padding !== 'valid' && (padding[0] !== 0 || padding[1] !== 0)) {
    if (same(kernel, padding, dilation) && padding[0] > 0 && padding[1] > 0) pad = 'same';
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

export function convTranspose2d(args: Args): Translated {
  const inC = num(arg(args, 'in_channels', 0));
  const outC = num(arg(args, 'out_channels', 1));
  const kernel = twoKernelSizes(args) ? pair(arg(args, 'kernel_size', 2)) : null;
  const stride = pair(arg(args, 'stride', 3), 1);
  const padding = pair(arg(args, 'padding', 4), 0);
  const outputPadding = pair(arg(args, 'output_padding', 5), 0);
  const groups = num(arg(args, 'groups', 6) ?? 1);
  const bias = arg(args, 'bias', 7) ?? true;
  const dilation = pair(arg(args, 'dilation', 8), 1);
  if (inC === null || outC === null || !kernel || !stride || !padding || !outputPadding || groups !== 1 || typeof bias !== 'boolean') {
    return { unsupported: 'ConvTranspose2d with arguments the reader could not evaluate or groups > 1' };
  }
  // tfjs' transposed convolution ignores a dilation, which changes the size: refused, never dropped.
  if (!dilation || dilation[0] !== 1 || dilation[1] !== 1) return { unsupported: 'ConvTranspose2d(dilation>1) is not supported yet' };
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
export function pool(type: 'MaxPooling2D' | 'AveragePooling2D', args: Args, inputs: readonly TensorRef[], functional = false): Translated {
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
  } else if (padding[0] !== 0 || padding[1] !== 0 || ceil) {
    // ceil_mode: PyTorch's size, padded at the bottom/right just enough for a valid pooling to give it.
    let extra: [number, number] = [0, 0];
    if (ceil) {
      const hw = inputs[0]?.shape;
      const sizes = hw && hw.length === 3 ? [hw[0], hw[1]] : null;
      if (!sizes || sizes.some((d) => d === null)) return { unsupported: `${type === 'MaxPooling2D' ? 'MaxPool2d' : 'AvgPool2d'}(ceil_mode=True) on an input whose size is unknown` };
      extra = [0, 1].map((a) => ceilModeExtra(sizes[a]!, kernel[a]!, stride[a]!, padding[a]!)) as [number, number];
    }
    parts.push({ type: 'ZeroPadding2D', args: { padding: [[padding[0], padding[0] + extra[0]], [padding[1], padding[1] + extra[1]]] }, suffix: ceil ? 'ceil' : 'pad' });
  }
  parts.push({ type, args: { poolSize: kernel, strides: stride, padding: pad } });
  return { parts };
}

/**
 * Rows (columns) past the symmetric padding a valid pooling needs to give PyTorch's ceil_mode size
 * (pooling_output_shape): out = ⌊(H + 2p − k + s − 1)/s⌋ + 1, less one when that last window would start in the
 * bottom padding ((out − 1)·s ≥ H + p); then the padded input must reach (out − 1)·s + k.
 */
function ceilModeExtra(size: number, kernel: number, stride: number, padding: number): number {
  let out = Math.floor((size + 2 * padding - kernel + stride - 1) / stride) + 1;
  if ((out - 1) * stride >= size + padding) out -= 1;
  return Math.max(0, (out - 1) * stride + kernel - (size + 2 * padding));
}

/**
 * AdaptiveAvgPool2d / AdaptiveMaxPool2d. Output 1×1 is a global pooling keeping (1, 1, C). Any other output size (oh, ow) from the
 * input's (h, w), known from tfjs, is a valid pooling with stride ⌊h/oh⌋ and window h − (oh−1)·stride, which
 * gives exactly oh outputs ((h − k)/s + 1 = oh); PyTorch's windows differ in position when h is not a multiple
 * of oh, but the shape (all that analysis uses; pooling has no MACs or weights) is the same.
 */
export function adaptive(type: 'GlobalAveragePooling2D' | 'GlobalMaxPooling2D', size: Plain | undefined, inputs: readonly TensorRef[]): Translated {
  const shape = inputs[0]?.shape ?? null;
  const hw = shape && shape.length === 3 && shape[0] != null && shape[1] != null ? [shape[0], shape[1]] : null;
  const s = Array.isArray(size) && size.length === 2 ? [size[0] === null ? hw?.[0] ?? null : size[0], size[1] === null ? hw?.[1] ?? null : size[1]] : pair(size ?? null);
  if (s && typeof s[0] === 'number' && typeof s[1] === 'number' && !(s[0] === 1 && s[1] === 1)) {
    const [oh, ow] = s as [number, number];
    // PyTorch 2.13's check; a size of 0 gives an empty tensor, which no analysis has rows for.
    if (oh < 0 || ow < 0) return { unsupported: `adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {${oh}, ${ow}}` };
    if (oh === 0 || ow === 0) return { unsupported: `adaptive pooling to ${oh}×${ow}: an empty tensor` };
    if (!hw) return { unsupported: `adaptive pooling to ${oh}×${ow} on a tensor whose size is unknown` };
    // Larger than the input: PyTorch's bins overlap or repeat, which only our AdaptivePooling2D computes.
    if (oh > hw[0]! || ow > hw[1]!) return { parts: [{ type: 'AdaptivePooling2D', args: { size: [oh, ow], mode: type === 'GlobalAveragePooling2D' ? 'avg' : 'max' } }] };
    const stride: [number, number] = [Math.floor(hw[0]! / oh), Math.floor(hw[1]! / ow)];
    const window: [number, number] = [hw[0]! - (oh - 1) * stride[0], hw[1]! - (ow - 1) * stride[1]];
    const poolType = type === 'GlobalAveragePooling2D' ? 'AveragePooling2D' : 'MaxPooling2D';
    return { parts: [{ type: poolType, args: { poolSize: window, strides: stride, padding: 'valid' } }] };
  }
  if (!s || s[0] !== 1 || s[1] !== 1) return { unsupported: `adaptive pooling to ${JSON.stringify(size)}` };
  // PyTorch keeps (C, 1, 1): one layer that keeps the unit axes, as the module is one.
  return { parts: [{ type, args: { keepDims: true } }] };
}

/** A translation of shape-keeping layers (activations, dropout, normalisation). */
export function keepShape(parts: Translation['parts'], _inputs: readonly TensorRef[]): Translation {
  return { parts };
}

export function activation(name: string): TorchTranslator {
  return (_args, inputs) => keepShape([{ type: 'Activation', args: { activation: name } }], inputs);
}

/** nn.Dropout(p) and F.dropout(x, p): `args` never include the tensor, so p is first. */
export function dropout(args: Args, inputs: readonly TensorRef[]): Translation {
  return keepShape([{ type: 'Dropout', args: { rate: num(arg(args, 'p', 0) ?? 0.5) ?? 0.5 } }], inputs);
}

/** nn.LeakyReLU(negative_slope) and F.leaky_relu(x, negative_slope). */
export function leakyRelu(args: Args, inputs: readonly TensorRef[]): Translation {
  return keepShape([{ type: 'LeakyReLU', args: { alpha: num(arg(args, 'negative_slope', 0) ?? 0.01) ?? 0.01 } }], inputs);
}

export function flatten(startDim: Plain | undefined, endDim: Plain | undefined, inputs: readonly TensorRef[]): Translated {
  if ((startDim ?? 1) !== 1 || (endDim ?? -1) !== -1) return { unsupported: `flatten(start_dim=${String(startDim)}, end_dim=${String(endDim)}): only start_dim=1 keeps the batch axis` };
  const input = inputs[0];
  if (input && input.rank === 1) return { parts: [] };
  return { parts: [{ type: 'Flatten', args: {} }] };
}

/** nn.* module classes. */

/** nn.Linear(in_features, out_features, bias): on PyTorch's last dim (torchLastDim.ts). */
export function linear(args: Args, inputs: readonly TensorRef[]): Translated {
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
}

// Lazy modules infer their input size, as the engine does: only the output size is given.
export function lazyLinear(args: Args): Translated {
  const outF = num(arg(args, 'out_features', 0));
  const bias = arg(args, 'bias', 1) ?? true;
  if (outF === null || typeof bias !== 'boolean') return { unsupported: 'LazyLinear with arguments the reader could not evaluate' };
  return { parts: [{ type: 'Dense', args: { units: outF, useBias: bias } }] };
}

export const lazyConv2d: TorchTranslator = (args) => conv2d({ positional: [null, ...args.positional], keywords: args.keywords });

export const lazyBatchNorm2d: TorchTranslator = (_args, inputs) => keepShape([{ type: 'BatchNormalization', args: { epsilon: 1e-5 } }], inputs);

/** A module that returns its input: no engine layer. */
export const identity: TorchTranslator = (_a, inputs) => keepShape([], inputs);

/**
 * A 2-D pad as PyTorch states it: one number for all four sides, or (left, right, top, bottom); F.pad's
 * two-number list pads only the last dim (W). The padding mode changes values, never shapes: every 2-D pad
 * (ZeroPad2d, ReflectionPad2d, ReplicationPad2d, ConstantPad2d, F.pad) is the engine's ZeroPadding2D.
 * Negative values crop for ZeroPad2d / ConstantPad2d; elsewhere they are not read.
 */
function pad2d(what: string, p: Plain | undefined): Translated {
  let pads: [[number, number], [number, number]] | null = null;
  // ZeroPad2d / ConstantPad2d crop where a side is negative (NASNet's ZeroPad2d((-1, 1, -1, 1)) shift):
  // PyTorch's H + top + bottom, read as a crop of the negative sides, then the pad of the others.
  const crops = what === 'ZeroPad2d' || what === 'ConstantPad2d';
  if (typeof p === 'number' && (p >= 0 || !crops)) pads = [[p, p], [p, p]];
  else if (Array.isArray(p) && (p.length === 2 || p.length === 4) && p.every((x) => typeof x === 'number' && Number.isInteger(x) && (x >= 0 || crops))) {
    const [l, r, t = 0, b = 0] = p as number[];
    pads = [[t, b], [l!, r!]];
  }
  if (!pads) return { unsupported: `${what} with padding the reader could not evaluate` };
  if (pads.flat().every((x) => x >= 0)) return { parts: [{ type: 'ZeroPadding2D', args: { padding: pads } }] };
  const part = (f: (x: number) => number): [[number, number], [number, number]] => [[f(pads[0][0]), f(pads[0][1])], [f(pads[1][0]), f(pads[1][1])]];
  const parts: Translation['parts'] = [{ type: 'Cropping2D', args: { cropping: part((x) => Math.max(0, -x)) }, suffix: 'crop' }];
  const grow = part((x) => Math.max(0, x));
  if (grow.flat().some((x) => x > 0)) parts.push({ type: 'ZeroPadding2D', args: { padding: grow } });
  return { parts };
}

/** nn.ZeroPad2d and its siblings, by class name. */
export const padModule = (what: string): TorchTranslator => (args) => pad2d(what, arg(args, 'padding', 0));

/**
 * F.pad(x, pad, mode='constant', value): (before, after) pairs from the last dim back; the mode changes values,
 * not the shape. An image's pads of H and W are ZeroPadding2D; any other rank's, or a pad of the channels, the
 * engine's AxisPadding on the dims they name. PyTorch's rules: every mode but 'constant' takes exactly the 1-D,
 * 2-D or 3-D form for the input (2 values on 2-D or 3-D input, 4 on 3-D or 4-D, 6 on 4-D or 5-D), reflection
 * needs pad < size and circular pad ≤ size; the batch dim is never padded here, negative values (crops) not read.
 */
export const padFunction: TorchTranslator = (args, inputs) => {
  const rank = inputs[0]?.rank ?? null;
  const p = arg(args, 'pad', 0);
  const mode = arg(args, 'mode', 1) ?? 'constant';
  if (typeof mode !== 'string') return { unsupported: 'F.pad with a mode the reader could not evaluate' };
  if (rank === null) return pad2d('F.pad', p);
  if (!Array.isArray(p) || p.length % 2 !== 0 || !p.every((x): x is number => typeof x === 'number' && Number.isInteger(x))) return { unsupported: 'F.pad with a pad the reader could not evaluate' };
  if (p.some((x) => x < 0)) return { unsupported: 'F.pad with a negative pad (it crops), which is not read' };
  const ndim = rank + 1;
  const pairs = p.length / 2;
  const limit = mode === 'reflect' ? 'reflect' : mode === 'circular' ? 'circular' : null;
  // PyTorch's own check (torch/nn/functional.py: _pad): raised at this line.
  const reject = mode !== 'constant' && !(pairs >= 1 && pairs <= 3 && (ndim === pairs + 1 || ndim === pairs + 2)) ? `Padding size ${p.length} is not supported for ${ndim}D input tensor.` : null;
  if (pairs > rank) return reject ? { parts: [{ type: 'AxisPadding', args: { axes: [], padding: [], reject } }] } : { unsupported: 'F.pad of the batch dim is not read' };
  // An image's H and W: ZeroPadding2D, as nn.ReflectionPad2d and its siblings are read.
  if (rank === 3 && pairs <= 2 && reject === null) return pad2d('F.pad', p);
  const axes = Array.from({ length: pairs }, (_, i) => engineAxisOfTorchDim(-(i + 1), rank)! + 1);
  const padding = Array.from({ length: pairs }, (_, i) => [p[2 * i]!, p[2 * i + 1]!]);
  return { parts: [{ type: 'AxisPadding', args: { axes, padding, ...(limit ? { limit } : {}), ...(reject ? { reject } : {}) } }] };
};

/**
 * nn.InstanceNorm2d(num_features, eps, momentum, affine=False, track_running_stats=False): 2·C parameters
 * with affine=True, else none; PyTorch checks num_features against the channels only when affine.
 */
export function instanceNorm(args: Args): Translated {
  const n = num(arg(args, 'num_features', 0));
  const eps = num(arg(args, 'eps', 1) ?? 1e-5);
  const affine = arg(args, 'affine', 3) ?? false;
  const bias = normBias(args);
  if (eps === null || typeof affine !== 'boolean' || typeof bias !== 'boolean') return { unsupported: 'InstanceNorm2d with arguments the reader could not evaluate' };
  return {
    parts: [{ type: 'InstanceNormalization', args: { epsilon: eps, affine } }],
    declared: n === null || !affine ? [] : [{ argument: 'num_features', value: n, axis: 'channels' }],
    ...(n === null ? {} : { params: affineParams(affine, bias, n) }),
  };
}

/** nn.PixelShuffle(upscale_factor): (C·r², H, W) → (C, H·r, W·r), no weights. */
export const pixelShuffle: TorchTranslator = (args) => {
  const r = num(arg(args, 'upscale_factor', 0));
  if (r === null || !Number.isInteger(r) || r < 1) return { unsupported: 'PixelShuffle with an upscale_factor the reader could not evaluate' };
  return { parts: [{ type: 'PixelShuffle', args: { upscaleFactor: r } }] };
};

/**
 * Elementwise torch functions and tensor methods (torch.exp(x), x.pow(2), torch.randn_like(x)): the input's
 * shape, no weights, when every other argument is a number (a tensor argument could broadcast to another shape).
 */
export const elementwise = (fn: string): TorchTranslator => (args, inputs) => {
  const scalars = [...args.positional, ...args.keywords.values()].every((v) => v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string');
  return scalars ? keepShape([{ type: 'Activation', args: { activation: 'linear' } }], inputs) : { unsupported: `torch.${fn} with an argument that is not a number` };
};

export function batchNorm(args: Args, inputs: readonly TensorRef[]): Translated {
  const n = num(arg(args, 'num_features', 0));
  const eps = num(arg(args, 'eps', 1) ?? 1e-5);
  const affine = arg(args, 'affine', 3) ?? true;
  const bias = normBias(args);
  if (eps === null || typeof affine !== 'boolean' || typeof bias !== 'boolean') return { unsupported: 'BatchNorm with arguments the reader could not evaluate' };
  // BatchNorm1d on (N, C, L): the engine holds PyTorch's rank-2 samples channels-first, so C is tfjs axis 1.
  const channelsFirst = inputs[0]?.rank === 2 ? { axis: 1 } : {};
  return {
    parts: [{ type: 'BatchNormalization', args: { epsilon: eps, center: affine && bias, scale: affine, ...channelsFirst } }],
    declared: n === null ? [] : [{ argument: 'num_features', value: n, axis: 'channels' }],
    ...(n === null ? {} : { params: affineParams(affine, bias, n) }),
  };
}

/**
 * nn.Upsample(size, scale_factor, mode, align_corners) and F.interpolate(x, size, scale_factor, mode, …): an
 * integer scale is UpSampling2D; a size, or a scale that is not whole, is the engine's Resize (PyTorch's
 * ⌊in · scale⌋). No parameters and no MACs either way, as torch's FlopCounterMode and Keras count them.
 */
export function upsample(args: Args, inputs: readonly TensorRef[]): Translated {
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


/** nn.GroupNorm(num_groups, num_channels, eps, affine=True): 2·C parameters with affine; PyTorch checks C. */
export function groupNorm(args: Args): Translated {
  const g = num(arg(args, 'num_groups', 0));
  const c = num(arg(args, 'num_channels', 1));
  const eps = num(arg(args, 'eps', 2) ?? 1e-5);
  const affine = arg(args, 'affine', 3) ?? true;
  const bias = normBias(args);
  if (g === null || eps === null || typeof affine !== 'boolean' || typeof bias !== 'boolean') return { unsupported: 'GroupNorm with arguments the reader could not evaluate' };
  if (c !== null && c % g !== 0) return { unsupported: `GroupNorm(${g}, ${c}): PyTorch raises "num_channels (${c}) must be divisible by num_groups (${g})"` };
  return {
    parts: [{ type: 'InstanceNormalization', args: { epsilon: eps, affine, groups: g } }],
    declared: c === null ? [] : [{ argument: 'num_channels', value: c, axis: 'channels' }],
    ...(c === null ? {} : { params: affineParams(affine, bias, c) }),
  };
}

/**
 * nn.PReLU(num_parameters=1): one learned slope shared by every element, or one per channel (dim 1). tfjs
 * PReLU learns one per element unless axes are shared: all of them, or all but the channels.
 */
export function prelu(args: Args, inputs: readonly TensorRef[]): Translated {
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

/** nn.UpsamplingBilinear2d(size, scale_factor): F.interpolate's bilinear with aligned corners. */
export const upsamplingBilinear2d: TorchTranslator = (args, inputs) =>
  upsample({ positional: [arg(args, 'size', 0) ?? null, arg(args, 'scale_factor', 1) ?? null, 'bilinear', true], keywords: new Map() }, inputs);

/** nn.ChannelShuffle(groups). */
export const channelShuffle: TorchTranslator = (args) => {
  const g = num(arg(args, 'groups', 0));
  return g === null || !Number.isInteger(g) || g < 1 ? { unsupported: 'ChannelShuffle with groups the reader could not evaluate' } : { parts: [{ type: 'ChannelShuffle', args: { groups: g } }] };
};

/**
 * nn.LPPool2d(norm_type, kernel_size, stride=None, ceil_mode=False) and F.lp_pool2d(x, norm_type, …): PyTorch
 * computes it as avg_pool2d of x^p (torch/nn/functional.py), so its shape is AvgPool2d's with no padding; no
 * weights, and pooling counts no MACs.
 */
export const lpPool2d: TorchTranslator = (args, inputs) => {
  const p = arg(args, 'norm_type', 0);
  if (typeof p !== 'number' || !(p > 0)) return { unsupported: 'LPPool2d with a norm_type the reader could not evaluate' };
  const kernel = arg(args, 'kernel_size', 1);
  const stride = arg(args, 'stride', 2) ?? null;
  const ceil = arg(args, 'ceil_mode', 3) ?? false;
  return pool('AveragePooling2D', { positional: [kernel ?? null, stride, 0, ceil], keywords: new Map() }, inputs);
};

/** nn.PixelUnshuffle(downscale_factor): (C, H·r, W·r) → (C·r², H, W), no weights. */
export const pixelUnshuffle: TorchTranslator = (args) => {
  const r = num(arg(args, 'downscale_factor', 0));
  if (r === null || !Number.isInteger(r) || r < 1) return { unsupported: 'PixelUnshuffle with a downscale_factor the reader could not evaluate' };
  return { parts: [{ type: 'PixelUnshuffle', args: { downscaleFactor: r } }] };
};

/** nn.GLU(dim=-1): a·σ(b) of the two halves of `dim`, which halves (PyTorch refuses an odd size, as the layer does). */
export const glu: TorchTranslator = (args, inputs) => {
  const dim = num(arg(args, 'dim', 0) ?? -1);
  const rank = inputs[0]?.rank ?? null;
  if (dim === null || !Number.isInteger(dim)) return { unsupported: 'GLU with a dim the reader could not evaluate' };
  // Not called (no input): no weights.
  if (inputs.length === 0) return { parts: [], params: 0 };
  if (rank === null) return { unsupported: 'GLU on a tensor whose rank is unknown' };
  const axis = engineAxisOfTorchDim(dim, rank);
  if (axis === null) return { unsupported: `GLU(dim=${dim}) on a tensor with ${rank} dims after the batch (the batch is never halved here)` };
  return { parts: [{ type: 'Halve', args: { axis: axis + 1, torchDim: dim < 0 ? dim + rank + 1 : dim } }] };
};

/**
 * nn.Unflatten(dim, unflattened_size): `dim` becomes the given sizes (a shape-only reshape, as x.view is read).
 * PyTorch refuses sizes whose product is not the dim's size; the batch dim is not read.
 */
export const unflatten: TorchTranslator = (args, inputs) => {
  const dim = num(arg(args, 'dim', 0));
  const sizes = arg(args, 'unflattened_size', 1);
  const shape = inputs[0]?.shape ?? null;
  if (dim === null || !Array.isArray(sizes) || !sizes.every((s): s is number => typeof s === 'number' && Number.isInteger(s) && (s > 0 || s === -1))) {
    return { unsupported: 'Unflatten with arguments the reader could not evaluate' };
  }
  // Not called (no input): no weights.
  if (inputs.length === 0) return { parts: [], params: 0 };
  if (shape === null || !shape.every((d) => d !== null)) return { unsupported: 'Unflatten on a tensor whose shape is unknown' };
  const rank = shape.length;
  const d = dim < 0 ? dim + rank + 1 : dim;
  if (d < 1 || d > rank) return { unsupported: `Unflatten(dim=${dim}) on a tensor with ${rank} dims after the batch` };
  // PyTorch's sample (C, H, W, …) from the engine's (H, W, C), then the dim split, then back to the engine's order.
  const held = torchDimsOfEngineAxes(rank);
  const torchSample = held.map((_, i) => shape[held.indexOf(i + 1)]!) as number[];
  const size = torchSample[d - 1]!;
  const known = sizes.filter((s) => s !== -1).reduce((a, b) => a * b, 1);
  const filled = sizes.map((s) => (s === -1 ? size / known : s));
  const next = [...torchSample.slice(0, d - 1), ...filled, ...torchSample.slice(d)];
  if (next.length > 4) return { unsupported: `Unflatten to ${next.length} dims after the batch` };
  const engine = next.length >= 3 ? [...next.slice(1), next[0]!] : next;
  return { parts: [{ type: 'Unflatten', args: { targetShape: engine, sizes, dimSize: size, torchDim: d } }] };
};

/** nn.LazyConvTranspose2d(out_channels, kernel_size, …): ConvTranspose2d with the arriving channels as in_channels. */
export const lazyConvTranspose2d: TorchTranslator = (args, inputs) => {
  const inC = inputs[0]?.rank === 3 ? inputs[0].channels : null;
  if (inC === null) return { unsupported: 'LazyConvTranspose2d on a tensor whose channels are unknown' };
  return convTranspose2d({ positional: [inC, ...args.positional], keywords: args.keywords });
};

/** nn.LazyInstanceNorm2d(eps, momentum, affine=True, …): InstanceNorm2d of the arriving channels (lazy ones default to affine). */
export const lazyInstanceNorm2d: TorchTranslator = (args, inputs) => {
  const c = inputs[0]?.channels ?? null;
  const affine = arg(args, 'affine', 2) ?? true;
  return instanceNorm({ positional: [c, arg(args, 'eps', 0) ?? 1e-5, arg(args, 'momentum', 1) ?? 0.1, affine], keywords: new Map() });
};
