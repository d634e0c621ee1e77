/**
 * Keras 2 / legacy `.h5` files: the model is the JSON in the HDF5 root's `model_config` attribute. HDF5 is
 * read with h5wasm (the HDF5 C library compiled to WebAssembly); in Node it reads the file in place, by
 * range, so the weights datasets are never loaded.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ByteSource } from './byteSource';
import { baseName } from './byteSource';
import { ModelFileError } from './diagnostics';
import { captureStdio, hdf5Cause, type CapturedStdio, type EmscriptenStdioFS } from './h5Stdio';
import { specFromKerasConfig } from './kerasConfig';
import type { ModelFile, ReadFileOptions } from './types';

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** HDF5's signature sits at 0, 512, 1024, 2048... (after a user block). */
export function hdf5SignatureAt(source: ByteSource): number | null {
  for (let at = 0; at + 8 <= source.size && at <= 1 << 20; at = at === 0 ? 512 : at * 2) {
    const head = source.read(at, 8);
    if (HDF5_SIGNATURE.every((b, i) => head[i] === b)) return at;
  }
  return null;
}

type H5 = typeof import('h5wasm/node', { with: { 'resolution-mode': 'import' } }).default;
let h5: Promise<{ lib: H5; stdio: CapturedStdio }> | undefined;
/** A variable, so esbuild leaves this import alone: the bundles load dist/h5wasm.js (4 MB) only for .h5 files. */
const H5WASM_MODULE = 'h5wasm/node';

function loadH5(): Promise<{ lib: H5; stdio: CapturedStdio }> {
  h5 ??= (async () => {
    const bundled = join(__dirname, 'h5wasm.js');
    const m = (existsSync(bundled) ? require(bundled) : await import(H5WASM_MODULE)) as { default: H5 };
    const module = (await m.default.ready) as unknown as { FS: EmscriptenStdioFS };
    return { lib: m.default, stdio: captureStdio(module.FS) };
  })();
  h5.catch(() => (h5 = undefined));
  return h5;
}

/** The root's model_config text, or null when the file has none. `name` is the file as the user knows it. */
async function modelConfigText(path: string, name: string): Promise<string | null> {
  const { lib, stdio } = await loadH5();
  stdio.take(); // what an earlier file left
  let file: InstanceType<H5['File']> | undefined;
  try {
    file = new lib.File(path, 'r');
    const attribute = file.attrs['model_config'];
    if (!attribute) return null;
    const value = attribute.value;
    if (typeof value === 'string') return value;
    if (value instanceof Uint8Array) return new TextDecoder().decode(value);
    throw new ModelFileError(`${name}: the model_config attribute is not text`);
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    const cause = hdf5Cause(stdio.take()) ?? (error instanceof Error ? error.message : String(error));
    throw new ModelFileError(`${name}: HDF5 could not read the file; it is truncated or corrupt (${cause})`);
  } finally {
    try {
      file?.close();
    } catch {
      // A file HDF5 failed to read may fail to close too; nothing is left open in that case.
    }
  }
}

/**
 * Reads the model from a path (read in place) or, for bytes, from a private temporary copy (HDF5 opens
 * files, not buffers).
 */
export async function readH5File(source: ByteSource, path: string | null, options: ReadFileOptions = {}): Promise<ModelFile> {
  if (hdf5SignatureAt(source) === null) throw new ModelFileError(`${source.name}: not an HDF5 file (no HDF5 signature)`);
  let text: string | null;
  if (path !== null) {
    text = await modelConfigText(path, source.name);
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'cnn-inspector-h5-'));
    try {
      const copy = join(dir, 'model.h5');
      writeFileSync(copy, source.read(0, source.size));
      text = await modelConfigText(copy, source.name);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (text === null) {
    throw new ModelFileError(`${source.name}: an HDF5 file without a model_config attribute is not a saved Keras model (a weights-only file, or other data)`);
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new ModelFileError(`${source.name}: model_config is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const { spec, diagnostics } = specFromKerasConfig(config, source.name, {
    fallbackName: baseName(source).replace(/\.(h5|hdf5|keras)$/i, ''),
    framework: 'keras',
    ...(options.input ? { input: options.input } : {}),
  });
  return { file: source.name, format: 'keras-h5', spec, parameters: null, diagnostics };
}
