/**
 * cnn-inspect on a model file: read it with the source reader (parsed, never run), choose the model and its
 * input, and hand back a spec for the engine plus what the reader found to say about the file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors';
import { loadTensorFlow } from '../core/tfjs/loadTf';
import { inputFromDims, inputOrder } from '../core/inputSize';
import { createSourceReader, defaultWasmDirectory, languageOf, type BuiltModel, type SourceDiagnostic } from '../core/source/index';

/** True when the argument names a model file rather than a zoo model. */
export function looksLikeFile(arg: string): boolean {
  return /[\\/]/.test(arg) || languageOf(arg) !== null || existsSync(arg);
}

/** dist/cli.js finds the grammars beside it (scripts/build.mjs copies them); from source, in node_modules. */
function wasmDirectory(): string {
  const bundled = join(__dirname, 'tree-sitter');
  return existsSync(join(bundled, 'tree-sitter.wasm')) ? bundled : defaultWasmDirectory();
}

export interface FileModel {
  built: BuiltModel;
  /** What the reader says about the file (syntax errors, unsupported layers, limits). */
  diagnostics: SourceDiagnostic[];
}

/** Reads `file` and builds one of its models; `input` is in the framework's own order (C,H,W for PyTorch). */
export async function modelFromFile(file: string, modelName: string | null, input: readonly number[] | null): Promise<FileModel> {
  const language = languageOf(file);
  if (language === null) throw new UserError(`${file}: not a model file CNN Inspector reads (.py, .ts, .tsx, .js) and not a built-in model`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const reader = await createSourceReader({ wasmDirectory: wasmDirectory(), languages: [language], tensorflow: () => loadTensorFlow() });
  const read = reader.read(text, { file, language });
  const names = read.models.map((m) => m.name);
  const found = modelName === null ? read.defaultModel : read.models.find((m) => m.name === modelName);
  if (!found) {
    if (names.length === 0) throw new UserError(`${file}: no Keras, PyTorch or TensorFlow.js model found${firstProblem(read.diagnostics)}`);
    throw new UserError(
      modelName === null
        ? `${file}: several models and none is the obvious one; choose with --model (${names.join(', ')})`
        : `${file}: no model named "${modelName}"; the file defines ${names.join(', ')}`,
    );
  }
  let shape = undefined;
  if (input !== null) {
    try {
      shape = inputFromDims(found.framework, input);
    } catch (error) {
      throw new UserError(`--input ${input.join(',')}: ${found.name} is a ${found.framework} model, give its input as ${inputOrder(found.framework)} (${(error as Error).message})`);
    }
  }
  const outcome = found.build(shape);
  if (outcome.kind === 'input-needed') throw new UserError(`${file}:${outcome.source.line}: ${outcome.message}; pass --input`, outcome.source);
  if (outcome.kind === 'failed') throw new UserError(`${file}: ${found.name}: ${outcome.message}`);
  return { built: outcome.model, diagnostics: read.diagnostics };
}

function firstProblem(diagnostics: readonly SourceDiagnostic[]): string {
  const first = diagnostics.find((d) => d.severity === 'error');
  return first ? ` (line ${first.source.line}: ${first.message})` : '';
}

/** "model.py:12:5: error: …", the form editors and CI logs link to. */
export function formatDiagnostic(d: SourceDiagnostic): string {
  return `${d.source.file}:${d.source.line}:${d.source.column ?? 1}: ${d.severity}: ${d.message}`;
}
