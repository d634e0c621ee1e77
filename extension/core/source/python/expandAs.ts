/**
 * tensor.expand_as(other): a view of the tensor with other's size, each size-1 dim repeated (squeeze-and-excite
 * blocks' `x * y.expand_as(x)` on a (N, C, 1, 1) gate). No weights, no MACs: the layer has only a shape.
 * PyTorch refuses a dim that is neither 1 nor other's size; that is reported, never a guessed shape.
 */
import type { SyntaxNode } from '../syntax';
import type { TensorRef } from '../trace';
import { OPAQUE_LAMBDA } from '../../tfjs/statedShapeLayer';
import type { PythonInterpreter } from './interpreter';
import { isTensor, type Value } from './values';

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
