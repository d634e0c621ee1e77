/**
 * Slicing a tensor along one axis with constant bounds (`x[:, :c, :, :]`, `x[..., a:b]`): ShuffleNet's channel
 * split, Keras's `x[:, :, :, :16]`. It becomes the engine's ChannelSlice, with Python's slice semantics on the
 * axis length tfjs gives; slices of several axes, and positive steps (YOLOv5's Focus: x[..., ::2, 1::2]), are one
 * ChannelSlice each in one row. Anything else (a negative step, an integer index among other slices) stays opaque.
 */
import type { SyntaxNode } from '../syntax';
import type { LayerPart, TensorRef } from '../trace';
import type { PythonInterpreter } from './interpreter';
import type { Scope } from './scope';
import { PyList, PyTuple, type Value } from './values';

interface SliceBounds {
  start: Value | undefined;
  stop: Value | undefined;
  step: Value | undefined;
}

/** One subscript element: a slice's bounds, an ellipsis, an integer index, or null for anything else. */
function parse(it: PythonInterpreter, sub: SyntaxNode, scope: Scope): SliceBounds | 'ellipsis' | { index: number } | null {
  if (sub.type === 'ellipsis') return 'ellipsis';
  if (sub.type !== 'slice') {
    const v = it.eval(sub, scope);
    return typeof v === 'number' && Number.isInteger(v) ? { index: v } : null;
  }
  const parts: (Value | undefined)[] = [undefined, undefined, undefined];
  let slot = 0;
  for (const c of sub.children) {
    if (!c.named && it.text(c) === ':') slot++;
    else if (c.named) parts[slot] = it.eval(c, scope);
  }
  return { start: parts[0], stop: parts[1], step: parts[2] };
}

const isFull = (b: SliceBounds): boolean => [b.start, b.stop, b.step].every((v) => v === undefined || v === null);

/** The tensor the subscript selects, or null when it is not a one-axis constant slice the engine can express. */
export function sliceTensor(it: PythonInterpreter, t: TensorRef, subs: readonly SyntaxNode[], node: SyntaxNode, scope: Scope): TensorRef | null {
  const shape = t.shape;
  if (shape === null) return null;
  const rank = shape.length + 1; // with the batch axis
  const parsed = subs.map((s) => parse(it, s, scope));
  if (parsed.some((p) => p === null)) return null;
  const ellipsis = parsed.indexOf('ellipsis');
  if (parsed.lastIndexOf('ellipsis') !== ellipsis) return null;
  const full: SliceBounds = { start: undefined, stop: undefined, step: undefined };
  const dims = (ellipsis < 0 ? parsed : [...parsed.slice(0, ellipsis), ...Array(rank - parsed.length + 1).fill(full), ...parsed.slice(ellipsis + 1)]) as (SliceBounds | { index: number })[];
  if (dims.length > rank) return null;
  const sliced = dims.map((d, i) => ('index' in d || !isFull(d) ? i : -1)).filter((i) => i >= 0);
  if (sliced.length === 0 || sliced[0] === 0) return null;
  if (sliced.length === 1 && 'index' in dims[sliced[0]!]!) return indexTensor(it, t, sliced[0]!, (dims[sliced[0]!] as { index: number }).index, node);
  // One ChannelSlice per sliced axis, in one row: YOLOv5's Focus takes x[..., ::2, ::2], x[..., 1::2, ::2], ….
  const parts: LayerPart[] = [];
  for (const axis of sliced) {
    const picked = dims[axis]!;
    if ('index' in picked) return null;
    const part = slicePart(t, rank, axis, picked);
    if (part === null) return null;
    parts.push({ ...part, suffix: 'slice' });
  }
  return t.trace.emit({ name: it.scopedName('slice'), sourceType: 'slice', source: it.loc(node) }, { parts }, [t]);
}

/** Python's slice `start:stop:step` (a positive step) of one axis as a ChannelSlice; null when it is not constant or is empty. */
function slicePart(t: TensorRef, rank: number, axis: number, { start, stop, step }: SliceBounds): LayerPart | null {
  const stride = step === undefined || step === null ? 1 : step;
  if (typeof stride !== 'number' || !Number.isInteger(stride) || stride < 1) return null;
  const okBound = (v: Value | undefined): v is number | null | undefined => v === undefined || v === null || (typeof v === 'number' && Number.isInteger(v));
  if (!okBound(start) || !okBound(stop)) return null;
  // The framework's axis → the engine's channels-last shape (PyTorch N,C,H,W → H,W,C).
  const pytorch = t.trace.framework === 'pytorch';
  const engineAxis = pytorch && rank === 4 ? [0, 3, 1, 2][axis]! : axis;
  const length = t.shape![engineAxis - 1];
  if (length === null || length === undefined) return null;
  const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + length : v, 0), length);
  const begin = clamp(start ?? 0);
  const end = clamp(stop ?? length);
  if (end - begin <= 0) return null;
  return { type: 'ChannelSlice', args: { axis: engineAxis, begin, size: end - begin, ...(stride === 1 ? {} : { step: stride }) } };
}


/**
 * `x[:, :, :, :, i]` of a Keras tensor: the one position along that axis, the axis dropped (a ChannelSlice of
 * size 1 and a Reshape without it). PyTorch's layout moves axes when the rank changes, so there it stays opaque.
 */
function indexTensor(it: PythonInterpreter, t: TensorRef, axis: number, index: number, node: SyntaxNode): TensorRef | null {
  const shape = t.shape!;
  if (t.trace.framework === 'pytorch' || shape.length < 2) return null;
  const length = shape[axis - 1];
  if (length === null || length === undefined || !shape.every((d) => d !== null)) return null;
  const at = index < 0 ? index + length : index;
  if (at < 0 || at >= length) return null; // Python's IndexError
  const rest = shape.filter((_, i) => i !== axis - 1) as number[];
  return t.trace.emit(
    { name: it.scopedName('index'), sourceType: 'index', source: it.loc(node) },
    { parts: [{ type: 'ChannelSlice', args: { axis, begin: at, size: 1 }, suffix: 'slice' }, { type: 'Reshape', args: { targetShape: rest } }] },
    [t],
  );
}

/**
 * x.chunk(n, dim) and x.split(size | sizes, dim) (PyTorch): a tuple of ChannelSlices. chunk gives pieces of
 * ceil(L / n), the last one shorter; split an int gives pieces of that size, a list the sizes it names.
 */
export function splitTensor(it: PythonInterpreter, t: TensorRef, how: 'chunk' | 'split', spec: Value, dimValue: Value, node: SyntaxNode): Value | null {
  const shape = t.shape;
  if (shape === null || t.trace.framework !== 'pytorch') return null;
  const rank = shape.length + 1;
  const dim = typeof dimValue === 'number' && Number.isInteger(dimValue) ? (dimValue < 0 ? dimValue + rank : dimValue) : null;
  if (dim === null || dim < 1 || dim >= rank) return null;
  const engineAxis = rank === 4 ? [0, 3, 1, 2][dim]! : dim;
  const length = shape[engineAxis - 1];
  if (length === null || length === undefined) return null;
  let sizes: number[];
  if (how === 'chunk') {
    if (typeof spec !== 'number' || !Number.isInteger(spec) || spec < 1) return null;
    const size = Math.ceil(length / spec);
    sizes = [];
    for (let at = 0; at < length; at += size) sizes.push(Math.min(size, length - at));
  } else if (typeof spec === 'number' && Number.isInteger(spec) && spec > 0) {
    sizes = [];
    for (let at = 0; at < length; at += spec) sizes.push(Math.min(spec, length - at));
  } else if (spec instanceof PyList || spec instanceof PyTuple) {
    if (!spec.items.every((s) => typeof s === 'number' && Number.isInteger(s) && s >= 0)) return null;
    sizes = spec.items as number[];
    // PyTorch: "split_with_sizes expects split_sizes to sum exactly to" the length.
    if (sizes.reduce((a, b) => a + b, 0) !== length) return null;
  } else return null;
  let begin = 0;
  const pieces = sizes.map((size) => {
    const piece = t.trace.emit(
      { name: it.scopedName(how), sourceType: how, source: it.loc(node) },
      { parts: [{ type: 'ChannelSlice', args: { axis: engineAxis, begin, size } }] },
      [t],
    );
    begin += size;
    return piece;
  });
  return new PyTuple(pieces);
}
