/** Jumps from a layer or model to where it is written. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SourceLocation } from '../core/spec';

/** The document URI of a location: an absolute path, a URI string, or a path relative to the first workspace folder. */
function locationUri(location: SourceLocation): vscode.Uri {
  if (/^[a-z][\w+.-]+:/i.test(location.file) && !/^[a-z]:[\\/]/i.test(location.file)) return vscode.Uri.parse(location.file);
  if (path.isAbsolute(location.file)) return vscode.Uri.file(location.file);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, location.file) : vscode.Uri.file(location.file);
}

/** Opens the file beside the panel and selects the location (1-based lines and columns). */
export async function revealSource(location: SourceLocation): Promise<vscode.TextEditor> {
  const line = Math.max(0, location.line - 1);
  const column = Math.max(0, (location.column ?? 1) - 1);
  const start = new vscode.Position(line, column);
  const end =
    location.endLine !== undefined ? new vscode.Position(Math.max(0, location.endLine - 1), Math.max(0, (location.endColumn ?? 1) - 1)) : start;
  const uri = locationUri(location);
  const document = await vscode.workspace.openTextDocument(uri);
  // Reuse the column showing that file or any editor; never cover the panel that asked.
  const editors = vscode.window.visibleTextEditors;
  const viewColumn = editors.find((e) => e.document.uri.toString() === uri.toString())?.viewColumn ?? editors[0]?.viewColumn ?? vscode.ViewColumn.Beside;
  return vscode.window.showTextDocument(document, {
    viewColumn,
    preserveFocus: false,
    selection: new vscode.Range(start, end),
  });
}
