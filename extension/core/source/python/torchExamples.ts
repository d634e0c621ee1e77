/**
 * An example input the file's own code shapes before feeding it (`torch.randn(3, 50, 60).unsqueeze(0)`, the
 * sentdex tutorial's `torch.randn(50, 50).view(-1, 1, 50, 50)`, an HWC image `.permute(2, 0, 1).unsqueeze(0)`):
 * the result is again an example input, of the sizes the method gives, as PyTorch computes them. Not on a
 * tensor fed to a module, inside its code: there the same methods are layers of the model.
 */
import type { TensorRef } from '../trace';
import type { PythonInterpreter } from './interpreter';
import { exampleDims, exampleTensor, frameworkSizes, reshapeSizes } from './shapes';
import { Builtin, isSeq, PyObj, Unknown, type Value } from './values';

/** Methods that return the same sizes (a dtype or device change, a copy). */
const SAME_SIZES = new Set(['float', 'double', 'half', 'cuda', 'cpu', 'to', 'contiguous', 'clone', 'detach', 'requires_grad_']);

/** Tensors the code fed to a module: inside that module's code, their methods are the model's layers. */
const fed = new WeakSet<TensorRef>();

export function markFedToModule(t: TensorRef): void {
  fed.add(t);
}

export function exampleInputMethod(it: PythonInterpreter, t: TensorRef, name: string): Value | undefined {
  // A dummy input a constructor makes (`self.convs(torch.randn(50, 50).view(-1, 1, 50, 50))`) is shaped the same way.
  if (t.trace.framework !== 'pytorch' || (fed.has(t) && it.frames.some((f) => f.self instanceof PyObj && f.self.cls.kind !== 'plain'))) return undefined;
  const dims = exampleDims(t);
  if (!dims) return undefined;
  const example = (sizes: number[] | null, why: string): Value => (sizes ? exampleTensor(it, sizes, 'pytorch') : new Unknown(why));
  const sizesOf = (args: Value[]): Value[] => (args.length === 1 && isSeq(args[0]!) ? args[0].items : args);
  if (SAME_SIZES.has(name)) return new Builtin(name, () => t);
  switch (name) {
    case 'unsqueeze':
      return new Builtin(name, ([, d], kw) => {
        const axis = d ?? kw.get('dim');
        const at = typeof axis === 'number' && Number.isInteger(axis) ? (axis < 0 ? axis + dims.length + 1 : axis) : -1;
        return example(at >= 0 && at <= dims.length ? [...dims.slice(0, at), 1, ...dims.slice(at)] : null, 'unsqueeze of an example input at a dim the reader could not evaluate');
      });
    case 'view':
    case 'reshape':
      return new Builtin(name, ([, ...args]) => {
        const sizes = reshapeSizes(dims.reduce((a, b) => a * b, 1), sizesOf(args));
        return example(Array.isArray(sizes) ? sizes : null, `a ${name} of an example input of sizes (${dims.join(', ')}) the reader could not evaluate`);
      });
    case 'permute':
      return new Builtin(name, ([, ...args]) => {
        const order = sizesOf(args).map((d) => (typeof d === 'number' && d < 0 ? d + dims.length : d));
        const valid = order.length === dims.length && order.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0 && d < dims.length) && new Set(order).size === dims.length;
        return example(valid ? order.map((d) => dims[d as number]!) : null, 'a permute of an example input the reader could not evaluate');
      });
    case 'repeat':
      return new Builtin(name, ([, ...args]) => {
        const reps = sizesOf(args);
        if (reps.length < dims.length || !reps.every((r) => typeof r === 'number' && Number.isInteger(r) && r >= 0)) return new Unknown('a repeat of an example input the reader could not evaluate');
        const padded = [...Array(reps.length - dims.length).fill(1), ...dims] as number[];
        return example(padded.map((d, i) => d * (reps[i] as number)), '');
      });
    default:
      return undefined;
  }
}

/**
 * `x[i]` on a tensor computed from a dummy input the file makes (a constructor's `x[0].shape[0] * …` to size the
 * Linear after the convolutions): one sample, of x's sizes after the first, whose values are not needed. Only on
 * such a tensor (its trace is the file's own example, never the model's analysis); undefined otherwise.
 */
export function indexDummyTensor(it: PythonInterpreter, t: TensorRef, index: Value): Value | undefined {
  if (t.trace.framework !== 'pytorch' || t.trace.example === null || typeof index !== 'number' || !Number.isInteger(index)) return undefined;
  const sizes = frameworkSizes(t);
  if (!sizes || !sizes.every((d): d is number => typeof d === 'number')) return undefined;
  const batch = sizes[0]!;
  if (index >= batch || index < -batch) return new Unknown(`index ${index} is out of bounds for dimension 0 with size ${batch}`);
  return exampleTensor(it, sizes.slice(1), 'pytorch');
}
