/**
 * A tensor's sizes as the code sees them, from the shape tfjs computed while the code was read: PyTorch
 * `x.shape` / `x.size()` in (N, C, H, W) order with N the batch, Keras `x.shape` / `int_shape(x)` in
 * (None, H, W, C) order. A size that is not known is an Unknown that says why, so a condition on it names
 * the reason instead of picking a branch.
 */
import { INPUT } from '../../spec';
import type { TensorRef } from '../trace';
import { engineAxisOfTorchDim } from '../torchAxes';
import type { PythonInterpreter } from './interpreter';
import { BatchDim, isTensor, PyTuple, Unknown, type Value } from './values';

/** Why a tensor's shape is unknown, for messages ("... is unknown because ..."). */
export function unknownShapeReason(t: TensorRef): string {
  if (t.trace.input === null) return 'the model input size is not known yet';
  const first = t.trace.firstUnknown;
  return first ? `the shape after ${first} is unknown` : 'the reader could not follow this tensor';
}

/** The batch size: a number for a dummy tensor the code made (torch.zeros(2, 3, 32, 32)), else the batch axis. */
function batchOf(t: TensorRef): Value {
  const example = t.trace.example;
  return example !== null && example.length > 0 ? example[0]! : t.trace.framework === 'pytorch' ? new BatchDim() : null;
}

/** The sizes in the framework's order, batch first; null when the rank itself is unknown. */
export function frameworkSizes(t: TensorRef): Value[] | null {
  const shape = t.shape;
  if (shape === null) return null;
  const dims: Value[] = shape.map((d) => (d === null ? new Unknown(`a size of ${describe(t)} that tfjs leaves open`) : d));
  // Engine (H, W, C) is PyTorch's (C, H, W), engine (D, H, W, C) a clip's (C, D, H, W): torchAxes.ts's one mapping.
  const ordered = t.trace.framework === 'pytorch' && dims.length >= 3 ? dims.map((_, i) => dims[engineAxisOfTorchDim(i + 1, dims.length)!]!) : dims;
  return [batchOf(t), ...ordered];
}

function describe(t: TensorRef): string {
  return t.name === INPUT ? 'the input' : `the output of ${t.name}`;
}

/** `x.shape`, `x.size()`, `int_shape(x)`: a tuple of sizes, or Unknown with the reason. */
export function shapeTuple(t: TensorRef): Value {
  const sizes = frameworkSizes(t);
  return sizes === null ? new Unknown(`the shape of ${describe(t)} is unknown because ${unknownShapeReason(t)}`) : new PyTuple(sizes);
}

/** `x.size(i)` / `x.shape[i]`. */
export function sizeAt(t: TensorRef, index: Value): Value {
  if (typeof index !== 'number' || !Number.isInteger(index)) return new Unknown('a tensor size at an index the reader could not evaluate');
  const sizes = frameworkSizes(t);
  if (sizes === null) {
    if (index === 0 || (index === -4 && t.trace.framework === 'pytorch')) return batchOf(t);
    return new Unknown(`size ${index} of ${describe(t)} is unknown because ${unknownShapeReason(t)}`);
  }
  const i = index < 0 ? sizes.length + index : index;
  return i >= 0 && i < sizes.length ? sizes[i]! : new Unknown(`dimension ${index} is out of range for a tensor of rank ${sizes.length}`);
}

/** `x.dim()`, `x.ndim`, `len(x.shape)`: the rank with the batch axis. */
export function rankOf(t: TensorRef): Value {
  const sizes = frameworkSizes(t);
  return sizes === null ? new Unknown(`the rank of ${describe(t)} is unknown because ${unknownShapeReason(t)}`) : sizes.length;
}

/** `x.numel()`: every size multiplied, batch included (a number only for dummy tensors with a batch size). */
export function numelOf(t: TensorRef): Value {
  const sizes = frameworkSizes(t);
  if (sizes === null) return new Unknown(`the size of ${describe(t)} is unknown because ${unknownShapeReason(t)}`);
  let n = 1;
  for (const d of sizes) {
    if (typeof d !== 'number') return d instanceof BatchDim ? new Unknown('numel() includes the batch size, which the model does not fix') : d instanceof Unknown ? d : new Unknown('numel');
    n *= d;
  }
  return n;
}

/**
 * A tensor the code makes itself (torch.randn(1, 3, 224, 224), np.zeros((1, 28, 28, 1))): a real tensor of its
 * own graph, so layers applied to it have shapes (a flatten size computed with a dummy input), and a model called
 * on it is the file's example run. `dims` are in the framework's order, batch first.
 */
export function exampleTensor(it: PythonInterpreter, dims: number[], framework: 'pytorch' | 'keras'): TensorRef | Unknown {
  if (dims.length < 2 || !dims.every((d) => Number.isInteger(d) && d > 0)) return new Unknown(`a tensor of sizes (${dims.join(', ')})`);
  const rest = dims.slice(1);
  const engine = framework === 'pytorch' && rest.length === 3 ? [rest[1]!, rest[2]!, rest[0]!] : rest;
  return it.newTrace(framework, engine, dims).inputTensor;
}

/** The sizes of a dummy tensor the code made, when `v` is one (not a tensor computed from it). */
export function exampleDims(v: Value | undefined): number[] | null {
  return v !== undefined && isTensor(v) && v.trace.example !== null && v.name === INPUT ? v.trace.example : null;
}

/**
 * The sizes of a reshape of `total` elements (PyTorch's and NumPy's rule: whole sizes, at most one -1 for the
 * rest): 'unreadable' when a size is not one, 'mismatch' when they do not hold `total` elements.
 */
export function reshapeSizes(total: number, sizes: readonly Value[]): number[] | 'unreadable' | 'mismatch' {
  if (!sizes.every((d): d is number => typeof d === 'number' && Number.isInteger(d) && (d > 0 || d === -1)) || sizes.filter((d) => d === -1).length > 1) return 'unreadable';
  const known = sizes.filter((d) => d !== -1).reduce((a, d) => a * d, 1);
  const out = sizes.map((d) => (d === -1 ? total / known : d));
  return out.every((d) => Number.isInteger(d) && d > 0) && out.reduce((a, d) => a * d, 1) === total ? out : 'mismatch';
}
