/**
 * Activation only wires: settings, model sources, panels, the FLOP report view and the commands. It loads
 * no TensorFlow.js; the engine (dist/engine.js) loads on the first analysis.
 */
import * as vscode from 'vscode';
import { createCommands, registerCommands } from './commands';
import { Config, ids } from './config';
import { ArchitecturePanels } from './vscode/architecturePanel';
import type { ArchitectureSession } from './vscode/architectureSession';
import { analysisRunner, disposeAnalysisRunner, engineLoadTime, loadEngine } from './vscode/engineLoader';
import { createIsolatedAnalyser } from './vscode/editor/isolatedAnalysis';
import { registerEditorFeatures } from './vscode/editor/index';
import { registerModelFileEditor } from './vscode/modelFileEditor';
import { ModelPicker } from './vscode/modelPick';
import { ModelSources, zooProvider, type ModelSourceProvider } from './vscode/modelSources';
import { ReportViewProvider } from './vscode/reportView';
import type { ModelSpec } from './core/spec';

/** What other features and tests may use. */
export interface CnnInspectorApi {
  /** Adds models to the "Show architecture" pick (the active editor's models, model files). */
  registerModelSource(provider: ModelSourceProvider): vscode.Disposable;
  /** Opens (or reveals) the panel for a spec; `key` makes it one panel per model. */
  showModel(spec: ModelSpec, key?: string, layer?: string): ArchitectureSession;
  /** The session of an open panel ("zoo:vgg16"). */
  session(key: string): ArchitectureSession | undefined;
  sessions(): ArchitectureSession[];
  /** Milliseconds activation took, and the engine's load time once loaded. */
  timings(): { activationMs: number; engineLoadMs: number | null };
}

export function activate(context: vscode.ExtensionContext): CnnInspectorApi {
  const started = performance.now();
  const output = vscode.window.createOutputChannel(ids.outputChannel, { log: true });
  const log = (message: string): void => output.error(message);
  const config = new Config();
  const sources = new ModelSources();
  context.subscriptions.push(output, sources.register(zooProvider()));

  const report = new ReportViewProvider(context.extensionUri, config, (key, layer) => openLayer(key, layer), log);
  const panels = new ArchitecturePanels({
    extensionUri: context.extensionUri,
    config,
    sources,
    log,
    onReport: (key, title, r) => report.show(key, title, r),
    memento: context.globalState,
  });
  const openLayer = (key: string, layer: string): void => {
    if (panels.reveal(key, layer)) return;
    void sources.resolve(key).then((source) => (source ? panels.open(source, { layer }) : undefined));
  };
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '0');
  const picker = new ModelPicker(sources, context.globalState, version, log, () => config.backend);

  context.subscriptions.push(
    panels,
    report,
    vscode.window.registerWebviewViewProvider(ids.reportView, report),
    vscode.window.registerWebviewPanelSerializer(ids.panelViewType, { deserializeWebviewPanel: (panel, state) => panels.revive(panel, state) }),
    config.onDidChange((changed) => {
      panels.settingsChanged(changed.flopsPerMac || changed.backend);
      report.settingsChanged();
    }),
  );
  registerCommands(context, createCommands({ panels, picker, sources, analysisSettings: () => ({ flopsPerMac: config.flopsPerMac, backend: config.backend }) }, log));
  registerModelFileEditor(context, panels, log);
  registerEditorFeatures(context, {
    // The bundle copies tree-sitter and its grammars here (scripts/build.mjs).
    wasmDirectory: vscode.Uri.joinPath(context.extensionUri, 'dist', 'tree-sitter').fsPath,
    loadEngine,
    showModel: (spec, key, layer) => void panels.openSpec(spec, key, layer),
    settings: {
      hover: () => config.editorFeature('hover'),
      inlayHints: () => config.editorFeature('inlayHints'),
      codeLens: () => config.editorFeature('codeLens'),
      diagnostics: () => config.editorFeature('diagnostics'),
      flopsPerMac: () => config.flopsPerMac,
      numberFormat: () => config.numberFormat,
      backend: () => config.backend,
    },
    onDidChangeSettings: (listener) => config.onDidChange((c) => listener({ analysis: c.flopsPerMac || c.backend })),
    registerModelSource: (provider) => sources.register(provider),
    showReport: (key, title, r) => report.show(key, title, r),
    log,
    // Model code is read and analysed in a worker with memory and time limits: a hostile file cannot stall
    // or take down the extension host.
    isolated: createIsolatedAnalyser(analysisRunner()),
  });
  context.subscriptions.push({ dispose: () => void disposeAnalysisRunner() });

  const activationMs = performance.now() - started;
  return {
    registerModelSource: (provider) => sources.register(provider),
    showModel: (spec, key, layer) => panels.openSpec(spec, key, layer),
    session: (key) => panels.get(key),
    sessions: () => panels.sessions(),
    timings: () => ({ activationMs, engineLoadMs: engineLoadTime() }),
  };
}

export function deactivate(): void {}
