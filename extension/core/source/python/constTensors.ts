/**
 * Small 1-D tensors of constants that model code computes its layer sizes with (torchvision's RegNet:
 * `torch.arange(depth) * w_a + w_0`, `torch.round(torch.log(...) / math.log(w_m))`, `torch.pow`,
 * `torch.divide`, `.int().tolist()`, `torch.diff(torch.tensor([...]))`). They are evaluated exactly as
 * PyTorch does on a CPU: integer tensors are int64, everything else float32 (PyTorch's default dtype;
 * a Python scalar joins a tensor in the tensor's dtype), each result rounded to float32 with Math.fround,
 * torch.round half to even. Anything else about them (a shape, a dtype the reader does not model) is
 * unknown, never approximated.
 */
import { Builtin, numArgs, numeric, pyFloat, PyList, Unknown, type Value } from './values';

export type ConstDtype = 'int64' | 'float32';

export class ConstTensor {
  constructor(
    readonly values: readonly number[],
    readonly dtype: ConstDtype,
  ) {}
}

/** The most elements the reader evaluates (layer-size arithmetic, not data). */
const MAX_ELEMENTS = 10_000;

function make(values: number[], dtype: ConstDtype): ConstTensor | Unknown {
  if (values.length > MAX_ELEMENTS) return new Unknown(`a constant tensor of more than ${MAX_ELEMENTS} elements`);
  if (values.some((v) => !Number.isFinite(v))) return new Unknown('a constant tensor with a value that is not finite');
  return new ConstTensor(dtype === 'float32' ? values.map(Math.fround) : values, dtype);
}

/** Half to even, as torch.round. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : r;
}

const UNARY: Record<string, { fn: (v: number) => number; float: boolean }> = {
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

function unary(name: string, t: ConstTensor): Value {
  const u = UNARY[name]!;
  const dtype: ConstDtype = u.float ? 'float32' : t.dtype;
  return make(t.values.map(u.fn), dtype);
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

function elementwise(op: string, x: Operand, y: Operand): Value {
  const n = Math.max(x instanceof ConstTensor ? x.values.length : 1, y instanceof ConstTensor ? y.values.length : 1);
  const lengthOk = (o: Operand): boolean => !(o instanceof ConstTensor) || o.values.length === n || o.values.length === 1;
  if (!lengthOk(x) || !lengthOk(y)) return new Unknown('constant tensors of sizes that do not broadcast');
  // A tensor's dtype wins over a Python scalar's; a Python float joins an int64 tensor as float32.
  const isInt = (o: Operand): boolean => (o instanceof ConstTensor ? o.dtype === 'int64' : !o.float);
  const intResult = isInt(x) && isInt(y) && op !== '/';
  const dtype: ConstDtype = intResult ? 'int64' : 'float32';
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
  return make(out, dtype);
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

/** A list (of lists not supported) of numbers as a tensor: int64 when every item is an int, else float32. */
function fromData(v: Value): Value {
  const items = v instanceof PyList || (typeof v === 'object' && v !== null && 'items' in v) ? (v as PyList).items : null;
  if (v instanceof ConstTensor) return v;
  const n = items ? numArgs(items) : null;
  if (!n) return new Unknown('torch.tensor of data the reader could not evaluate');
  return make(n.values, n.float ? 'float32' : 'int64');
}

/** torch.<name>(...) on constants; undefined when it is none of these. */
export function callConstTorch(name: string, args: Value[], kwargs: Map<string, Value>): Value | undefined {
  if (name === 'arange') {
    const n = numArgs(args);
    const nums = n?.values ?? [];
    if (!n || nums.length < 1 || nums.length > 3 || kwargs.has('dtype')) return args.some((a) => a instanceof ConstTensor) ? new Unknown('torch.arange of a tensor') : undefined;
    const [start, end, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
    if (step === 0) return new Unknown('torch.arange with step 0');
    const values: number[] = [];
    for (let v = start; step > 0 ? v < end : v > end; v += step) {
      if (values.length > MAX_ELEMENTS) break;
      values.push(v);
    }
    return make(values, n.float ? 'float32' : 'int64');
  }
  if ((name === 'tensor' || name === 'as_tensor') && !givesDtype(kwargs)) {
    const data = args[0] ?? kwargs.get('data');
    return data instanceof PyList || data instanceof ConstTensor || (typeof data === 'object' && data !== null && 'items' in data) ? fromData(data) : undefined;
  }
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
  return t.dtype === 'float32' ? t.values.map(pyFloat) : [...t.values];
}

/** Methods of a constant tensor: .int(), .long(), .float(), .tolist(), .item(), .round(), .sum(), ... */
export function constTensorAttr(t: ConstTensor, name: string): Value {
  switch (name) {
    case 'int':
    case 'long':
      return new Builtin(name, () => make(t.values.map(Math.trunc), 'int64'));
    case 'float':
      return new Builtin(name, () => make([...t.values], 'float32'));
    case 'tolist':
      return new Builtin(name, () => new PyList(pythonValues(t)));
    case 'item':
      return new Builtin(name, () => (t.values.length === 1 ? pythonValues(t)[0]! : new Unknown('.item() of a tensor of more than one element')));
    case 'sum':
      return new Builtin(name, ([, dim]) => (dim === undefined ? make([t.values.reduce((a, b) => a + b, 0)], t.dtype) : new Unknown('.sum(dim)')));
    case 'numel':
      return new Builtin(name, () => t.values.length);
    default:
      if (name in UNARY) return new Builtin(name, () => unary(name, t));
      return new Unknown(`tensor.${name} of a constant tensor`);
  }
}

/** A dtype= other than None (timm passes `dtype=None` through **dd): the values' type is then not the default. */
function givesDtype(kwargs: Map<string, Value>): boolean {
  return kwargs.has('dtype') && kwargs.get('dtype') !== null;
}
