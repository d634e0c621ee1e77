/**
 * `@dataclass` classes (torchvision's EfficientNet block configs, `_MBConvConfig`): Python generates an
 * `__init__` that takes the annotated fields in order, base classes' fields first, each with its class-level
 * default; a subclass's `super().__init__(...)` calls it too, then `__post_init__`. The reader gives such a class
 * the same __init__, and follows `field(default=…, default_factory=…)`, `replace(obj, **changes)` and `asdict(obj)`
 * as the standard library defines them (timm's ByoModelCfg, CspModelCfg, RegNetCfg are built that way).
 */
import { field, namedChildren, type SyntaxNode } from '../syntax';
import type { PythonInterpreter } from './interpreter';
import { Builtin, PyClass, PyDict, PyList, PyObj, PyTuple, Unknown, type Value } from './values';

/** The generated __init__: takes the object first (instantiate() and super().__init__ bind it). */
export class DataclassInit extends Builtin {}

/** A class-level `field(...)`: its default, or the factory called for each new object. */
class FieldSpec extends Builtin {
  constructor(
    readonly fallback: Value | undefined,
    readonly factory: Value | undefined,
  ) {
    super('field', () => new Unknown('a dataclass field() called'));
  }
}

interface DataField {
  name: string;
  hasDefault: boolean;
}

const FIELDS = new WeakMap<PyClass, DataField[]>();

/** `@dataclass`, `@dataclasses.dataclass`, `@dataclass(frozen=True)`. */
export function isDataclassDecorator(text: string): boolean {
  return /^@\s*(dataclasses\s*\.\s*)?dataclass\b/.test(text);
}

/** The `name: type [= default]` lines of a class body, in order. */
function ownFields(it: PythonInterpreter, node: SyntaxNode): DataField[] {
  const out: DataField[] = [];
  for (const stmt of field(node, 'body')?.children ?? []) {
    if (stmt.type !== 'expression_statement') continue;
    const a = namedChildren(stmt)[0];
    if (a?.type !== 'assignment' || !field(a, 'type')) continue;
    const left = field(a, 'left');
    if (left?.type !== 'identifier') continue;
    if (/^\s*(typing\.)?ClassVar\b/.test(it.text(field(a, 'type')!))) continue;
    out.push({ name: it.text(left), hasDefault: field(a, 'right') !== null && field(a, 'right') !== undefined });
  }
  return out;
}

/** Gives `cls` its generated __init__ unless it writes its own. */
export function makeDataclass(it: PythonInterpreter, cls: PyClass): void {
  const inherited = cls.bases.flatMap((b) => (b instanceof PyClass ? (FIELDS.get(b) ?? []) : []));
  const fields = [...inherited.filter((f) => !ownFields(it, cls.node).some((o) => o.name === f.name)), ...ownFields(it, cls.node)];
  FIELDS.set(cls, fields);
  if (cls.attrs.has('__init__')) return;
  cls.attrs.set(
    '__init__',
    new DataclassInit('__init__', ([self, ...args], kwargs, node) => {
      if (!(self instanceof PyObj)) return new Unknown('dataclass __init__ without an object');
      fields.forEach((f, i) => {
        // None (null) given or defaulted is a value, not a missing one.
        let v: Value | undefined = i < args.length ? args[i] : kwargs.get(f.name);
        if (v === undefined && f.hasDefault) v = it.lookupClassAttr(self.cls, f.name);
        if (v instanceof FieldSpec) v = v.factory !== undefined ? it.callValue(v.factory, [], new Map(), node) : v.fallback;
        // Python raises a TypeError for a missing field; the reader does not guess a value.
        self.attrs.set(f.name, v === undefined ? new Unknown(`dataclass field ${f.name} not given`) : v);
      });
      const post = it.lookupClassAttr(self.cls, '__post_init__');
      if (post !== undefined) it.callValue(post, [self], new Map(), node);
      return null;
    }),
  );
}

/** `dataclasses.field / replace / asdict`; undefined for any other path. */
export function callDataclasses(it: PythonInterpreter, path: string, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value | undefined {
  if (path === 'dataclasses.field') return new FieldSpec(kwargs.get('default'), kwargs.get('default_factory'));
  if (path === 'dataclasses.replace') {
    const obj = args[0];
    const fields = obj instanceof PyObj ? FIELDS.get(obj.cls) : undefined;
    if (!(obj instanceof PyObj) || !fields || args.length !== 1) return new Unknown('replace() of a value that is not a dataclass object');
    // Python's replace: a new object of the class, its __init__ given every field, the changes over them.
    const given = new Map<string, Value>(fields.map((f) => [f.name, obj.attrs.has(f.name) ? obj.attrs.get(f.name)! : new Unknown(`field ${f.name}`)]));
    for (const [k, v] of kwargs) given.set(k, v);
    return it.callValue(obj.cls, [], given, node);
  }
  if (path === 'dataclasses.asdict') return args.length === 1 ? asDict(args[0]!) : new Unknown('asdict()');
  return undefined;
}

/** Python's asdict: dataclass objects to dicts, recursing through lists, tuples and dicts; other values as they are. */
function asDict(v: Value): Value {
  const fields = v instanceof PyObj ? FIELDS.get(v.cls) : undefined;
  if (v instanceof PyObj && fields) return new PyDict(new Map(fields.map((f) => [f.name, asDict(v.attrs.has(f.name) ? v.attrs.get(f.name)! : new Unknown(`field ${f.name}`))])));
  if (v instanceof PyList) return new PyList(v.items.map(asDict));
  if (v instanceof PyTuple) return new PyTuple(v.items.map(asDict));
  if (v instanceof PyDict) return new PyDict(new Map([...v.map].map(([k, x]) => [k, asDict(x)])));
  return v;
}
