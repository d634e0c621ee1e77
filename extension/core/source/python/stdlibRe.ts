/**
 * Python's `re.split` and `re.sub` (without back-references) on constant strings (timm's
 * `_decode_block_str` splits `ir_r2_k3_s2_e6_c24_se0.25` options with `re.split(r'(\d.*)', op)`). A pattern is
 * used as a JavaScript RegExp only when it has none of the syntax whose meaning differs between the two
 * (named groups, inline flags, look-behind, `\Z`, possessive forms…): anything else is unknown.
 */
import { PyList, Unknown, type Value } from './values';

/** Characters and escapes that mean the same in Python's `re` and JavaScript's RegExp. */
const PORTABLE = /^(?:[^\\(]|\\[dDwWsS.\\\-+*?()[\]{}|^$/_]|\((?!\?))*$/;

function regex(pattern: Value, flags = ''): RegExp | null {
  if (typeof pattern !== 'string' || !PORTABLE.test(pattern)) return null;
  try {
    return new RegExp(pattern, flags);
  } catch {
    return null;
  }
}

/** The value of `re.<name>(...)`, or undefined when `path` is not one of these functions. */
export function callRe(path: string, args: Value[]): Value | undefined {
  if (!path.startsWith('re.')) return undefined;
  const name = path.slice(3);
  const [pattern, a, b] = args;
  if (name === 'split') {
    const r = regex(pattern ?? null);
    // Python keeps what capturing groups matched, as JavaScript's split does; maxsplit is not modelled.
    return r && typeof a === 'string' && args.length === 2 ? new PyList(a.split(r).map((s) => s ?? null)) : new Unknown(path);
  }
  if (name === 'sub') {
    const r = regex(pattern ?? null, 'g');
    return r && typeof a === 'string' && typeof b === 'string' && !/[\\$]/.test(a) && args.length === 3 ? b.replace(r, a) : new Unknown(path);
  }
  return new Unknown(path);
}
