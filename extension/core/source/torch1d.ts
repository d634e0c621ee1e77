/**
 * PyTorch's 1-D layers on (N, C, L) sequences: Conv1d → tfjs conv1d, MaxPool1d / AvgPool1d → tfjs 1-D pooling.
 * The engine holds PyTorch's rank-2 samples as PyTorch writes them, (C, L), the order its Linear and Flatten
 * read; tfjs' 1-D layers read (L, C), so each one is wrapped in two Permutes (no weights, no MACs). Padding is
 * translated only where tfjs' "same" or "valid" gives PyTorch's length (p = d·(k−1)/2, or p = 0); groups,
 * ceil_mode and pooling padding are unsupported, never approximated.
 */
import { arg, torchConvArgs, type Args, type Plain, type Translated } from './layerArgs';
import type { TensorRef } from './trace';

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
