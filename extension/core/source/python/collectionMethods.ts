/** Methods of Python lists, dicts and strings (append, items, format, join, ...). */
import { LimitError } from '../trace';
import type { PythonInterpreter } from './interpreter';
import { Builtin, isKey, keyOf, PyDict, PyList, PyTuple, Unknown, type Value } from './values';
import { eq } from './operators';
import { formatSpec } from './conversions';

export function listMethod(it: PythonInterpreter, list: PyList, name: string): Value | undefined {
  switch (name) {
    case 'append':
      return new Builtin(name, ([, v]) => {
        if (list.items.length >= it.limits.maxLayers) throw new LimitError('a list grew past the layer limit');
        list.items.push(v ?? null);
        return null;
      });
    case 'extend':
      return new Builtin(name, ([, v]) => {
        const items = it.iterate(v ?? null);
        it.checkSize(list.items.length + (items?.length ?? 1), null);
        if (items) list.items.push(...items);
        else list.items.push(new Unknown('extend'));
        return null;
      });
    case 'insert':
      return new Builtin(name, ([, i, v]) => {
        if (typeof i === 'number') list.items.splice(i < 0 ? list.items.length + i : i, 0, v ?? null);
        return null;
      });
    case 'pop':
      return new Builtin(name, ([, i]) => {
        const idx = typeof i === 'number' ? (i < 0 ? list.items.length + i : i) : list.items.length - 1;
        if (!Number.isInteger(idx) || idx < 0 || idx >= list.items.length) return new Unknown('pop');
        return list.items.splice(idx, 1)[0]!;
      });
    case 'copy':
      return new Builtin(name, () => new PyList([...list.items]));
    case 'reverse':
      return new Builtin(name, () => {
        list.items.reverse();
        return null;
      });
    // set(...) is held as a list of distinct items (builtins.ts).
    case 'issubset':
    case 'issuperset':
      return new Builtin(name, ([, other]) => {
        const items = it.iterate(other ?? null);
        if (!items || items.some((x) => x instanceof Unknown) || list.items.some((x) => x instanceof Unknown)) return new Unknown(name);
        const [inner, outer] = name === 'issubset' ? [list.items, items] : [items, list.items];
        return inner.every((x) => outer.some((y) => eq(x, y) === true));
      });
    case 'index':
      return new Builtin(name, ([, v]) => {
        const i = list.items.findIndex((x) => eq(x, v ?? null) === true);
        return i < 0 ? new Unknown('index') : i;
      });
    default:
      return undefined;
  }
}

export function dictMethod(d: PyDict, name: string): Value | undefined {
  switch (name) {
    case 'items':
      return new Builtin(name, () => new PyList([...d.map].map(([k, v]) => new PyTuple([k, v]))));
    case 'keys':
      return new Builtin(name, () => new PyList([...d.map.keys()]));
    case 'values':
      return new Builtin(name, () => new PyList([...d.map.values()]));
    case 'get':
      return new Builtin(name, ([, k, dflt]) => {
        const key = keyOf(k ?? null);
        return key !== undefined && d.map.has(key) ? d.map.get(key)! : dflt ?? null;
      });
    case 'update':
      return new Builtin(name, ([, o], kw) => {
        if (o instanceof PyDict) for (const [k, v] of o.map) d.map.set(k, v);
        for (const [k, v] of kw) d.map.set(k, v);
        return null;
      });
    case 'setdefault':
      return new Builtin(name, ([, k, v]) => {
        const key = keyOf(k ?? null);
        if (key === undefined) return new Unknown('setdefault');
        if (!d.map.has(key)) d.map.set(key, v ?? null);
        return d.map.get(key)!;
      });
    case 'pop':
      return new Builtin(name, (args) => {
        const [, k] = args;
        if (!isKey(k ?? null)) return new Unknown('pop');
        // A stored None is a value: only a missing key falls back to the default, and a default of None (null)
        // is a default too (`kwargs.pop('norm_layer', None)`); only none given is a KeyError.
        if (!d.map.has(k as string)) return args.length > 2 ? args[2]! : new Unknown(`pop of a missing key ${String(k)}`);
        const v = d.map.get(k as string)!;
        d.map.delete(k as string);
        return v;
      });
    case 'copy':
      return new Builtin(name, () => new PyDict(new Map(d.map)));
    default:
      return undefined;
  }
}

export function stringMethod(it: PythonInterpreter, s: string, name: string): Value | undefined {
  switch (name) {
    case 'format':
      return new Builtin(name, ([, ...args], kwargs) => {
        let auto = 0;
        let failed = false;
        const out = s.replace(/\{([^{}]*)\}/g, (_m, key: string) => {
          const [k, spec] = [key.split(/[:!]/)[0]!, /:(.*)$/.exec(key)?.[1] ?? ''];
          const v = k === '' ? args[auto++] : /^\d+$/.test(k) ? args[Number(k)] : kwargs.get(k);
          const t = v === undefined ? null : formatSpec(v, spec, (x) => it.str(x));
          if (t === null) failed = true;
          return t ?? '';
        });
        return failed ? new Unknown('format') : out;
      });
    case 'join':
      return new Builtin(name, ([, items]) => {
        const list = it.iterate(items ?? null);
        if (!list || !list.every((x) => typeof x === 'string')) return new Unknown('join');
        it.checkSize((list as string[]).reduce((n, x) => n + x.length + s.length, 0), null);
        return (list as string[]).join(s);
      });
    case 'upper':
      return new Builtin(name, () => s.toUpperCase());
    case 'lower':
      return new Builtin(name, () => s.toLowerCase());
    case 'startswith':
      return new Builtin(name, ([, p]) => (typeof p === 'string' ? s.startsWith(p) : new Unknown('startswith')));
    case 'isdigit':
      // Python's isdigit also takes other scripts' digits: only an ASCII string is answered.
      return new Builtin(name, () => (/^[\x00-\x7f]*$/.test(s) ? /^\d+$/.test(s) : new Unknown('isdigit of a non-ASCII string')));
    case 'endswith':
      return new Builtin(name, ([, p]) => (typeof p === 'string' ? s.endsWith(p) : new Unknown('endswith')));
    case 'replace':
      return new Builtin(name, ([, a, b]) => (typeof a === 'string' && typeof b === 'string' ? s.split(a).join(b) : new Unknown('replace')));
    case 'split':
      return new Builtin(name, ([, sep]) => new PyList(typeof sep === 'string' ? s.split(sep) : s.trim().split(/\s+/)));
    case 'strip':
      return new Builtin(name, () => s.trim());
    default:
      return undefined;
  }
}
