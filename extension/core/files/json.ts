import { ModelFileError } from './diagnostics';

/** UTF-8 JSON from a file; a parse failure names where it came from. */
export function parseJson(bytes: Uint8Array, where: string): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ModelFileError(`${where}: not UTF-8 text`);
  }
  try {
    return parsePythonJson(text);
  } catch (error) {
    throw new ModelFileError(`${where}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Python's json tokens that JSON.parse refuses, as the sentinel strings they are read as, then revived. */
const SENTINEL = '\u0000python-json:';
const PYTHON_NUMBERS: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY };

/**
 * JSON as Python's json module writes it: Keras saves a config with `json.dumps`, which writes float('nan') and
 * float('inf') (a ReLU(max_value=inf), a Masking(mask_value=nan)) as the bare tokens NaN, Infinity and -Infinity
 * (allow_nan=True, its default), and json.loads reads them back. They are read as those numbers here, only where a
 * value can stand (never inside a string); any other invalid JSON is still an error.
 */
export function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // A string of the file's own that spells the sentinel would be revived as a number: such a file is not rewritten.
    if (/\\u0000/i.test(text)) throw error;
    const rewritten = withPythonNumbersQuoted(text);
    if (rewritten === null) throw error;
    return JSON.parse(rewritten, (_key, value: unknown) =>
      typeof value === 'string' && value.startsWith(SENTINEL) ? PYTHON_NUMBERS[value.slice(SENTINEL.length)] : value,
    ) as unknown;
  }
}

/** The text with each bare NaN / Infinity / -Infinity value (after `[`, `,` or `:`) as a sentinel string; null when it has none. */
function withPythonNumbersQuoted(text: string): string | null {
  const out: string[] = [];
  let last = 0;
  let previous = '';
  let found = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      // Past the string, escapes included.
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      previous = '"';
      continue;
    }
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t') continue;
    const token = c === 'N' || c === 'I' || c === '-' ? Object.keys(PYTHON_NUMBERS).find((t) => text.startsWith(t, i)) : undefined;
    if (token !== undefined && (previous === '[' || previous === ',' || previous === ':') && !/[\w.]/.test(text[i + token.length] ?? '')) {
      out.push(text.slice(last, i), JSON.stringify(SENTINEL + token));
      i += token.length - 1;
      last = i + 1;
      previous = 'value';
      found = true;
      continue;
    }
    previous = c;
  }
  if (!found) return null;
  out.push(text.slice(last));
  return out.join('');
}
