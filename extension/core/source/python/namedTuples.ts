/**
 * `collections.namedtuple` (EfficientNet-PyTorch's BlockArgs and GlobalParams, torchvision's old model outputs):
 * a tuple class whose items also have names. The reader follows what the standard library defines: the class
 * takes its fields by position or keyword, missing ones from `defaults=` (the last fields) or from
 * `X.__new__.__defaults__ = (...)` written after it; `obj.field`, `obj[i]`, unpacking, `obj._replace(**changes)`,
 * `obj._asdict()`, `X._fields`, `X._make(iterable)`. Where Python raises (a field not given, an unknown keyword)
 * the value is unknown with Python's reason, never a guess.
 */
import type { PythonInterpreter } from './interpreter';
import { Builtin, PyDict, PyList, PyTuple, Unknown, type Value } from './values';

/** The class namedtuple() returns; calling it makes an instance. */
export class NamedTupleType extends Builtin {
  /** Defaults of the last fields, as `defaults=` or `__new__.__defaults__` gave them (Python's own layout). */
  defaults: Value[] = [];

  constructor(
    readonly typeName: string,
    readonly fields: string[],
  ) {
    super(typeName, (args, kwargs) => this.make(args, kwargs));
  }

  make(args: Value[], kwargs: Map<string, Value>): Value {
    const n = this.fields.length;
    if (args.length > n) return new Unknown(`${this.typeName}() takes ${n} arguments but ${args.length} were given (Python raises TypeError)`);
    const items: (Value | undefined)[] = [...args];
    for (const [k, v] of kwargs) {
      const i = this.fields.indexOf(k);
      if (i < 0) return new Unknown(`${this.typeName}() got an unexpected keyword argument '${k}' (Python raises TypeError)`);
      if (i < args.length) return new Unknown(`${this.typeName}() got multiple values for argument '${k}' (Python raises TypeError)`);
      items[i] = v;
    }
    const firstDefault = n - this.defaults.length;
    for (let i = 0; i < n; i++) {
      if (items[i] !== undefined) continue;
      if (i < firstDefault) return new Unknown(`${this.typeName}() missing the argument '${this.fields[i]}' (Python raises TypeError)`);
      items[i] = this.defaults[i - firstDefault];
    }
    return new NamedTupleValue(this, items as Value[]);
  }
}

/** An instance: a tuple (indexing, unpacking, len) that also answers its field names. */
export class NamedTupleValue extends PyTuple {
  constructor(
    readonly type: NamedTupleType,
    items: Value[],
  ) {
    super(items);
  }
}

/** `X.__new__`: `X.__new__(X, ...)` makes an instance; its `__defaults__` is read and written (the pre-3.7 way to give defaults). */
export class NamedTupleNew extends Builtin {
  constructor(readonly type: NamedTupleType) {
    super('__new__', ([, ...args], kwargs) => type.make(args, kwargs));
  }
}

/** Field names from a list/tuple of strings, or one string split on commas and spaces. */
function fieldNames(v: Value | undefined): string[] | null {
  if (typeof v === 'string') return v.replace(/,/g, ' ').split(/\s+/).filter((s) => s.length > 0);
  if (v instanceof PyList || v instanceof PyTuple) return v.items.every((x) => typeof x === 'string') ? (v.items as string[]) : null;
  return null;
}

/** `collections.namedtuple(typename, field_names, *, defaults=None, ...)`; undefined for any other path. */
export function callNamedTuple(it: PythonInterpreter, path: string, args: Value[], kwargs: Map<string, Value>): Value | undefined {
  if (path !== 'collections.namedtuple') return undefined;
  const name = args[0] ?? kwargs.get('typename');
  const fields = fieldNames(args[1] ?? kwargs.get('field_names'));
  if (typeof name !== 'string' || fields === null) return new Unknown('namedtuple() with a name or fields the reader could not evaluate');
  // rename=True replaces invalid names; the reader does not model that.
  if (kwargs.has('rename') && it.truthy(kwargs.get('rename')!) !== false) return new Unknown('namedtuple(rename=True)');
  const type = new NamedTupleType(name, fields);
  const defaults = kwargs.get('defaults');
  if (defaults !== undefined && defaults !== null) {
    const items = it.iterate(defaults);
    if (items === null || items.length > fields.length) return new Unknown('namedtuple() defaults the reader could not evaluate');
    type.defaults = items;
  }
  return type;
}

/** Attributes of a namedtuple class, instance or `X.__new__`; undefined when `obj` is none of them. */
export function namedTupleAttr(it: PythonInterpreter, obj: Value, name: string): Value | undefined {
  if (obj instanceof NamedTupleNew) {
    if (name === '__defaults__') return obj.type.defaults.length === 0 ? null : new PyTuple([...obj.type.defaults]);
    return new Unknown(`${obj.type.typeName}.__new__.${name}`);
  }
  if (obj instanceof NamedTupleType) {
    if (name === '_fields') return new PyTuple([...obj.fields]);
    if (name === '__new__') return new NamedTupleNew(obj);
    if (name === '__name__') return obj.typeName;
    if (name === '_field_defaults') return new PyDict(new Map(obj.defaults.map((d, i) => [obj.fields[obj.fields.length - obj.defaults.length + i]!, d])));
    if (name === '_make') {
      // A class's attributes are not bound (getAttr): the iterable comes first.
      return new Builtin('_make', ([iterable]) => {
        const items = iterable === undefined ? null : it.iterate(iterable);
        return items === null ? new Unknown(`${obj.typeName}._make() of a value the reader could not iterate`) : obj.make(items, new Map());
      });
    }
    return new Unknown(`${obj.typeName}.${name}`);
  }
  if (!(obj instanceof NamedTupleValue)) return undefined;
  const i = obj.type.fields.indexOf(name);
  if (i >= 0) return obj.items[i]!;
  if (name === '_fields') return new PyTuple([...obj.type.fields]);
  // The reader's methods take the object first (getAttr binds them).
  if (name === '_asdict') return new Builtin('_asdict', () => new PyDict(new Map(obj.type.fields.map((f, j) => [f, obj.items[j]!]))));
  if (name === '_replace') {
    return new Builtin('_replace', ([, ...args], kwargs) => {
      if (args.length > 0) return new Unknown('_replace() takes keyword arguments only (Python raises TypeError)');
      const items = [...obj.items];
      for (const [k, v] of kwargs) {
        const j = obj.type.fields.indexOf(k);
        if (j < 0) return new Unknown(`_replace() got an unexpected field name '${k}' (Python raises ValueError)`);
        items[j] = v;
      }
      return new NamedTupleValue(obj.type, items);
    });
  }
  return new Unknown(`${obj.type.typeName}.${name}`);
}

/** `X.__new__.__defaults__ = (...)`: true when handled. A value the reader cannot iterate leaves the defaults unknown. */
export function setNamedTupleAttr(it: PythonInterpreter, obj: Value, name: string, value: Value): boolean {
  if (!(obj instanceof NamedTupleNew)) return false;
  if (name !== '__defaults__') return false;
  const items = value === null ? [] : it.iterate(value);
  const type = obj.type;
  if (items === null || items.length > type.fields.length) {
    // Every field may now have a default the reader does not know: an instance made without them is unknown.
    type.defaults = type.fields.map((f) => new Unknown(`the default of ${type.typeName}.${f}, set from a value the reader could not evaluate`));
    return true;
  }
  type.defaults = items;
  return true;
}
