/**
 * Scores the source reader against the ground-truth corpus: public model files used unmodified (unpacked under
 * .corpus/ by scripts/corpus/fetch.sh) and what the real frameworks said about them
 * (test/fixtures/corpus/**.json, written by scripts/corpus/make_expected.py). Needs no Python.
 *
 * Only the reader's public API is used (createSourceReader → read → models / defaultModel → build → calls, then
 * analyzeModel), so the scorer survives a redesign of the reader.
 *
 * Layer entries are compared as multisets of (file, line, type, output shape): the order of calls does not
 * matter, a missing layer and an invented one are both misses. A model's layer score is
 *   matched / (expected + invented)
 * so a reader that reports every expected layer plus one it made up scores below 100%.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeModel } from '../../../extension/core/analyze';
import type { AnalysisReport } from '../../../extension/core/result';
import type { Framework } from '../../../extension/core/spec';
import { inputFromFrameworkShape, languageOf, toFrameworkShape, type BuiltModel, type ReadResult, type SourceReader } from '../../../extension/core/source/index';
import { tfjsFactoryClass } from '../../../extension/core/layerKnowledge/index';
import { inputFromDims } from '../../../extension/core/inputSize';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const CORPUS_DIR = path.join(REPO, '.corpus');
export const EXPECTED_DIR = path.join(REPO, 'test', 'fixtures', 'corpus');

type Dims = (number | null)[];

/** One leaf layer call as the framework ran it. */
export interface ExpectedLayer {
  name: string | null;
  /** Framework class: "Conv2d" (PyTorch), "Conv2D" (Keras). */
  type: string;
  /** The file of the constructor call, relative to the package root; null when no model code made it. */
  file: string | null;
  line: number | null;
  /** Batch first, framework order. */
  output: Dims | null;
  params: number;
}

export interface ExpectedModel {
  model: string;
  build: string;
  /** Batch first, framework order: [1, 3, 224, 224] or [null, 224, 224, 3]. */
  input: Dims;
  total_params: number;
  trainable_params: number;
  non_trainable_params?: number;
  macs: number | null;
  layers: ExpectedLayer[];
}

export interface ExpectedFile {
  /** A wheel "torchvision==0.28.0" (unpacked at .corpus/torchvision-0.28.0/) or a Debian package "python3-torchvision=0.14.1-2". */
  package: string;
  /** Inside the package root: "torchvision/models/resnet.py". */
  path: string;
  sha256: string;
  /** sha256 of the other files the layers' lines point into (torchvision/ops/misc.py), by path. */
  helpers?: Record<string, string>;
  framework: Framework;
  /** What the file's own example code builds; model null when it has none. */
  default: { model: string | null; input: Dims | null };
  models: ExpectedModel[];
}

export interface ModelScore {
  model: string;
  /** The input it was built at, batch first, framework order (a file may list one model at several inputs). */
  input: Dims;
  /**
   * not-found: the reader does not list it; not-built: build() or the engine failed; incomplete: analysed, but
   * the report says shapes are unknown somewhere or it has no layer; analysed: a complete report.
   */
  stage: 'not-found' | 'not-built' | 'incomplete' | 'analysed';
  message: string | null;
  expected: number;
  matched: number;
  /** Entries the reader reported that the framework did not run (wrong line, type or shape counts here too). */
  invented: number;
  params: { expected: number; got: number | null };
  /** Keras only: trainable / non-trainable as count_params() splits them. */
  paramSplit: { expected: [number, number]; got: [number, number] | null } | null;
  macs: { expected: number; got: number | null } | null;
  /** A few of the misses, for the report: "- file:line Type [shape]" missing, "+ …" invented. */
  misses: string[];
  /** Every miss counted by layer class: which constructs cost the most. */
  missingByType: Record<string, number>;
  inventedByType: Record<string, number>;
}

export interface FileScore {
  file: string;
  /** The package file and its helpers exist and are byte-identical to the ones the expectations were made from. */
  source: 'ok' | 'missing' | 'changed';
  models: ModelScore[];
  defaultRight: boolean;
  defaultDetail: string;
}

/** sha256 of a file's bytes, as make_expected.py records it. */
export function fileSha256(file: string): string {
  // Hashing the bytes as latin1 text feeds createHash the same octets (Buffer's typing trips BinaryLike).
  return createHash('sha256').update(readFileSync(file, 'latin1'), 'latin1').digest('hex');
}

export function packageRoot(expected: ExpectedFile, corpusDir = CORPUS_DIR): string {
  return path.join(corpusDir, expected.package.replace(/=+/, '-'));
}

/** Every expectation file under test/fixtures/corpus, sorted by path. */
export function loadExpectations(dir = EXPECTED_DIR): ExpectedFile[] {
  const out: ExpectedFile[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.json')) out.push(JSON.parse(readFileSync(p, 'utf8')) as ExpectedFile);
    }
  };
  walk(dir);
  return out;
}

// Keras' functional helpers that make a layer: keras.layers.add(...) is an Add layer.
const KERAS_FUNCTIONS: Record<string, string> = {
  add: 'Add', subtract: 'Subtract', multiply: 'Multiply', average: 'Average', maximum: 'Maximum', minimum: 'Minimum',
  concatenate: 'Concatenate', dot: 'Dot',
};

/**
 * The framework class a reader call stands for, or null when it is not a layer the framework would list
 * (PyTorch F.relu / torch.cat / "+", which no forward hook sees; Keras' Input, which is the input). Lenient on
 * the module prefix (nn., torch.nn., layers., keras.layers., tf.keras.layers.), strict on the class: tfjs
 * factories (tf.layers.conv2d) become their Keras class by capitalising (conv2d → Conv2D is a table case).
 */
export function frameworkType(framework: Framework, sourceType: string): string | null {
  const last = sourceType.split('.').pop() ?? sourceType;
  if (framework === 'pytorch') return /^[A-Z]/.test(last) ? last : null;
  if (last === 'Input' || last === 'input' || last === 'InputLayer') return null;
  if (/^[A-Z]/.test(last)) return last;
  if (KERAS_FUNCTIONS[last]) return KERAS_FUNCTIONS[last]!;
  if (framework === 'tfjs' && /^[a-z]/.test(last)) return tfjsFactoryClass(last) ?? tfjsClass(last);
  return null;
}

/** A tf.layers factory the table of layer knowledge lacks → Keras class by its spelling: conv2d → Conv2D, maxPooling2d → MaxPooling2D. */
function tfjsClass(factory: string): string {
  return factory.charAt(0).toUpperCase() + factory.slice(1).replace(/([0-9])d$/, '$1D');
}

/** The class of each "file:line Type [shape]" key, counted. */
function countTypes(keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) {
    const type = k.split(' ')[1] ?? '?';
    out[type] = (out[type] ?? 0) + 1;
  }
  return out;
}

function key(file: string | null, line: number | null, type: string, output: Dims | null): string {
  return `${file ?? '?'}:${line ?? '?'} ${type} ${output === null ? 'unknown' : `[${output.map((d) => (d === null ? 'None' : d)).join(', ')}]`}`;
}

export function multisetDiff(expected: string[], got: string[]): { matched: number; missing: string[]; invented: string[] } {
  const counts = new Map<string, number>();
  for (const k of expected) counts.set(k, (counts.get(k) ?? 0) + 1);
  const invented: string[] = [];
  let matched = 0;
  for (const k of got) {
    const n = counts.get(k) ?? 0;
    if (n > 0) {
      matched++;
      counts.set(k, n - 1);
    } else invented.push(k);
  }
  const missing: string[] = [];
  for (const [k, n] of counts) for (let i = 0; i < n; i++) missing.push(k);
  return { matched, missing, invented };
}

/** The reader's calls as (file, line, type, shape) keys, file relative to the package root. */
function readerKeys(built: BuiltModel, report: AnalysisReport, framework: Framework, root: string, batch: number | null): string[] {
  const byName = new Map(report.layers.map((l) => [l.name, l]));
  const keys: string[] = [];
  for (const c of built.calls) {
    const type = frameworkType(framework, c.sourceType);
    if (type === null) continue;
    const out = byName.get(c.output);
    const shape = out ? out.outputShape : c.output === 'input' ? built.spec.input : null;
    const file = path.isAbsolute(c.source.file) ? path.relative(root, c.source.file) : c.source.file;
    keys.push(key(file.split(path.sep).join('/'), c.source.line, type, toFrameworkShape(framework, shape, batch)));
  }
  return keys;
}

function engineInput(framework: Framework, dims: Dims) {
  // A batch of volumes (video models' (1, C, D, H, W)) keeps its batch: four numbers alone would read as (N, C, H, W).
  if (dims.length === 5) return inputFromFrameworkShape(framework, dims.map((d) => d ?? 1));
  // Otherwise the sizes after the batch, read as the CLI reads --input: (N, 784) a vector, (N, C, L) a sequence,
  // (N, C, H, W) an image (inputSize.ts, one parser).
  try {
    return inputFromDims(framework, dims.slice(1).map((d) => d ?? 0));
  } catch {
    return null;
  }
}

async function scoreModel(read: ReadResult, expected: ExpectedFile, m: ExpectedModel, root: string): Promise<ModelScore> {
  const framework = expected.framework;
  const expectedKeys = m.layers.map((l) => key(l.file, l.line, l.type, l.output));
  const score: ModelScore = {
    model: m.model,
    input: m.input,
    stage: 'not-found',
    message: null,
    expected: expectedKeys.length,
    matched: 0,
    invented: 0,
    params: { expected: m.total_params, got: null },
    paramSplit: m.non_trainable_params === undefined ? null : { expected: [m.trainable_params, m.non_trainable_params], got: null },
    macs: m.macs === null ? null : { expected: m.macs, got: null },
    misses: [],
    missingByType: {},
    inventedByType: {},
  };
  const expectedTypes = m.layers.map((l) => l.type);
  score.missingByType = countTypes(expectedKeys);
  const found = read.models.find((x) => x.name === m.model);
  if (!found) {
    score.message = `not among the models the reader found (${read.models.map((x) => x.name).join(', ') || 'none'})`;
    return score;
  }
  const input = engineInput(framework, m.input);
  const outcome = input ? found.build(input) : null;
  if (!outcome || outcome.kind !== 'built') {
    score.stage = 'not-built';
    score.message = outcome && 'message' in outcome ? outcome.message : `input ${JSON.stringify(m.input)} not accepted`;
    return score;
  }
  let report: AnalysisReport;
  try {
    report = await analyzeModel(outcome.model.spec, { backend: 'cpu' });
  } catch (error) {
    score.stage = 'not-built';
    score.message = `analysis failed: ${error instanceof Error ? error.message : String(error)}`;
    return score;
  }
  score.stage = report.complete && report.layers.length > 0 ? 'analysed' : 'incomplete';
  if (score.stage === 'incomplete') score.message = report.issues[0]?.message ?? (report.layers.length === 0 ? 'no layers' : 'incomplete');
  const batch = m.input[0] ?? null;
  const diff = multisetDiff(expectedKeys, readerKeys(outcome.model, report, framework, root, batch));
  score.matched = diff.matched;
  score.invented = diff.invented.length;
  score.misses = [...diff.missing.slice(0, 3).map((k) => `- ${k}`), ...diff.invented.slice(0, 3).map((k) => `+ ${k}`)];
  score.missingByType = countTypes(diff.missing);
  score.inventedByType = countTypes(diff.invented);
  score.params.got = report.totals.params;
  if (score.paramSplit) score.paramSplit.got = [report.totals.trainableParams, report.totals.nonTrainableParams];
  if (score.macs) score.macs.got = report.totals.macs;
  return score;
}

/** With no arguments: does the reader pick the model the file's example code builds, at its input (or none)? */
function scoreDefault(read: ReadResult, expected: ExpectedFile): { right: boolean; detail: string } {
  const want = expected.default;
  const got = read.defaultModel;
  if (want.model === null) {
    // Right only when the reader also lists the models to choose from (the CLI names them, VS Code asks).
    const missing = expected.models.filter((m) => !read.models.some((x) => x.name === m.model)).map((m) => m.model);
    if (got !== null) return { right: false, detail: `picked ${got.name}; the file has no example code` };
    return missing.length === 0 ? { right: true, detail: 'no default, as expected' } : { right: false, detail: `no default, but ${missing.join(', ')} not listed` };
  }
  if (got === null) return { right: false, detail: `no default; the example code builds ${want.model}` };
  if (got.name !== want.model) return { right: false, detail: `picked ${got.name}; the example code builds ${want.model}` };
  const outcome = got.build();
  if (outcome.kind !== 'built') return { right: false, detail: `${got.name} with no input: ${outcome.kind}` };
  const input = toFrameworkShape(expected.framework, outcome.model.spec.input);
  const wanted = want.input ? toFrameworkShape(expected.framework, engineInput(expected.framework, want.input)) : null;
  const same = JSON.stringify(input) === JSON.stringify(wanted);
  return { right: same, detail: same ? `${got.name} at its example input` : `${got.name} at ${JSON.stringify(input)}; the example feeds ${JSON.stringify(wanted)}` };
}

export async function scoreFile(reader: SourceReader, expected: ExpectedFile, corpusDir = CORPUS_DIR): Promise<FileScore> {
  const root = packageRoot(expected, corpusDir);
  const file = path.join(root, expected.path);
  const base: FileScore = { file: `${expected.package}/${expected.path}`, source: 'ok', models: [], defaultRight: false, defaultDetail: '' };
  if (!existsSync(file)) return { ...base, source: 'missing' };
  if (fileSha256(file) !== expected.sha256) return { ...base, source: 'changed' };
  for (const [helper, sha] of Object.entries(expected.helpers ?? {})) {
    const p = path.join(root, helper);
    if (!existsSync(p) || fileSha256(p) !== sha) return { ...base, source: 'changed' };
  }
  const language = languageOf(file);
  if (language === null) throw new Error(`${file}: no reader language`);
  const read = reader.read(readFileSync(file, 'utf8'), { file, language });
  for (const m of expected.models) base.models.push(await scoreModel(read, expected, m, root));
  const d = scoreDefault(read, expected);
  return { ...base, defaultRight: d.right, defaultDetail: d.detail };
}

export interface Summary {
  files: number;
  models: number;
  /** Layer entries: matched / (expected + invented), over every model. */
  entries: { expected: number; matched: number; invented: number };
  /** Models whose parameter total is exact (Keras: trainable and non-trainable too). */
  paramsRight: number;
  /** Models with a recorded MAC count whose MACs are exact, out of those with one. */
  macsRight: number;
  macsKnown: number;
  /** Missing and invented entries by layer class, over every model. */
  missingByType: Record<string, number>;
  inventedByType: Record<string, number>;
  /** Files whose every model was found, built and analysed to a complete report. */
  filesAnalysed: number;
  modelsAnalysed: number;
  defaultRight: number;
}

export function paramsRight(m: ModelScore): boolean {
  if (m.params.got !== m.params.expected) return false;
  return m.paramSplit === null || JSON.stringify(m.paramSplit.got) === JSON.stringify(m.paramSplit.expected);
}

function addCounts(all: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of all) for (const [k, n] of Object.entries(c)) out[k] = (out[k] ?? 0) + n;
  return out;
}

export function summarise(files: FileScore[]): Summary {
  const models = files.flatMap((f) => f.models);
  return {
    files: files.length,
    models: models.length,
    entries: {
      expected: models.reduce((s, m) => s + m.expected, 0),
      matched: models.reduce((s, m) => s + m.matched, 0),
      invented: models.reduce((s, m) => s + m.invented, 0),
    },
    paramsRight: models.filter(paramsRight).length,
    macsRight: models.filter((m) => m.macs !== null && m.macs.got === m.macs.expected).length,
    macsKnown: models.filter((m) => m.macs !== null).length,
    missingByType: addCounts(models.map((m) => m.missingByType)),
    inventedByType: addCounts(models.map((m) => m.inventedByType)),
    filesAnalysed: files.filter((f) => f.source === 'ok' && f.models.every((m) => m.stage === 'analysed')).length,
    modelsAnalysed: models.filter((m) => m.stage === 'analysed').length,
    defaultRight: files.filter((f) => f.defaultRight).length,
  };
}

/** The headline layer score in percent, one decimal. */
export function entryPercent(e: Summary['entries']): number {
  const denominator = e.expected + e.invented;
  return denominator === 0 ? 100 : Math.floor((1000 * e.matched) / denominator) / 10;
}
