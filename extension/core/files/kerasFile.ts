/**
 * Keras 3 `.keras` files: a zip holding config.json (the model), metadata.json and model.weights.h5. Only
 * the two JSON entries are read; the weights entry is never opened.
 */
import type { ByteSource } from './byteSource';
import { baseName } from './byteSource';
import { ModelFileError } from './diagnostics';
import { specFromKerasConfig } from './kerasConfig';
import type { ModelFile, ReadFileOptions } from './types';
import { readZipDirectory, readZipEntry } from './zip';
import { parseJson } from './json';

const MAX_CONFIG_BYTES = 64 * 1024 * 1024;

export function readKerasFile(source: ByteSource, options: ReadFileOptions = {}): ModelFile {
  const entries = readZipDirectory(source);
  const configEntry = entries.find((e) => e.name === 'config.json');
  if (!configEntry) {
    throw new ModelFileError(`${source.name}: a zip without config.json is not a Keras .keras model (entries: ${entries.slice(0, 5).map((e) => e.name).join(', ')})`);
  }
  const config = parseJson(readZipEntry(source, configEntry, MAX_CONFIG_BYTES), `${source.name}: config.json`);
  const { spec, diagnostics } = specFromKerasConfig(config, source.name, {
    fallbackName: baseName(source).replace(/\.keras$/i, ''),
    framework: 'keras',
    ...(options.input ? { input: options.input } : {}),
  });
  return { file: source.name, format: 'keras', spec, parameters: null, diagnostics };
}
