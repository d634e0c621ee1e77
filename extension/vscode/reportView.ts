/**
 * The "FLOP report" webview view in the CNN Inspector activity-bar container. It shows the model last
 * shown in a panel or analysed in the active editor, says which model, file and input it is, and says so
 * when the active editor has no model (it then keeps the last one, labelled as such). It replays whenever
 * the view is (re)created or shown again.
 */
import * as vscode from 'vscode';
import type { AnalysisReport } from '../core/result';
import type { Config } from '../config';
import { checkFromReport, type ToReport } from '../protocol';
import { webviewHtml, webviewOptions } from './webviewHtml';

export class ReportViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private last: { panelKey: string; title: string; report: AnalysisReport } | undefined;
  /** Listeners of the current view; a view resolved again (after being disposed) replaces them. */
  private viewListeners: vscode.Disposable[] = [];
  /** The code file in the active editor when it has shown no model (null: it has one, or no code file is active). */
  private activeWithoutModel: string | null = null;
  private readonly listeners: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly config: Config,
    private readonly openLayer: (panelKey: string, layer: string) => void,
    private readonly log: (message: string) => void,
  ) {
    this.listeners.push(vscode.window.onDidChangeActiveTextEditor((editor) => this.activeEditorChanged(editor)));
    this.activeEditorChanged(vscode.window.activeTextEditor);
  }

  /**
   * A code file became active. Its models' reports arrive through `show` once analysed (keys
   * "source:<uri>#<model>"); until one does, the view says this file has none. A non-code editor or a panel
   * taking focus changes nothing.
   */
  private activeEditorChanged(editor: vscode.TextEditor | undefined): void {
    const doc = editor?.document;
    if (!doc || !CODE_LANGUAGES.has(doc.languageId)) return;
    const key = `source:${doc.uri.toString()}#`;
    const shown = this.last?.panelKey.startsWith(key) === true;
    const name = doc.uri.path.split('/').pop() ?? doc.uri.path;
    const next = shown ? null : name;
    if (next === this.activeWithoutModel) return;
    this.activeWithoutModel = next;
    this.replay();
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = webviewHtml(view.webview, this.extensionUri, 'report', 'FLOP report');
    for (const listener of this.viewListeners) listener.dispose();
    this.viewListeners = [
      view.webview.onDidReceiveMessage((data) => {
        const checked = checkFromReport(data);
        if (!checked.ok) return this.log(`Ignored a message from the FLOP report: ${checked.error}`);
        const message = checked.message;
        if (message.kind === 'report/ready') {
          this.ready = true;
          this.replay();
        } else if (message.kind === 'report/openLayer') {
          this.openLayer(message.panelKey, message.layer);
        } else {
          this.log(`FLOP report: ${message.message}`);
        }
      }),
      view.onDidChangeVisibility(() => {
        // A hidden view's webview is discarded; it says "ready" again when shown.
        if (!view.visible) this.ready = false;
      }),
      view.onDidDispose(() => {
        this.view = undefined;
        this.ready = false;
      }),
    ];
  }

  /** Shows a model's report (the last one a panel finished or brought to front). */
  show(panelKey: string, title: string, report: AnalysisReport): void {
    // The editor announces a fresh analysis of the active file both when it finishes and when the editor
    // becomes active; the same report object needs no second post (a ResNet-152 report is ~500 layers).
    const last = this.last;
    const wasNoted = this.activeWithoutModel !== null;
    // A report for the active file, or a panel brought to front, is what the user now looks at.
    this.activeWithoutModel = null;
    if (!wasNoted && last && last.panelKey === panelKey && last.title === title && last.report === report) return;
    this.last = { panelKey, title, report };
    this.replay();
  }

  /** The report now shown, for the test API. */
  get current(): { panelKey: string; title: string; report: AnalysisReport } | undefined {
    return this.last;
  }

  settingsChanged(): void {
    this.post({ kind: 'panel/settings', settings: this.settings() });
  }

  private settings(): { flopsPerMac: 1 | 2; numberFormat: 'exact' | 'si' } {
    return { flopsPerMac: this.config.flopsPerMac, numberFormat: this.config.numberFormat };
  }

  private replay(): void {
    const noModel = this.activeWithoutModel === null ? null : `${this.activeWithoutModel} (the active editor) has no model CNN Inspector can read.`;
    if (!this.last) {
      return this.post({ kind: 'report/empty', message: noModel ?? 'Run “CNN Inspector: Show architecture”, or open a model file, to see where a model’s MACs go.' });
    }
    const note = noModel === null ? null : `${noModel} Showing the last model instead.`;
    this.post({ kind: 'report/show', ...this.last, origin: originOf(this.last.panelKey, this.last.report), note, settings: this.settings() });
  }

  private post(message: ToReport): void {
    if (this.view && this.ready) void this.view.webview.postMessage(message);
  }

  dispose(): void {
    for (const d of [...this.viewListeners, ...this.listeners]) d.dispose();
  }
}

const CODE_LANGUAGES = new Set(['python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact']);

/** Where a report's model comes from, for the view's header: "model.py", or "model zoo". */
export function originOf(panelKey: string, report: AnalysisReport): string {
  const file = report.layers.find((l) => l.source)?.source?.file ?? (/^source:(.*)#/.exec(panelKey)?.[1] ?? null);
  if (file !== null) return decodeURIComponent(file.split('/').pop() ?? file);
  return panelKey.startsWith('zoo:') ? 'model zoo' : panelKey;
}
