/**
 * Small 1-D tensors of constants that model code computes its layer sizes with (torchvision's RegNet:
 * `torch.arange(depth) * w_a + w_0`, `torch.round(torch.log(...) / math.log(w_m))`, `torch.pow`,
 * `torch.divide`, `.int().tolist()`, `torch.diff(torch.tensor([...]))`). They are evaluated exactly as
 * PyTorch does on a CPU: integer tensors are int64, everything else float32 (PyTorch's default dtype;
 * a Python scalar joins a tensor in the tensor's dtype), each result rounded to float32 with Math.fround,
 * torch.round half to even. timm's RegNet adds `torch.arange(depth, dtype=torch.float32)`, `torch.unique`,
 * `.max().item()` and `torch.tensor([...], dtype=torch.int32)`: int32 is modelled too (`.int()` gives it), a
 * reduction gives a 0-d tensor, and a 0-d tensor joins a dimensioned one of its kind in the other's dtype, as
 * PyTorch promotes. Anything else about them (a shape, a dtype the reader does not model, an int32 value past
 * its range, which PyTorch wraps) is unknown, never approximated.
 */
import { Builtin, Extern, isSeq, KerasWeight, numArgs, numeric, pyFloat, PyList, Unknown, type Value } from './values';
import { extreme, sum, unique } from './constTensorReductions';
import { numpyArrayAttr } from './numpyArrays';
import { reshapeSizes } from './shapes';

export type ConstDtype = 'int64' | 'int32' | 'float32' | 'float64';
/** Whose array it is: PyTorch's tensors and NumPy's arrays promote differently (numpyArrays.ts). */
export type ConstLib = 'torch' | 'numpy';

export class ConstTensor {
  constructor(
    readonly values: readonly number[],
    readonly dtype: ConstDtype,
    /** A 0-d tensor (a reduction's result): one value, no length, tolist() gives the number itself. */
    readonly zeroDim = false,
    readonly lib: ConstLib = 'torch',
  ) {}

  /** Its sizes: [] for a 0-d tensor, [n] for a vector. */
  get dims(): number[] {
    return this.zeroDim ? [] : [this.values.length];
  }
}

export const isIntDtype = (d: ConstDtype): boolean => d === 'int64' || d === 'int32';
const INT32_MAX = 2 ** 31 - 1;

/** The most elements the reader evaluates (layer-size arithmetic, not data). */
const MAX_ELEMENTS = 10_000;

export function make(values: number[], dtype: ConstDtype, zeroDim = false, lib: ConstLib = 'torch'): ConstTensor | Unknown {
  if (values.length > MAX_ELEMENTS) return new Unknown(`a constant tensor of more than ${MAX_ELEMENTS} elements`);
  if (values.some((v) => !Number.isFinite(v))) return new Unknown('a constant tensor with a value that is not finite');
  // Integers past 2**53 are no longer exact here; past int32's range PyTorch wraps around: neither is followed.
  if (dtype === 'int64' && !values.every(Number.isSafeInteger)) return new Unknown('an int64 constant tensor past the exactly representable range');
  if (dtype === 'int32' && !values.every((v) => Number.isInteger(v) && v <= INT32_MAX && v >= -INT32_MAX - 1)) return new Unknown('an int32 constant tensor value past its range (PyTorch wraps it around)');
  return new ConstTensor(dtype === 'float32' ? values.map(Math.fround) : values, dtype, zeroDim, lib);
}

/** Half to even, as torch.round. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : r;
}

export const UNARY: Record<string, { fn: (v: number) => number; float: boolean }> = {
  log: { fn: Math.log, float: true },
  log2: { fn: Math.log2, float: true },
  log10: { fn: Math.log10, float: true },
  exp: { fn: Math.exp, float: true },
  sqrt: { fn: Math.sqrt, float: true },
  round: { fn: roundHalfEven, float: false },
  floor: { fn: Math.floor, float: false },
  ceil: { fn: Math.ceil, float: false },
  abs: { fn: Math.abs, float: false },
};

export function unary(name: string, t: ConstTensor): Value {
  const u = UNARY[name]!;
  const dtype: ConstDtype = u.float && isIntDtype(t.dtype) ? floatOf(t.lib) : t.dtype;
  return make(t.values.map(u.fn), dtype, t.zeroDim, t.lib);
}

/** A tensor, or a Python scalar with whether it is a float. */
type Operand = ConstTensor | { value: number; float: boolean };

/** a op b, elementwise with broadcasting of a 1-element tensor or a scalar; undefined when neither is a ConstTensor. */
export function constBinary(op: string, a: Value, b: Value): Value | undefined {
  if (!(a instanceof ConstTensor) && !(b instanceof ConstTensor)) return undefined;
  const operand = (v: Value): Operand | null => (v instanceof ConstTensor ? v : numeric(v));
  const x = operand(a);
  const y = operand(b);
  if (x === null || y === null) return new Unknown(`a constant tensor ${op} a value the reader could not evaluate`);
  return elementwise(op, x, y);
}

/**
 * The dtype of a op b as PyTorch promotes: a dimensioned tensor's dtype wins over a 0-d tensor's and a Python
 * scalar's of the same kind (int32 vector + int64 0-d is int32); a float anywhere makes float32; true division
 * of integers is float32; two dimensioned (or two 0-d) integer tensors give the wider one.
 */
function resultDtype(op: string, x: Operand, y: Operand, lib: ConstLib): ConstDtype {
  const isInt = (o: Operand): boolean => (o instanceof ConstTensor ? isIntDtype(o.dtype) : !o.float);
  if (!isInt(x) || !isInt(y) || op === '/') return floatOf(lib);
  // NumPy's arrays here are int64 or float64 only (np.arange, np.array of Python numbers).
  if (lib === 'numpy') return 'int64';
  const rank = (o: Operand): number => (o instanceof ConstTensor ? (o.zeroDim ? 1 : 2) : 0);
  const top = Math.max(rank(x), rank(y));
  const dtypes = [x, y].filter((o): o is ConstTensor => o instanceof ConstTensor && rank(o) === top).map((o) => o.dtype);
  return dtypes.includes('int64') ? 'int64' : 'int32';
}

function elementwise(op: string, x: Operand, y: Operand): Value {
  const n = Math.max(x instanceof ConstTensor ? x.values.length : 1, y instanceof ConstTensor ? y.values.length : 1);
  const lengthOk = (o: Operand): boolean => !(o instanceof ConstTensor) || o.values.length === n || o.values.length === 1;
  if (!lengthOk(x) || !lengthOk(y)) return new Unknown('constant tensors of sizes that do not broadcast');
  const libs = new Set([x, y].filter((o): o is ConstTensor => o instanceof ConstTensor).map((o) => o.lib));
  if (libs.size > 1) return new Unknown(`a PyTorch tensor ${op} a NumPy array`);
  const lib: ConstLib = libs.has('numpy') ? 'numpy' : 'torch';
  const dtype = resultDtype(op, x, y, lib);
  // 0-d with 0-d (or a scalar) stays 0-d; anything with a vector is a vector.
  const zeroDim = [x, y].every((o) => !(o instanceof ConstTensor) || o.zeroDim);
  const at = (o: Operand, i: number): number => {
    const v = o instanceof ConstTensor ? o.values[o.values.length === 1 ? 0 : i]! : o.value;
    return dtype === 'float32' ? Math.fround(v) : v;
  };
  const f = OPS[op];
  if (!f) return new Unknown(`constant tensor ${op}`);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = f(at(x, i), at(y, i));
    if (r === null) return new Unknown(`constant tensor ${op} by zero`);
    out.push(r);
  }
  return make(out, dtype, zeroDim, lib);
}

const OPS: Record<string, (a: number, b: number) => number | null> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '//': (a, b) => (b === 0 ? null : Math.floor(a / b)),
  '%': (a, b) => (b === 0 ? null : ((a % b) + b) % b),
  '**': (a, b) => a ** b,
};

const BINARY_FUNCTIONS: Record<string, string> = { add: '+', sub: '-', subtract: '-', mul: '*', multiply: '*', div: '/', divide: '/', true_divide: '/', pow: '**', floor_divide: '//', remainder: '%' };

/**
 * A list (of lists not supported) of numbers as a tensor: int64 when every item is an int, else float32, or the
 * dtype= given (an int dtype truncates floats toward zero). Bools make a bool tensor, which is not modelled.
 */
function fromData(v: Value, dtype: ConstDtype | undefined): Value {
  if (v instanceof ConstTensor) return dtype === undefined || dtype === v.dtype ? v : convert(v, dtype);
  const items = v instanceof PyList || (typeof v === 'object' && v !== null && 'items' in v) ? (v as PyList).items : null;
  const n = items && !items.some((x) => typeof x === 'boolean') ? numArgs(items) : null;
  if (!n) return new Unknown('torch.tensor of data the reader could not evaluate');
  const inferred: ConstDtype = n.float ? 'float32' : 'int64';
  return dtype === undefined ? make(n.values, inferred) : convert(new ConstTensor(n.values, inferred), dtype);
}

/** t.to(dtype): floats to an int dtype truncate toward zero (torch.tensor([2.7, -2.7]).int() is [2, -2]). */
export function convert(t: ConstTensor, dtype: ConstDtype): Value {
  return make(isIntDtype(dtype) ? t.values.map(Math.trunc) : [...t.values], dtype, t.zeroDim, t.lib);
}

/** The float dtype arithmetic gives: PyTorch's default float32, NumPy's float64. */
function floatOf(lib: ConstLib): ConstDtype {
  return lib === 'numpy' ? 'float64' : 'float32';
}

const DTYPES: Record<string, ConstDtype> = {
  'torch.float32': 'float32',
  'torch.float': 'float32',
  'torch.int64': 'int64',
  'torch.long': 'int64',
  'torch.int32': 'int32',
  'torch.int': 'int32',
};

/** The dtype= of a call: undefined when absent or None (timm passes `dtype=None` through **dd), null when not modelled. */
function dtypeArgument(kwargs: Map<string, Value>): ConstDtype | undefined | null {
  const d = kwargs.get('dtype');
  if (d === undefined || d === null) return undefined;
  return d instanceof Extern ? (DTYPES[d.path] ?? null) : null;
}

/**
 * torch.arange(end) / (start, end[, step]): ceil((end - start) / step) values start + i * step, computed in
 * double and then stored in the dtype (float32 when an argument is a float, else int64, or dtype=).
 */
function arange(args: Value[], kwargs: Map<string, Value>): Value | undefined {
  const n = numArgs(args);
  const nums = n?.values ?? [];
  const dtype = dtypeArgument(kwargs);
  if (!n || nums.length < 1 || nums.length > 3 || dtype === null || [...kwargs.keys()].some((k) => k !== 'dtype')) return args.some((a) => a instanceof ConstTensor) || dtype === null ? new Unknown('torch.arange of a tensor or of a dtype the reader does not model') : undefined;
  const [start, end, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
  if (step === 0) return new Unknown('torch.arange with step 0');
  const count = Math.max(0, Math.ceil((end - start) / step));
  if (count > MAX_ELEMENTS) return new Unknown(`a constant tensor of more than ${MAX_ELEMENTS} elements`);
  const resolved = dtype ?? (n.float ? 'float32' : 'int64');
  // An int dtype with float bounds steps in the int type in PyTorch; not followed.
  if (isIntDtype(resolved) && n.float) return new Unknown('torch.arange of floats in an int dtype');
  return make(Array.from({ length: count }, (_, i) => start + i * step), resolved);
}

/** torch.<name>(...) on constants; undefined when it is none of these. */
export function callConstTorch(name: string, args: Value[], kwargs: Map<string, Value>): Value | undefined {
  if (name === 'arange') return arange(args, kwargs);
  if (name === 'tensor' || name === 'as_tensor') {
    const data = args[0] ?? kwargs.get('data');
    if (!(data instanceof PyList || data instanceof ConstTensor || (typeof data === 'object' && data !== null && 'items' in data))) return undefined;
    const dtype = dtypeArgument(kwargs);
    return dtype === null ? new Unknown(`torch.${name} of a dtype the reader does not model`) : fromData(data, dtype);
  }
  if (name === 'unique' && args[0] instanceof ConstTensor) return unique(args[0], args.slice(1), kwargs);
  if ((name === 'max' || name === 'min') && args[0] instanceof ConstTensor) return extreme(name, args[0], args.slice(1), kwargs);
  // torch.ones(dim) / torch.zeros(dim) / torch.full((dim,), v): a 1-D constant (the ConvNeXt paper's layer-scale
  // gamma); random or uninitialised ones have no values to know, and more dims are example tensors (shapes.ts).
  const sizes = args.length === 1 && typeof args[0] === 'object' && args[0] !== null && 'items' in args[0] ? (args[0] as PyList).items : name === 'full' ? args.slice(0, 1) : args;
  if ((name === 'ones' || name === 'zeros' || name === 'full') && sizes.length === 1 && typeof sizes[0] === 'number' && Number.isInteger(sizes[0]) && sizes[0] >= 0 && !givesDtype(kwargs)) {
    const fill = name === 'ones' ? 1 : name === 'zeros' ? 0 : numeric(args[1] ?? kwargs.get('fill_value'))?.value;
    if (fill === undefined) return undefined;
    return make(Array.from({ length: sizes[0] }, () => fill), 'float32');
  }
  const first = args[0];
  if (name in UNARY && first instanceof ConstTensor && args.length === 1) return unary(name, first);
  if (name === 'diff' && first instanceof ConstTensor && args.length === 1 && kwargs.size === 0) {
    return make(first.values.slice(1).map((v, i) => v - first.values[i]!), first.dtype);
  }
  const op = BINARY_FUNCTIONS[name];
  if (op && args.length === 2 && kwargs.size === 0) return constBinary(op, args[0]!, args[1]!);
  return undefined;
}

/** The elements as Python numbers: a float32 tensor's are floats (tolist() of [2.] is [2.0]). */
export function pythonValues(t: ConstTensor): Value[] {
  return isIntDtype(t.dtype) ? [...t.values] : t.values.map(pyFloat);
}

/** for v in t / len(t): a vector's elements; a 0-d tensor has none (PyTorch raises TypeError). */
export function constTensorItems(t: ConstTensor): Value[] | null {
  return t.zeroDim ? null : pythonValues(t);
}

/** Methods of a constant tensor: .int(), .long(), .float(), .tolist(), .item(), .round(), .sum(), ... */
export function constTensorAttr(t: ConstTensor, name: string): Value {
  if (t.lib === 'numpy') return numpyArrayAttr(t, name);
  switch (name) {
    case 'int':
      return new Builtin(name, () => convert(t, 'int32'));
    case 'long':
      return new Builtin(name, () => convert(t, 'int64'));
    case 'float':
      return new Builtin(name, () => convert(t, 'float32'));
    case 'tolist':
      // A 0-d tensor's tolist() is its number (torch.arange(5).max().tolist() is 4).
      return new Builtin(name, () => (t.zeroDim ? pythonValues(t)[0]! : new PyList(pythonValues(t))));
    case 'item':
      return new Builtin(name, () => (t.values.length === 1 ? pythonValues(t)[0]! : new Unknown('.item() of a tensor of more than one element')));
    case 'sum':
      return new Builtin(name, ([, dim], kwargs) => (dim === undefined && kwargs.size === 0 ? sum(t) : new Unknown('.sum(dim)')));
    case 'max':
    case 'min':
      return new Builtin(name, ([, ...rest], kwargs) => extreme(name, t, rest, kwargs));
    case 'unique':
      return new Builtin(name, ([, ...rest], kwargs) => unique(t, rest, kwargs));
    case 'numel':
      return new Builtin(name, () => t.values.length);
    case 'view':
    case 'reshape':
      // ImageNet's mean viewed (1, 3, 1, 1) to broadcast over images: a constant of those sizes (its values are
      // not needed beyond here), or unknown when the sizes do not hold its elements.
      return new Builtin(name, ([, ...dims]) => {
        const sizes = reshapeSizes(t.values.length, dims.length === 1 && isSeq(dims[0]!) ? dims[0].items : dims);
        return Array.isArray(sizes) ? new KerasWeight(sizes, false, 'constant') : new Unknown(`tensor.${name} of a constant tensor to sizes that do not hold its ${t.values.length} elements`);
      });
    default:
      if (name in UNARY) return new Builtin(name, () => unary(name, t));
      return new Unknown(`tensor.${name} of a constant tensor`);
  }
}

/** A dtype= other than None (timm passes `dtype=None` through **dd): the values' type is then not the default. */
function givesDtype(kwargs: Map<string, Value>): boolean {
  return kwargs.has('dtype') && kwargs.get('dtype') !== null;
}
