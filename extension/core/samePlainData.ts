/**
 * Whether two values are the same plain data (numbers, strings, booleans, null, undefined, arrays, plain objects
 * with the same keys in the same order), compared without building any text: what a cache of something that
 * depends only on such data (a spec) checks before it gives the earlier answer. Numbers compare as Object.is
 * (NaN is NaN, -0 is not 0); anything but plain data is the same only when it is the same object.
 */
export function samePlainData(a: unknown, b: unknown, depth = 0): boolean {
  if (typeof a === 'number') return typeof b === 'number' && Object.is(a, b);
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || depth > 64) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!samePlainData(a[i], b[i], depth + 1)) return false;
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(a);
  if ((proto !== Object.prototype && proto !== null) || Object.getPrototypeOf(b) !== proto) return false;
  const keys = Object.keys(a);
  const others = Object.keys(b);
  if (keys.length !== others.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key !== others[i] || !samePlainData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}
