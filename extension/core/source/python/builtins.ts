/** Python's builtin functions (range, len, min, max, zip, isinstance, ...) on the values the reader knows. */
import type { SyntaxNode } from '../syntax';
import { LimitError } from '../trace';
import type { PythonInterpreter } from './interpreter';
import { BatchDim, Builtin, Extern, isKey, isSeq, isTensor, KerasSequential, LayerObj, PyClass, PyDict, PyList, PyObj, PyTuple, TorchContainer, Unknown, type Value } from './values';
import { BatchLoader } from './dataLoading';
import { isPartial } from './functoolsPartial';
import { dirOf } from './moduleNames';
import { eq } from './operators';

/** A builtin function by name, bound to the interpreter; undefined for names Python does not predefine. */
export function lookupBuiltin(it: PythonInterpreter, name: string): Value | undefined {
  const b = BUILTINS.get(name);
  if (b) return new Builtin(name, (args, kwargs, node) => b(it, args, kwargs, node));
  if (name === 'super') return new Builtin('super', () => new Unknown('super'));
  return undefined;
}

type BuiltinFn = (it: PythonInterpreter, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode) => Value;

export const MATH: Record<string, (...v: number[]) => number> = {
  ceil: Math.ceil,
  floor: Math.floor,
  sqrt: Math.sqrt,
  log: Math.log,
  log2: Math.log2,
  exp: Math.exp,
  pow: Math.pow,
  trunc: Math.trunc,
  prod: (...v) => v.reduce((a, b) => a * b, 1),
};

export const numArgs = (args: Value[]): number[] | null => (args.every((a) => typeof a === 'number' || typeof a === 'boolean') ? args.map(Number) : null);

export const BUILTINS: Map<string, BuiltinFn> = new Map<string, BuiltinFn>([
  [
    'range',
    (it, args, _k, node) => {
      const n = numArgs(args);
      if (!n || n.length === 0) return new Unknown('range of values the reader could not evaluate');
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
      return new Unknown('len');
    },
  ],
  ['int', (_it, [v]) => (typeof v === 'number' || typeof v === 'boolean' ? Math.trunc(Number(v)) : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? parseInt(v, 10) : v instanceof BatchDim ? v : new Unknown('int'))],
  ['float', (_it, [v]) => (typeof v === 'number' || typeof v === 'boolean' ? Number(v) : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : new Unknown('float'))],
  ['bool', (it, [v]) => (v === undefined ? false : (it.truthy(v) ?? new Unknown('bool')))],
  ['str', (it, [v]) => (v === undefined ? '' : (it.str(v) ?? new Unknown('str')))],
  ['abs', (_it, [v]) => (typeof v === 'number' ? Math.abs(v) : new Unknown('abs'))],
  [
    'round',
    (_it, [v, d]) => {
      if (typeof v !== 'number') return new Unknown('round');
      if (typeof d === 'number') return Math.round(v * 10 ** d) / 10 ** d;
      const r = Math.round(v);
      return Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : r; // banker's rounding, as Python
    },
  ],
  ['min', (it, args) => minMax(it, args, Math.min)],
  ['max', (it, args) => minMax(it, args, Math.max)],
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
      const n = items ? numArgs(items) : null;
      return n ? n.reduce((a, b) => a + b, typeof start === 'number' ? start : 0) : new Unknown('sum');
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
      const s = typeof start === 'number' ? start : 0;
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
  ['reversed', (it, [v]) => { const items = v === undefined ? null : it.iterate(v); return items ? new PyList(items.reverse()) : new Unknown('reversed'); }],
  [
    'sorted',
    (it, [v], _k, node) => {
      const items = v === undefined ? null : it.iterate(v);
      if (!items) return new Unknown('sorted');
      it.charge(items.length, node);
      const n = numArgs(items);
      if (n) return new PyList(n.sort((a, b) => a - b));
      if (items.every((x) => typeof x === 'string')) return new PyList([...(items as string[])].sort());
      return new Unknown('sorted');
    },
  ],
  ['any', (it, [v]) => { const items = v === undefined ? null : it.iterate(v); if (!items) return new Unknown('any'); const t = items.map((x) => it.truthy(x)); return t.some((x) => x === true) ? true : t.some((x) => x === null) ? new Unknown('any') : false; }],
  ['all', (it, [v]) => { const items = v === undefined ? null : it.iterate(v); if (!items) return new Unknown('all'); const t = items.map((x) => it.truthy(x)); return t.some((x) => x === false) ? false : t.some((x) => x === null) ? new Unknown('all') : true; }],
  [
    'isinstance',
    (_it, [v, cls]) => {
      const classes = cls instanceof PyTuple ? cls.items : [cls];
      for (const c of classes) {
        if (c instanceof PyClass && v instanceof PyObj) {
          for (let k: PyClass | undefined = v.cls; k; k = k.bases.find((b): b is PyClass => b instanceof PyClass)) if (k === c) return true;
        }
        if (c instanceof Extern) {
          if (c.path === 'functools.partial' && v !== undefined) {
            if (isPartial(v)) return true;
            continue;
          }
          const name = c.path.split('.').pop()!;
          if (v instanceof LayerObj && v.cls === name) return true;
          if (name === 'int' && typeof v === 'number' && Number.isInteger(v)) return true;
          if (v !== undefined && abstractCollection(c.path, v) === true) return true;
        }
        if (c instanceof Builtin) {
          if (c.name === 'int' && typeof v === 'number' && Number.isInteger(v)) return true;
          if (c.name === 'float' && typeof v === 'number') return true;
          if (c.name === 'str' && typeof v === 'string') return true;
          if ((c.name === 'list' && v instanceof PyList) || (c.name === 'tuple' && v instanceof PyTuple) || (c.name === 'dict' && v instanceof PyDict)) return true;
          if (c.name === 'bool' && typeof v === 'boolean') return true;
          if (c.name === 'type' && v instanceof PyClass) return true;
        }
      }
      if (v instanceof Unknown) return new Unknown('isinstance');
      return false;
    },
  ],
  // issubclass(C, B) of classes the code defines (timm's create_aa asks issubclass(cls, BlurPool2d)).
  ['issubclass', (_it, [c, b]) => {
    const bases = b instanceof PyTuple ? b.items : [b];
    if (!(c instanceof PyClass) || !bases.every((x) => x instanceof PyClass)) return new Unknown('issubclass');
    const derives = (k: PyClass): boolean => bases.includes(k) || k.bases.some((x) => x instanceof PyClass && derives(x));
    return derives(c);
  }],
  ['print', () => null],
  ['dir', (_it, [m]) => dirOf(m instanceof Extern ? m.path : null)],
  ['hasattr', (_it, [o, n]) => (o instanceof PyObj && typeof n === 'string' ? o.attrs.has(n) || o.cls.attrs.has(n) : new Unknown('hasattr'))],
  ['getattr', (it, [o, n, d], _k, node) => (typeof n === 'string' && o !== undefined ? (() => { const v = it.getAttr(o, n, node); return v instanceof Unknown && d !== undefined ? d : v; })() : new Unknown('getattr'))],
  [
    'setattr',
    (_it, [o, n, v]) => {
      if (o instanceof PyObj && typeof n === 'string' && v !== undefined) o.attrs.set(n, v);
      return null;
    },
  ],
  ['type', (_it, [v]) => (v instanceof PyObj ? v.cls : v instanceof LayerObj ? layerClass(v) : v instanceof TorchContainer ? new Extern(`torch.nn.${v.kind}`) : new Unknown('type'))],
  ['id', () => new Unknown('id')],
  ['open', () => new Unknown('open')],
  ['OrderedDict', (it, args, kwargs, node): Value => BUILTINS.get('dict')!(it, args, kwargs, node)],
]);

// collections.abc / typing classes the builtin containers are instances of (torchvision's MobileNetV3 checks
// `isinstance(setting, Sequence)` and raises otherwise).
const ABSTRACT_COLLECTIONS: Record<string, (v: Value) => boolean> = {
  Sequence: (v) => v instanceof PyList || v instanceof PyTuple || typeof v === 'string',
  MutableSequence: (v) => v instanceof PyList,
  Iterable: (v) => v instanceof PyList || v instanceof PyTuple || v instanceof PyDict || typeof v === 'string',
  Collection: (v) => v instanceof PyList || v instanceof PyTuple || v instanceof PyDict || typeof v === 'string',
  Mapping: (v) => v instanceof PyDict,
  MutableMapping: (v) => v instanceof PyDict,
};

/** isinstance(v, collections.abc.X) for a value whose type the reader knows; undefined when it cannot say. */
function abstractCollection(path: string, v: Value): boolean | undefined {
  const [owner, name] = [path.split('.').slice(0, -1).join('.'), path.split('.').pop()!];
  if (!['collections.abc', 'typing', 'collections'].includes(owner) && owner !== '') return undefined;
  const test = ABSTRACT_COLLECTIONS[name];
  if (!test) return undefined;
  const known = v instanceof PyList || v instanceof PyTuple || v instanceof PyDict || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null;
  return known ? test(v) : undefined;
}

function minMax(it: PythonInterpreter, args: Value[], f: (...v: number[]) => number): Value {
  const items = args.length === 1 ? it.iterate(args[0]!) : args;
  const n = items ? numArgs(items) : null;
  return n && n.length > 0 ? f(...n) : new Unknown('min/max');
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
