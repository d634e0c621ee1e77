/**
 * itertools functions on values the reader can list (timm's `to_2tuple` is `tuple(repeat(x, n))`): the items
 * Python's iterator would yield, as a list; an endless or unlistable iterator stays unknown.
 */
import type { PythonInterpreter } from './interpreter';
import { PyList, Unknown, type Value } from './values';

export function callItertools(it: PythonInterpreter, path: string, args: Value[], kwargs: Map<string, Value>): Value | undefined {
  if (path === 'itertools.repeat') {
    const times = args[1] ?? kwargs.get('times');
    if (args[0] === undefined || typeof times !== 'number' || !Number.isInteger(times)) return new Unknown('itertools.repeat without a known count');
    if (times > it.limits.maxValueSize) return new Unknown('itertools.repeat: too many items');
    return new PyList(Array.from({ length: Math.max(0, times) }, () => args[0]!));
  }
  if (path === 'itertools.chain') {
    const lists = args.map((a) => it.iterate(a));
    if (lists.some((l) => l === null)) return new Unknown('itertools.chain of values the reader could not list');
    return new PyList(lists.flatMap((l) => l!));
  }
  return undefined;
}
