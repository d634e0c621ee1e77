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
import { parsePythonJson } from './json';
import { isKerasModelClass, specFromKerasConfig } from './kerasConfig';
import type { ModelFile, ParameterGroup, ReadFileOptions } from './types';

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

/** Deeper groups or more entries than a Keras weights file has: a forged file (a link cycle) stops here. */
const MAX_WEIGHT_DEPTH = 16;
const MAX_WEIGHT_ENTRIES = 100_000;

/**
 * The shapes of the weight datasets under `root` (never their data), one group per layer (the first path part
 * under the root), skipping the top-level groups named in `skip` (the optimizer's variables). For a subclassed
 * Keras model, whose config holds no layers: its variables are all the file says about it.
 */
export async function kerasWeightShapes(path: string, name: string, root: string, skip: readonly string[] = []): Promise<ParameterGroup[]> {
  const { lib, stdio } = await loadH5();
  stdio.take();
  let file: InstanceType<H5['File']> | undefined;
  const groups = new Map<string, ParameterGroup>();
  try {
    file = new lib.File(path, 'r');
    const start = root === '/' ? file : file.get(root);
    if (!(start instanceof lib.Group)) return [];
    let entries = 0;
    const walk = (group: InstanceType<H5['Group']>, parts: string[]): void => {
      if (parts.length > MAX_WEIGHT_DEPTH) throw new ModelFileError(`${name}: the weights nest more than ${MAX_WEIGHT_DEPTH} groups deep (a link cycle?)`);
      for (const key of group.keys()) {
        if (++entries > MAX_WEIGHT_ENTRIES) throw new ModelFileError(`${name}: the weights file lists more than ${MAX_WEIGHT_ENTRIES.toLocaleString('en-US')} entries`);
        if (parts.length === 0 && skip.includes(key)) continue;
        const child = group.get(key);
        if (child instanceof lib.Group) walk(child, [...parts, key]);
        else if (child instanceof lib.Dataset && child.shape) {
          // .keras: LAYER/vars/0 (a layer tracked by no attribute under layers/NAME/vars); .h5: LAYER/…/kernel.
          const varsAt = parts.indexOf('vars');
          const layer = varsAt > 0 ? parts.slice(0, varsAt).join('/') : (parts[0] ?? key);
          let g = groups.get(layer);
          if (!g) groups.set(layer, (g = { name: layer, tensors: [] }));
          g.tensors.push({ name: key, shape: child.shape, dtype: String(child.dtype), buffer: /moving_(mean|variance)$/.test(key) });
        }
      }
    };
    walk(start as InstanceType<H5['Group']>, []);
    return [...groups.values()];
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    const cause = hdf5Cause(stdio.take()) ?? (error instanceof Error ? error.message : String(error));
    throw new ModelFileError(`${name}: HDF5 could not read the weights; the file is truncated or corrupt (${cause})`);
  } finally {
    try {
      file?.close();
    } catch {
      // As in modelConfigText.
    }
  }
}

/** The parameters of a subclassed model from its weights file: no graph, so shapes and MACs are unknown. */
export function subclassedModelFile(file: string, format: ModelFile['format'], className: string, fallbackName: string, groups: ParameterGroup[], namesVariables: boolean): ModelFile {
  return {
    file,
    format,
    spec: null,
    parameters: {
      name: fallbackName,
      framework: 'keras',
      groups,
      why: `the model is a subclassed ${className}: its config holds no layers (its call() is Python code, never run), so the parameters are the variables its weights hold; shapes and MACs are unknown`,
      // Neither file says which variables train: a legacy .h5 names them, but a name (Normalization's mean and
      // count, an add_weight(trainable=False)) does not tell; model.weights.h5 numbers them.
      trainableUnknown: namesVariables ? 'a weights file names its variables without saying which train' : 'model.weights.h5 numbers its variables without saying which train',
    },
    diagnostics: [],
  };
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
    config = parsePythonJson(text);
  } catch (error) {
    throw new ModelFileError(`${source.name}: model_config is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const fallbackName = baseName(source).replace(/\.(h5|hdf5|keras)$/i, '');
  const className = (config as { class_name?: unknown } | null)?.class_name;
  if (typeof className === 'string' && !isKerasModelClass(className) && path !== null) {
    const groups = await kerasWeightShapes(path, source.name, '/model_weights');
    if (groups.length > 0) return subclassedModelFile(source.name, 'keras-h5', className, fallbackName, groups, true);
  }
  const { spec, diagnostics } = specFromKerasConfig(config, source.name, {
    fallbackName,
    framework: 'keras',
    ...(options.input ? { input: options.input } : {}),
  });
  return { file: source.name, format: 'keras-h5', spec, parameters: null, diagnostics };
}
