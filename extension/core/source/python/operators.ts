/** Python operators: arithmetic, %-formatting, comparisons, indexing and slicing. */
import { field, fields, namedChildren, type SyntaxNode } from '../syntax';
import { LimitError } from '../trace';
import type { PythonInterpreter } from './interpreter';
import type { Scope } from './scope';
import { AutoName, BatchDim, Builtin, ChannelGroups, Extern, isKey, isSeq, isTensor, keyOf, numeric, PyDict, PyFloat, pyFloat, PyList, pyNumber, PyTuple, TorchContainer, Unknown, type Value } from './values';
import { groupedTensor, tensorBinary } from './tensors';
import { sliceTensor } from './tensorSlicing';
import { inDir } from './moduleNames';
import { constBinary, ConstTensor } from './constTensors';
import { indexArray, sliceArray } from './numpyArrays';
import { indexExampleArray } from './kerasData';
import { indexDummyTensor } from './torchExamples';
import { indexParameter, TorchParameter } from './torchParameters';
import { indexWeight, weightBinary } from './functionalConv';
import { moduleItem } from './moduleItems';

export function binary(it: PythonInterpreter, op: string, a: Value, b: Value, node: SyntaxNode): Value {
  // A grouped view in arithmetic is its 5-D tensor (timm's SplitAttn: x.reshape((B, radix, RC // radix, H, W)) * attn).
  if (a instanceof ChannelGroups) return binary(it, op, groupedTensor(it, a, node), b, node);
  if (b instanceof ChannelGroups) return binary(it, op, a, groupedTensor(it, b, node), node);
  if (isTensor(a) || isTensor(b)) return tensorBinary(it, op, a, b, node);
  const constant = constBinary(op, a, b) ?? weightBinary(op, a, b);
  if (constant !== undefined) return constant;
  const x = numeric(a);
  const y = numeric(b);
  if (x && y) return arithmetic(op, x, y);
  if (op === '+' && typeof a === 'string' && typeof b === 'string') {
    it.checkSize(a.length + b.length, node);
    return a + b;
  }
  if (op === '+' && a instanceof PyList && b instanceof PyList) {
    it.checkSize(a.items.length + b.items.length, node);
    return new PyList([...a.items, ...b.items]);
  }
  if (op === '+' && a instanceof PyTuple && b instanceof PyTuple) {
    it.checkSize(a.items.length + b.items.length, node);
    return new PyTuple([...a.items, ...b.items]);
  }
  // Only an int repeats a sequence: `[1] * 2.0` is a TypeError.
  if (op === '*' && (isSeq(a) || typeof a === 'string') && typeof b === 'number' && Number.isInteger(b)) return repeat(it, a, b, node);
  if (op === '*' && (isSeq(b) || typeof b === 'string') && typeof a === 'number' && Number.isInteger(a)) return repeat(it, b, a, node);
  if (op === '%' && typeof a === 'string') return percentFormat(it, a, b);
  if (a instanceof BatchDim || b instanceof BatchDim) return new BatchDim(true);
  if (op === '+' && a instanceof TorchContainer && b instanceof TorchContainer) {
    return new TorchContainer('Sequential', new Map([...a.children.values(), ...b.children.values()].map((v, i) => [String(i), v])), a.source);
  }
  return new Unknown(`${op} on values the reader could not evaluate`);
}

/**
 * Python's arithmetic on ints, floats and bools: the result is a float when either operand is (and `/` always
 * is, `**` with a negative exponent too); what Python raises on (division by zero, bit operations on floats) is
 * unknown.
 */
function arithmetic(op: string, x: { value: number; float: boolean }, y: { value: number; float: boolean }): Value {
  const float = x.float || y.float;
  const [na, nb] = [x.value, y.value];
  switch (op) {
    case '+':
      return pyNumber(na + nb, float);
    case '-':
      return pyNumber(na - nb, float);
    case '*':
      return pyNumber(na * nb, float);
    case '/':
      return nb === 0 ? new Unknown('division by zero') : pyFloat(na / nb);
    case '//':
      return nb === 0 ? new Unknown('division by zero') : pyNumber(Math.floor(na / nb), float);
    case '%':
      return nb === 0 ? new Unknown('modulo by zero') : pyNumber(((na % nb) + nb) % nb, float);
    case '**': {
      const r = na ** nb;
      // A negative base to a fractional power is complex in Python; 0 ** -1 and a float past 1e308 raise.
      if (Number.isNaN(r)) return new Unknown('a complex power');
      if (!Number.isFinite(r) && Number.isFinite(na) && Number.isFinite(nb)) return new Unknown('a power Python cannot give (division by zero or overflow)');
      return pyNumber(r, float || nb < 0);
    }
  }
  if (float) return new Unknown(`${op} on a float`);
  switch (op) {
    case '<<':
      return na << nb;
    case '>>':
      return na >> nb;
    case '&':
      return na & nb;
    case '|':
      return na | nb;
    case '^':
      return na ^ nb;
    default:
      return new Unknown(op);
  }
}

/** "denselayer%d" % (i + 1), "%s_%02d" % (name, i): the common conversions only. */
function percentFormat(it: PythonInterpreter, format: string, values: Value): Value {
  const list = values instanceof PyTuple ? values.items : [values];
  let i = 0;
  let failed = false;
  const out = format.replace(/%(-?0?\d*)(?:\.(\d+))?([sdirf%])/g, (_m, width: string, precision: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    const v = list[i++];
    let text: string | null;
    const n = numeric(v);
    if (conv === 's' || conv === 'r') text = v === undefined ? null : it.str(v);
    else if (n === null) text = null;
    else if (conv === 'f') text = n.value.toFixed(precision === undefined ? 6 : Number(precision));
    else text = String(Math.trunc(n.value));
    if (text === null) {
      failed = true;
      return '';
    }
    const w = Number(width.replace('-', '')) || 0;
    const pad = width.startsWith('0') ? '0' : ' ';
    return width.startsWith('-') ? text.padEnd(w, ' ') : text.padStart(w, pad);
  });
  return failed || i !== list.length ? new Unknown('%-formatting') : out;
}

export function compare(it: PythonInterpreter, node: SyntaxNode, scope: Scope): Value {
  const operands = namedChildren(node);
  const ops = node.children.filter((c) => !c.named || c.type === 'not' || c.type === 'in' || c.type === 'is').map((c) => it.text(c));
  // Operators are the unnamed children between operands; "not in" / "is not" appear as two tokens.
  const operators: string[] = [];
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i]!;
    if ((o === 'not' && ops[i + 1] === 'in') || (o === 'is' && ops[i + 1] === 'not')) {
      operators.push(`${o} ${ops[i + 1]}`);
      i++;
    } else operators.push(o);
  }
  let left = it.eval(operands[0]!, scope);
  for (let i = 1; i < operands.length; i++) {
    const right = it.eval(operands[i]!, scope);
    const r = compareTwo(operators[i - 1] ?? '==', left, right);
    if (r === null) {
      // Say which side was unknown and why, so the message leads back to where it was lost.
      const lost = [left, right].find((v): v is Unknown => v instanceof Unknown);
      return new Unknown(lost ? `comparison with an unknown value: ${lost.reason}` : 'comparison');
    }
    if (!r) return false;
    left = right;
  }
  return true;
}

export const TORCH_CLASS = /^torch\.[\w.]*\.[A-Z]\w*$/;
const lastName = (p: string): string => p.slice(p.lastIndexOf('.') + 1);

function compareTwo(op: string, a: Value, b: Value): boolean | null {
  if (op === 'is' || op === 'is not') {
    if (a instanceof Unknown || b instanceof Unknown) return null;
    const library = sameLibraryName(a, b);
    const named = library === undefined ? sameBuiltinClass(a, b) : library;
    if (named !== undefined) return named === null ? null : op === 'is' ? named : !named;
    const same = a === b || (a === null && b === null);
    return op === 'is' ? same : !same;
  }
  if (op === 'in' || op === 'not in') {
    let r: boolean | null = null;
    const listed = inDir(a, b);
    if (listed !== undefined) r = listed;
    else if (isSeq(b)) {
      // One equal item decides; otherwise an item that might be equal (or an unknown needle) leaves it unknown:
      // `opt.dataset in ['imagenet', 'lfw']` of a required argparse option is no more False than True.
      const found = b.items.map((i) => eq(i, a));
      r = found.includes(true) ? true : found.includes(null) ? null : false;
    }
    else if (b instanceof PyDict && keyOf(a) !== undefined) r = b.map.has(keyOf(a)!);
    else if (typeof b === 'string' && typeof a === 'string') r = b.includes(a);
    if (r === null) return null;
    return op === 'in' ? r : !r;
  }
  if (op === '==' || op === '!=') {
    const r = eq(a, b);
    if (r === null) return null;
    return op === '==' ? r : !r;
  }
  const na = numeric(a)?.value ?? a;
  const nb = numeric(b)?.value ?? b;
  if ((typeof na === 'number' && typeof nb === 'number') || (typeof na === 'string' && typeof nb === 'string')) {
    switch (op) {
      case '<':
        return na < nb;
      case '>':
        return na > nb;
      case '<=':
        return na <= nb;
      case '>=':
        return na >= nb;
      default:
        return null;
    }
  }
  return null;
}

export function subscript(it: PythonInterpreter, node: SyntaxNode, scope: Scope): Value {
  const obj = it.eval(field(node, 'value')!, scope);
  const subs = fields(node, 'subscript');
  if (isTensor(obj)) {
    // x[0] written as a number (evaluating another index here would run it twice).
    const one = subs.length === 1 && subs[0]!.type === 'integer' ? indexDummyTensor(it, obj, Number(it.text(subs[0]!))) : undefined;
    return one ?? indexExampleArray(it, obj, subs) ?? sliceTensor(it, obj, subs, node, scope) ?? it.opaque(obj, 'tensor indexing', node);
  }
  if (obj instanceof TorchParameter) {
    // p[:, None, None]: a view of the parameter; p[0] and other indexing are a module weight's (functionalConv.ts).
    const axes = subs.map((s) => (s.type === 'slice' && namedChildren(s).length === 0 ? 'all' : s.type === 'none' ? 'new' : s.type === 'ellipsis' ? 'rest' : 'other'));
    if (!axes.includes('other') && axes.some((a) => a !== 'all')) return indexParameter(obj, axes);
  }
  if (subs.length !== 1) {
    return new Unknown('multi-index');
  }
  const sub = subs[0]!;
  if (sub.type === 'slice') {
    const parts: (Value | undefined)[] = [undefined, undefined, undefined];
    let slot = 0;
    for (const c of sub.children) {
      if (!c.named && it.text(c) === ':') slot++;
      else if (c.named) parts[slot] = it.eval(c, scope);
    }
    const [start, stop, step] = parts;
    // a[:-1] of a constant array (np.cumsum(depths[:-1])): an array of the same dtype.
    if (obj instanceof ConstTensor && !obj.zeroDim) {
      const r = slice([...obj.values], start, stop, step);
      return r === null ? new Unknown('slice') : sliceArray(obj, r as number[]);
    }
    const items = isSeq(obj) ? obj.items : obj instanceof TorchContainer ? [...obj.children.values()] : typeof obj === 'string' ? [...obj] : null;
    if (items === null) return isTensor(obj) ? it.opaque(obj, 'tensor slicing', node) : new Unknown('slice');
    const r = slice(items, start, stop, step);
    if (r === null) return new Unknown('slice');
    if (typeof obj === 'string') return r.join('');
    if (obj instanceof TorchContainer) return new TorchContainer('Sequential', new Map(r.map((v, i) => [String(i), v])), obj.source);
    return obj instanceof PyTuple ? new PyTuple(r) : new PyList(r);
  }
  const index = it.eval(sub, scope);
  return indexValue(it, obj, index, node);
}

function indexValue(it: PythonInterpreter, obj: Value, index: Value, node: SyntaxNode): Value {
  if (obj instanceof ConstTensor) return indexArray(obj, index);
  if ((isSeq(obj) || typeof obj === 'string') && typeof index === 'number') {
    const items = typeof obj === 'string' ? [...obj] : obj.items;
    const i = index < 0 ? items.length + index : index;
    // A stored None (null) is an item: only a position outside the sequence is unknown.
    return Number.isInteger(i) && i >= 0 && i < items.length ? items[i]! : new Unknown('index out of range');
  }
  const key = keyOf(index);
  if (obj instanceof PyDict && key !== undefined) return obj.map.has(key) ? obj.map.get(key)! : new Unknown(`no key ${String(key)}`);
  if (index instanceof PyFloat) return new Unknown('an index that is a float (a TypeError in Python)');
  if (obj instanceof TorchContainer) {
    if (typeof index === 'number') {
      const items = [...obj.children.values()];
      return items[index < 0 ? items.length + index : index] ?? new Unknown('index out of range');
    }
    if (typeof index === 'string') return obj.children.get(index) ?? new Unknown(`no module ${index}`);
  }
  const item = moduleItem(obj, index);
  if (item !== undefined) return item;
  if (isTensor(obj)) return it.opaque(obj, 'tensor indexing', node);
  const ofWeight = indexWeight(obj, index);
  if (ofWeight !== undefined) return ofWeight;
  if (obj instanceof Extern) return new Unknown(`${obj.path}[...]`);
  return new Unknown('index');
}

export function eq(a: Value, b: Value): boolean | null {
  const x = numeric(a);
  const y = numeric(b);
  if (x && y) return x.value === y.value;
  if (isKey(a) && isKey(b)) return a === b;
  if (isSeq(a) && isSeq(b)) {
    if (a.items.length !== b.items.length) return false;
    for (let i = 0; i < a.items.length; i++) {
      const r = eq(a.items[i]!, b.items[i]!);
      if (r !== true) return r;
    }
    return true;
  }
  if (a instanceof AutoName && typeof b === 'string') return a.couldBe(b) ? null : false;
  if (b instanceof AutoName && typeof a === 'string') return b.couldBe(a) ? null : false;
  // Two tensors of the model's one input have one batch (`x.shape != skip.shape`), whatever its size.
  if (a instanceof BatchDim && b instanceof BatchDim && !a.derived && !b.derived) return true;
  if (a instanceof Unknown || b instanceof Unknown || a instanceof BatchDim || b instanceof BatchDim) return null;
  if (isKey(a) || isKey(b)) return false;
  const builtinClasses = sameBuiltinClass(a, b);
  if (builtinClasses !== undefined) return builtinClasses;
  // Two names of one library class are equal (pix2pix's `norm_layer.func == nn.InstanceNorm2d`): each mention
  // is its own Extern object, so identity would say False.
  const named = sameLibraryName(a, b);
  if (named !== undefined) return named;
  return a === b;
}

/**
 * Two mentions of Python's builtin classes (`type(size) == list`, `type(x) is tuple`): each mention of a builtin
 * name is its own value, so identity would say False. Undefined when either is not a builtin class.
 */
function sameBuiltinClass(a: Value, b: Value): boolean | undefined {
  const builtin = (v: Value): v is Builtin => v instanceof Builtin && v.constructor === Builtin && BUILTIN_CLASSES.has(v.name);
  return builtin(a) && builtin(b) ? a.name === b.name : undefined;
}

const BUILTIN_CLASSES = new Set(['int', 'float', 'str', 'bool', 'list', 'tuple', 'dict', 'set', 'frozenset', 'object', 'type', 'bytes', 'complex', 'range']);

/**
 * Two names of library classes: the same class when the paths are; PyTorch classes named differently are
 * different (torch.nn.ReLU is not torch.nn.ReLU6). One name under two paths may be an alias
 * (torch.nn.modules.activation.ReLU), and other libraries' names may be too, so those stay unknown.
 */
function sameExtern(a: Extern, b: Extern): boolean | null {
  // One path names one class; a value (numpy.nan, a module constant) may not equal itself.
  if (a.path === b.path) return /^[A-Z]/.test(lastName(a.path)) || UNALIASED.has(a.path) ? true : null;
  // functools.partial and type have no aliases the reader makes: each differs from every other class it names.
  if ((UNALIASED.has(a.path) || TORCH_CLASS.test(a.path)) && (UNALIASED.has(b.path) || TORCH_CLASS.test(b.path)) && (UNALIASED.has(a.path) || UNALIASED.has(b.path))) return false;
  return TORCH_CLASS.test(a.path) && TORCH_CLASS.test(b.path) && lastName(a.path) !== lastName(b.path) ? false : null;
}

const UNALIASED = new Set(['functools.partial', 'builtins.type']);

/**
 * Library names compared by `==` / `is`: true or false where the reader knows, null where one may be an alias or a
 * value it cannot compare, undefined when neither side is a library name. type(cls) is builtins.type, and the bare
 * name `type` is that builtin itself (`type(norm_layer) == type`).
 */
function sameLibraryName(a: Value, b: Value): boolean | null | undefined {
  if (a instanceof Extern && b instanceof Extern) return sameExtern(a, b);
  const ext = a instanceof Extern ? a : b instanceof Extern ? b : null;
  const other = ext === a ? b : a;
  if (ext && other instanceof Builtin && ext.path.startsWith('builtins.')) return ext.path === `builtins.${other.name}`;
  return undefined;
}

function repeat(it: PythonInterpreter, v: PyList | PyTuple | string, n: number, node: SyntaxNode): Value {
  it.checkSize(n * (typeof v === 'string' ? v.length : v.items.length), node);
  if (typeof v === 'string') return v.repeat(Math.max(0, n));
  const items: Value[] = [];
  for (let i = 0; i < n; i++) items.push(...v.items);
  return v instanceof PyTuple ? new PyTuple(items) : new PyList(items);
}

function slice(items: Value[], start: Value | undefined, stop: Value | undefined, step: Value | undefined): Value[] | null {
  const n = items.length;
  const st = step === undefined || step === null ? 1 : step;
  if (typeof st !== 'number' || st === 0) return null;
  const norm = (v: Value | undefined, dflt: number): number | null => {
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'number') return null;
    return v < 0 ? Math.max(n + v, st > 0 ? 0 : -1) : Math.min(v, st > 0 ? n : n - 1);
  };
  const a = norm(start, st > 0 ? 0 : n - 1);
  const b = norm(stop, st > 0 ? n : -1);
  if (a === null || b === null) return null;
  const out: Value[] = [];
  for (let i = a; st > 0 ? i < b : i > b; i += st) out.push(items[i]!);
  return out;
}
