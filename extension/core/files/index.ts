/**
 * Model files: one entry point that recognises a file by its magic bytes (and its extension where the
 * format has none, like ONNX's protobuf) and hands it to that format's reader, as netron's registry does.
 * Readers are plain functions of the file's bytes (or path), never execute anything from the file, and
 * import nothing from vscode, so they run in the CLI, the extension host or a worker.
 *
 *   const file = await readModelFile('resnet50.onnx');
 *   if (file.spec) report = await analyzeModel(file.spec); else report = parameterReport(file.parameters!);
 */
import { extname } from 'node:path';
import { bytesSource, fileSource, type ByteSource } from './byteSource';
import { ModelFileError } from './diagnostics';
import { hdf5SignatureAt, readH5File } from './h5File';
import { readKerasFile } from './kerasFile';
import { readTfjsFile } from './tfjsFile';
import { readOnnxFile } from './onnxFile';
import { readTfliteFile, looksLikeTflite } from './tfliteFile';
import { readTorchFile, looksLikeLegacyTorch } from './torchFile';
import { looksLikeZip, readZipDirectory } from './zip';
import type { ModelFile, ModelFileFormat, ReadFileOptions } from './types';

export * from './types';
export { ModelFileError, formatFileDiagnostic, type FileDiagnostic } from './diagnostics';
export { parameterReport } from './parameterReport';
export { checkStatedShapes } from './statedShapes';

/** Extensions of the model files CNN Inspector opens (lower case, with the dot). */
export const MODEL_FILE_EXTENSIONS = ['.keras', '.h5', '.hdf5', '.onnx', '.tflite', '.pt', '.pth', '.json'] as const;

/** True for a path CNN Inspector reads as a model file (model.json and *.json files from tfjs included). */
export function isModelFilePath(path: string): boolean {
  return (MODEL_FILE_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase());
}

/** The format of a file from its first bytes, its zip directory and its extension; null when none fits. */
export function detectFormat(source: ByteSource): ModelFileFormat | null {
  const head = source.read(0, Math.min(source.size, 16));
  const ext = extname(source.name).toLowerCase();
  if (looksLikeZip(head)) {
    const names = readZipDirectory(source).map((e) => e.name);
    if (names.includes('config.json')) return 'keras';
    if (names.some((n) => /(^|\/)data\.pkl$/.test(n) || /(^|\/)constants\.pkl$/.test(n))) return names.some((n) => /(^|\/)code\//.test(n)) ? 'torchscript' : 'pytorch';
    return null;
  }
  if (hdf5SignatureAt(source) !== null) return 'keras-h5';
  if (looksLikeTflite(head)) return 'tflite';
  if (looksLikeLegacyTorch(head) && (ext === '.pt' || ext === '.pth' || ext === '.bin' || ext === '.ckpt')) return 'pytorch';
  if (head[0] === 0x7b /* { */ || (ext === '.json' && /^\s*\{/.test(new TextDecoder().decode(head)))) return 'tfjs';
  if (ext === '.onnx') return 'onnx';
  return null;
}

/** Reads a model file (a path, or bytes with a name). Throws ModelFileError when the file cannot be read at all. */
export async function readModelFile(file: string | { name: string; bytes: Uint8Array }, options: ReadFileOptions = {}): Promise<ModelFile> {
  const source = typeof file === 'string' ? fileSource(file) : bytesSource(file.name, file.bytes);
  const path = typeof file === 'string' ? file : null;
  try {
    if (source.size === 0) throw new ModelFileError(`${source.name}: the file is empty`);
    const format = detectFormat(source);
    const e = options.engineInput;
    if (e && e.length === 3) options = { ...options, input: format === 'onnx' ? [e[2]!, e[0]!, e[1]!] : e };
    switch (format) {
      case 'keras':
        return await readKerasFile(source, options);
      case 'keras-h5':
        return await readH5File(source, path, options);
      case 'tfjs':
        return readTfjsFile(source, options);
      case 'onnx':
        return readOnnxFile(source, options);
      case 'tflite':
        return readTfliteFile(source, options);
      case 'pytorch':
      case 'torchscript':
        return readTorchFile(source);
      case null:
        throw new ModelFileError(`${source.name}: not a model file CNN Inspector recognises (expected .keras, .h5, TensorFlow.js model.json, .onnx, .tflite, or a PyTorch .pt/.pth)`);
    }
  } finally {
    source.close();
  }
}
