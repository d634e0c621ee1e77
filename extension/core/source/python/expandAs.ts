/**
 * tensor.expand_as(other): a view of the tensor with other's size, each size-1 dim repeated (squeeze-and-excite
 * blocks' `x * y.expand_as(x)` on a (N, C, 1, 1) gate). No weights, no MACs: the layer has only a shape.
 * PyTorch refuses a dim that is neither 1 nor other's size; that is reported, never a guessed shape.
 */
import type { SyntaxNode } from '../syntax';
import type { TensorRef } from '../trace';
import { OPAQUE_LAMBDA } from '../../tfjs/statedShapeLayer';
import type { PythonInterpreter } from './interpreter';
import { BatchDim, isSeq, isTensor, type PyTuple, type Value } from './values';
import { engineAxisOfTorchDim } from '../torchAxes';

export function expandAs(it: PythonInterpreter, t: TensorRef, other: Value | undefined, node: SyntaxNode): Value {
  if (other === undefined || !isTensor(other)) return it.opaque(t, 'expand_as() of a value that is not a tensor the reader knows', node);
  const from = t.shape;
  const to = other.shape;
  if (from === null || to === null || from.some((d) => d === null) || to.some((d) => d === null)) return it.opaque(t, 'expand_as() of a tensor whose shape is unknown', node);
  if (from.length !== to.length) return it.opaque(t, 'expand_as() to a tensor of another rank', node);
  for (let i = 0; i < from.length; i++) {
    if (from[i] !== 1 && from[i] !== to[i]) {
      return it.opaque(t, `PyTorch raises RuntimeError: the expanded size of the tensor (${to[i]}) must match the existing size (${from[i]}) at a non-singleton dimension`, node);
    }
  }
  if (from.every((d, i) => d === to[i])) return t;
  return t.trace.emit({ name: it.scopedName('expand_as'), sourceType: 'expand_as', source: it.loc(node) }, { parts: [{ type: OPAQUE_LAMBDA, args: { outputShape: [...to] } }] }, [t]);
}

/**
 * tensor.expand(*sizes) (sizes with the batch, PyTorch's order; -1 keeps a dim): `g.expand(-1, -1, h, w)` of a
 * (N, C, 1, 1) gate. The batch must be kept (-1, or the tensor's own x.size(0)).
 */
export function expandTo(it: PythonInterpreter, t: TensorRef, sizes: readonly Value[], node: SyntaxNode): Value {
  const list = sizes.length === 1 && isSeq(sizes[0] ?? null) ? (sizes[0] as PyTuple).items : sizes;
  const from = t.shape;
  if (from === null || from.some((d) => d === null) || t.trace.framework !== 'pytorch') return it.opaque(t, 'expand() of a tensor whose shape is unknown', node);
  const rank = from.length;
  if (list.length !== rank + 1) return it.opaque(t, `expand() to ${list.length} sizes of a tensor of rank ${rank + 1}`, node);
  const batch = list[0];
  if (batch !== -1 && !(batch instanceof BatchDim)) return it.opaque(t, 'expand() of the batch dim to a size the reader cannot tell is the batch', node);
  const out = [...from] as number[];
  for (let dim = 1; dim <= rank; dim++) {
    const axis = engineAxisOfTorchDim(dim, rank);
    const want = list[dim];
    if (axis === null || typeof want !== 'number' || !Number.isInteger(want)) return it.opaque(t, 'expand() to a size the reader could not evaluate', node);
    const have = from[axis]!;
    if (want === -1) continue;
    if (have !== 1 && have !== want) return it.opaque(t, `PyTorch raises RuntimeError: the expanded size of the tensor (${want}) must match the existing size (${have}) at non-singleton dimension ${dim}`, node);
    out[axis] = want;
  }
  if (out.every((d, i) => d === from[i])) return t;
  return t.trace.emit({ name: it.scopedName('expand'), sourceType: 'expand', source: it.loc(node) }, { parts: [{ type: OPAQUE_LAMBDA, args: { outputShape: out } }] }, [t]);
}
