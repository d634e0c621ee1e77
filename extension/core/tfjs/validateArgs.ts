/**
 * Arguments checked the way the framework checks them, before tfjs sees them: tfjs accepts some that Keras
 * and PyTorch reject (stride 0 gives Infinity MACs, kernel 0 or −3, negative padding from PyTorch code,
 * non-integer units). Each rule names the argument in the framework's own spelling and gives its reason, in
 * the words of Keras 3.15 / PyTorch 2.x (messages recorded from both with scripts like the one in the test).
 * Every source benefits: zoo models, code readers, model files.
 */
import type { Shape } from '../shape';
import type { Framework, LayerSpec } from '../spec';
import { layerKind } from '../layerKnowledge/index';
import { argumentName } from '../layerKnowledge/argumentNames';
import { innerShape, isSequenceLayout } from '../sequenceLayout';

/** A layer argument the framework rejects; the message is the framework's reason. */
export class InvalidArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidArgumentError';
  }
}

/** A value as Python prints it: 3, 2.5, (28, 28, 1). */
export function show(value: unknown): string {
  if (Array.isArray(value)) return value.length === 1 ? `(${show(value[0])},)` : `(${value.map(show).join(', ')})`;
  if (typeof value === 'string') return `'${value}'`;
  return String(value);
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

/** The values of an int-or-tuple argument (kernel_size=3 or (3, 3)); null when absent. */
function values(v: unknown): unknown[] | null {
  if (v === undefined || v === null) return null;
  return Array.isArray(v) ? v.flat() : [v];
}

/** Throws InvalidArgumentError when the framework would reject `spec`'s arguments for this input. */
export function validateArgs(spec: LayerSpec, framework: Framework = 'keras', input: Shape | null = null): void {
  const reason = invalidReason(spec, framework, input);
  if (reason !== null) throw new InvalidArgumentError(reason);
}

/** Why the framework rejects the arguments, or null when it accepts them. */
export function invalidReason(spec: LayerSpec, framework: Framework = 'keras', given: Shape | null = null): string | null {
  const a = spec.args;
  // A 1-D call held as one layer (sequenceLayout.ts): the reader's reason first (Keras' checks on the 1-D
  // arguments), then the kind's checks on the input its inner layer reads.
  const sequence = isSequenceLayout(a.sequence) ? a.sequence : null;
  if (sequence !== null && typeof a.reject === 'string') return a.reject;
  const input = sequence !== null && given !== null ? innerShape(sequence, given, null, typeof a.swapAxis === 'number' ? a.swapAxis : null) : given;
  const torch = framework === 'pytorch';
  const rule = layerKind(spec.type)?.validate;
  const c: Checked = { spec, a, framework, torch, rule };
  if (rule === 'conv') {
    return (
      // PyTorch's constructor checks groups before anything forward() meets (torch/nn/modules/conv.py).
      (torch ? torchGroups(a.groups, a.filters, input) : null) ??
      (spec.type === 'DepthwiseConv2D' ? positiveCount(c, 'depthMultiplier') : positiveCount(c, 'filters')) ??
      positiveTuple(c, 'kernelSize') ??
      positiveTuple(c, 'strides') ??
      positiveTuple(c, 'dilationRate') ??
      (spec.type === 'SeparableConv2D' ? positiveCount(c, 'depthMultiplier') : null) ??
      paddingMode(a.padding, framework)
    );
  }
  if (rule === 'pool') return positiveTuple(c, 'poolSize') ?? positiveTuple(c, 'strides') ?? paddingMode(a.padding, framework);
  if (rule === 'units') return positiveCount(c, 'units');
  if (rule === 'rate') {
    const rate = a.rate;
    if (rate === undefined || (typeof rate === 'number' && rate >= 0 && rate <= 1)) return null;
    return torch
      ? `dropout probability has to be between 0 and 1, but got ${show(rate)}`
      : `Invalid value received for argument \`rate\`. Expected a float value between 0 and 1. Received: rate=${show(rate)}`;
  }
  if (rule === 'nonNegativePadding' && torch) {
    const list = values(a.padding);
    if (list?.some((v) => typeof v === 'number' && v < 0)) return 'negative padding is not supported';
    return null;
  }
  if (rule === 'targetShape') return reshapeReason(a.targetShape, framework, input);
  return null;
}

/** What the checks of one layer read (module-level functions: no closures made for every layer checked). */
interface Checked {
  spec: LayerSpec;
  a: Readonly<Record<string, unknown>>;
  framework: Framework;
  torch: boolean;
  rule: string | undefined;
}

function positiveTuple({ spec, a, framework, torch, rule }: Checked, arg: string): string | null {
  const list = values(a[arg]);
  if (list === null) return null;
  const bad = list.filter((v) => !isCount(v));
  if (bad.length === 0) return null;
  const name = argumentName(framework, arg);
  if (torch) {
    if (arg === 'strides') return rule === 'pool' ? 'stride should not be zero' : 'non-positive stride is not supported';
    if (arg === 'dilationRate') return `dilation should be greater than zero, but got ${show(a[arg])}`;
    return `${name} should be greater than zero, but got ${name}=${show(a[arg])}`;
  }
  // Keras names the tuple's length: 1 for Conv1D-like, 3 for 3-D layers (the kind's spatialRank, or the call's when a 1-D layer is read as a 2-D one).
  const length = typeof a.spatialRank === 'number' ? a.spatialRank : (layerKind(spec.type)?.spatialRank ?? 2);
  return `The \`${name}\` argument must be a tuple of ${length} integers. Received ${name}=${show(a[arg])}, including values {${bad.map(show).join(', ')}} that do not satisfy \`value > 0\``;
}

function positiveCount({ a, framework, torch }: Checked, arg: string): string | null {
  const v = a[arg];
  if (v === undefined || isCount(v)) return null;
  // PyTorch builds Linear(10, 0) (an empty output); Keras does not.
  if (torch && v === 0 && arg === 'units') return null;
  const name = argumentName(framework, arg);
  if (torch) return `${name} must be a positive integer, got ${name}=${show(v)}`;
  if (arg === 'units') return `Received an invalid value for \`units\`, expected a positive integer. Received: units=${show(v)}`;
  return Number.isInteger(v)
    ? `Invalid value for argument \`${name}\`. Expected a strictly positive value. Received ${name}=${show(v)}.`
    : `Invalid value for argument \`${name}\`. Expected a positive integer. Received ${name}=${show(v)}.`;
}

/** nn.Conv2d's own checks of groups, in its order and words (the input's channels stand for in_channels). */
function torchGroups(groups: unknown, filters: unknown, input: Shape | null): string | null {
  if (groups === undefined || groups === 1) return null;
  if (!isCount(groups)) return 'groups must be a positive integer';
  const channels = input?.[input.length - 1] ?? null;
  if (typeof channels === 'number' && channels % (groups as number) !== 0) return 'in_channels must be divisible by groups';
  if (typeof filters === 'number' && filters % (groups as number) !== 0) return 'out_channels must be divisible by groups';
  return null;
}

function paddingMode(padding: unknown, framework: Framework): string | null {
  if (padding === undefined || padding === 'same' || padding === 'valid') return null;
  if (framework === 'pytorch') return `Invalid padding string '${String(padding)}', should be one of {'valid', 'same'}`;
  return `The \`padding\` argument must be a list/tuple or one of {'same', 'valid'}. Received: ${String(padding)}`;
}

/** A reshape must keep the element count; at most one −1 may stand for the rest. */
function reshapeReason(target: unknown, framework: Framework, input: Shape | null): string | null {
  if (!Array.isArray(target)) return null;
  // The Keras reader hands tfjs a -1 as null (tfjs' spelling of the inferred size): it is the code's -1.
  const dims = (target as unknown[]).map((d) => (d === null ? -1 : d));
  if (dims.some((d) => typeof d !== 'number' || !Number.isInteger(d) || (d < 1 && d !== -1))) {
    return framework === 'pytorch' ? `invalid shape dimension in ${show(dims)}` : `Received an invalid target_shape=${show(dims)}: dimensions must be positive integers or -1`;
  }
  const unknowns = dims.filter((d) => d === -1).length;
  if (unknowns > 1) return framework === 'pytorch' ? 'only one dimension can be inferred' : `There must be at most one unknown dimension (-1) in \`target_shape\`. Received: target_shape=${show(dims)}.`;
  if (input === null || input.some((d) => d === null)) return null;
  const size = (input as number[]).reduce((x, y) => x * y, 1);
  const known = (dims as number[]).filter((d) => d !== -1).reduce((x, y) => x * y, 1);
  const fits = unknowns === 1 ? size % known === 0 : size === known;
  if (fits) return null;
  if (framework === 'pytorch') return `shape '[1, ${dims.join(', ')}]' is invalid for input of size ${size}`;
  return `The total size of the tensor must be unchanged. Received: input_shape=${show(input)}, target_shape=${show(dims)}`;
}
