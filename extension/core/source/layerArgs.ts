/**
 * A constructor call's evaluated arguments and the small readers every translator uses on them (Keras,
 * TensorFlow.js and PyTorch alike): by keyword else by position, a number, an int-or-pair.
 */
import type { Translation } from './trace';

/** An evaluated argument: plain data, or a marker for something the reader could not evaluate. */
export type Plain = number | string | boolean | null | Plain[] | { unknown: string } | { ref: string };

export interface Args {
  positional: Plain[];
  keywords: Map<string, Plain>;
}

export type Translated = Translation | { unsupported: string };

export function isUnknown(v: Plain | undefined): v is { unknown: string } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'unknown' in v;
}

/** Argument by keyword, else by position. */
export function arg(args: Args, name: string, position: number | null): Plain | undefined {
  if (args.keywords.has(name)) return args.keywords.get(name);
  return position === null ? undefined : args.positional[position];
}

export function num(v: Plain | undefined): number | null {
  return typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : null;
}

/** 3 or (3, 3) or (3,) → [3, 3]; null when not known integers (or absent without a fallback). */
export function pair(v: Plain | undefined, fallback: number | null = null): [number, number] | null {
  if (v === undefined || v === null) return fallback === null ? null : [fallback, fallback];
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number') return [v[0], v[1]];
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'number') return [v[0], v[0]];
  return null;
}

/** nn.Conv1d / Conv2d / Conv3d's arguments, once evaluated (`T` is one size per spatial axis). */
export interface TorchConvArgs<T> {
  inC: number | null;
  outC: number;
  kernel: T;
  stride: T;
  padding: T | 'same' | 'valid';
  dilation: T;
  groups: number;
  bias: boolean;
}

/**
 * nn.ConvNd(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True),
 * with `size` reading an int-or-tuple and `count` an integer; null when one a translation needs cannot be
 * evaluated (in_channels is only checked, so it may stay unknown). padding_mode changes values, never shapes.
 */
export function torchConvArgs<T>(args: Args, size: (v: Plain | undefined, fallback?: number | null) => T | null, count: (v: Plain | undefined) => number | null): TorchConvArgs<T> | null {
  const outC = count(arg(args, 'out_channels', 1));
  const kernel = size(arg(args, 'kernel_size', 2));
  const stride = size(arg(args, 'stride', 3), 1);
  const paddingArg = arg(args, 'padding', 4);
  const padding = paddingArg === 'same' || paddingArg === 'valid' ? paddingArg : size(paddingArg, 0);
  const dilation = size(arg(args, 'dilation', 5), 1);
  const groups = count(arg(args, 'groups', 6) ?? 1);
  const bias = arg(args, 'bias', 7) ?? true;
  if (outC === null || kernel === null || stride === null || padding === null || dilation === null || groups === null || typeof bias !== 'boolean') return null;
  return { inC: count(arg(args, 'in_channels', 0)), outC, kernel, stride, padding, dilation, groups, bias };
}

/**
 * The keyword-only `bias` of torch 2.13's BatchNorm, InstanceNorm and GroupNorm (`bias=False` keeps the weight
 * only; `module.bias = None` after construction, as timm's GroupNorm1NoBias does, is read as the same).
 */
export function normBias(args: Args): Plain | undefined {
  return args.keywords.has('bias') ? args.keywords.get('bias') : true;
}

/** C weights, and C biases unless bias=False, with affine; none without. */
export function affineParams(affine: boolean, bias: boolean, channels: number): number {
  return affine ? (bias ? 2 : 1) * channels : 0;
}
