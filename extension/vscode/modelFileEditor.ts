/**
 * Model files open in a read-only custom editor that is the architecture panel for the file (table,
 * diagram, 1×1 savings, exports; the FLOP report follows it). Explorer's "Show architecture" opens a file
 * with it. Nothing from the file is executed: the engine's readers parse it.
 */
import * as vscode from 'vscode';
import { ids, PREFIX } from '../config';
import type { ArchitecturePanels } from './architecturePanel';
import { modelFileSource } from './modelFileSource';

/** The custom editors' view types: the default editor for formats only CNN Inspector opens, an option for the rest. */
export const MODEL_FILE_EDITOR = `${PREFIX}.modelFile`;
export const MODEL_FILE_EDITOR_OPTION = `${PREFIX}.modelFileOption`;

function sourceFor(uri: vscode.Uri, log: (message: string) => void): ReturnType<typeof modelFileSource> {
  return modelFileSource(
    {
      uri: uri.toString(),
      fsPath: uri.scheme === 'file' ? uri.fsPath : null,
      readBytes: async () => vscode.workspace.fs.readFile(uri),
    },
    log,
  );
}

export function registerModelFileEditor(context: vscode.ExtensionContext, panels: ArchitecturePanels, log: (message: string) => void): void {
  const provider: vscode.CustomReadonlyEditorProvider = {
    openCustomDocument: (uri) => ({ uri, dispose: () => {} }),
    resolveCustomEditor: (document, webviewPanel) => {
      panels.adopt(webviewPanel, sourceFor(document.uri, log));
    },
  };
  const options = { webviewOptions: { retainContextWhenHidden: false }, supportsMultipleEditorsPerDocument: false };
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(MODEL_FILE_EDITOR, provider, options),
    vscode.window.registerCustomEditorProvider(MODEL_FILE_EDITOR_OPTION, provider, options),
    vscode.commands.registerCommand(ids.command('showFileArchitecture'), (uri?: unknown) => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (!target) return undefined;
      return vscode.commands.executeCommand('vscode.openWith', target, MODEL_FILE_EDITOR_OPTION);
    }),
  );
}
