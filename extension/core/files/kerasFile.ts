/**
 * Keras 3 `.keras` files: a zip holding config.json (the model), metadata.json and model.weights.h5. Only
 * the two JSON entries are read; the weights entry is opened only for a subclassed model, whose config lists
 * no layers, and then only its datasets' shapes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ByteSource } from './byteSource';
import { baseName } from './byteSource';
import { ModelFileError } from './diagnostics';
import { isKerasModelClass, specFromKerasConfig } from './kerasConfig';
import { kerasWeightShapes, subclassedModelFile } from './h5File';
import type { ModelFile, ReadFileOptions } from './types';
import { readZipDirectory, readZipEntry } from './zip';
import { parseJson } from './json';

const MAX_CONFIG_BYTES = 64 * 1024 * 1024;
/** A subclassed model's weights are copied out to be read by HDF5: no larger than this. */
const MAX_WEIGHTS_BYTES = 256 * 1024 * 1024;

export async function readKerasFile(source: ByteSource, options: ReadFileOptions = {}): Promise<ModelFile> {
  const entries = readZipDirectory(source);
  // Python's zipfile (Keras' reader) keeps the last entry of a name a zip holds twice.
  const configEntry = [...entries].reverse().find((e) => e.name === 'config.json');
  if (!configEntry) {
    throw new ModelFileError(`${source.name}: a zip without config.json is not a Keras .keras model (entries: ${entries.slice(0, 5).map((e) => e.name).join(', ')})`);
  }
  const config = parseJson(readZipEntry(source, configEntry, MAX_CONFIG_BYTES), `${source.name}: config.json`);
  const fallbackName = baseName(source).replace(/\.keras$/i, '');
  const className = (config as { class_name?: unknown } | null)?.class_name;
  const weights = entries.find((e) => e.name === 'model.weights.h5');
  if (typeof className === 'string' && !isKerasModelClass(className) && weights && weights.size <= MAX_WEIGHTS_BYTES) {
    // HDF5 opens files, not buffers: a private copy, removed after.
    const dir = mkdtempSync(join(tmpdir(), 'cnn-inspector-keras-'));
    try {
      const copy = join(dir, 'model.weights.h5');
      writeFileSync(copy, readZipEntry(source, weights, MAX_WEIGHTS_BYTES));
      const groups = await kerasWeightShapes(copy, `${source.name}: model.weights.h5`, '/', ['optimizer']);
      if (groups.length > 0) return subclassedModelFile(source.name, 'keras', className, fallbackName, groups, false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const { spec, diagnostics } = specFromKerasConfig(config, source.name, {
    fallbackName,
    framework: 'keras',
    ...(options.input ? { input: options.input } : {}),
  });
  return { file: source.name, format: 'keras', spec, parameters: null, diagnostics };
}
