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
  private readonly disposables: vscode.Disposable[] = [];

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
    this.disposables.push(
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
    );
  }

  /** Shows a model's report (the last one a panel finished or brought to front). */
  show(panelKey: string, title: string, report: AnalysisReport): void {
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
    for (const d of this.disposables) d.dispose();
  }
}
