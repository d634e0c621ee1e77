/**
 * The data around a Keras/TensorFlow tutorial's model, read only for the input it feeds the model (the
 * PyTorch side is dataLoading.ts). `keras.datasets.<name>.load_data()` has arrays of known sizes (MNIST
 * (60000, 28, 28), CIFAR-10 (50000, 32, 32, 3): keras/src/datasets/*.py, Keras 3.15), kept as example tensors
 * (the batch first) through what tutorials do to them: scaling (`/ 255.0`), a channel axis
 * (`x[..., tf.newaxis]`, `np.expand_dims(x, -1)`, `x.reshape(-1, 28, 28, 1)`), `.astype(...)`, and
 * `tf.data.Dataset.from_tensor_slices((x, y)).shuffle(n).batch(b)`, whose loop gives one (b, …) batch. Then
 * `model.fit(x_train, …)` and `model(images)` are the file's example runs, as `model(torch.randn(…))` is.
 * Anything else on the arrays is ordinary tensor code (a layer, or unknown), never a guessed size.
 */
import type { SyntaxNode } from '../syntax';
import type { PythonInterpreter } from './interpreter';
import { BatchLoader } from './dataLoading';
import { exampleDims, exampleTensor, reshapeSizes } from './shapes';
import type { TensorRef } from '../trace';
import { Builtin, isSeq, isTensor, PyClass, PyObj, PyTuple, Unknown, type Value } from './values';

/** (train, test) image arrays of each dataset, batch first, as load_data() returns them. */
const DATASETS: Record<string, [number[], number[]]> = {
  mnist: [[60000, 28, 28], [10000, 28, 28]],
  fashion_mnist: [[60000, 28, 28], [10000, 28, 28]],
  cifar10: [[50000, 32, 32, 3], [10000, 32, 32, 3]],
  cifar100: [[50000, 32, 32, 3], [10000, 32, 32, 3]],
};

const LOAD_DATA = /^(tensorflow\.)?keras\.(src\.)?datasets\.(\w+)\.load_data$/;
const EXPAND_DIMS = new Set(['numpy.expand_dims', 'tensorflow.expand_dims']);
const FROM_TENSOR_SLICES = /^tensorflow\.data\.Dataset\.from_tensor_slices$/;

/** A Keras example array: a tensor the data made (not computed by a layer). */
function exampleOf(v: Value | undefined): { t: TensorRef; dims: number[] } | null {
  if (v === undefined || !isTensor(v) || v.trace.framework === 'pytorch') return null;
  const dims = exampleDims(v);
  return dims ? { t: v, dims } : null;
}

/** Arrays of more axes than a volume batch (N, D, H, W, C) are no model input: not kept as data. */
const MAX_RANK = 5;

function array(it: PythonInterpreter, dims: number[]): Value {
  return dims.length > MAX_RANK ? new Unknown(`an array of ${dims.length} axes`) : exampleTensor(it, dims, 'keras');
}

/** `np.expand_dims(x, axis)`: a new axis of size 1 (negative axes count from the end of the result). */
function expandDims(it: PythonInterpreter, dims: number[], axis: Value | undefined): Value {
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -dims.length - 1 || axis > dims.length) return new Unknown('expand_dims with an axis the reader could not evaluate');
  const at = axis < 0 ? axis + dims.length + 1 : axis;
  if (at === 0) return new Unknown('expand_dims before the batch axis');
  return array(it, [...dims.slice(0, at), 1, ...dims.slice(at)]);
}

/** `x.reshape(-1, 28, 28, 1)` / `x.reshape((60000, 28, 28, 1))`: the same elements, one size possibly -1. */
function reshaped(it: PythonInterpreter, dims: number[], sizes: Value[]): Value {
  const given = sizes.length === 1 && isSeq(sizes[0]!) ? sizes[0].items : sizes;
  const total = dims.reduce((a, d) => a * d, 1);
  const out = reshapeSizes(total, given);
  if (out === 'unreadable') return new Unknown('a reshape of the data the reader could not evaluate');
  if (out === 'mismatch') return new Unknown(`cannot reshape an array of ${total} elements into (${given.join(', ')})`);
  return array(it, out);
}

/** Methods of an example array that keep it the data: `.astype`, `.reshape`; undefined for any other. */
export function exampleArrayMethod(it: PythonInterpreter, t: TensorRef, name: string): Value | undefined {
  const ex = exampleOf(t);
  if (!ex) return undefined;
  if (name === 'astype') return new Builtin(name, () => t);
  if (name === 'reshape') return new Builtin(name, ([, ...sizes]) => reshaped(it, ex.dims, sizes));
  return undefined;
}

/** `x[..., tf.newaxis]` / `x[..., None]` on an example array: a channel axis at the end; undefined otherwise. */
export function indexExampleArray(it: PythonInterpreter, t: TensorRef, subs: readonly SyntaxNode[]): Value | undefined {
  const ex = exampleOf(t);
  if (!ex || subs.length !== 2 || subs[0]!.type !== 'ellipsis') return undefined;
  const last = it.text(subs[1]!).replace(/\s/g, '');
  if (last !== 'None' && !/^(tf|np|numpy|tensorflow)\.newaxis$/.test(last)) return undefined;
  return array(it, [...ex.dims, 1]);
}

/** A tf.data pipeline over example arrays: what one element is, until .batch() makes it a loop of one batch. */
class SlicedDataset extends PyObj {
  constructor(
    readonly element: (number[] | null)[],
    node: SyntaxNode,
  ) {
    super(new PyClass('Dataset', node, [], new Map(), 'plain'));
  }
}

function fromTensorSlices(it: PythonInterpreter, data: Value | undefined, node: SyntaxNode): Value {
  const parts = data instanceof PyTuple ? data.items : data === undefined ? [] : [data];
  if (parts.length === 0) return new Unknown('from_tensor_slices of nothing');
  // Each element is one row of each array; labels and arrays the reader does not know are left unknown.
  const element = parts.map((p) => exampleOf(p)?.dims.slice(1) ?? null);
  if (element.every((e) => e === null)) return new Unknown('a dataset of arrays the reader cannot follow');
  const ds = new SlicedDataset(element, node);
  const keep = (): Value => ds;
  for (const name of ['shuffle', 'prefetch', 'cache', 'repeat']) ds.attrs.set(name, new Builtin(name, keep));
  ds.attrs.set('batch', new Builtin('batch', ([size], kwargs) => {
    const b = size ?? kwargs.get('batch_size');
    if (typeof b !== 'number' || !Number.isInteger(b) || b < 1) return new Unknown('a dataset whose batch size the reader cannot evaluate');
    const batch = ds.element.map((e) => (e === null ? new Unknown('an element the reader cannot follow') : array(it, [b, ...e])));
    return new BatchLoader([batch.length === 1 ? batch[0]! : new PyTuple(batch)]);
  }));
  return ds;
}

/** keras.datasets loaders, np/tf.expand_dims of the data, tf.data.Dataset.from_tensor_slices; undefined otherwise. */
export function callKerasData(it: PythonInterpreter, path: string, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value | undefined {
  const load = LOAD_DATA.exec(path);
  if (load) {
    const sizes = DATASETS[load[3]!];
    if (!sizes) return undefined;
    const labels = new Unknown('the labels of a dataset');
    return new PyTuple([new PyTuple([array(it, sizes[0]), labels]), new PyTuple([array(it, sizes[1]), labels])]);
  }
  if (EXPAND_DIMS.has(path)) {
    const ex = exampleOf(args[0] ?? kwargs.get('a') ?? kwargs.get('input'));
    return ex ? expandDims(it, ex.dims, kwargs.has('axis') ? kwargs.get('axis') : args[1]) : undefined;
  }
  if (FROM_TENSOR_SLICES.test(path)) return fromTensorSlices(it, args[0] ?? kwargs.get('tensors'), node);
  return undefined;
}

/** The data a `model.fit(x, …)` / `.predict(x)` / `.evaluate(x)` call feeds (x an array or a batched dataset): its batch-first sizes, or null. */
export function fedDims(args: Value[], kwargs: Map<string, Value>): number[] | null {
  const x = kwargs.get('x') ?? args[0];
  // fit(train_ds) on a batched tf.data pipeline: its batch (the first of an (images, labels) pair).
  const batch = x instanceof BatchLoader ? x.items[0] : x;
  const images = batch instanceof PyTuple ? batch.items[0] : batch;
  return images === undefined ? null : (exampleOf(images)?.dims ?? null);
}
