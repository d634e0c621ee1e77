/**
 * Reads a user's file safely: `stat` first, so a FIFO (which blocks forever), a device (a model.py linked to
 * /dev/zero grows without end), a directory or a file over the size cap is refused with a clear message
 * before anything is read; then at most the cap is read from the opened descriptor, so a file that grows or
 * is swapped between the two still cannot make the read unbounded. For model code and model files alike.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { UserError } from '../errors';

export type UserFileResult = { ok: true; bytes: Uint8Array } | { ok: false; message: string };

function describeKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The file's bytes (at most `maxBytes`), or why it was not read. Symbolic links are followed, then checked. */
export function readUserFile(file: string, maxBytes: number): UserFileResult {
  let fd: number | null = null;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) return { ok: false, message: `${file}: ${describeKind(stats)}, not a file CNN Inspector reads; nothing was read` };
    if (stats.size > maxBytes) return { ok: false, message: `${file}: ${stats.size.toLocaleString('en-US')} bytes is more than the ${maxBytes.toLocaleString('en-US')}-byte limit; nothing was read` };
    // O_NONBLOCK: should the path have become a FIFO since the stat, opening it does not wait for a writer.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    if (!fstatSync(fd).isFile()) return { ok: false, message: `${file}: not a regular file; nothing was read` };
    const bytes = new Uint8Array(Math.min(maxBytes, Math.max(stats.size, 0)) + 1);
    let length = 0;
    while (length < bytes.length) {
      const n = readSync(fd, bytes, length, bytes.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes || length > stats.size) return { ok: false, message: `${file}: the file grew while it was read; nothing was read` };
    return { ok: true, bytes: bytes.subarray(0, length) };
  } catch (error) {
    return { ok: false, message: `${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Model code as text; a refusal is a UserError located at the file. */
export function readUserText(file: string, maxBytes: number): string {
  const result = readUserFile(file, maxBytes);
  if (!result.ok) throw new UserError(result.message, { file, line: 1, column: 1 });
  return new TextDecoder('utf-8').decode(result.bytes);
}
