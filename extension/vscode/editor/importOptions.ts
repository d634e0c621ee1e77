/**
 * How a document's imports of other files are followed in VS Code: only for a file on disk in a trusted
 * workspace (Restricted Mode reads no file the user did not open), never above its workspace folder, and with
 * the unsaved text of every other open document instead of what is on disk. The reading itself is the core's
 * (core/source/moduleFiles.ts), in the analysis worker. Installed libraries' model code (torchvision.models,
 * keras.applications, timm) is read from the `cnnInspector.pythonPaths` directories, then from those the
 * environment names (PYTHONPATH, VIRTUAL_ENV, CONDA_PREFIX) and the project's and system's site-packages.
 */
import * as vscode from 'vscode';
import type { ImportOptions } from '../../core/source/index';
import { Config } from '../../config';
import { libraryEnvironment } from '../../core/source/libraryRoots';

/** For the file at `uri` (a document, or the notebook a cell `document` belongs to). */
export function importOptionsFor(uri: vscode.Uri, document: vscode.TextDocument): ImportOptions {
  if (uri.scheme !== 'file' || !vscode.workspace.isTrusted) return { follow: false };
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const openDocuments: Record<string, string> = {};
  for (const d of vscode.workspace.textDocuments) {
    if (d !== document && d.isDirty && d.uri.scheme === 'file') openDocuments[d.uri.fsPath] = d.getText();
  }
  return { follow: true, ...(folder ? { root: folder.uri.fsPath } : {}), openDocuments, pythonPaths: new Config().pythonPaths, environment: libraryEnvironment(process.env) };
}
