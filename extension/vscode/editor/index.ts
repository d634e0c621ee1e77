/**
 * Editor features for model code (Python Keras/PyTorch, TypeScript/JavaScript TensorFlow.js): hovers with
 * shapes, params, MACs and receptive fields; inlay hints with each layer's output shape at the end of its line;
 * diagnostics (syntax errors, unsupported constructs, shape errors found before running); a CodeLens
 * "Show architecture" above each model. One entry point, `registerEditorFeatures`, with its dependencies
 * injected so activation wiring stays in extension/main.ts.
 *
 * Results are cached per document version; re-analysis after an edit is debounced and cancels the previous
 * run. The source reader (tree-sitter, no TensorFlow.js) loads on the first model file; the engine loads
 * through `deps.loadEngine` the first time a model is analysed.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Shape } from '../../core/shape';
import type { ModelSpec, SourceLocation } from '../../core/spec';
import type { AnalysisReport } from '../../core/result';
import { readInputSize } from '../../core/inputSize';
import {
  createSourceReader,
  languageOf,
  type BuildOutcome,
  type FoundModel,
  type SourceDiagnostic,
  type SourceLanguage,
  type SourceReader,
} from '../../core/source/index';
import type { ModelSource, ModelSourceProvider } from '../modelSources';
import { analyseDocument, type AnalyseOptions, type DocumentAnalysis, type EditorEngine } from './documentAnalysis';
import type { IsolatedAnalyser } from './isolatedAnalysis';
import { codeLensTitle, hoverMarkdown, inlayLabel, siteLabel } from './format';
import { importOptionsFor } from './importOptions';
import { cellView } from './notebookView';
import type { CellText } from '../../core/source/notebook';

export interface EditorFeatureSettings {
  hover(): boolean;
  inlayHints(): boolean;
  codeLens(): boolean;
  diagnostics(): boolean;
  flopsPerMac(): 1 | 2;
  numberFormat(): 'exact' | 'si';
  backend(): 'auto' | 'node' | 'cpu';
}

export interface EditorFeatureDeps {
  /** Directory holding tree-sitter.wasm and the grammars (the bundle copies them, e.g. dist/tree-sitter). */
  wasmDirectory: string;
  /** Loads the analysis engine (and TensorFlow.js) on first use. */
  loadEngine(): Promise<EditorEngine>;
  /** Opens (or reveals) the architecture panel for a spec read from code; `key` is one panel per model. */
  showModel(spec: ModelSpec, key: string, layer?: string): void;
  settings: EditorFeatureSettings;
  /** Fires when any of the settings above change; `analysis` when the figures themselves change (FLOPs per MAC, backend). */
  onDidChangeSettings?: (listener: (change: { analysis: boolean }) => void) => vscode.Disposable;
  /** Adds "models in the active editor" to the Show architecture pick. */
  registerModelSource?(provider: ModelSourceProvider): { dispose(): unknown };
  /** Shows a model's report in the FLOP report view (it follows the active editor); `key` as for showModel. */
  showReport?(key: string, title: string, report: AnalysisReport): void;
  log?(message: string): void;
  /**
   * Reads and analyses documents off the extension host (core/isolation: a worker with memory and time
   * limits). Without it both run here, as in the unit tests that drive the reader directly.
   */
  isolated?: IsolatedAnalyser;
  /** Milliseconds to wait after an edit before re-analysing. Default 400. */
  debounceMs?: number;
}

/** The internal command the CodeLens runs (not in the palette): (uri: string, model: string). */
export const SHOW_SOURCE_MODEL_COMMAND = 'cnnInspector.editor.showModel';

const SELECTOR: vscode.DocumentSelector = ['python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact'].flatMap((language) => [
  { language, scheme: 'file' },
  { language, scheme: 'untitled' },
  { language, scheme: 'vscode-vfs' },
]).concat([{ language: 'python', scheme: 'vscode-notebook-cell' }]);

/** Files that cannot hold a model are not parsed at all. */
const MENTIONS_FRAMEWORK = /\b(torch|keras|tensorflow|tf\.layers|@tensorflow\/tfjs)\b/;

interface Entry {
  version: string;
  promise: Promise<DocumentAnalysis | null>;
  abort: AbortController;
}

/** What is analysed as one program: a document, or the whole notebook a cell belongs to. */
interface Subject {
  key: string;
  uri: vscode.Uri;
  version: string;
  /** The program text, read only when an analysis starts (not on every hover of a cached version). */
  text(): string;
  cells?: CellText[];
}

/** The notebook a cell's document belongs to, and the cell's 1-based number among all cells. */
function notebookCellOf(document: vscode.TextDocument): { notebook: vscode.NotebookDocument; cell: number } | null {
  if (document.uri.scheme !== 'vscode-notebook-cell') return null;
  for (const notebook of vscode.workspace.notebookDocuments) {
    const i = notebook.getCells().findIndex((c) => c.document === document);
    if (i >= 0) return { notebook, cell: i + 1 };
  }
  return null;
}

function subjectOf(document: vscode.TextDocument): Subject {
  const inNotebook = notebookCellOf(document);
  if (!inNotebook) return { key: document.uri.toString(), uri: document.uri, version: String(document.version), text: () => document.getText() };
  const cells = inNotebook.notebook.getCells();
  const kinds: CellText[] = cells.map((c) => ({ kind: c.kind === vscode.NotebookCellKind.Code ? 'code' : 'markdown', text: c.document.getText() }));
  return {
    key: inNotebook.notebook.uri.toString(),
    uri: inNotebook.notebook.uri,
    // Editing a cell changes that cell document's version; adding or moving cells changes the notebook's.
    version: `${inNotebook.notebook.version}:${cells.map((c) => c.document.version).join(',')}`,
    text: () => kinds.map((c) => (c.kind === 'code' ? c.text : '')).join('\n'),
    cells: kinds,
  };
}

export function registerEditorFeatures(context: vscode.ExtensionContext, deps: EditorFeatureDeps): vscode.Disposable {
  const log = deps.log ?? (() => undefined);
  const disposables: vscode.Disposable[] = [];
  const entries = new Map<string, Entry>();
  const givenInputs = new Map<string, Map<string, Shape>>();
  const diagnostics = vscode.languages.createDiagnosticCollection('cnnInspector');
  const changed = new vscode.EventEmitter<void>();
  disposables.push(diagnostics, changed);

  let readerPromise: Promise<SourceReader> | undefined;
  const reader = (language: SourceLanguage): Promise<SourceReader> => {
    if (!readerPromise) {
      // The reader applies layers in TensorFlow.js as it reads, so it loads with the engine.
      readerPromise = createSourceReader({ wasmDirectory: deps.wasmDirectory, languages: [], tensorflow: () => deps.loadEngine().then((e) => e.loadTensorFlow(deps.settings.backend())) });
      // A failed load is retried on the next document, not cached forever.
      readerPromise.catch(() => (readerPromise = undefined));
    }
    return readerPromise.then(async (r) => {
      await r.prepare(language);
      return r;
    });
  };

  const languageFor = (document: vscode.TextDocument): SourceLanguage | null => languageOf(document.languageId);

  const lastResults = new Map<string, DocumentAnalysis>();
  /** Subjects that are notebooks: their problems go to the cells. */
  const notebookKeys = new Set<string>();

  /**
   * The analysis of this exact document version. The first analysis of a document starts at once; after an
   * edit it starts `debounceMs` later, and every newer version cancels the older one (debounce + cancel).
   */
  const analysisOf = (document: vscode.TextDocument): Promise<DocumentAnalysis | null> => {
    const subject = subjectOf(document);
    const key = subject.key;
    if (subject.cells) notebookKeys.add(key);
    const existing = entries.get(key);
    if (existing && existing.version === subject.version) return existing.promise;
    existing?.abort.abort();
    const language = subject.cells ? 'python' : languageFor(document);
    const text = subject.text();
    const abort = new AbortController();
    const delayMs = existing ? (deps.debounceMs ?? 400) : 0;
    const run = async (): Promise<DocumentAnalysis | null> => {
      if (delayMs > 0) await new Promise<void>((resolve) => setTimeout(resolve, delayMs));
      if (abort.signal.aborted) return null;
      if (!language || !MENTIONS_FRAMEWORK.test(text)) {
        lastResults.delete(key);
        diagnostics.delete(document.uri);
        return null;
      }
      const options: AnalyseOptions = {
        file: key,
        language,
        flopsPerMac: deps.settings.flopsPerMac(),
        backend: deps.settings.backend(),
        signal: abort.signal,
        inputs: givenInputs.get(key) ?? new Map(),
        imports: importOptionsFor(subject.uri, document),
        ...(subject.cells ? { cells: subject.cells } : {}),
      };
      const result = deps.isolated ? await deps.isolated.analyse(text, options) : await analyseDocument(await reader(language), deps.loadEngine, text, options);
      if (abort.signal.aborted) return null;
      lastResults.set(key, result);
      publish(subject.uri, result);
      return result;
    };
    const promise = run().catch((error: unknown) => {
      if (!abort.signal.aborted) log(`CNN Inspector: reading ${document.uri.toString()} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return null;
    });
    entries.set(key, { version: subject.version, abort, promise });
    return promise;
  };

  /** What one editor shows of its analysis: a notebook cell only its own part, at lines within the cell. */
  const shownAnalysisOf = async (document: vscode.TextDocument): Promise<DocumentAnalysis | null> => {
    const result = await analysisOf(document);
    const cell = notebookCellOf(document);
    return result && cell ? cellView(result, cell.cell) : result;
  };

  /** The latest finished analysis, even of an older version (for CodeLens while typing). */
  const latest = (document: vscode.TextDocument): DocumentAnalysis | null => {
    const result = lastResults.get(subjectOf(document).key) ?? null;
    const cell = notebookCellOf(document);
    return result && cell ? cellView(result, cell.cell) : result;
  };

  /** The FLOP report follows the active editor: its default model (else the first analysed one). */
  const followActiveEditor = (uri: vscode.Uri, result: DocumentAnalysis | null): void => {
    const active = vscode.window.activeTextEditor?.document;
    if (!deps.showReport || !result || !active || subjectOf(active).key !== uri.toString()) return;
    const model = result.models.find((m) => m.found.isDefault && m.report) ?? result.models.find((m) => m.report);
    if (model?.report) deps.showReport(`source:${uri.toString()}#${model.found.name}`, model.found.name, model.report);
  };

  const publish = (uri: vscode.Uri, result: DocumentAnalysis): void => {
    followActiveEditor(uri, result);
    if (deps.settings.diagnostics()) {
      const defaultName = result.read.defaultModel?.name;
      const shown = result.diagnostics.filter((d) => d.code !== 'input-needed' || d.model === defaultName);
      const notebook = notebookKeys.has(uri.toString()) ? vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === uri.toString()) : undefined;
      if (notebook) {
        // A notebook's problems go to the cells they are in.
        notebook.getCells().forEach((c, i) => diagnostics.set(c.document.uri, shown.filter((d) => d.source.cell === i + 1).map(toDiagnostic)));
      } else diagnostics.set(uri, shown.map(toDiagnostic));
    } else diagnostics.delete(uri);
    changed.fire();
  };

  const relevant = (document: vscode.TextDocument): boolean => vscode.languages.match(SELECTOR, document) > 0;

  /** Open documents that import `changed` are read again (debounced like an edit of their own). */
  const refreshImporters = (changed: vscode.TextDocument): void => {
    const file = changed.uri.toString();
    for (const d of vscode.workspace.textDocuments) {
      const key = d.uri.toString();
      if (key === file || !lastResults.get(key)?.read.importedFiles?.includes(file)) continue;
      const entry = entries.get(key);
      if (entry) entry.version = '';
      void analysisOf(d);
    }
  };

  disposables.push(
    vscode.workspace.onDidOpenTextDocument((d) => relevant(d) && void analysisOf(d)),
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (editor && relevant(editor.document)) void analysisOf(editor.document).then((r) => followActiveEditor(editor.document.uri, r));
    }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (!relevant(e.document) || e.contentChanges.length === 0) return;
      void analysisOf(e.document);
      refreshImporters(e.document);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      const key = d.uri.toString();
      entries.get(key)?.abort.abort();
      entries.delete(key);
      lastResults.delete(key);
      diagnostics.delete(d.uri);
    }),
  );
  for (const d of vscode.workspace.textDocuments) if (relevant(d)) void analysisOf(d);

  if (deps.onDidChangeSettings) {
    disposables.push(
      deps.onDidChangeSettings((change) => {
        if (change.analysis) {
          for (const e of entries.values()) e.abort.abort();
          entries.clear();
          for (const d of vscode.workspace.textDocuments) if (relevant(d)) void analysisOf(d);
        } else {
          // Switches and number formats change how results look, not the results: show them again.
          for (const [key, result] of lastResults) publish(vscode.Uri.parse(key), result);
        }
        changed.fire();
      }),
    );
  }

  // ---- hover
  disposables.push(
    vscode.languages.registerHoverProvider(SELECTOR, {
      provideHover: async (document, position) => {
        if (!deps.settings.hover()) return undefined;
        const result = await shownAnalysisOf(document);
        if (!result) return undefined;
        const line = position.line + 1;
        const groups = (result.byLine.get(line) ?? []).filter((g) => {
          const s = g.calls[0]!.call.source;
          const start = new vscode.Position(s.line - 1, (s.column ?? 1) - 1);
          const end = new vscode.Position((s.endLine ?? s.line) - 1, (s.endColumn ?? 10_000) - 1);
          return new vscode.Range(start, end).contains(position);
        });
        if (groups.length === 0) return undefined;
        const markdown = new vscode.MarkdownString(hoverMarkdown(groups.slice(0, 2), deps.settings.numberFormat()));
        return new vscode.Hover(markdown);
      },
    }),
  );

  // ---- inlay hints
  disposables.push(
    vscode.languages.registerInlayHintsProvider(SELECTOR, {
      onDidChangeInlayHints: changed.event,
      provideInlayHints: async (document, range) => {
        if (!deps.settings.inlayHints()) return [];
        const result = await shownAnalysisOf(document);
        if (!result) return [];
        const hints: vscode.InlayHint[] = [];
        const done = new Set<number>();
        /** Whether a 1-based line is in range and still free (one hint per line); claims it if so. */
        const claim = (line: number): boolean => {
          if (line - 1 < range.start.line || line - 1 > range.end.line || done.has(line)) return false;
          done.add(line);
          return true;
        };
        const hintAtEndOf = (line: number, label: string): vscode.InlayHint => {
          const end = document.lineAt(Math.min(line - 1, document.lineCount - 1)).range.end;
          const hint = new vscode.InlayHint(end, label, vscode.InlayHintKind.Type);
          hint.paddingLeft = true;
          return hint;
        };
        for (const g of result.groups) if (g.model.report && claim(g.endLine)) hints.push(hintAtEndOf(g.endLine, inlayLabel(g)));
        // Lines that compute a tensor without constructing a layer: x = self.layer1(x), x = conv_block(x, 64).
        for (const site of result.sites) if (claim(site.line)) hints.push(hintAtEndOf(site.line, siteLabel(site)));
        hints.sort((a, b) => a.position.line - b.position.line);
        return hints;
      },
    }),
  );

  // ---- CodeLens
  disposables.push(
    vscode.languages.registerCodeLensProvider(SELECTOR, {
      onDidChangeCodeLenses: changed.event,
      provideCodeLenses: async (document) => {
        if (!deps.settings.codeLens()) return [];
        const result = (await shownAnalysisOf(document)) ?? latest(document);
        if (!result) return [];
        return result.models.map((m) => {
          const line = Math.max(0, m.found.source.line - 1);
          const range = new vscode.Range(line, 0, line, 0);
          return new vscode.CodeLens(range, {
            title: codeLensTitle(m.found.name, m.report, m.outcome.kind === 'input-needed'),
            tooltip: m.found.isDefault ? 'The model this file builds or runs' : undefined,
            command: SHOW_SOURCE_MODEL_COMMAND,
            arguments: [document.uri.toString(), m.found.name],
          });
        });
      },
    }),
  );

  // ---- the command behind the CodeLens
  const showModel = async (uri: string, name: string): Promise<void> => {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    const result = await analysisOf(document);
    const found = result?.read.models.find((m) => m.name === name);
    if (!found) return void vscode.window.showWarningMessage(`CNN Inspector: model ${name} is no longer in this file.`);
    const spec = await specFor(document, found);
    if (spec) deps.showModel(spec, `source:${uri}#${name}`);
  };

  const specFor = async (document: vscode.TextDocument, found: FoundModel, input?: readonly number[]): Promise<ModelSpec | null> => {
    const subject = subjectOf(document);
    const key = subject.key;
    // In the worker when isolated: the found model's own build is only the one the analysis ran.
    const buildFor = (shape: Shape | undefined): Promise<BuildOutcome> | BuildOutcome => {
      const language = languageFor(document);
      if (!deps.isolated || !language || shape === undefined) return found.build(shape);
      return deps.isolated.build({ text: subject.text(), file: key, language: subject.cells ? 'python' : language, model: found.name, input: shape, imports: importOptionsFor(subject.uri, document), ...(subject.cells ? { cells: subject.cells } : {}) });
    };
    let outcome = await buildFor(input ?? givenInputs.get(key)?.get(found.name));
    if (outcome.kind === 'input-needed') {
      const shape = await askInput(found);
      if (!shape) return null;
      let inputs = givenInputs.get(key);
      if (!inputs) givenInputs.set(key, (inputs = new Map()));
      inputs.set(found.name, shape);
      entries.delete(key);
      void analysisOf(document);
      outcome = await buildFor(shape);
    }
    if (outcome.kind === 'built') return outcome.model.spec;
    if (outcome.kind === 'failed') void vscode.window.showErrorMessage(`CNN Inspector: ${outcome.message}`);
    return null;
  };

  const askInput = async (found: FoundModel): Promise<Shape | undefined> => {
    const pytorch = found.framework === 'pytorch';
    const read = (v: string) => readInputSize(v, found.framework, null);
    const text = await vscode.window.showInputBox({
      title: `Input size for ${found.name}`,
      prompt: pytorch ? 'The input tensor as N, C, H, W (or C, H, W)' : 'The input as H, W, C (or N, H, W, C)',
      value: pytorch ? '1, 3, 224, 224' : '224, 224, 3',
      validateInput: (v) => {
        const parsed = read(v);
        return parsed.ok ? null : parsed.error;
      },
    });
    if (text === undefined) return undefined;
    const parsed = read(text);
    return parsed.ok ? parsed.input : undefined;
  };

  disposables.push(vscode.commands.registerCommand(SHOW_SOURCE_MODEL_COMMAND, (uri: string, name: string) => showModel(uri, name)));

  // ---- "models in the active editor" in the Show architecture pick
  if (deps.registerModelSource) {
    const toSource = (document: vscode.TextDocument, found: FoundModel): ModelSource => ({
      id: `source:${document.uri.toString()}#${found.name}`,
      label: found.name,
      framework: found.framework,
      description: `${found.framework} · ${path.basename(document.uri.path)}${found.isDefault ? ' · default' : ''}`,
      // 224×224×3 is only the input field's placeholder when nothing states the input (inputKnown: false).
      defaultInput: [...(found.input ?? givenInputs.get(document.uri.toString())?.get(found.name) ?? [224, 224, 3])].map((d) => d ?? 1),
      inputKnown: found.input !== null || givenInputs.get(document.uri.toString())?.has(found.name) === true,
      location: found.source,
      load: async (input) => {
        const spec = await specFor(document, found, input);
        if (!spec) throw new Error(`${found.name}: no input size was given`);
        return spec;
      },
    });
    disposables.push(
      deps.registerModelSource({
        id: 'source',
        label: 'Models in the active editor',
        list: async () => {
          const document = vscode.window.activeTextEditor?.document;
          if (!document || !relevant(document)) return [];
          const result = await analysisOf(document);
          return (result?.read.models ?? []).map((m) => toSource(document, m));
        },
        resolve: async (id) => {
          const match = /^source:(.*)#([^#]+)$/.exec(id);
          if (!match) return undefined;
          try {
            const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(match[1]!));
            const result = await analysisOf(document);
            const found = result?.read.models.find((m) => m.name === match[2]);
            return found ? toSource(document, found) : undefined;
          } catch {
            return undefined;
          }
        },
      }),
    );
  }

  const all = vscode.Disposable.from(...disposables, {
    dispose: () => {
      for (const e of entries.values()) e.abort.abort();
      entries.clear();
    },
  });
  context.subscriptions.push(all);
  return all;
}

function toDiagnostic(d: SourceDiagnostic): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(d.source), d.message, severityOf(d));
  diagnostic.source = 'CNN Inspector';
  diagnostic.code = d.code;
  return diagnostic;
}

function severityOf(d: SourceDiagnostic): vscode.DiagnosticSeverity {
  if (d.severity === 'error') return vscode.DiagnosticSeverity.Error;
  if (d.severity === 'warning') return vscode.DiagnosticSeverity.Warning;
  return vscode.DiagnosticSeverity.Information;
}

/** 1-based SourceLocation → 0-based Range. */
function toRange(s: SourceLocation): vscode.Range {
  const line = Math.max(0, s.line - 1);
  const col = Math.max(0, (s.column ?? 1) - 1);
  const endLine = Math.max(line, (s.endLine ?? s.line) - 1);
  const endCol = s.endColumn !== undefined ? Math.max(0, s.endColumn - 1) : col + 1;
  return new vscode.Range(line, col, endLine, endLine === line ? Math.max(endCol, col) : endCol);
}
