/**
 * The HTML shell of both webviews: a strict CSP (`default-src 'none'`, scripts only with a fresh nonce,
 * styles and fonts only from the extension's bundled assets), one stylesheet and one module script. No
 * analysis output ever goes into this HTML; it arrives as messages.
 */
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';

/** Folders a webview may load from: the built scripts and the stylesheets, nothing else. */
function webviewRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: webviewRoots(extensionUri) };
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, entry: 'panel' | 'report', title: string): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  const asset = (...parts: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...parts)).toString();
  const source = webview.cspSource;
  // worker-src blob: and connect-src: the diagram's layout worker is fetched from the bundle and started
  // from a blob URL, the only way a webview can run a worker script it ships.
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${source}`,
    `font-src ${source}`,
    `img-src ${source} data:`,
    `connect-src ${source}`,
    'worker-src blob:',
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('media', 'common.css')}">
<link rel="stylesheet" href="${asset('media', `${entry}.css`)}">
<title>${escapeHtml(title)}</title>
</head>
<body data-elk-worker="${asset('dist', 'webview', 'elk-worker.js')}">
<script type="module" nonce="${nonce}" src="${asset('dist', 'webview', `${entry}.js`)}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
