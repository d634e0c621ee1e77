/** Python's builtin functions (range, len, min, max, zip, isinstance, ...) on the values the reader knows. */
import type { SyntaxNode } from '../syntax';
import { LimitError } from '../trace';
import type { PythonInterpreter } from './interpreter';
import { BatchDim, Builtin, Extern, isKey, isSeq, isTensor, KerasSequential, LayerObj, numArgs, numeric, PyDict, PyFloat, pyFloat, PyList, pyNumber, PyObj, PyTuple, TorchContainer, Unknown, type Value } from './values';
import { BatchLoader } from './dataLoading';
import { callable, getattr, hasattr, isinstance, issubclass } from './typeChecks';
import { unknownAttribute } from './torchParameters';
import { dirOf } from './moduleNames';
import { eq, TORCH_CLASS } from './operators';
import { formatSpec } from './conversions';
import { ConstTensor } from './constTensors';
import { isPartial } from './functoolsPartial';
import { NamedTupleValue } from './namedTuples';

/** A builtin function by name, bound to the interpreter; undefined for names Python does not predefine. */
export function lookupBuiltin(it: PythonInterpreter, name: string): Value | undefined {
  const b = BUILTINS.get(name);
  if (b) return new Builtin(name, (args, kwargs, node) => b(it, args, kwargs, node));
  if (name === 'super') return new Builtin('super', () => new Unknown('super'));
  return undefined;
}

type BuiltinFn = (it: PythonInterpreter, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode) => Value;

/**
 * math.* on numbers, with Python's result type (ceil, floor and trunc give ints, the others floats) and its
 * arity: more arguments are a TypeError in Python, so unknown here, never dropped (math.log(x, 2) is log base 2).
 */
export const MATH: Record<string, { fn: (...v: number[]) => number; result: 'int' | 'float'; arity: readonly [number, number] }> = {
  ceil: { fn: Math.ceil, result: 'int', arity: [1, 1] },
  floor: { fn: Math.floor, result: 'int', arity: [1, 1] },
  trunc: { fn: Math.trunc, result: 'int', arity: [1, 1] },
  sqrt: { fn: Math.sqrt, result: 'float', arity: [1, 1] },
  // CPython's math.log(x, base) is log(x) / log(base).
  log: { fn: (x, base) => (base === undefined ? Math.log(x) : Math.log(x) / Math.log(base)), result: 'float', arity: [1, 2] },
  log2: { fn: Math.log2, result: 'float', arity: [1, 1] },
  log10: { fn: Math.log10, result: 'float', arity: [1, 1] },
  exp: { fn: Math.exp, result: 'float', arity: [1, 1] },
  pow: { fn: Math.pow, result: 'float', arity: [2, 2] },
};

/** The ints among `args` (bools count, as in Python); null when one is a float or not a number. */
const intArgs = (args: Value[]): number[] | null => {
  const n = numArgs(args);
  return n && !n.float ? n.values : null;
};

export const BUILTINS: Map<string, BuiltinFn> = new Map<string, BuiltinFn>([
  [
    'range',
    (it, args, _k, node) => {
      // range() takes ints only: range(2.0) is a TypeError.
      const n = intArgs(args);
      // range((28 - 4) / 6): Python 3's true division gives a float, which range() refuses (old WideResNet code).
      if (!n && numArgs(args)?.float) return new Unknown("Python raises TypeError: 'float' object cannot be interpreted as an integer (range() of a float)");
      if (!n || n.length === 0) return new Unknown('range of values the reader could not evaluate (ints only)');
      const [start, stop, step] = n.length === 1 ? [0, n[0]!, 1] : [n[0]!, n[1]!, n[2] ?? 1];
      if (step === 0) return new Unknown('range step 0');
      const count = Math.max(0, Math.ceil((stop - start) / step));
      if (count > 100_000) throw new LimitError(`range(${n.join(', ')}) is too long to unroll`, it.loc(node));
      const items: Value[] = [];
      for (let i = 0; i < count; i++) items.push(start + i * step);
      return new PyList(items);
    },
  ],
  [
    'len',
    (_it, [v]) => {
      // A DataLoader stands for its batches by one of them: how many there are is not known.
      if (v instanceof BatchLoader) return new Unknown('the number of batches of a DataLoader');
      if (v instanceof PyList || v instanceof PyTuple) return v.items.length;
      if (typeof v === 'string') return v.length;
      if (v instanceof PyDict) return v.map.size;
      if (v instanceof TorchContainer) return v.children.size;
      if (v instanceof KerasSequential) return v.layers.length;
      // len() of a 0-d tensor raises TypeError.
      if (v instanceof ConstTensor) return v.zeroDim ? new Unknown('len() of a 0-d tensor') : v.values.length;
      return new Unknown('len');
    },
  ],
  ['int', (_it, [v]) => { const n = numeric(v); return n ? Math.trunc(n.value) : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? parseInt(v, 10) : v instanceof BatchDim ? v : new Unknown('int'); }],
  ['float', (_it, [v]) => { const n = numeric(v); return n ? pyFloat(n.value) : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? pyFloat(Number(v)) : new Unknown('float'); }],
  ['format', (it, [v, spec]) => (v === undefined || (spec !== undefined && typeof spec !== 'string') ? null : formatSpec(v, spec ?? '', (x) => it.str(x))) ?? new Unknown('format')],
  ['bool', (it, [v]) => (v === undefined ? false : (it.truthy(v) ?? new Unknown('bool')))],
  ['str', (it, [v]) => (v === undefined ? '' : (it.str(v) ?? new Unknown('str')))],
  // repr() is str() but for a string, quoted (one Python would escape or quote otherwise is not read).
  ['repr', (it, [v]) => (v === undefined ? new Unknown('repr') : typeof v === 'string' ? (/^[ -&(-[\]-~]*$/.test(v) ? `'${v}'` : new Unknown('repr')) : (it.str(v) ?? new Unknown('repr')))],
  ['abs', (_it, [v]) => { const n = numeric(v); return n ? pyNumber(Math.abs(n.value), n.float) : new Unknown('abs'); }],
  [
    'round',
    (_it, [v, d]) => {
      const n = numeric(v);
      if (!n) return new Unknown('round');
      // round(x, digits) keeps x's type; round(x) (digits None) is an int.
      if (typeof d === 'number' && Number.isInteger(d)) return pyNumber(Math.round(n.value * 10 ** d) / 10 ** d, n.float);
      if (d !== undefined && d !== null) return new Unknown('round with digits the reader could not evaluate');
      const r = Math.round(n.value);
      return Math.abs(n.value % 1) === 0.5 ? 2 * Math.round(n.value / 2) : r; // banker's rounding, as Python
    },
  ],
  ['min', (it, args) => minMax(it, args, (a, b) => a < b)],
  ['max', (it, args) => minMax(it, args, (a, b) => a > b)],
  [
    'sum',
    (it, [v, start], _k, node) => {
      const items = v === undefined ? null : it.iterate(v);
      // sum() of tensors (a Keras Lambda adding slices) is start + t0 + t1 + …, each + the tensor sum.
      if (items && items.some(isTensor)) return items.reduce<Value>((acc, x) => it.binary('+', acc, x, node), start ?? 0);
      // sum(lists, []) concatenates, as `+` on lists (or tuples) does.
      if (items && (start instanceof PyList || start instanceof PyTuple)) {
        const Seq = start instanceof PyList ? PyList : PyTuple;
        if (!items.every((x) => x instanceof Seq)) return new Unknown('sum of sequences of another kind');
        const flat = [...start.items, ...items.flatMap((x) => (x as PyList | PyTuple).items)];
        it.checkSize(flat.length, null);
        return new Seq(flat);
      }
      const n = items ? numArgs([start ?? 0, ...items]) : null;
      return n ? pyNumber(n.values.reduce((a, b) => a + b, 0), n.float) : new Unknown('sum');
    },
  ],
  [
    'list',
    (it, [v]) => {
      const items = v === undefined ? [] : it.iterate(v);
      return items ? new PyList(items) : new Unknown('list');
    },
  ],
  // A set as the list of its distinct items (membership, len, issubset; the reader never relies on its order).
  [
    'set',
    (it, [v]) => {
      const items = v === undefined ? [] : it.iterate(v);
      return items ? new PyList(items.filter((x, i) => items.findIndex((y) => eq(x, y) === true) === i)) : new Unknown('set');
    },
  ],
  [
    'tuple',
    (it, [v]) => {
      const items = v === undefined ? [] : it.iterate(v);
      return items ? new PyTuple(items) : new Unknown('tuple');
    },
  ],
  [
    'dict',
    (it, [v], kwargs) => {
      const d = new PyDict();
      if (v instanceof PyDict) for (const [k, x] of v.map) d.map.set(k, x);
      else if (v !== undefined) {
        // dict(pairs) of pairs the reader cannot list is unknown, never an empty or partial dict.
        const pairs = it.iterate(v);
        if (pairs === null) return new Unknown('dict() of values the reader could not evaluate');
        for (const pair of pairs) {
          if (!(isSeq(pair) && pair.items.length === 2 && isKey(pair.items[0]!))) return new Unknown('dict() of pairs the reader could not evaluate');
          d.map.set(pair.items[0] as string, pair.items[1]!);
        }
      }
      for (const [k, x] of kwargs) d.map.set(k, x);
      return d;
    },
  ],
  [
    'enumerate',
    (it, [v, start]) => {
      const items = v === undefined ? null : it.iterate(v);
      if (!items) return new Unknown('enumerate');
      const s = start === undefined ? 0 : intArgs([start])?.[0];
      if (s === undefined) return new Unknown('enumerate with a start that is not an int');
      return new PyList(items.map((x, i) => new PyTuple([s + i, x])));
    },
  ],
  [
    'zip',
    (it, args) => {
      const lists = args.map((a) => it.iterate(a));
      if (lists.some((l) => l === null)) return new Unknown('zip');
      const n = Math.min(...lists.map((l) => l!.length));
      const out: Value[] = [];
      for (let i = 0; i < n; i++) out.push(new PyTuple(lists.map((l) => l![i]!)));
      return new PyList(out);
    },
  ],
  // filter() and map() are lazy iterators in Python 3; a list of what they give serves every use the reader
  // follows (`*filter(None, [...])` in timm's stems, `list(map(int, ...))`). A test or function the reader cannot
  // evaluate for one item leaves the whole result unknown, never a guess of which items stay.
  [
    'filter',
    (it, [fn, v], kwargs, node) => {
      const items = v === undefined || kwargs.size > 0 ? null : it.iterate(v);
      if (!items || fn === undefined) return new Unknown('filter');
      const kept: Value[] = [];
      for (const x of items) {
        const t = it.truthy(fn === null ? x : it.callValue(fn, [x], new Map(), node));
        if (t === null) return new Unknown('filter with a test the reader could not evaluate');
        if (t) kept.push(x);
      }
      return new PyList(kept);
    },
  ],
  [
    'map',
    (it, [fn, ...seqs], kwargs, node) => {
      const lists = kwargs.size > 0 || fn === undefined || fn === null || seqs.length === 0 ? null : seqs.map((q) => it.iterate(q));
      if (!lists || lists.some((l) => l === null)) return new Unknown('map');
      const n = Math.min(...lists.map((l) => l!.length));
      const out: Value[] = [];
      for (let i = 0; i < n; i++) out.push(it.callValue(fn!, lists.map((l) => l![i]!), new Map(), node));
      return new PyList(out);
    },
  ],
  ['reversed', (it, [v]) => { const items = v === undefined ? null : it.iterate(v); return items ? new PyList(items.reverse()) : new Unknown('reversed'); }],
  [
    'sorted',
    (it, [v], _k, node) => {
      const items = v === undefined ? null : it.iterate(v);
      if (!items) return new Unknown('sorted');
      it.charge(items.length, node);
      // Sorted by value, each item kept as it is (an int stays an int, a float a float).
      if (numArgs(items)) return new PyList([...items].sort((a, b) => numeric(a)!.value - numeric(b)!.value));
      if (items.every((x) => typeof x === 'string')) return new PyList([...(items as string[])].sort());
      return new Unknown('sorted');
    },
  ],
  ['any', (it, [v]) => { const items = v === undefined ? null : it.iterate(v); if (!items) return new Unknown('any'); const t = items.map((x) => it.truthy(x)); return t.some((x) => x === true) ? true : t.some((x) => x === null) ? new Unknown('any') : false; }],
  ['all', (it, [v]) => { const items = v === undefined ? null : it.iterate(v); if (!items) return new Unknown('all'); const t = items.map((x) => it.truthy(x)); return t.some((x) => x === false) ? false : t.some((x) => x === null) ? new Unknown('all') : true; }],
  ['isinstance', (_it, [v, cls]) => isinstance(v, cls)],
  ['issubclass', (_it, [c, base]) => issubclass(c, base)],
  ['callable', (_it, [v]) => callable(v)],
  ['print', () => null],
  ['dir', (_it, [m]) => dirOf(m instanceof Extern ? m.path : null)],
  ['hasattr', (it, [o, n], _k, node) => hasattr(it, o, n, node)],
  ['getattr', (it, [o, n, d], _k, node) => getattr(it, o, n, d, node)],
  [
    'setattr',
    (it, [o, n, v], _k, node) => {
      if (o instanceof PyObj && typeof n === 'string' && v !== undefined) o.attrs.set(n, v);
      else if (o instanceof PyObj) unknownAttribute(it, o, 'setattr', node);
      return null;
    },
  ],
  // type(p) of a functools.partial is functools.partial (pix2pix's `type(norm_layer) == functools.partial`);
  // type(nn.InstanceNorm2d), a class, is type.
  // type(x) of plain data is its builtin class (EfficientNet-PyTorch's `type(image_size) == list`).
  ['type', (it, [v]) => (v instanceof PyObj ? v.cls : v instanceof LayerObj ? layerClass(v) : v instanceof TorchContainer ? new Extern(`torch.nn.${v.kind}`) : v !== undefined && isPartial(v) ? new Extern('functools.partial') : v instanceof Extern && TORCH_CLASS.test(v.path) ? new Extern('builtins.type') : plainDataClass(it, v))],
  ['id', () => new Unknown('id')],
  ['open', () => new Unknown('open')],
  ['OrderedDict', (it, args, kwargs, node): Value => BUILTINS.get('dict')!(it, args, kwargs, node)],
]);

/** The builtin class of a plain value (a namedtuple instance's is its own class); unknown for anything else. */
function plainDataClass(it: PythonInterpreter, v: Value | undefined): Value {
  if (v instanceof NamedTupleValue) return v.type;
  const name = typeof v === 'boolean' ? 'bool' : v instanceof PyFloat ? 'float' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : v instanceof BatchDim ? 'int' : typeof v === 'string' ? 'str' : v instanceof PyList ? 'list' : v instanceof PyTuple ? 'tuple' : v instanceof PyDict ? 'dict' : null;
  return name === null ? new Unknown('type') : lookupBuiltin(it, name)!;
}

/** min()/max() of numbers: the first item that no later one beats, as it is (max(2, 3.0) is 3.0). */
function minMax(it: PythonInterpreter, args: Value[], beats: (a: number, b: number) => boolean): Value {
  const items = args.length === 1 ? it.iterate(args[0]!) : args;
  if (!items || items.length === 0 || !numArgs(items)) return new Unknown('min/max');
  return items.reduce((best, x) => (beats(numeric(x)!.value, numeric(best)!.value) ? x : best));
}

/**
 * type(m) of a layer made as nn.X(...): the class torch.nn.X (`type(mod) is nn.ReLU` in torchvision's
 * quantization helpers, an nn.Sequential is torch.nn.Sequential); the quantization stubs are
 * torch.ao.quantization's.
 */
function layerClass(layer: LayerObj): Value {
  if (layer.framework !== 'pytorch') return new Unknown('type');
  return new Extern(layer.cls === 'QuantStub' || layer.cls === 'DeQuantStub' ? `torch.ao.quantization.${layer.cls}` : `torch.nn.${layer.cls}`);
}
