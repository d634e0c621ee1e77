/**
 * JSON.stringify for the plain data specs and layer arguments are (numbers, strings, booleans, null, arrays,
 * plain objects), written out without a replacer call for every value, and with non-finite numbers kept distinct
 * (JSON would write NaN, Infinity and null alike): a key for caches of what depends only on that data.
 */

/** The text of `value`, or null when it holds anything but plain data (a class instance, a Map, a cycle too deep). */
export function plainJson(value: unknown, depth = 0): string | null {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? String(value) : JSON.stringify(`\u0000${value}`);
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (depth > 32) return null;
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          const text = item === undefined || typeof item === 'function' || typeof item === 'symbol' ? 'null' : plainJson(item, depth + 1);
          if (text === null) return null;
          out += i === 0 ? text : `,${text}`;
        }
        return `${out}]`;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if ((proto !== Object.prototype && proto !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') return null;
      let out = '{';
      let first = true;
      for (const key of Object.keys(value)) {
        const item = (value as Record<string, unknown>)[key];
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
        const text = plainJson(item, depth + 1);
        if (text === null) return null;
        out += `${first ? '' : ','}${JSON.stringify(key)}:${text}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      return null;
  }
}

/** The replacer that gives JSON.stringify the same distinct non-finite numbers, for what plainJson refuses. */
export const distinctNonFinite = (_key: string, value: unknown): unknown => (typeof value === 'number' && !Number.isFinite(value) ? `\u0000${value}` : value);
