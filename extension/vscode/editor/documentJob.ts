/**
 * The worker side of the editor's analysis (runs in dist/analysisWorker.js, never on the extension host):
 * reads a document, builds and analyses its models, and sends back the result as plain data. FoundModel's
 * `build` closures stay behind; building for another input is the `build` job. No `vscode` import.
 */
import type { CellText } from '../../core/source/notebook';
import { readNotebook } from '../../core/source/readNotebook';
import type { ImportOptions } from '../../core/source/types';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../core/analyze';
import type { AnalysisReport } from '../../core/result';
import type { Shape } from '../../core/shape';
import type { ModelSpec } from '../../core/spec';
import type { AnalyzeOptions } from '../../core/analyze';
import type { JobContext } from '../../core/isolation/index';
import { createSourceReader, defaultWasmDirectory, type BuildOutcome, type FoundModel, type SourceLanguage, type SourceReader } from '../../core/source/index';
import { analyseDocument, type AnalyseOptions, type DocumentAnalysis, type EditorEngine } from './documentAnalysis';
import { loadTensorFlow } from '../../core/tfjs/loadTf';

/** What the host sends: the document's text and the analysis options (no AbortSignal: cancel ends the worker). */
export interface DocumentJobPayload {
  text: string;
  options: Omit<AnalyseOptions, 'signal' | 'inputs'> & { inputs?: [string, Shape][] };
}

/** One model of a document built for an input the user gave. */
export interface BuildJobPayload {
  text: string;
  file: string;
  language: SourceLanguage;
  model: string;
  input?: Shape;
  /** A notebook's cells, read as one program (the text is then unused). */
  cells?: CellText[];
  /** How the document's imports are followed, as for its analysis. */
  imports?: ImportOptions;
}

let readerPromise: Promise<SourceReader> | undefined;

/** The bundle copies the grammars beside the worker (scripts/build.mjs); from source, node_modules has them. */
function reader(language: SourceLanguage): Promise<SourceReader> {
  const bundled = join(__dirname, 'tree-sitter');
  readerPromise ??= createSourceReader({ wasmDirectory: existsSync(join(bundled, 'tree-sitter.wasm')) ? bundled : defaultWasmDirectory(), languages: [], tensorflow: () => loadTensorFlow() });
  return readerPromise.then(async (r) => {
    await r.prepare(language);
    return r;
  });
}

/** The engine as the editor uses it, telling the host each layer it reaches (so a stop can be located). */
function engineReporting(context: JobContext): EditorEngine {
  return {
    loadTensorFlow,
    async analyzeModel(spec: ModelSpec, options?: AnalyzeOptions): Promise<AnalysisReport> {
      context.progress({ phase: 'analysing', model: spec.name });
      for await (const event of analyze(spec, options)) {
        if (event.kind === 'layer') context.progress({ phase: 'analysing', model: spec.name, layer: event.layer.name, source: event.layer.source });
        if (event.kind === 'done') return event.report;
      }
      throw new Error('analysis ended without a report');
    },
  };
}

export async function documentJob(payload: DocumentJobPayload, context: JobContext): Promise<DocumentAnalysis> {
  const { text, options } = payload;
  context.progress({ phase: 'reading', source: { file: options.file, line: 1, column: 1 } });
  const r = await reader(options.language);
  const engine = engineReporting(context);
  const result = await analyseDocument(r, async () => engine, text, { ...options, inputs: new Map(options.inputs ?? []), signal: context.signal });
  return withoutClosures(result);
}

export async function buildJob(payload: BuildJobPayload, context: JobContext): Promise<BuildOutcome> {
  context.progress({ phase: 'reading', source: { file: payload.file, line: 1, column: 1 } });
  const r = await reader(payload.language);
  const read = payload.cells
    ? readNotebook(r, payload.cells, payload.file, payload.imports)
    : r.read(payload.text, { file: payload.file, language: payload.language, ...(payload.imports ? { imports: payload.imports } : {}) });
  const found = read.models.find((m) => m.name === payload.model);
  if (!found) return { kind: 'failed', model: payload.model, message: `model ${payload.model} is no longer in this file`, diagnostics: [] };
  context.progress({ phase: 'building', model: payload.model, source: found.source });
  return found.build(payload.input);
}

/** The analysis with every FoundModel replaced by a copy without `build`, the same copy wherever it appears. */
export function withoutClosures(result: DocumentAnalysis): DocumentAnalysis {
  const copies = new Map<FoundModel, FoundModel>();
  const copy = (found: FoundModel): FoundModel => {
    let plain = copies.get(found);
    if (!plain) {
      const { build: _build, ...rest } = found;
      plain = rest as FoundModel;
      copies.set(found, plain);
    }
    return plain;
  };
  const read = { ...result.read, models: result.read.models.map(copy), defaultModel: result.read.defaultModel ? copy(result.read.defaultModel) : null };
  for (const model of result.models) model.found = copy(model.found);
  return { ...result, read };
}
