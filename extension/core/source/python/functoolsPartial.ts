/**
 * functools.partial objects: calling one calls the function with the bound arguments first, and, as in
 * Python, `p.func`, `p.args` and `p.keywords` are what was bound and `isinstance(p, functools.partial)` holds
 * (timm's get_norm_act_layer unwraps `partial(nn.BatchNorm2d, eps=…)` that way).
 */
import type { PythonInterpreter } from './interpreter';
import { Builtin, PyDict, PyTuple, Unknown, type Value } from './values';

const parts = new WeakMap<Builtin, { fn: Value; args: Value[]; keywords: Map<string, Value> }>();

export function makePartial(it: PythonInterpreter, fn: Value | undefined, bound: Value[], kwargs: Map<string, Value>): Value {
  if (fn === undefined) return new Unknown('partial');
  // partial(partial(f, a), b) is partial(f, a, b), as functools flattens it.
  const inner = fn instanceof Builtin ? parts.get(fn) : undefined;
  const target = inner ? inner.fn : fn;
  const args = inner ? [...inner.args, ...bound] : bound;
  const keywords = new Map([...(inner?.keywords ?? []), ...kwargs]);
  const p = new Builtin('partial', (more, kw, n) => it.callValue(target, [...args, ...more], new Map([...keywords, ...kw]), n));
  parts.set(p, { fn: target, args, keywords });
  return p;
}

export function isPartial(v: Value): boolean {
  return v instanceof Builtin && parts.has(v);
}

/** `p.func`, `p.args`, `p.keywords` of a partial; undefined for anything else. */
export function partialAttr(v: Value, name: string): Value | undefined {
  const p = v instanceof Builtin ? parts.get(v) : undefined;
  if (!p) return undefined;
  if (name === 'func') return p.fn;
  if (name === 'args') return new PyTuple([...p.args]);
  if (name === 'keywords') {
    const d = new PyDict();
    for (const [k, x] of p.keywords) d.map.set(k, x);
    return d;
  }
  return undefined;
}
