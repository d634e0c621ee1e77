/**
 * HDF5 prints its error stack ("HDF5-DIAG: Error detected in HDF5…") to the wasm module's own stdout and
 * stderr, which emscripten bound to `console.error` when the module loaded, so patching `process.stderr`
 * cannot stop it reaching the user's terminal. We take over the module's file descriptors 1 and 2 instead
 * and keep what HDF5 wrote, so the one located message we show can say what HDF5 found.
 */

/** The part of emscripten's FS that this needs (h5wasm exports it as `FS`). */
export interface EmscriptenStdioFS {
  write(stream: { fd: number }, buffer: Uint8Array, offset: number, length: number, ...rest: unknown[]): number;
}

export interface CapturedStdio {
  /** Everything written since the last `take()`, then forgotten. */
  take(): string;
}

const MAX_KEPT = 64 * 1024;

/**
 * h5wasm's Node build uses NODERAWFS: the module's fd 2 is the process's real fd 2, written with
 * `fs.writeSync`. Every write goes through `FS.write`, looked up at call time, so that is where we step in.
 */
export function captureStdio(fs: EmscriptenStdioFS): CapturedStdio {
  let kept = '';
  const decoder = new TextDecoder();
  const write = fs.write.bind(fs);
  fs.write = (stream, buffer, offset, length, ...rest) => {
    if (stream.fd !== 1 && stream.fd !== 2) return write(stream, buffer, offset, length, ...rest);
    // Bounded: a corrupt file can make HDF5 print one stack per object it tries.
    if (kept.length < MAX_KEPT) kept += decoder.decode(buffer.subarray(offset, offset + length));
    return length;
  };
  return {
    take() {
      const text = kept;
      kept = '';
      return text;
    },
  };
}

/**
 * The innermost frame of HDF5's first error stack, which names the cause
 * ("H5F__super_read(): truncated file: eof = 3000, … stored_eof = 12888"); null when there is none.
 */
export function hdf5Cause(diag: string): string | null {
  const firstStack = diag.split(/HDF5-DIAG:/)[1];
  if (!firstStack) return null;
  let cause: string | null = null;
  for (const line of firstStack.split('\n')) {
    const frame = /^\s*#\d+:.* in (\w+\(\)): (.*)$/.exec(line);
    if (frame) cause = `${frame[1]}: ${(frame[2] ?? '').trim()}`;
  }
  return cause;
}
