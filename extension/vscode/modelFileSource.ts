/**
 * A model file (.onnx, .keras, .h5, model.json, .tflite, .pt/.pth) as a model source for the architecture
 * panel. The file is read by the engine's model-file readers (never executed); a local file is read in place
 * by range, a virtual one (no file system path) through VS Code's file system. No `vscode` import here.
 */
import { basename } from 'node:path';
import type { ModelSpec } from '../core/spec';
import { UserError } from '../core/errors';
import { loadEngine } from './engineLoader';
import type { ModelSource } from './modelSources';

export interface ModelFileLocation {
  /** The file's URI as a string: the panel's key. */
  uri: string;
  /** A local path to read in place, or null to read `readBytes()`. */
  fsPath: string | null;
  readBytes: () => Promise<Uint8Array>;
}

/** The prefix of model-file source ids ("file:" + URI). */
export const MODEL_FILE_SOURCE = 'file';

export function modelFileSource(file: ModelFileLocation, log: (message: string) => void): ModelSource {
  const name = basename(file.fsPath ?? decodeURIComponent(file.uri.replace(/[?#].*$/, '')));
  let read: Promise<ModelSpec> | undefined;
  const readSpec = async (input?: readonly number[]): Promise<ModelSpec> => {
    const engine = await loadEngine();
    // An input from the panel's field (H, W, C) lets a file whose input leaves sizes open be read at all.
    const model = await engine.readModelFile(file.fsPath ?? { name, bytes: await file.readBytes() }, input ? { engineInput: input } : {});
    for (const d of model.diagnostics) log(engine.formatFileDiagnostic(name, d));
    if (model.spec) return model.spec;
    const report = engine.parameterReport(model.parameters!);
    throw new UserError(
      `${name} holds parameters, not a graph: ${report.totals.params.toLocaleString('en-US')} parameters in ${report.layers.length} modules. ` +
        'Shapes and MACs need the graph (export the model to ONNX, or open its code); `cnn-inspect` lists the parameters per module.',
    );
  };
  return {
    id: `${MODEL_FILE_SOURCE}:${file.uri}`,
    label: name,
    description: 'model file',
    defaultInput: [224, 224, 3],
    inputKnown: false,
    // The readers map layers independently of the input size, so another input only replaces it.
    load: async (input) => {
      read ??= readSpec(input);
      read.catch(() => (read = undefined));
      const spec = await read;
      return input ? { ...spec, input: [...input] } : spec;
    },
  };
}
