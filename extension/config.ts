/**
 * Settings as typed getters, and every contributed id built from one prefix. Read settings through this
 * class only, so a renamed key changes in one place (and in package.json's `contributes.configuration`).
 */
import * as vscode from 'vscode';
import type { NumberFormat } from './protocol';

/** The prefix of every command, view, setting and context key we contribute. */
export const PREFIX = 'cnnInspector';

export const ids = {
  command: (name: string): string => `${PREFIX}.${name}`,
  /** The architecture panel's webview type (also its serializer's). */
  panelViewType: `${PREFIX}.architecture`,
  /** The FLOP report webview view. */
  reportView: `${PREFIX}.flopReport`,
  outputChannel: 'CNN Inspector',
  /** Global-state key of the table columns the user chose. */
  tableColumnsKey: `${PREFIX}.tableColumns`,
} as const;

export type BackendSetting = 'auto' | 'node' | 'cpu';

export class Config {
  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(PREFIX);
  }

  /** FLOPs per multiply-accumulate: 2 (multiply + add, the default) or 1. */
  get flopsPerMac(): 1 | 2 {
    return this.section.get<number>('flopsPerMac', 2) === 1 ? 1 : 2;
  }

  get numberFormat(): NumberFormat {
    return this.section.get<string>('numberFormat', 'exact') === 'si' ? 'si' : 'exact';
  }

  /**
   * The input size models open with, as typed in settings ("299x299", "299,299,3"); empty means each
   * model's own default. Parsed by the caller, which knows the model's channels.
   */
  get defaultInputSize(): string {
    return this.section.get<string>('defaultInputSize', '').trim();
  }

  get backend(): BackendSetting {
    const value = this.section.get<string>('backend', 'auto');
    return value === 'node' || value === 'cpu' ? value : 'auto';
  }

  /** `cnnInspector.pythonPaths`: site-packages directories where installed libraries' model code is read. */
  get pythonPaths(): string[] {
    const value = this.section.get<unknown>('pythonPaths', []);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').slice(0, 16) : [];
  }

  /** The switch of one editor feature over model code (`cnnInspector.editor.*`), on by default. */
  editorFeature(name: 'hover' | 'inlayHints' | 'codeLens' | 'diagnostics'): boolean {
    return this.section.get<boolean>(`editor.${name}`, true);
  }

  /** Calls `listener` with the changed keys (short names) when any of our settings change. */
  onDidChange(listener: (changed: { flopsPerMac: boolean; numberFormat: boolean; backend: boolean }) => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(PREFIX)) return;
      listener({
        flopsPerMac: e.affectsConfiguration(`${PREFIX}.flopsPerMac`),
        numberFormat: e.affectsConfiguration(`${PREFIX}.numberFormat`),
        backend: e.affectsConfiguration(`${PREFIX}.backend`),
      });
    });
  }
}
