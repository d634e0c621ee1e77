/**
 * Reads a document's models and analyses them, with no `vscode` import so it can be tested in Node. The
 * reader (tree-sitter, no TensorFlow.js) runs synchronously once loaded; the engine is loaded lazily through
 * the injected `loadEngine` the first time a model must be analysed. Cancellable with an AbortSignal.
 */
import type { AnalysisReport, LayerResult } from '../../core/result';
import type { Shape } from '../../core/shape';
import type { AnalyzeOptions } from '../../core/analyze';
import type { BackendPreference, TfModule } from '../../core/tfjs/loadTf';
import { messageOf } from '../../core/errors';
import type { ModelSpec } from '../../core/spec';
import type { ImportOptions } from '../../core/source/types';
import {
  dedupeDiagnostics,
  diagnosticsFromReport,
  type BuildOutcome,
  type BuiltModel,
  type FoundModel,
  type ReadResult,
  type SourceCall,
  type SourceDiagnostic,
  type SourceLanguage,
  type SourceReader,
} from '../../core/source/index';
import type { CellText } from '../../core/source/notebook';
import { readNotebook } from '../../core/source/readNotebook';
import { LastReports, type KeptReport } from './lastReports';

/** The part of the engine the editor features use. */
export interface EditorEngine {
  analyzeModel(spec: ModelSpec, options?: AnalyzeOptions): Promise<AnalysisReport>;
  /** The reader applies layers in TensorFlow.js while it reads; it loads tfjs through the engine. */
  loadTensorFlow(backend?: BackendPreference): Promise<TfModule>;
}

export interface AnalysedModel {
  found: FoundModel;
  outcome: BuildOutcome;
  built: BuiltModel | null;
  report: AnalysisReport | null;
  /** Set when the analysis itself failed (the engine threw). */
  error: string | null;
}

/** Every use of one constructor call site in one model (a loop or a helper makes several). */
export interface CallGroup {
  model: AnalysedModel;
  calls: { call: SourceCall; layers: LayerResult[]; output: LayerResult | null }[];
  /** 1-based first and last line of the constructor call. */
  line: number;
  endLine: number;
  /** Notebooks: the 1-based cell the lines are in. */
  cell?: number;
}

/** Tensors computed on one line (a forward() line, a helper call), per model, in execution order. */
export interface SiteGroup {
  model: AnalysedModel;
  /** 1-based line where the expression ends. */
  line: number;
  /** Notebooks: the 1-based cell the line is in. */
  cell?: number;
  outputs: { layer: LayerResult | null }[];
}

export interface DocumentAnalysis {
  read: ReadResult;
  models: AnalysedModel[];
  diagnostics: SourceDiagnostic[];
  /** Call groups by 1-based line (every line a call spans), the default model's first. */
  byLine: Map<number, CallGroup[]>;
  /** Groups in source order, one per call site and model. */
  groups: CallGroup[];
  /** Lines where a tensor is computed, the default model's first. */
  sites: SiteGroup[];
}

export interface AnalyseOptions {
  file: string;
  language: SourceLanguage;
  flopsPerMac?: 1 | 2;
  backend?: AnalyzeOptions['backend'];
  signal?: AbortSignal;
  /** Inputs the user gave for models that need one, by model name. */
  inputs?: ReadonlyMap<string, Shape>;
  /** Cap on the layers analysed per document (the default model always is). */
  maxLayers?: number;
  /** A notebook: its cells, read in order as one program (the text is then unused); locations carry the cell. */
  cells?: readonly CellText[];
  /** How the document's imports of other workspace files are followed (root, unsaved documents, trust). */
  imports?: ImportOptions;
}

/** Per engine: the reports of each document's last analysis (lastReports.ts). */
const lastReports = new WeakMap<EditorEngine, LastReports>();

export async function analyseDocument(reader: SourceReader, loadEngine: () => Promise<EditorEngine>, text: string, options: AnalyseOptions): Promise<DocumentAnalysis> {
  const read = options.cells
    ? readNotebook(reader, options.cells, options.file, options.imports)
    : reader.read(text, { file: options.file, language: options.language, ...(options.imports ? { imports: options.imports } : {}), ...(options.inputs ? { inputs: options.inputs } : {}) });
  const diagnostics = [...read.diagnostics];
  const ordered = [...read.models].sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  const models: AnalysedModel[] = [];
  let budget = options.maxLayers ?? 3000;
  let engine: EditorEngine | null = null;
  let kept: LastReports | undefined;
  const reports = new Map<string, KeptReport>();
  for (const found of ordered) {
    const given = options.inputs?.get(found.name);
    const outcome = found.build(given);
    const entry: AnalysedModel = { found, outcome, built: outcome.kind === 'built' ? outcome.model : null, report: null, error: null };
    models.push(entry);
    if (!entry.built || (budget <= 0 && !found.isDefault)) continue;
    budget -= entry.built.spec.layers.length;
    if (options.signal?.aborted) break;
    engine ??= await loadEngine();
    if (!kept) {
      kept = lastReports.get(engine) ?? new LastReports();
      lastReports.set(engine, kept);
    }
    const { spec } = entry.built;
    const flopsPerMac = options.flopsPerMac ?? 2;
    try {
      entry.report =
        kept.find(options.file, spec, flopsPerMac, options.backend) ??
        (await engine.analyzeModel(spec, {
          flopsPerMac,
          ...(options.backend ? { backend: options.backend } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        }));
      reports.set(spec.name, { spec, flopsPerMac, backend: options.backend, report: entry.report });
      for (const d of diagnosticsFromReport(entry.built, entry.report)) diagnostics.push(d);
    } catch (error) {
      if (options.signal?.aborted) break;
      entry.error = messageOf(error);
    }
  }
  // A run cut short keeps the reports before it: the next run may still find its models there.
  if (!options.signal?.aborted) kept?.keep(options.file, reports);
  // Layers and messages located in an imported file belong to that file's editor, not to this one's lines.
  const here = (source: { file: string }): boolean => source.file === options.file;
  const groups = groupCalls(models).filter((g) => g.calls.every((c) => here(c.call.source)));
  const byLine = new Map<number, CallGroup[]>();
  for (const g of groups) {
    for (let line = g.line; line <= g.endLine; line++) {
      const list = byLine.get(line) ?? [];
      list.push(g);
      byLine.set(line, list);
    }
  }
  return { read, models, diagnostics: dedupeDiagnostics(diagnostics.filter((d) => here(d.source))), byLine, groups, sites: siteGroups(models, here) };
}

function siteGroups(models: AnalysedModel[], here: (source: { file: string }) => boolean): SiteGroup[] {
  const out: SiteGroup[] = [];
  for (const model of models) {
    if (!model.built || !model.report) continue;
    const byName = new Map(model.report.layers.map((l) => [l.name, l]));
    const perLine = new Map<string, typeof model.built.sites>();
    for (const site of model.built.sites) {
      if (site.output === 'input' || !here(site.source)) continue;
      const key = `${site.source.cell ?? 0}:${site.source.endLine ?? site.source.line}`;
      const list = perLine.get(key) ?? [];
      list.push(site);
      perLine.set(key, list);
    }
    for (const list of perLine.values()) {
      const { cell } = list[0]!.source;
      const line = list[0]!.source.endLine ?? list[0]!.source.line;
      // Nested calls on one line (self.pool(F.relu(self.conv1(x)))): only the outermost expression counts, once
      // per evaluation (a helper's line is evaluated once per call of the helper).
      const width = (x: (typeof list)[number]): number => (x.source.endLine ?? x.source.line) * 1e6 + (x.source.endColumn ?? 0) - (x.source.line * 1e6 + (x.source.column ?? 0));
      const widest = Math.max(...list.map(width));
      const outer = list.filter((x) => width(x) === widest);
      out.push({ model, line, ...(cell === undefined ? {} : { cell }), outputs: outer.map((x) => ({ layer: byName.get(x.output) ?? null })) });
    }
  }
  return out.sort((a, b) => a.line - b.line || Number(b.model.found.isDefault) - Number(a.model.found.isDefault));
}

function groupCalls(models: AnalysedModel[]): CallGroup[] {
  const out: CallGroup[] = [];
  for (const model of models) {
    if (!model.built) continue;
    const byName = new Map((model.report?.layers ?? []).map((l) => [l.name, l]));
    const bySite = new Map<string, CallGroup>();
    for (const call of model.built.calls) {
      const s = call.source;
      const key = `${s.file}:${s.cell ?? 0}:${s.line}:${s.column ?? 0}`;
      let g = bySite.get(key);
      if (!g) {
        g = { model, calls: [], line: s.line, endLine: s.endLine ?? s.line };
        if (s.cell !== undefined) g.cell = s.cell;
        bySite.set(key, g);
        out.push(g);
      }
      const layers: LayerResult[] = [];
      for (const n of call.layers) {
        const layer = byName.get(n);
        if (layer !== undefined) layers.push(layer);
      }
      g.calls.push({ call, layers, output: byName.get(call.output) ?? null });
    }
  }
  return out.sort((a, b) => a.line - b.line || Number(b.model.found.isDefault) - Number(a.model.found.isDefault));
}

