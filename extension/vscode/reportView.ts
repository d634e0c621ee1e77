/**
 * The "FLOP report" webview view in the CNN Inspector activity-bar container. It shows the model last
 * shown in a panel and replays it whenever the view is (re)created or shown again.
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

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly config: Config,
    private readonly openLayer: (panelKey: string, layer: string) => void,
    private readonly log: (message: string) => void,
  ) {}

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
    if (last && last.panelKey === panelKey && last.title === title && last.report === report) return;
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
    if (!this.last) return this.post({ kind: 'report/empty' });
    this.post({ kind: 'report/show', ...this.last, settings: this.settings() });
  }

  private post(message: ToReport): void {
    if (this.view && this.ready) void this.view.webview.postMessage(message);
  }

  dispose(): void {
    for (const d of this.viewListeners) d.dispose();
  }
}
