/**
 * copy.copy / copy.deepcopy of plain Python data (Keras Applications deep-copy their module-level block
 * tables before popping keys from them). Only data the reader fully knows is copied; anything else (a
 * tensor, a layer, a list some unseen code may have changed) is Unknown, never shared by mistake.
 */
import { Extern, isKey, PyClass, PyDict, PyFloat, PyFunc, PyList, PyObj, PyTuple, Unknown, type Value } from './values';

const COPY_FUNCTIONS = new Set(['copy.copy', 'copy.deepcopy']);

/** The copy, or undefined when `path` is not one of the copy module's functions. */
export function callCopy(path: string, args: Value[]): Value | undefined {
  if (!COPY_FUNCTIONS.has(path)) return undefined;
  const value = args[0];
  if (value === undefined) return new Unknown(`${path}() with no argument`);
  const copied = path === 'copy.deepcopy' ? deepCopy(value) : shallowCopy(value);
  return copied ?? new Unknown(`${path}() of a value the reader does not know completely`);
}

function shallowCopy(v: Value): Value | null {
  if (isKey(v) || v instanceof PyFloat) return v;
  if (v instanceof PyObj) {
    // copy.copy(cnf) of a config object (torchvision's MBConvConfig): a new object with the same attributes.
    const copy = new PyObj(v.cls);
    for (const [k, x] of v.attrs) copy.attrs.set(k, x);
    return copy;
  }
  if (v instanceof PyList) return v.tainted ? null : new PyList([...v.items]);
  if (v instanceof PyTuple) return v;
  if (v instanceof PyDict) return v.tainted ? null : new PyDict(new Map(v.map));
  return null;
}

/**
 * A deep copy of numbers, strings, lists, tuples and dicts of them; null when any part is something else.
 * Classes and functions are kept as they are, as Python's deepcopy does (`_deepcopy_atomic`): timm's block
 * tables hold activation classes (`act_layer=nn.ReLU`).
 */
function deepCopy(v: Value): Value | null {
  if (isKey(v) || v instanceof PyFloat) return v;
  if (v instanceof PyClass || v instanceof PyFunc || (v instanceof Extern && isClassOrFunctionPath(v.path))) return v;
  if (v instanceof PyList || v instanceof PyTuple) {
    if (v instanceof PyList && v.tainted) return null;
    const items: Value[] = [];
    for (const item of v.items) {
      const c = deepCopy(item);
      if (c === null && item !== null) return null;
      items.push(c);
    }
    return v instanceof PyList ? new PyList(items) : new PyTuple(items);
  }
  if (v instanceof PyDict) {
    if (v.tainted) return null;
    const map = new Map<string | number | boolean | null, Value>();
    for (const [k, item] of v.map) {
      const c = deepCopy(item);
      if (c === null && item !== null) return null;
      map.set(k, c);
    }
    return new PyDict(map);
  }
  return null;
}

/** A library name that is a class or a function (torch.nn.ReLU, torch.nn.functional.relu), not a module. */
function isClassOrFunctionPath(path: string): boolean {
  const last = path.slice(path.lastIndexOf('.') + 1);
  return /^[A-Z]/.test(last) || /^torch\.nn\.functional\.\w+$/.test(path);
}
