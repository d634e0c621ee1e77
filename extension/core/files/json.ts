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
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ModelFileError(`${where}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}
