/**
 * PyTorch's `torch.stack(tensors, dim)` and reductions over named dims (`x.sum(1)`, `torch.sum(x, dim=1)`,
 * `x.sum(dim=1, keepdim=True)`, a mean the pooling layers do not cover): timm's SKNet stacks its branch outputs
 * into (N, paths, C, H, W), sums over the paths and weights them by a softmax over dim 1. The new sizes are
 * worked out in PyTorch's order, then held in the engine's layout (torchAxes.ts) by one layer each
 * (tfjs/customLayers/stackAndReduce.ts). Tensors of unequal or unknown sizes, a dim at or before the batch, or a
 * result past the engine's layouts (or of a size not known) are unknown with why; a dim out of range is
 * PyTorch's own error.
 */
import type { SyntaxNode } from '../syntax';
import { type LayerPart, type TensorRef, UNKNOWN_LAYER } from '../trace';
import { engineAxisOfTorchDim } from '../torchAxes';
import { toFrameworkShape } from '../../report/shapes';
import type { PythonInterpreter } from './interpreter';
import { engineShape, RULES } from './squeeze';
import { isSeq, isTensor, PyTuple, Unknown, type Value } from './values';

type Sizes = (number | null)[];

/** An unknown row that says why (an error at the line when PyTorch itself raises). */
function unknownRow(it: PythonInterpreter, t: TensorRef, fn: string, why: string, node: SyntaxNode, raises = false): TensorRef {
  if (raises) it.report('error', 'invalid', why, node);
  return t.trace.emit({ name: it.scopedName(fn), sourceType: fn, source: it.loc(node) }, { parts: [{ type: UNKNOWN_LAYER, args: { reason: why } }] }, [t]);
}

/** The engine layout of a sample of `sizes` (no batch); null when the engine cannot hold it or a size is unknown. */
function layoutOf(t: TensorRef, sizes: Sizes): number[] | null {
  const target = sizes.length === 0 ? null : engineShape(t, sizes);
  return target === null || target.some((d) => d === null) ? null : (target as number[]);
}

/** torch.stack(tensors, dim): a new dim of size len(tensors) at `dim` of tensors of one shape. */
export function stackTensors(it: PythonInterpreter, tensors: TensorRef[], dim: number, node: SyntaxNode): TensorRef {
  const first = tensors[0]!;
  const fn = 'torch.stack';
  if (first.trace.framework !== 'pytorch') return it.opaque(first, `${fn} of tensors that are not PyTorch's`, node);
  const shapes = tensors.map((t) => toFrameworkShape('pytorch', t.shape)?.slice(1) ?? null);
  const sizes = shapes[0];
  if (!sizes || shapes.some((s) => s === null || s.some((d) => d === null))) return unknownRow(it, first, fn, `${fn} of tensors whose sizes are not all known`, node);
  const other = shapes.findIndex((s) => s!.join() !== sizes.join());
  if (other > 0) {
    // PyTorch's words (torch 2.13), the batch written N.
    return unknownRow(it, first, fn, `stack expects each tensor to be equal size, but got [N, ${sizes.join(', ')}] at entry 0 and [N, ${shapes[other]!.join(', ')}] at entry ${other}`, node, true);
  }
  const rank = sizes.length + 1;
  if (dim < -rank - 1 || dim > rank) return unknownRow(it, first, fn, RULES.torch.expandRange(dim, rank), node, true);
  const at = dim < 0 ? dim + rank + 1 : dim;
  if (at === 0) return unknownRow(it, first, fn, `${fn} at dim ${dim} puts the new dim before the batch, which the report cannot show`, node);
  const out = [...sizes.slice(0, at - 1), tensors.length, ...sizes.slice(at - 1)];
  const targetShape = layoutOf(first, out);
  if (targetShape === null) return unknownRow(it, first, fn, `${fn} gives sizes (N, ${out.join(', ')}), which the reader cannot lay out`, node);
  const parts: LayerPart[] = [{ type: 'Stack', args: { targetShape }, merge: true }];
  return first.trace.emit({ name: it.scopedName('stack'), sourceType: fn, source: it.loc(node) }, { parts }, tensors);
}

export type ReduceMode = 'sum' | 'mean' | 'max' | 'min';

/**
 * `x.sum(dim, keepdim)` and the like over the dims named (an int or a tuple of them): undefined when no dim is
 * named (a 0-d result, for the caller's own handling).
 */
export function reduceOverDims(it: PythonInterpreter, t: TensorRef, mode: ReduceMode, dims: Value, keepdim: Value, node: SyntaxNode): TensorRef | undefined {
  if (dims === null || dims === undefined) return undefined;
  const fn = mode;
  const list = isSeq(dims) ? dims.items : [dims];
  if (list.length === 0 || !list.every((d): d is number => typeof d === 'number' && Number.isInteger(d))) return it.opaque(t, `a ${fn} over dims the reader could not evaluate`, node);
  if (typeof keepdim !== 'boolean') return it.opaque(t, `a ${fn} whose keepdim the reader could not evaluate`, node);
  if (t.trace.framework !== 'pytorch') return it.opaque(t, `a ${fn} over dims of a tensor that is not PyTorch's`, node);
  const full = toFrameworkShape('pytorch', t.shape);
  if (full === null) return it.opaque(t, `a ${fn} of a tensor whose shape is unknown`, node);
  const rank = full.length;
  const which: number[] = [];
  for (const d of list) {
    if (d < -rank || d >= rank) return unknownRow(it, t, fn, `Dimension out of range (expected to be in range of [${-rank}, ${rank - 1}], but got ${d})`, node, true);
    const i = d < 0 ? d + rank : d;
    if (which.includes(i)) return unknownRow(it, t, fn, `dim ${i} appears multiple times in the list of dims`, node, true);
    which.push(i);
  }
  if (which.includes(0)) return unknownRow(it, t, fn, `a ${fn} over the batch dim, which the report cannot show`, node);
  const sample = full.slice(1);
  const out = keepdim ? sample.map((d, i) => (which.includes(i + 1) ? 1 : d)) : sample.filter((_, i) => !which.includes(i + 1));
  const targetShape = layoutOf(t, out);
  const axes = which.map((d) => engineAxisOfTorchDim(d, sample.length));
  if (targetShape === null || axes.some((a) => a === null)) return unknownRow(it, t, fn, `a ${fn} giving sizes (N, ${out.map((d) => d ?? '?').join(', ')}), which the reader cannot lay out`, node);
  const parts: LayerPart[] = [{ type: 'AxisReduce', args: { axes: axes.map((a) => a! + 1), mode, targetShape } }];
  return t.trace.emit({ name: it.scopedName(fn), sourceType: fn, source: it.loc(node) }, { parts }, [t]);
}

/**
 * torch.max(x, dim, keepdim=False) / x.min(dim) and torch.amax(x, dim) / x.amin(dims): over a named dim the
 * reduction is reduceOverDims's. max/min return (values, indices), CBAM's `max_out, _ = torch.max(x, dim=1,
 * keepdim=True)`; the indices are not followed (unknown). Undefined when no dim is named (the 0-d max of every
 * element) or the second argument is a tensor (the elementwise maximum of two), for the caller's own handling.
 */
export function extremeOverDim(it: PythonInterpreter, t: TensorRef, fn: 'max' | 'min' | 'amax' | 'amin', rest: readonly Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value | undefined {
  const dims = rest[0] ?? kwargs.get('dim') ?? null;
  if (dims === null || isTensor(dims) || kwargs.has('other')) return undefined;
  const mode = fn === 'max' || fn === 'amax' ? 'max' : 'min';
  const values = reduceOverDims(it, t, mode, dims, rest[1] ?? kwargs.get('keepdim') ?? false, node);
  if (values === undefined) return undefined;
  if (fn === 'amax' || fn === 'amin') return values;
  // One dim only (torch.max(x, (1, 2)) raises); the values and their indices.
  if (isSeq(dims)) return new Unknown(`torch.${fn} over a tuple of dims`);
  return new PyTuple([values, new Unknown(`the indices torch.${fn} returns`)]);
}
