/**
 * 1-D tensors of numbers the code computes from constants: `torch.linspace(0, drop_path_rate, depth)` (timm's
 * calculate_drop_path_rates, then `.split(depths)`, `.tolist()`, `x.item()`). They set drop-path rates, never
 * shapes; the values are float32 as PyTorch's default dtype makes them (its vectorised kernel can differ in the last bit).
 */
import { Builtin, numeric, pyFloat, PyList, PyTuple, Unknown, type Value } from './values';

/** A float32 vector; as a sequence its items are the numbers, floats (iterating a tensor gives its 0-d elements). */
export class ConstVector extends PyList {
  constructor(readonly values: number[]) {
    super(values.map(pyFloat));
  }
}

/** torch.linspace of numbers; undefined for any other path. */
export function callConstantTensor(path: string, args: Value[], kwargs: Map<string, Value>, maxSize: number): Value | undefined {
  if (path !== 'torch.linspace') return undefined;
  if (kwargs.has('dtype')) return new Unknown(`${path}(dtype=…)`);
  const nums = args.map((a) => { const n = numeric(a); return n && Number.isFinite(n.value) ? n.value : null; });
  if (nums.some((n) => n === null)) return new Unknown(`${path}() of values the reader could not evaluate`);
  const [a, b, c] = nums as number[];
  const steps = c ?? (typeof kwargs.get('steps') === 'number' ? (kwargs.get('steps') as number) : undefined);
  if (a === undefined || b === undefined || steps === undefined || !Number.isInteger(steps) || steps < 0 || steps > maxSize) return new Unknown('torch.linspace()');
  return new ConstVector(linspace(a, b, steps));
}

/** PyTorch's CPU linspace: from the start for the first half, from the end for the rest, in float32. */
function linspace(from: number, to: number, steps: number): number[] {
  const f = Math.fround;
  const [start, end] = [f(from), f(to)];
  if (steps === 1) return [start];
  const step = f(f(end - start) / (steps - 1));
  const half = Math.floor(steps / 2);
  return Array.from({ length: steps }, (_, i) => (i < half ? f(start + f(step * i)) : f(end - f(step * (steps - i - 1)))));
}

/** The methods of such a vector the reader follows: tolist(), item() of one element, split(size | sizes). */
export function constVectorMethod(v: ConstVector, name: string): Value | undefined {
  const items = v.values;
  if (name === 'tolist') return new Builtin(name, () => new PyList(items.map(pyFloat)));
  if (name === 'item') return new Builtin(name, () => (items.length === 1 ? pyFloat(items[0]!) : new Unknown('item() of a tensor of more than one element')));
  if (name === 'split') {
    return new Builtin(name, ([, spec]) => {
      const sizes = typeof spec === 'number' && Number.isInteger(spec) && spec > 0 ? Array.from({ length: Math.ceil(items.length / spec) }, (_, i) => Math.min(spec, items.length - i * spec)) : spec instanceof PyList || spec instanceof PyTuple ? spec.items : null;
      if (!sizes || !sizes.every((s) => typeof s === 'number' && Number.isInteger(s) && s >= 0) || (typeof spec !== 'number' && (sizes as number[]).reduce((x, y) => x + y, 0) !== items.length)) return new Unknown('split() of a vector');
      let at = 0;
      return new PyTuple((sizes as number[]).map((s) => new ConstVector(items.slice(at, (at += s)))));
    });
  }
  return undefined;
}
