/**
 * `@dataclass` classes (torchvision's EfficientNet block configs, `_MBConvConfig`): Python generates an
 * `__init__` that takes the annotated fields in order, base classes' fields first, each with its class-level
 * default; a subclass's `super().__init__(...)` calls it too. The reader gives such a class the same __init__.
 */
import { field, namedChildren, type SyntaxNode } from '../syntax';
import type { PythonInterpreter } from './interpreter';
import { Builtin, PyClass, PyObj, Unknown, type Value } from './values';

/** The generated __init__: takes the object first (instantiate() and super().__init__ bind it). */
export class DataclassInit extends Builtin {}

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
    new DataclassInit('__init__', ([self, ...args], kwargs) => {
      if (!(self instanceof PyObj)) return new Unknown('dataclass __init__ without an object');
      fields.forEach((f, i) => {
        let v: Value | undefined = i < args.length ? args[i] : kwargs.get(f.name);
        if (v === undefined && f.hasDefault) v = it.lookupClassAttr(self.cls, f.name);
        // Python raises a TypeError for a missing field; the reader does not guess a value.
        self.attrs.set(f.name, v ?? new Unknown(`dataclass field ${f.name} not given`));
      });
      return null;
    }),
  );
}
