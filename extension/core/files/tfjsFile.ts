/**
 * TensorFlow.js `model.json`: a layers model's `modelTopology` (Keras JSON, as tfjs's own `model.save` and
 * the converter write it) and its `weightsManifest`. The shards (*.bin) are never read: the manifest's
 * weight shapes are only checked against what the engine builds. A graph model (from a TensorFlow
 * SavedModel) has no layers to analyse and is reported as such.
 */
import type { ByteSource } from './byteSource';
import { baseName } from './byteSource';
import { ModelFileError, type FileDiagnostic } from './diagnostics';
import { specFromKerasConfig } from './kerasConfig';
import { parseJson } from './json';
import type { ModelFile, ReadFileOptions } from './types';

const MAX_JSON_BYTES = 64 * 1024 * 1024;

interface ManifestWeight {
  name: string;
  shape: number[];
}

export function readTfjsFile(source: ByteSource, options: ReadFileOptions = {}): ModelFile {
  if (source.size > MAX_JSON_BYTES) throw new ModelFileError(`${source.name}: ${source.size} bytes is too large for a model.json`);
  const json = parseJson(source.read(0, source.size), source.name);
  if (typeof json !== 'object' || json === null || !('modelTopology' in json)) {
    throw new ModelFileError(`${source.name}: not a TensorFlow.js model.json (no modelTopology)`);
  }
  const root = json as { modelTopology: unknown; weightsManifest?: unknown; format?: unknown };
  if (root.format === 'graph-model') {
    throw new ModelFileError(`${source.name}: a TensorFlow.js graph model (converted from a SavedModel) has no Keras layers; CNN Inspector reads layers models`);
  }
  const diagnostics: FileDiagnostic[] = [];
  const { spec, diagnostics: configDiagnostics } = specFromKerasConfig(root.modelTopology, source.name, {
    fallbackName: baseName(source).replace(/\.json$/i, ''),
    framework: 'tfjs',
    ...(options.input ? { input: options.input } : {}),
  });
  diagnostics.push(...configDiagnostics);
  const weights = manifestWeights(root.weightsManifest);
  if (weights === null) {
    diagnostics.push({ severity: 'warning', message: 'the file has no weightsManifest; parameters are counted from the layers alone' });
  }
  return { file: source.name, format: 'tfjs', spec, parameters: null, diagnostics };
}

/** The manifest's weights (shapes only), or null when the file has no manifest. */
export function manifestWeights(manifest: unknown): ManifestWeight[] | null {
  if (!Array.isArray(manifest)) return null;
  const out: ManifestWeight[] = [];
  for (const group of manifest) {
    const weights = (group as { weights?: unknown }).weights;
    if (!Array.isArray(weights)) continue;
    for (const w of weights) {
      const { name, shape } = w as { name?: unknown; shape?: unknown };
      if (typeof name === 'string' && Array.isArray(shape)) out.push({ name, shape: shape.filter((d): d is number => typeof d === 'number') });
    }
  }
  return out;
}
