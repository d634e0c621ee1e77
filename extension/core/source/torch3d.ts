/**
 * PyTorch's volumetric layers (video models: torchvision's r3d_18 / mc3_18 / r2plus1d_18), on (N, C, D, H, W)
 * tensors the engine holds channels-last as (D, H, W, C): Conv3d → tfjs conv3d, MaxPool3d / AvgPool3d → tfjs
 * 3-D pooling, AdaptiveAvgPool3d / AdaptiveMaxPool3d to sizes that a valid pooling gives exactly, BatchNorm3d →
 * BatchNormalization over the channels. Padding is translated only where tfjs' "same" or "valid" gives PyTorch's
 * size on every axis (p = d·(k−1)/2, or p = 0); anything else is unsupported, never approximated.
 */
import { affineParams, arg, normBias, num, torchConvArgs, type Args, type Plain, type Translated } from './layerArgs';
import type { TensorRef } from './trace';
import type { TorchTranslator } from './torch2d';

type Triple = [number, number, number];

/** 3 or (3, 3, 3) → [3, 3, 3]; null when not three known integers. */
function triple(v: Plain | undefined, fallback: number | null = null): Triple | null {
  if (v === undefined || v === null) return fallback === null ? null : [fallback, fallback, fallback];
  if (typeof v === 'number') return [v, v, v];
  if (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number')) return v as Triple;
  return null;
}

/** tfjs padding that gives PyTorch's output size on every axis, or null. */
function padMode(kernel: Triple, padding: Triple, dilation: Triple): 'same' | 'valid' | null {
  if (padding.every((p) => p === 0)) return 'valid';
  // ⌊(n + 2p − d(k−1) − 1)/s⌋ + 1 = ⌈n/s⌉ (tfjs "same") whenever 2p = d(k−1).
  if ([0, 1, 2].every((a) => 2 * padding[a]! === dilation[a]! * (kernel[a]! - 1))) return 'same';
  return null;
}

export function conv3d(args: Args): Translated {
  const conv = torchConvArgs(args, triple, num);
  if (conv === null) return { unsupported: 'Conv3d with arguments the reader could not evaluate' };
  const { inC, outC, kernel, stride, padding, dilation, groups, bias } = conv;
  if (groups !== 1) return { unsupported: 'Conv3d(groups>1) is not supported yet' };
  if (dilation.some((d) => d !== 1)) return { unsupported: 'Conv3d(dilation>1) is not supported yet' };
  const pad = typeof padding === 'string' ? padding : padMode(kernel, padding, dilation);
  if (pad === null) return { unsupported: `Conv3d(kernel_size=${JSON.stringify(kernel)}, padding=${JSON.stringify(padding)})` };
  const declared = inC === null ? [] : [{ argument: 'in_channels', value: inC, axis: 'channels' as const }];
  // As written: in·out·kD·kH·kW + bias, whatever arrives.
  const params = inC === null ? undefined : inC * outC * kernel[0] * kernel[1] * kernel[2] + (bias ? outC : 0);
  return {
    parts: [{ type: 'Conv3D', args: { filters: outC, kernelSize: kernel, strides: stride, padding: pad, useBias: bias } }],
    declared,
    ...(params === undefined ? {} : { params }),
  };
}

export function pool3d(type: 'MaxPooling3D' | 'AveragePooling3D', args: Args): Translated {
  const kernel = triple(arg(args, 'kernel_size', 0));
  const strideArg = arg(args, 'stride', 1);
  const stride = strideArg === null || strideArg === undefined ? kernel : triple(strideArg);
  const padding = triple(arg(args, 'padding', 2), 0);
  const ceil = arg(args, 'ceil_mode', type === 'MaxPooling3D' ? 5 : 3) ?? false;
  const dilation = type === 'MaxPooling3D' ? triple(arg(args, 'dilation', 3), 1) : ([1, 1, 1] as Triple);
  if (!kernel || !stride || !padding || !dilation || ceil !== false) return { unsupported: `${type === 'MaxPooling3D' ? 'MaxPool3d' : 'AvgPool3d'} with these arguments` };
  if (dilation.some((d) => d !== 1)) return { unsupported: 'MaxPool3d(dilation>1) is not supported yet' };
  // A "same" pooling pads with −∞ (max) or leaves padding out of the mean (tfjs), PyTorch's max pads with −∞
  // too; only the size matters here, and it matches when 2p = k − 1 (odd windows).
  const pad = padMode(kernel, padding, [1, 1, 1]);
  if (pad === null) return { unsupported: `${type === 'MaxPooling3D' ? 'MaxPool3d' : 'AvgPool3d'}(kernel_size=${JSON.stringify(kernel)}, padding=${JSON.stringify(padding)})` };
  if (pad === 'same' && type === 'AveragePooling3D') return { unsupported: 'AvgPool3d with padding is not supported yet' };
  return { parts: [{ type, args: { poolSize: kernel, strides: stride, padding: pad } }] };
}

/**
 * AdaptiveAvgPool3d / AdaptiveMaxPool3d to (oD, oH, oW) no larger than the input: a valid pooling with stride
 * ⌊n/o⌋ and window n − (o−1)·stride has exactly o outputs per axis; pooling counts no MACs or weights, so the
 * shape is all the analysis needs.
 */
export function adaptive3d(type: 'MaxPooling3D' | 'AveragePooling3D', args: Args, inputs: readonly TensorRef[]): Translated {
  const shape = inputs[0]?.shape ?? null;
  const size = arg(args, 'output_size', 0);
  if (!shape || shape.length !== 4) return { unsupported: `adaptive 3-D pooling of a tensor that is not (N, C, D, H, W)` };
  const dims = shape.slice(0, 3);
  const out = Array.isArray(size) && size.length === 3 ? size.map((s, i) => (s === null ? dims[i] : s)) : triple(size);
  if (!out || !out.every((o) => typeof o === 'number') || !dims.every((d) => typeof d === 'number')) return { unsupported: 'adaptive 3-D pooling with sizes the reader could not evaluate' };
  const o = out as number[];
  const n = dims as number[];
  if (o.some((x, i) => x > n[i]!)) return { unsupported: `adaptive 3-D pooling from ${n.join('×')} up to ${o.join('×')}` };
  const stride = n.map((x, i) => Math.floor(x / o[i]!)) as Triple;
  const window = n.map((x, i) => x - (o[i]! - 1) * stride[i]!) as Triple;
  return { parts: [{ type, args: { poolSize: window, strides: stride, padding: 'valid' } }] };
}

export function batchNorm3d(args: Args): Translated {
  const n = num(arg(args, 'num_features', 0));
  const eps = num(arg(args, 'eps', 1) ?? 1e-5);
  const affine = arg(args, 'affine', 3) ?? true;
  const bias = normBias(args);
  if (eps === null || typeof affine !== 'boolean' || typeof bias !== 'boolean') return { unsupported: 'BatchNorm3d with arguments the reader could not evaluate' };
  return {
    parts: [{ type: 'BatchNormalization', args: { epsilon: eps, center: affine && bias, scale: affine } }],
    declared: n === null ? [] : [{ argument: 'num_features', value: n, axis: 'channels' }],
    ...(n === null ? {} : { params: affineParams(affine, bias, n) }),
  };
}

/**
 * nn.ConstantPad3d / ZeroPad3d / ReflectionPad3d / ReplicationPad3d / CircularPad3d on (N, C, D, H, W): one
 * number or (left, right, top, bottom, front, back), last dim first. The mode changes values, not the shape;
 * reflection needs pad < size and circular pad ≤ size (checked by the layer). Negative values crop: not read.
 */
export const pad3d = (module: string): TorchTranslator => (args, inputs) => {
  const rank = inputs[0]?.rank;
  if (rank !== undefined && rank !== null && rank !== 4) return { unsupported: `${module} on a tensor that is not (N, C, D, H, W)` };
  const p = arg(args, 'padding', 0);
  const six = typeof p === 'number' ? [p, p, p, p, p, p] : Array.isArray(p) && p.length === 6 ? p : null;
  if (!six || !six.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0)) return { unsupported: `${module} with padding the reader could not evaluate (or negative)` };
  const [l, r, t, b, f, k] = six as number[];
  const limit = module.startsWith('Reflection') ? 'reflect' : module.startsWith('Circular') ? 'circular' : null;
  // Engine axes 1, 2, 3 are D, H, W of (D, H, W, C).
  return { parts: [{ type: 'AxisPadding', args: { axes: [1, 2, 3], padding: [[f, k], [t, b], [l, r]], ...(limit ? { limit } : {}) } }] };
};

/** nn.InstanceNorm3d(num_features, eps, momentum, affine=False): each channel over D, H, W; 2·C weights with affine. */
export function instanceNorm3d(args: Args): Translated {
  const n = num(arg(args, 'num_features', 0));
  const eps = num(arg(args, 'eps', 1) ?? 1e-5);
  const affine = arg(args, 'affine', 3) ?? false;
  const bias = normBias(args);
  if (eps === null || typeof affine !== 'boolean' || typeof bias !== 'boolean') return { unsupported: 'InstanceNorm3d with arguments the reader could not evaluate' };
  return {
    parts: [{ type: 'InstanceNormalization', args: { epsilon: eps, affine } }],
    declared: n === null || !affine ? [] : [{ argument: 'num_features', value: n, axis: 'channels' }],
    ...(n === null ? {} : { params: affineParams(affine, bias, n) }),
  };
}
