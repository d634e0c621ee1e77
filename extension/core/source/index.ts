/**
 * The source reader: finds CNN models in Python (Keras, PyTorch) and TypeScript/JavaScript (TensorFlow.js)
 * files without running them, and turns each into a ModelSpec for the engine. Imports nothing from vscode.
 * Every layer call it meets is applied at once to a TensorFlow.js SymbolicTensor (shape-only weights), so
 * the code's own shape expressions (x.shape[-1], x.size(1), int_shape(x)) evaluate to tfjs's numbers; the
 * reader therefore loads TensorFlow.js before its first read (given as `tensorflow`, e.g. by the engine bundle).
 *
 *   const reader = await createSourceReader({ wasmDirectory });   // once (tree-sitter's wasm, TensorFlow.js)
 *   const { models, defaultModel, diagnostics } = reader.read(text, { file, language: 'python' });
 *   const outcome = defaultModel?.build();                        // or build([224, 224, 3]) when input-needed
 *   if (outcome?.kind === 'built') report = await analyzeModel(outcome.model.spec);
 *   diagnostics.push(...diagnosticsFromReport(outcome.model, report));
 */
import type { AnalysisReport } from '../result';
import type { Shape } from '../shape';
import { SyntaxParser, type KeptParse, type ParsedSource, type SourceLanguage, type SyntaxNode } from './syntax';
import { readPython } from './pythonReader';
import { readJavaScript } from './javascriptReader';
import { DEFAULT_LIMITS, type BuiltModel, type ReaderLimits, type ReadOptions, type ReadResult, type SourceDiagnostic, type SourceCall } from './types';
import { diagnosticKey, locate } from './common';
import { formatFrameworkShape } from '../report/shapes';
import { messageOf } from '../errors';
import type { TfModule } from '../tfjs/loadTf';
import { join } from 'node:path';
import { followsImports, ModuleFiles, ParsedFileCache } from './moduleFiles';

export * from './types';
export { defaultWasmDirectory, type SourceLanguage } from './syntax';
export { inputFromFrameworkShape } from './common';

export interface SourceReaderOptions {
  /** Directory holding tree-sitter.wasm and the grammar wasm files; default: @vscode/tree-sitter-wasm in node_modules. */
  wasmDirectory?: string;
  /** Languages to load up front (others load on the first `prepare`). Default: all. */
  languages?: SourceLanguage[];
  limits?: Partial<ReaderLimits>;
  /**
   * Loads TensorFlow.js (the reader applies each layer as it reads). Bundles pass the engine's
   * `loadTensorFlow`; the default loads it from source, which only works unbundled (tests, tsx).
   */
  tensorflow?: () => Promise<TfModule>;
}

/** From source only: a computed path keeps esbuild from pulling TensorFlow.js into a bundle that lacks it. */
async function loadFromSource(): Promise<TfModule> {
  const loader = require(join(__dirname, '..', 'tfjs', 'loadTf')) as typeof import('../tfjs/loadTf');
  return loader.loadTensorFlow();
}

export interface SourceReader {
  /** Reads one file. Synchronous once the language's grammar is loaded (see `prepare`). */
  read(text: string, options: ReadOptions): ReadResult;
  /** Loads a grammar so `read` can parse that language. */
  prepare(language: SourceLanguage): Promise<void>;
  /** Whether `text` parses without a syntax error (a notebook cell on its own); parsing only, nothing is read. */
  parses(text: string, language: SourceLanguage): boolean;
  readonly limits: ReaderLimits;
}

export async function createSourceReader(options: SourceReaderOptions = {}): Promise<SourceReader> {
  const parser = await SyntaxParser.load(options.wasmDirectory);
  const tf = await (options.tensorflow ?? loadFromSource)();
  const limits: ReaderLimits = { ...DEFAULT_LIMITS, ...options.limits };
  for (const language of options.languages ?? (['python', 'typescript', 'tsx', 'javascript'] as const)) await parser.prepare(language);
  const parsedImports = new ParsedFileCache();
  const lastParses = new LastParses();
  return {
    limits,
    prepare: (language) => parser.prepare(language),
    read: (text, readOptions) => readWith(parser, tf, text, readOptions, limits, parsedImports, lastParses),
    parses: (text, language) => !parser.parse(text, language).root.hasError,
  };
}

/** The reader's language for a VS Code languageId or a file extension; null when not supported. */
export function languageOf(idOrPath: string): SourceLanguage | null {
  const s = idOrPath.toLowerCase();
  if (s === 'python' || /\.pyw?$/.test(s)) return 'python';
  if (s === 'typescriptreact' || s.endsWith('.tsx')) return 'tsx';
  if (s === 'typescript' || /\.[mc]?ts$/.test(s)) return 'typescript';
  if (s === 'javascript' || s === 'javascriptreact' || /\.[mc]?jsx?$/.test(s)) return 'javascript';
  return null;
}

/**
 * The last parse of each recently read document: the next read of it (after an edit) has tree-sitter reparse only
 * around the edit and takes the unchanged statements above it instead of converting them again. Only the trees
 * are kept; everything the reader computes is computed again from them. A few documents, of a size an editor
 * edits (torchvision's resnet.py parses to about 40 bytes of tree per character, and the worker's heap is capped).
 */
class LastParses {
  private readonly kept = new Map<string, KeptParse>();

  get(file: string, language: SourceLanguage): KeptParse | null {
    return this.kept.get(`${language}:${file}`) ?? null;
  }

  set(file: string, language: SourceLanguage, parse: KeptParse): void {
    const key = `${language}:${file}`;
    const before = this.kept.get(key);
    if (before !== parse) before?.release();
    this.kept.delete(key);
    if (parse.parsed.text.length > 200_000) {
      parse.release();
      return;
    }
    this.kept.set(key, parse);
    if (this.kept.size > 4) {
      const oldest = this.kept.keys().next().value as string;
      this.kept.get(oldest)?.release();
      this.kept.delete(oldest);
    }
  }
}

function readWith(parser: SyntaxParser, tf: TfModule, text: string, options: ReadOptions, limits: ReaderLimits, parsedImports: ParsedFileCache, lastParses: LastParses): ReadResult {
  const diagnostics: SourceDiagnostic[] = [];
  const { file, language } = options;
  if (text.length > limits.maxFileChars) {
    diagnostics.push({
      severity: 'warning',
      code: 'limit',
      message: `file is larger than ${limits.maxFileChars} characters; CNN Inspector does not read it`,
      source: { file, line: 1, column: 1 },
    });
    return { language, models: [], diagnostics, defaultModel: null };
  }
  try {
    const kept = parser.parseKept(text, language, lastParses.get(file, language));
    lastParses.set(file, language, kept);
    const { parsed } = kept;
    syntaxDiagnostics(parsed, file, diagnostics);
    if (language === 'python') python2Diagnostics(parsed, file, diagnostics);
    const modules = followsImports(file, options.imports) ? new ModuleFiles(parser, file, options.imports ?? {}, limits, parsedImports) : null;
    const { models, defaultModel } = language === 'python' ? readPython(parsed, file, limits, diagnostics, tf, modules, options.inputs ?? null, options.model ?? null) : readJavaScript(parsed, file, limits, diagnostics, tf, null, modules);
    return { language, models, diagnostics: dedupeDiagnostics(diagnostics), defaultModel, ...(modules ? { importedFiles: modules.filesRead() } : {}) };
  } catch (error) {
    // A bug of the reader must not take the editor or the CLI down: report it on the file and find nothing.
    diagnostics.push(
      isStackOverflow(error)
        ? { severity: 'error', code: 'limit', message: 'analysis stopped: the code nests deeper than CNN Inspector follows (the call stack ran out)', source: { file, line: 1, column: 1 } }
        : { severity: 'warning', code: 'internal', message: `CNN Inspector could not read this file (internal error: ${messageOf(error)})`, source: { file, line: 1, column: 1 } },
    );
    return { language, models: [], diagnostics: dedupeDiagnostics(diagnostics), defaultModel: null };
  }
}

/** V8's "Maximum call stack size exceeded": a limit the file hit, not a bug to report. */
function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

function syntaxDiagnostics(parsed: ParsedSource, file: string, out: SourceDiagnostic[]): void {
  let count = 0;
  // Depth-first in source order with an explicit stack: a syntax tree can be deeper than the call stack.
  const stack: SyntaxNode[] = [parsed.root];
  while (stack.length > 0 && count < 20) {
    const node = stack.pop()!;
    if (!node.hasError) continue;
    if (node.error) {
      count++;
      const missing = node.type !== 'ERROR';
      const snippet = parsed.text.slice(node.startIndex, Math.min(node.endIndex, node.startIndex + 40)).split('\n')[0];
      out.push({
        severity: 'error',
        code: 'syntax',
        message: missing ? `syntax error: missing ${node.type}` : `syntax error${snippet ? ` near "${snippet}"` : ''}; the rest of the file is still read`,
        source: locate(node, file),
      });
      continue;
    }
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
}

/** Python 3's reasons for the Python 2 statements the grammar still parses (and the reader skips). */
const PYTHON2_STATEMENTS: Record<string, string> = {
  print_statement: "Missing parentheses in call to 'print'. Did you mean print(...)?",
  exec_statement: "Missing parentheses in call to 'exec'. Did you mean exec(...)?",
};

/** `print "x"` and `exec "code"`: Python 3 refuses the file; the rest is still read, as for any syntax error. */
function python2Diagnostics(parsed: ParsedSource, file: string, out: SourceDiagnostic[]): void {
  let count = 0;
  const stack: SyntaxNode[] = [parsed.root];
  while (stack.length > 0 && count < 20) {
    const node = stack.pop()!;
    const reason = PYTHON2_STATEMENTS[node.type];
    if (reason) {
      count++;
      out.push({ severity: 'error', code: 'syntax', message: `syntax error: ${reason}; the rest of the file is still read`, source: locate(node, file) });
      continue;
    }
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
}

/** Drops repeats of a diagnostic (same code, message and place), e.g. one reported by two passes. */
export function dedupeDiagnostics(list: SourceDiagnostic[]): SourceDiagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = diagnosticKey(d);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---------------------------------------------------------------------------------------- after analysis

/**
 * Diagnostics that need shapes: the engine's issues (collapsed sizes, merge mismatches, invalid arguments),
 * tied to the source line, plus PyTorch's declared sizes (Linear in_features, Conv2d in_channels,
 * BatchNorm num_features) checked against the tensor that actually arrives. Unsupported layers were
 * already reported by the reader as information.
 */
export function diagnosticsFromReport(built: BuiltModel, report: AnalysisReport): SourceDiagnostic[] {
  const out: SourceDiagnostic[] = [];
  const model = built.spec.name;
  const callOf = new Map<string, SourceCall>();
  for (const c of built.calls) for (const l of c.layers) callOf.set(l, c);
  for (const issue of report.issues) {
    if (issue.kind === 'unsupported' || issue.kind === 'unknown-input' || !issue.source) continue;
    out.push({ severity: 'error', code: issue.kind, message: issue.message.replace(/^[^(]*\([^)]*\): /, ''), source: issue.source, layer: callOf.get(issue.layer)?.name ?? issue.layer, model });
  }
  const byName = new Map(report.layers.map((l) => [l.name, l]));
  const framework = built.spec.framework ?? 'keras';
  const firstUnknown = report.complete ? undefined : report.layers.find((l) => l.outputShape === null && !l.notCalled);
  // Only modules forward() never calls are unknown, by their parameters (the shapes are all known).
  const uncountable = report.complete || firstUnknown ? undefined : report.layers.find((l) => l.notCalled && l.unknown?.params);
  const split = report.totals.trainableUnknown;
  if (split && !firstUnknown && !uncountable) {
    // Counts and shapes are known, but not which parameters the code froze: still incomplete, never a success.
    out.push({ severity: 'error', code: 'incomplete', message: `${model} is incomplete: which parameters are trainable is unknown: ${split.message}`, source: split.source, layer: '', model });
  }
  if (uncountable) {
    const name = callOf.get(uncountable.name)?.name ?? uncountable.name;
    out.push({
      severity: 'error',
      code: 'incomplete',
      message: `${model} is incomplete: the parameters of ${name} (line ${uncountable.source?.line ?? '?'}), which forward() never calls, are unknown`,
      source: uncountable.source ?? built.spec.source ?? { file: '', line: 1, column: 1 },
      layer: name,
      model,
    });
  }
  if (firstUnknown) {
    // An incomplete report is never a success (the CLI exits 1): one line naming where the unknowns start.
    const why = firstUnknown.error ? firstUnknown.error.message.replace(/^[^(]*\([^)]*\): /, '').replace(/; shapes after it are unknown$/, '') : 'its input is unknown';
    const name = callOf.get(firstUnknown.name)?.name ?? firstUnknown.name;
    out.push({
      severity: 'error',
      code: 'incomplete',
      message: `${model} is incomplete: shapes are unknown from ${name} (line ${firstUnknown.source?.line ?? '?'}) on: ${why}`,
      source: firstUnknown.source ?? built.spec.source ?? { file: '', line: 1, column: 1 },
      layer: name,
      model,
    });
  }
  for (const d of built.declaredSizes) {
    const layer = byName.get(d.layer);
    const shape = layer?.inputShapes[0];
    if (!layer || !shape || shape.some((x) => x === null)) continue;
    const dims = shape as number[];
    // PyTorch's rank-2 samples (C, L) are held as PyTorch writes them: their channels come first.
    const channels = framework === 'pytorch' && dims.length === 2 ? dims[0]! : dims[dims.length - 1]!;
    const actual = d.axis === 'channels' ? channels : dims.length === 3 ? dims[1]! : dims[dims.length - 1]!;
    if (actual === d.value) continue;
    const call = callOf.get(d.layer);
    const name = call?.name ?? d.layer;
    // The shapes the file's own example run would see (batch 8 if it feeds 8), else a batch of one.
    const batch = built.exampleBatch ?? 1;
    const incoming = formatFrameworkShape(framework, shape, batch);
    let message: string;
    if (d.argument === 'in_features') {
      // A flat input (C) arrives as (batch, C) @ (in_features, out_features).
      message =
        dims.length === 1
          ? `${name}: in_features=${d.value} but ${actual} features arrive (input ${incoming}); PyTorch fails with "mat1 and mat2 shapes cannot be multiplied (${batch}x${actual} and ${d.value}x${outFeatures(layer.outputShape)})"`
          : `${name}: in_features=${d.value} but the incoming tensor ${incoming} ends in ${actual} (Linear acts on the last axis; flatten first?)`;
    } else if (d.argument === 'in_channels') {
      message = `${name}: in_channels=${d.value} but the input ${incoming} has ${actual} channels; PyTorch fails with "expected input to have ${d.value} channels, but got ${actual} channels instead"`;
    } else if (d.argument === 'num_parameters') {
      message = `${name}: num_parameters=${d.value} but the input ${incoming} has ${actual} channels; PyTorch fails with "Mismatch of parameter numbers and input channel size. Found parameter numbers = ${d.value} and channel size = ${actual}."`;
    } else if (d.argument === 'num_channels') {
      message = `${name}: num_channels=${d.value} but the input ${incoming} has ${actual} channels; PyTorch fails with "Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape [${d.value}] and input of shape ${formatFrameworkShape(framework, shape, batch).replace(/[()]/g, (p) => (p === '(' ? '[' : ']'))}"`;
    } else if (call?.sourceType.endsWith('InstanceNorm2d')) {
      message = `${name}: num_features=${d.value} but the input ${incoming} has ${actual} channels; PyTorch fails with "expected input's size at dim=1 to match num_features (${d.value}), but got: ${actual}."`;
    } else {
      message = `${name}: num_features=${d.value} but the input ${incoming} has ${actual} channels; PyTorch fails with "running_mean should contain ${actual} elements not ${d.value}"`;
    }
    out.push({ severity: 'error', code: 'declared-size', message, source: d.source, layer: name, model });
  }
  return out;
}

function outFeatures(shape: Shape | null): string {
  const last = shape?.[shape.length - 1];
  return last == null ? '?' : String(last);
}

// ---------------------------------------------------------------------------------------- presentation

export { toFrameworkShape, formatFrameworkShape } from '../report/shapes';
