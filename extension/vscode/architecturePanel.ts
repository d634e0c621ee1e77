/**
 * Architecture panels: one webview panel per model (opening it again reveals it), each driven by an
 * `ArchitectureSession`. Panels revive after a reload through a serializer that finds their model source
 * again from the state the webview saved.
 */
import * as vscode from 'vscode';
import { messageOf } from '../core/errors';
import type { AnalysisReport, LayerResult } from '../core/result';
import type { ModelSpec } from '../core/spec';
import { ids, type Config } from '../config';
import { type ExportFormat } from '../protocol';
import { readInputSize } from '../core/inputSize';
import { ArchitectureSession, type SessionHost } from './architectureSession';
import { loadEngine } from './engineLoader';
import { specSource, type ModelSource, type ModelSources } from './modelSources';
import { revealSource } from './sourceLinks';
import { webviewHtml, webviewOptions } from './webviewHtml';

export interface PanelContext {
  extensionUri: vscode.Uri;
  config: Config;
  sources: ModelSources;
  log: (message: string) => void;
  /** A panel finished a run or became active: the FLOP report follows it. */
  onReport: (panelKey: string, title: string, report: AnalysisReport) => void;
  /** Where the user's choice of table columns is kept (the global state: every panel, every window). */
  memento?: vscode.Memento;
}


/** One open panel. */
class ArchitecturePanel {
  readonly session: ArchitectureSession;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    source: ModelSource,
    private readonly ctx: PanelContext,
    onDispose: () => void,
    input?: readonly number[],
    against?: AnalysisReport,
  ) {
    const host: SessionHost = {
      post: (message) => void panel.webview.postMessage(message),
      engine: loadEngine,
      settings: () => ({ flopsPerMac: ctx.config.flopsPerMac, numberFormat: ctx.config.numberFormat, backend: ctx.config.backend }),
      exportContent: (format, target, content, model) => exportContent(format, target, content, model),
      openSource: (layer) => void openLayerSource(layer, ctx.log),
      log: ctx.log,
      onReport: (report) => ctx.onReport(source.id, this.session.source.label, report),
      onTitle: (title) => (panel.title = title),
      columns: () => {
        const saved = ctx.memento?.get<unknown>(ids.tableColumnsKey);
        return Array.isArray(saved) && saved.every((c) => typeof c === 'string') ? (saved as string[]) : null;
      },
      setColumns: (columns) => void ctx.memento?.update(ids.tableColumnsKey, columns),
      openMarkdown: (markdown) => void openMarkdown(markdown),
    };
    this.session = new ArchitectureSession(source, host, input);
    if (against) this.session.compareWith(against);
    panel.webview.options = webviewOptions(ctx.extensionUri);
    panel.webview.html = webviewHtml(panel.webview, ctx.extensionUri, 'panel', source.label);
    panel.iconPath = vscode.Uri.joinPath(ctx.extensionUri, 'media', 'activity.svg');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m) => this.session.handle(m)),
      panel.onDidChangeViewState(({ webviewPanel }) => {
        // The webview is retained when hidden (its table and laid-out diagram come back at once); a panel
        // revived without retained context says "ready" again and gets a replay, so nothing is held here.
        if (webviewPanel.active && this.session.lastReport) ctx.onReport(source.id, this.session.source.label, this.session.lastReport);
      }),
      panel.onDidDispose(() => {
        // Closing the panel mid-stream cancels the analysis.
        this.session.dispose();
        for (const d of this.disposables) d.dispose();
        onDispose();
      }),
    );
    void this.session.run();
  }
}

export class ArchitecturePanels implements vscode.Disposable {
  private readonly panels = new Map<string, ArchitecturePanel>();

  constructor(private readonly ctx: PanelContext) {}

  /** Opens the panel for a source, or reveals it; an explicit `input` re-runs an open panel with it. */
  open(source: ModelSource, options: { input?: readonly number[]; layer?: string } = {}): ArchitectureSession {
    const existing = this.panels.get(source.id);
    if (existing) {
      existing.panel.reveal(undefined, false);
      if (options.input) void existing.session.run(options.input);
      if (options.layer) existing.session.reveal(options.layer);
      return existing.session;
    }
    // Beside the code when there is some (the CodeLens case), else in the active group.
    const viewColumn = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    // Retained when hidden: showing the tab again costs nothing, the diagram's layout is not redone.
    const panel = vscode.window.createWebviewPanel(
      ids.panelViewType,
      source.label,
      { viewColumn, preserveFocus: false },
      { ...webviewOptions(this.ctx.extensionUri), retainContextWhenHidden: true },
    );
    const created = this.attach(panel, source, options.input ?? this.configuredInput(source));
    if (options.layer) created.session.reveal(options.layer);
    return created.session;
  }

  /**
   * Opens model B compared with A's finished report ("Compare architectures…"): B's panel, with the totals
   * of both and the layers whose shapes differ marked in the table and the diagram. One panel per pair.
   */
  openComparison(a: ModelSource, reportA: AnalysisReport, b: ModelSource): ArchitectureSession {
    const id = `compare:${a.id}|${b.id}`;
    const existing = this.panels.get(id);
    if (existing) {
      existing.panel.reveal(undefined, false);
      existing.session.compareWith(reportA);
      void existing.session.run();
      return existing.session;
    }
    const source: ModelSource = { ...b, id, label: `${b.label} vs ${a.label}`, load: (input) => b.load(input) };
    const viewColumn = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(ids.panelViewType, source.label, { viewColumn, preserveFocus: false }, { ...webviewOptions(this.ctx.extensionUri), retainContextWhenHidden: true });
    const created = this.attach(panel, source, undefined, reportA);
    return created.session;
  }

  /** Opens a panel for a spec from anywhere (the editor's CodeLens); `key` identifies it for reuse. */
  openSpec(spec: ModelSpec, key?: string, layer?: string): ArchitectureSession {
    const source = specSource(spec, key);
    const existing = this.panels.get(source.id);
    if (existing) {
      // Same key, possibly edited code: the open panel shows the new spec, re-run in place.
      existing.panel.reveal(undefined, false);
      void existing.session.retarget(source);
      if (layer !== undefined) existing.session.reveal(layer);
      return existing.session;
    }
    return this.open(source, layer === undefined ? {} : { layer });
  }

  /** Selects a layer in the panel of `key`, if open. */
  reveal(key: string, layer: string): boolean {
    const open = this.panels.get(key);
    if (!open) return false;
    open.panel.reveal(undefined, false);
    open.session.reveal(layer);
    return true;
  }

  get(key: string): ArchitectureSession | undefined {
    return this.panels.get(key)?.session;
  }

  /** All open sessions (for the test API). */
  sessions(): ArchitectureSession[] {
    return [...this.panels.values()].map((p) => p.session);
  }

  /** Shows a source in a webview panel VS Code made (a custom editor's); replaces a panel already showing it. */
  adopt(panel: vscode.WebviewPanel, source: ModelSource): ArchitectureSession {
    this.panels.get(source.id)?.panel.dispose();
    return this.attach(panel, source, this.configuredInput(source)).session;
  }

  /** Revives a panel VS Code restored after a reload, from the state its webview saved. */
  async revive(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const saved = (typeof state === 'object' && state !== null ? state : {}) as { modelKey?: unknown; input?: unknown };
    const key = typeof saved.modelKey === 'string' ? saved.modelKey : undefined;
    const input = Array.isArray(saved.input) && saved.input.length >= 1 && saved.input.length <= 3 && saved.input.every((d) => Number.isInteger(d) && d > 0) ? (saved.input as number[]) : undefined;
    let source: ModelSource | undefined;
    try {
      source = key === undefined ? undefined : await this.ctx.sources.resolve(key);
    } catch (error) {
      this.ctx.log(`Could not find model ${key} again: ${String(error)}`);
    }
    if (!source || this.panels.has(source.id)) {
      panel.webview.options = webviewOptions(this.ctx.extensionUri);
      panel.webview.html = `<!DOCTYPE html><html><body><p>This model is no longer available. Open it again with “CNN Inspector: Show architecture”.</p></body></html>`;
      return;
    }
    this.attach(panel, source, input);
  }

  private attach(panel: vscode.WebviewPanel, source: ModelSource, input: readonly number[] | undefined, against?: AnalysisReport): ArchitecturePanel {
    const created: ArchitecturePanel = new ArchitecturePanel(
      panel,
      source,
      this.ctx,
      () => {
        if (this.panels.get(source.id) === created) this.panels.delete(source.id);
      },
      input,
      against,
    );
    this.panels.set(source.id, created);
    return created;
  }

  /** The `defaultInputSize` setting applied to a model (channels default to the model's own). */
  private configuredInput(source: ModelSource): number[] | undefined {
    const text = this.ctx.config.defaultInputSize;
    if (text === '') return undefined;
    const parsed = readInputSize(text, source.framework ?? 'keras', source.defaultInput);
    if (parsed.ok) return parsed.input;
    void vscode.window.showWarningMessage(`CNN Inspector: the default input size setting is invalid (${parsed.error}); using the model's own.`);
    return undefined;
  }

  /** Settings changed: FLOPs per MAC and the backend need a re-run, the number format only a re-render. */
  settingsChanged(rerun: boolean): void {
    for (const p of this.panels.values()) p.session.settingsChanged(rerun);
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.panel.dispose();
    this.panels.clear();
  }
}

const EXTENSIONS: Record<ExportFormat, { ext: string; name: string }> = {
  markdown: { ext: 'md', name: 'Markdown' },
  csv: { ext: 'csv', name: 'CSV' },
  json: { ext: 'json', name: 'JSON' },
  svg: { ext: 'svg', name: 'SVG image' },
};

async function exportContent(format: ExportFormat, target: 'file' | 'clipboard', content: string, model: string): Promise<string | undefined> {
  if (target === 'clipboard') {
    await vscode.env.clipboard.writeText(content);
    return 'Copied the visible rows as Markdown.';
  }
  const { ext, name } = EXTENSIONS[format];
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const fileName = `${model.replace(/[^-\w.]+/g, '_')}${format === 'svg' ? '-diagram' : ''}.${ext}`;
  const uri = await vscode.window.showSaveDialog({
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, fileName) } : {}),
    filters: { [name]: [ext] },
    title: `Save ${model} as ${name}`,
  });
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));
  return `Saved ${vscode.workspace.asRelativePath(uri)}.`;
}

async function openMarkdown(markdown: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}

async function openLayerSource(layer: LayerResult, log: (message: string) => void): Promise<void> {
  if (!layer.source) return;
  try {
    await revealSource(layer.source);
  } catch (error) {
    log(`Could not open ${layer.source.file}:${layer.source.line}: ${String(error)}`);
    void vscode.window.showWarningMessage(`Could not open ${layer.source.file}: ${messageOf(error)}`);
  }
}
