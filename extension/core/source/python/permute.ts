/**
 * PyTorch's permute and transpose of a tensor (`x.permute(0, 2, 3, 1)`, `torch.permute(x, dims)`,
 * `x.transpose(1, 2)`): a tfjs Permute layer (no weights, no MACs) computes the new shape, with the dims
 * translated through the engine's layout (torchAxes.ts). A function call, not a module: PyTorch's hooks see
 * no row for it (torchvision's Permute module is a user module whose forward calls torch.permute).
 */
import type { SyntaxNode } from '../syntax';
import type { TensorRef } from '../trace';
import { enginePermuteDims } from '../torchAxes';
import type { PythonInterpreter } from './interpreter';
import { isSeq, type PyList, type Value } from './values';

/** `x.permute(*order)` / `x.permute(order)`; `order` with the batch dim, as PyTorch takes it. */
export function permuteTensor(it: PythonInterpreter, t: TensorRef, order: Value[], node: SyntaxNode): Value {
  const list = order.length === 1 && isSeq(order[0]!) ? (order[0] as PyList).items : order;
  if (t.rank === null) return it.opaque(t, 'a permute of a tensor whose rank is unknown', node);
  if (!list.every((d): d is number => typeof d === 'number')) return it.opaque(t, 'a permute whose dims the reader could not evaluate', node);
  const dims = enginePermuteDims(list, t.rank);
  if (dims === null) return it.opaque(t, `permute(${list.join(', ')}) of a tensor with ${t.rank + 1} dims (or one that moves the batch)`, node);
  if (dims.every((d, i) => d === i + 1)) return t; // the identity order: the same tensor
  return t.trace.emit({ name: it.scopedName('permute'), sourceType: 'permute', source: it.loc(node) }, { parts: [{ type: 'Permute', args: { dims } }] }, [t]);
}

/** `x.transpose(a, b)` / `torch.transpose(x, a, b)`: the permute that swaps two dims. */
export function transposeTensor(it: PythonInterpreter, t: TensorRef, a: Value, b: Value, node: SyntaxNode): Value {
  if (t.rank === null || typeof a !== 'number' || typeof b !== 'number') return it.opaque(t, 'a transpose the reader could not evaluate', node);
  const full = t.rank + 1;
  const order = Array.from({ length: full }, (_, i) => i);
  const [i, j] = [a < 0 ? a + full : a, b < 0 ? b + full : b];
  if (i < 0 || j < 0 || i >= full || j >= full) return it.opaque(t, `transpose(${a}, ${b}) of a tensor with ${full} dims`, node);
  [order[i], order[j]] = [order[j]!, order[i]!];
  return permuteTensor(it, t, order, node);
}
