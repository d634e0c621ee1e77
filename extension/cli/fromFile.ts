/**
 * cnn-inspect on a model file: read it with the source reader (parsed, never run), choose the model and its
 * input, and hand back a spec for the engine plus what the reader found to say about the file.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors';
import { loadTensorFlow } from '../core/tfjs/loadTf';
import { readUserText } from '../core/isolation/userFile';
import { inputFromDims, inputOrder } from '../core/inputSize';
import { INPUT, isChannelsFirst, type Framework } from '../core/spec';
import { createSourceReader, DEFAULT_LIMITS, defaultWasmDirectory, formatFrameworkShape, languageOf, type BuiltModel, type FoundModel, type ReadResult, type SourceDiagnostic } from '../core/source/index';
import { NotebookFormatError } from '../core/source/notebook';
import { libraryEnvironment } from '../core/source/libraryRoots';
import { readNotebook } from '../core/source/readNotebook';

const isNotebook = (file: string): boolean => /\.ipynb$/i.test(file);

/** True when the argument names a model file rather than a zoo model. */
export function looksLikeFile(arg: string): boolean {
  return /[\\/]/.test(arg) || languageOf(arg) !== null || isNotebook(arg) || existsSync(arg);
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

/**
 * Where installed libraries are looked for: the --python-path directories, then those this process's environment
 * names (CNN_INSPECT_PYTHONPATH, PYTHONPATH, VIRTUAL_ENV, CONDA_PREFIX) and the project's and system's.
 */
export interface LibraryPaths {
  pythonPaths?: readonly string[];
}

/** Reads a model-code file (or notebook) with the source reader: parsed, never run. */
async function readCodeFile(file: string, libraries: LibraryPaths = {}, only: string | null = null): Promise<ReadResult> {
  const language = isNotebook(file) ? 'python' : languageOf(file);
  if (language === null) throw new UserError(`${file}: not a model file CNN Inspector reads (.py, .ipynb, .ts, .tsx, .js) and not a built-in model`);
  // A UTF-8 character is at most 4 bytes: past 4× the reader's character cap the file cannot be read anyway.
  const text = readUserText(file, DEFAULT_LIMITS.maxFileChars * 4);
  const reader = await createSourceReader({ wasmDirectory: wasmDirectory(), languages: [language], tensorflow: () => loadTensorFlow() });
  try {
    // Imports of the user's own modules are followed from disk (parsed, never run), named as the path is given.
    const imports = { follow: true, pythonPaths: libraries.pythonPaths ?? [], environment: libraryEnvironment(process.env) };
    return isNotebook(file) ? readNotebook(reader, text, file, imports) : reader.read(text, { file, language, imports, ...(only === null ? {} : { model: only }) });
  } catch (error) {
    if (error instanceof NotebookFormatError) throw new UserError(`${file}: ${error.message}`, { file, line: 1, column: 1 });
    throw error;
  }
}

/** `cnn-inspect FILE --list`: every model the file defines, the one its own code builds marked, with the input it states. */
export async function listFileModels(file: string, libraries: LibraryPaths = {}): Promise<string[]> {
  const read = await readCodeFile(file, libraries);
  if (read.models.length === 0) throw new UserError(`${file}: no Keras, PyTorch or TensorFlow.js model found${firstProblem(read.diagnostics)}`);
  const rows = read.models.map((m) => [
    `${m.name}${m.isDefault ? ' *' : ''}`,
    m.framework,
    m.origin,
    String(m.source.line),
    m.input ? formatFrameworkShape(m.framework, m.input, null) : `--input ${inputOrder(m.framework)}`,
  ]);
  const header = ['model', 'framework', 'defined as', 'line', 'input'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const lines = [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
  lines.push(read.defaultModel ? '* the model the file\'s own code builds (the default)' : 'The file\'s own code builds none of them: choose one with --model NAME.');
  return lines;
}

/** Reads `file` and builds one of its models; `input` is in the framework's own order (C,H,W for PyTorch). */
export async function modelFromFile(file: string, modelName: string | null, input: readonly number[] | null, libraries: LibraryPaths = {}): Promise<FileModel> {
  // --model: only that model is run and built; when the file has none of that name, it is read whole to list them.
  const named = modelName === null ? null : await readCodeFile(file, libraries, modelName);
  // The name a model is listed by, or a module-level variable that holds it (`model = Net()`: --model model).
  const byName = (models: readonly FoundModel[]): FoundModel | undefined => models.find((m) => m.name === modelName) ?? models.find((m) => m.aliases?.includes(modelName!));
  const namedModel = named ? byName(named.models) : undefined;
  const read = namedModel ? named! : await readCodeFile(file, libraries);
  const names = read.models.map((m) => m.name);
  const chosen = namedModel ?? (modelName === null ? read.defaultModel : byName(read.models));
  if (!chosen) {
    if (names.length === 0) {
      const first = read.diagnostics.find((d) => d.severity === 'error') ?? read.diagnostics.find((d) => d.code === 'limit');
      throw new UserError(`${file}: no Keras, PyTorch or TensorFlow.js model found${firstProblem(read.diagnostics)}`, first?.source ?? { file, line: 1, column: 1 });
    }
    throw new UserError(
      modelName === null
        ? `${file}: the file defines ${names.length === 1 ? 'a model' : `${names.length} models`} and its own code builds none; choose one with --model NAME (${names.join(', ')}), or see them with --list`
        : `${file}: no model named "${modelName}"; the file defines ${names.join(', ')}`,
      // Located at the (first) model the file defines, so editors and CI logs link to it.
      read.models[0]!.source,
    );
  }
  const shape = input === null ? undefined : givenInput(chosen, input);
  let outcome = chosen.build(shape);
  // Four sizes are a batch and an image (N,C,H,W) unless the model takes a volume (Conv3d, video): then C,D,H,W.
  if (input !== null && input.length === 4 && chosen.input === null && outcome.kind === 'built' && takesVolume(outcome.model)) {
    outcome = chosen.build(volumeInput(chosen.framework, input));
  }
  if (outcome.kind === 'input-needed') throw new UserError(`${outcome.message}; pass --input`, outcome.source);
  if (outcome.kind === 'failed') throw new UserError(`${file}: ${chosen.name}: ${outcome.message}`, chosen.source);
  return { built: outcome.model, diagnostics: diagnosticsOf(read.diagnostics, chosen.name, outcome.model.diagnostics) };
}

/**
 * `--input` in the framework's order as the engine's shape: the sizes given say the rank (a Flatten-first MLP
 * takes 784 or 1,28,28), five are a batch and a volume, and four a volume when the code states one.
 */
function givenInput(model: FoundModel, input: readonly number[]): number[] {
  if (input.length === 5 || (input.length === 4 && model.input?.length === 4)) return volumeInput(model.framework, input);
  try {
    return inputFromDims(model.framework, input);
  } catch (error) {
    throw new UserError(`--input ${input.join(',')}: ${model.name} is a ${model.framework} model, give its input as ${inputOrder(model.framework)} (${(error as Error).message})`);
  }
}

/** A volume's sizes (C,D,H,W for PyTorch, D,H,W,C for Keras; a fifth, leading, is the batch) as the engine's shape. */
function volumeInput(framework: Framework, dims: readonly number[]): number[] {
  const own = dims.length === 5 ? dims.slice(1) : [...dims];
  return isChannelsFirst(framework) ? [own[1]!, own[2]!, own[3]!, own[0]!] : own;
}

/** Whether the model's first layer reads a volume (Conv3D, MaxPooling3D, …): then four sizes are C,D,H,W, not N,C,H,W. */
function takesVolume(model: BuiltModel): boolean {
  const first = model.spec.layers.find((l) => l.inputs.includes(INPUT));
  return first !== undefined && /3D$/.test(first.type);
}

/**
 * What the CLI says about the model it analyses: the file's own problems (syntax, caps) and those of this
 * model's build, at the input it was built at (a read without an input cannot tell sizes, and says so where
 * the build at the input can). Other models' messages belong to them; which models do not state their input
 * is said by --list and, for this one, by the error above.
 */
function diagnosticsOf(all: readonly SourceDiagnostic[], model: string, build: readonly SourceDiagnostic[]): SourceDiagnostic[] {
  const ofFile = all.filter((d) => d.model === undefined && d.code !== 'input-needed');
  const own = build.filter((d) => d.code !== 'input-needed').map((d) => ({ ...d, model }));
  // Module-level code that builds the model (`model = Net()`) says at read time what the build says again.
  const key = (d: SourceDiagnostic): string => `${d.source.file}:${d.source.line}:${d.source.column ?? 1}:${d.message}`;
  const said = new Set(own.map(key));
  return [...ofFile.filter((d) => !said.has(key(d))), ...own];
}

/** The problem that most likely explains a file without models: its first error, else a cap it hit. */
function firstProblem(diagnostics: readonly SourceDiagnostic[]): string {
  // A library model the reader could not read (no installed torchvision found) is why a transfer-learning
  // script has no model: say so, with where it looked.
  const first =
    diagnostics.find((d) => d.severity === 'error') ??
    diagnostics.find((d) => d.code === 'limit') ??
    diagnostics.find((d) => d.code === 'unsupported' && d.message.includes('builds a library model')) ??
    diagnostics.find((d) => d.code === 'input-needed' && d.message.includes('needs constructor arguments'));
  return first ? ` (line ${first.source.line}: ${first.message})` : '';
}

/** "model.py:12:5: error: …", the form editors and CI logs link to; notebooks "nb.ipynb:cell_3:12:5: …" (nbQA's form). */
export function formatDiagnostic(d: SourceDiagnostic): string {
  const cell = d.source.cell === undefined ? '' : `cell_${d.source.cell}:`;
  return `${d.source.file}:${cell}${d.source.line}:${d.source.column ?? 1}: ${d.severity}: ${d.message}`;
}
