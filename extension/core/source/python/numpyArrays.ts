/**
 * NumPy arrays of constants that older model code computes its layer sizes with (timm < 1.0's RegNet:
 * `np.arange(depth) * w_a + w_0`, `np.round(np.log(...) / np.log(w_m))`, `np.power`, `np.divide`,
 * `np.unique(widths, return_counts=True)`, `.astype(int).tolist()`, `np.split(np.linspace(...), np.cumsum(d[:-1]))`).
 * They are the constant tensors of constTensors.ts with NumPy's own rules: integers are int64, everything else
 * float64 (no float32 rounding: NumPy's default float is double), a Python number joins an array in the array's
 * kind, and an element or a 0-d result is a NumPy scalar, which the reader holds as the Python number of the
 * same value (np.float64 is a float; np.int64 computes as an int). A dtype other than int64 / float64, bools,
 * nested lists and anything else are unknown, never approximated.
 */
import { constBinary, ConstTensor, convert, isIntDtype, make, pythonValues, unary, UNARY, type ConstDtype } from './constTensors';
import { extreme, sum, unique } from './constTensorReductions';
import { Builtin, Extern, isSeq, numArgs, numeric, PyList, PyTuple, Unknown, type Value } from './values';

const MAX_ELEMENTS = 10_000;

/** A NumPy array of Python numbers (or an array already): int64 when every item is an int, else float64. */
function asArray(v: Value | undefined): ConstTensor | Unknown {
  if (v instanceof ConstTensor) return v.lib === 'numpy' ? v : new Unknown('a NumPy function of a PyTorch tensor');
  const items = v !== undefined && isSeq(v) ? v.items : null;
  const n = items && !items.some((x) => typeof x === 'boolean') ? numArgs(items) : null;
  if (!n) return new Unknown('a NumPy array of values the reader could not evaluate');
  const made = make(n.values, n.float ? 'float64' : 'int64', false, 'numpy');
  return made;
}

/** A 0-d result is a NumPy scalar: its Python number. */
function scalarOf(v: Value): Value {
  return v instanceof ConstTensor && v.zeroDim ? pythonValues(v)[0]! : v;
}

/** A Python number as a 0-d array of its kind. */
function zeroDim(v: Value): ConstTensor | null {
  const n = numeric(v);
  if (n === null || typeof v === 'boolean') return null;
  const made = make([n.value], n.float ? 'float64' : 'int64', true, 'numpy');
  return made instanceof ConstTensor ? made : null;
}

/** An operand of a NumPy function: an array, a list made one, or a Python number (kept, as NumPy keeps it weak). */
function operand(v: Value | undefined): Value {
  if (v === undefined) return new Unknown('a missing argument');
  if (numeric(v) !== null && typeof v !== 'boolean') return v;
  return asArray(v);
}

const BINARY: Record<string, string> = { add: '+', subtract: '-', multiply: '*', divide: '/', true_divide: '/', power: '**', floor_divide: '//' };

/** The dtype an astype / dtype= names: int and np.int64 are int64, float and np.float64 float64; null otherwise. */
function dtypeNamed(v: Value | undefined): ConstDtype | null {
  if (v instanceof Builtin) return v.name === 'int' ? 'int64' : v.name === 'float' ? 'float64' : null;
  if (v instanceof Extern) return v.path === 'numpy.int64' || v.path === 'numpy.int_' ? 'int64' : v.path === 'numpy.float64' ? 'float64' : null;
  return null;
}

/** numpy.<name>(...) on constants; undefined when `path` is none of these. */
export function callNumpyArray(path: string, args: Value[], kwargs: Map<string, Value>): Value | undefined {
  if (!path.startsWith('numpy.')) return undefined;
  const name = path.slice('numpy.'.length);
  const first = args[0];
  if (name === 'arange') {
    const n = numArgs(args);
    if (!n || args.length < 1 || args.length > 3 || kwargs.size > 0) return new Unknown('numpy.arange of values the reader could not evaluate');
    const [start, stop, step] = args.length === 1 ? [0, n.values[0]!, 1] : [n.values[0]!, n.values[1]!, n.values[2] ?? 1];
    if (step === 0) return new Unknown('numpy.arange with step 0');
    const count = Math.max(0, Math.ceil((stop - start) / step));
    if (count > MAX_ELEMENTS) return new Unknown(`a NumPy array of more than ${MAX_ELEMENTS} elements`);
    return make(Array.from({ length: count }, (_, i) => start + i * step), n.float ? 'float64' : 'int64', false, 'numpy');
  }
  if (name === 'array' || name === 'asarray') {
    if (args.length !== 1 || [...kwargs.keys()].some((k) => k !== 'dtype')) return new Unknown(`numpy.${name} with arguments the reader does not model`);
    const array = asArray(first);
    if (!kwargs.has('dtype') || kwargs.get('dtype') === null || array instanceof Unknown) return array;
    const dtype = dtypeNamed(kwargs.get('dtype'));
    return dtype === null ? new Unknown(`numpy.${name} of a dtype the reader does not model`) : convert(array, dtype);
  }
  if (name === 'around') return callNumpyArray('numpy.round', args, kwargs);
  if (name in UNARY && args.length === 1 && kwargs.size === 0) {
    const x = operand(first);
    if (x instanceof Unknown) return x;
    const array = x instanceof ConstTensor ? x : zeroDim(x);
    return array ? scalarOf(unary(name, array)) : new Unknown(`numpy.${name}`);
  }
  const op = BINARY[name];
  if (op && args.length === 2 && kwargs.size === 0) {
    const [a, b] = [operand(args[0]), operand(args[1])];
    if (a instanceof Unknown) return a;
    if (b instanceof Unknown) return b;
    const x = a instanceof ConstTensor || b instanceof ConstTensor ? a : zeroDim(a);
    if (x === null) return new Unknown(`numpy.${name}`);
    return scalarOf(constBinary(op, x, b) ?? new Unknown(`numpy.${name}`));
  }
  if (name === 'unique') {
    const array = asArray(first);
    if (array instanceof Unknown) return array;
    if (args.length > 1 || kwargs.get('return_index') === true || [...kwargs.keys()].some((k) => !['return_index', 'return_inverse', 'return_counts', 'axis'].includes(k))) return new Unknown('numpy.unique with arguments the reader does not model');
    const own = new Map<string, Value>();
    for (const k of ['return_inverse', 'return_counts']) if (kwargs.has(k)) own.set(k, kwargs.get(k)!);
    if (kwargs.has('axis')) own.set('dim', kwargs.get('axis')!);
    return unique(array, [], own);
  }
  if (name === 'cumsum' && args.length === 1 && kwargs.size === 0) {
    const array = asArray(first);
    if (array instanceof Unknown) return array;
    let total = 0;
    return make(array.values.map((v) => (total += v)), array.dtype, false, 'numpy');
  }
  if (name === 'split' && args.length === 2 && kwargs.size === 0) return split(args[0]!, args[1]!);
  return undefined;
}

/** np.split(ary, indices): the pieces between the indices; an int N splits into N equal pieces (or NumPy raises). */
function split(ary: Value, at: Value): Value {
  const array = asArray(ary);
  if (array instanceof Unknown) return array;
  const n = array.values.length;
  let cuts: number[];
  if (typeof at === 'number' && Number.isInteger(at) && at > 0) {
    if (n % at !== 0) return new Unknown('numpy.split into pieces that are not equal (NumPy raises)');
    cuts = Array.from({ length: at - 1 }, (_, i) => ((i + 1) * n) / at);
  } else {
    const indices = at instanceof ConstTensor || isSeq(at) ? asArray(at) : null;
    if (!indices || indices instanceof Unknown || !isIntDtype(indices.dtype)) return new Unknown('numpy.split at indices the reader could not evaluate');
    cuts = [...indices.values];
  }
  // Out-of-range or decreasing indices give NumPy's empty or clipped pieces: not followed.
  if (cuts.some((c, i) => c < 0 || c > n || (i > 0 && c < cuts[i - 1]!))) return new Unknown('numpy.split at indices out of order or range');
  const bounds = [0, ...cuts, n];
  const pieces: Value[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) pieces.push(make(array.values.slice(bounds[i]!, bounds[i + 1]!), array.dtype, false, 'numpy'));
  return new PyList(pieces);
}

/** Methods and attributes of a NumPy array: astype, tolist, item, max, min, sum, round, cumsum, shape, size, ndim. */
export function numpyArrayAttr(t: ConstTensor, name: string): Value {
  switch (name) {
    case 'astype':
      return new Builtin(name, ([, dtype]) => {
        const d = dtypeNamed(dtype);
        return d === null ? new Unknown('astype to a dtype the reader does not model') : convert(t, d);
      });
    case 'tolist':
      return new Builtin(name, () => (t.zeroDim ? pythonValues(t)[0]! : new PyList(pythonValues(t))));
    case 'item':
      return new Builtin(name, () => (t.values.length === 1 ? pythonValues(t)[0]! : new Unknown('.item() of an array of more than one element')));
    case 'max':
    case 'min':
      return new Builtin(name, ([, ...rest], kwargs) => scalarOf(extreme(name, t, rest, kwargs)));
    case 'sum':
      return new Builtin(name, ([, ...rest], kwargs) => (rest.length === 0 && kwargs.size === 0 ? scalarOf(sum(t)) : new Unknown('.sum(axis) of an array')));
    case 'round':
      return new Builtin(name, ([, ...rest], kwargs) => (rest.length === 0 && kwargs.size === 0 ? scalarOf(unary('round', t)) : new Unknown('.round(decimals)')));
    case 'cumsum':
      return new Builtin(name, () => callNumpyArray('numpy.cumsum', [t], new Map())!);
    case 'shape':
      return new PyTuple(t.dims);
    case 'size':
      return t.values.length;
    case 'ndim':
      return t.dims.length;
    default:
      return new Unknown(`array.${name} of a NumPy array`);
  }
}

/** a[i] of a 1-D array: its element, a NumPy scalar (its Python number); a[start:stop:step]: an array. */
export function indexArray(t: ConstTensor, index: Value): Value {
  if (t.zeroDim || typeof index !== 'number' || !Number.isInteger(index)) return new Unknown('an index into a constant array the reader does not model');
  const i = index < 0 ? t.values.length + index : index;
  if (i < 0 || i >= t.values.length) return new Unknown('index out of range');
  const element = make([t.values[i]!], t.dtype, true, t.lib);
  // PyTorch's t[i] is a 0-d tensor; NumPy's a[i] a scalar.
  return t.lib === 'numpy' ? scalarOf(element) : element;
}

/** The sliced elements as an array of the same dtype. */
export function sliceArray(t: ConstTensor, items: number[]): Value {
  return make(items, t.dtype, false, t.lib);
}

