/**
 * Reductions of the constant tensors of constTensors.ts (timm's RegNet: `len(torch.unique(widths))`,
 * `torch.unique(torch.tensor(widths), return_counts=True)`, `int(width_exps.max().item()) + 1`), as PyTorch 2.13
 * gives them on a CPU: max/min/sum of the whole tensor are 0-d, an integer sum is int64, unique values come
 * sorted with int64 counts and inverse indices. A dim= or a flag the reader does not model is unknown.
 */
import { ConstTensor, make } from './constTensors';
import { PyTuple, Unknown, type Value } from './values';

/** t.max() / t.min() / torch.max(t): a 0-d tensor of t's dtype; with a dim or a second tensor, not followed. */
export function extreme(name: 'max' | 'min', t: ConstTensor, rest: Value[], kwargs: Map<string, Value>): Value {
  if (rest.length > 0 || kwargs.size > 0) return new Unknown(`${name}() of a constant tensor along a dim or with another tensor`);
  if (t.values.length === 0) return new Unknown(`${name}() of an empty tensor`);
  return make([name === 'max' ? Math.max(...t.values) : Math.min(...t.values)], t.dtype, true, t.lib);
}

/** t.sum(): 0-d; integer tensors (int32 too) sum to int64, as torch.sum promotes them. */
export function sum(t: ConstTensor): Value {
  // NumPy sums float64 pairwise in blocks: the order, and so the last bit, is its own unless every value is whole.
  if (t.dtype === 'float64' && !t.values.every(Number.isInteger)) return new Unknown('the sum of a float NumPy array (its pairwise order is not followed)');
  const total = make([t.values.reduce((a, b) => a + b, 0)], t.dtype === 'float32' || t.dtype === 'float64' ? t.dtype : 'int64', true, t.lib);
  return total;
}

const UNIQUE_PARAMS = ['sorted', 'return_inverse', 'return_counts', 'dim'];

/**
 * torch.unique(t, sorted=True, return_inverse=False, return_counts=False, dim=None): the distinct values in
 * ascending order; with the flags, a tuple (values, inverse?, counts?). sorted=False (an order PyTorch does not
 * promise) and a dim are not followed.
 */
export function unique(t: ConstTensor, rest: Value[], kwargs: Map<string, Value>): Value {
  const given = new Map<string, Value>();
  rest.forEach((v, i) => given.set(UNIQUE_PARAMS[i] ?? `#${i}`, v));
  for (const [k, v] of kwargs) given.set(k, v);
  const flag = (k: string, fallback: boolean): boolean | null => {
    const v = given.has(k) ? given.get(k) : fallback;
    return typeof v === 'boolean' ? v : null;
  };
  const [sorted, inverse, counts] = [flag('sorted', true), flag('return_inverse', false), flag('return_counts', false)];
  const dim = given.get('dim');
  if ([...given.keys()].some((k) => !UNIQUE_PARAMS.includes(k)) || sorted !== true || inverse === null || counts === null || (dim !== undefined && dim !== null)) {
    return new Unknown('torch.unique with arguments the reader does not model');
  }
  const values = [...new Set(t.values)].sort((a, b) => a - b);
  const uniqueValues = make(values, t.dtype, false, t.lib);
  if (!inverse && !counts) return uniqueValues;
  const out: Value[] = [uniqueValues];
  if (inverse) out.push(make(t.values.map((v) => values.indexOf(v)), 'int64', t.zeroDim, t.lib));
  if (counts) out.push(make(values.map((u) => t.values.filter((v) => v === u).length), 'int64', false, t.lib));
  return new PyTuple(out);
}
