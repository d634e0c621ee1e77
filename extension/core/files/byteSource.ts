/**
 * Bytes of a model file, read by offset. Readers ask for the few ranges they need (a zip's directory, an
 * ONNX graph without its weights), so a 500 MB file costs kilobytes of memory. A file is opened once, only
 * when it is a regular file; bytes already in memory (a worker given a buffer) work the same way.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { ModelFileError } from './diagnostics';

export interface ByteSource {
  /** The file's name as shown in messages (its path, or the name given with the bytes). */
  readonly name: string;
  readonly size: number;
  /** Exactly `length` bytes at `offset`; a range past the end is the file's fault (truncated). */
  read(offset: number, length: number): Uint8Array;
  close(): void;
}

function checkRange(name: string, size: number, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw new ModelFileError(`${name}: the file is truncated or corrupt (it points to bytes ${offset}–${offset + length} of a ${size}-byte file)`);
  }
}

export function bytesSource(name: string, bytes: Uint8Array): ByteSource {
  return {
    name,
    size: bytes.length,
    read(offset, length) {
      checkRange(name, bytes.length, offset, length);
      return bytes.subarray(offset, offset + length);
    },
    close() {},
  };
}

/** Opens `path` for reading by range. Throws a ModelFileError for a missing, unreadable or non-regular file. */
export function fileSource(path: string): ByteSource {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new ModelFileError(`${path}: cannot open the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const stat = fstatSync(fd);
  if (!stat.isFile()) {
    closeSync(fd);
    throw new ModelFileError(`${path}: not a regular file`);
  }
  const size = stat.size;
  let open = true;
  return {
    name: path,
    size,
    read(offset, length) {
      checkRange(path, size, offset, length);
      const out = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const n = readSync(fd, out, done, length - done, offset + done);
        if (n === 0) throw new ModelFileError(`${path}: the file ended early (it changed while being read?)`);
        done += n;
      }
      return out;
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

/** The file name without its folders, for model names. */
export function baseName(source: ByteSource): string {
  return basename(source.name);
}
