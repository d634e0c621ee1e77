/**
 * Just enough of the `vscode` API for the editor features' smoke test, installed as the "vscode" module.
 * Providers registered through `languages.*` are captured so the test can call them like VS Code does.
 */
import Module from 'node:module';

export class Position {
  constructor(readonly line: number, readonly character: number) {}
  isBefore(o: Position): boolean {
    return this.line < o.line || (this.line === o.line && this.character < o.character);
  }
  isAfter(o: Position): boolean {
    return o.isBefore(this);
  }
}
export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: number | Position, b: number | Position, c?: number, d?: number) {
    this.start = typeof a === 'number' ? new Position(a, b as number) : a;
    this.end = typeof a === 'number' ? new Position(c!, d!) : (b as Position);
  }
  contains(p: Position): boolean {
    return !p.isBefore(this.start) && !p.isAfter(this.end);
  }
}
class Disposable {
  constructor(private readonly fn: () => void = () => undefined) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    this.fn();
  }
}
class EventEmitter<T> {
  private listeners: ((e: T) => void)[] = [];
  event = (l: (e: T) => void): Disposable => {
    this.listeners.push(l);
    return new Disposable();
  };
  fire(e: T): void {
    for (const l of this.listeners) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export const captured: {
  hover?: { provideHover(doc: unknown, pos: Position): Promise<{ contents: { value: string } } | undefined> };
  inlay?: { provideInlayHints(doc: unknown, range: Range): Promise<{ position: Position; label: string }[]> };
  lens?: { provideCodeLenses(doc: unknown): Promise<{ range: Range; command: { title: string; command: string; arguments: unknown[] } }[]> };
  diagnostics: Map<string, { message: string; severity: number; range: Range }[]>;
  commands: Map<string, (...a: unknown[]) => unknown>;
} = { diagnostics: new Map(), commands: new Map() };

export const fakeVscode = {
  Position,
  Range,
  Disposable,
  EventEmitter,
  Hover: class {
    constructor(readonly contents: unknown) {}
  },
  MarkdownString: class {
    constructor(readonly value: string) {}
  },
  InlayHint: class {
    paddingLeft = false;
    constructor(readonly position: Position, readonly label: string, readonly kind: number) {}
  },
  InlayHintKind: { Type: 1 },
  CodeLens: class {
    constructor(readonly range: Range, readonly command: unknown) {}
  },
  Diagnostic: class {
    source = '';
    code: unknown;
    constructor(readonly range: Range, readonly message: string, readonly severity: number) {}
  },
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  Uri: { parse: (s: string) => ({ toString: () => s, path: s, fsPath: s }) },
  languages: {
    match: (_selector: unknown, doc: { languageId: string }) => (['python', 'typescript', 'javascript'].includes(doc.languageId) ? 10 : 0),
    createDiagnosticCollection: () => ({
      set: (uri: { toString(): string }, d: never[]) => captured.diagnostics.set(uri.toString(), d),
      delete: (uri: { toString(): string }) => captured.diagnostics.delete(uri.toString()),
      dispose: () => undefined,
    }),
    registerHoverProvider: (_s: unknown, p: never) => ((captured.hover = p), new Disposable()),
    registerInlayHintsProvider: (_s: unknown, p: never) => ((captured.inlay = p), new Disposable()),
    registerCodeLensProvider: (_s: unknown, p: never) => ((captured.lens = p), new Disposable()),
  },
  workspace: {
    textDocuments: [] as unknown[],
    onDidOpenTextDocument: () => new Disposable(),
    onDidChangeTextDocument: () => new Disposable(),
    onDidCloseTextDocument: () => new Disposable(),
    getConfiguration: () => ({ get: <T>(_k: string, d: T) => d }),
    openTextDocument: async () => undefined,
  },
  commands: { registerCommand: (id: string, fn: never) => (captured.commands.set(id, fn), new Disposable()) },
  window: { activeTextEditor: undefined, onDidChangeActiveTextEditor: () => ({ dispose: () => undefined }), showInputBox: async () => undefined, showWarningMessage: () => undefined, showErrorMessage: () => undefined },
};

/** Makes `require('vscode')` return the fake. Call before importing the editor features. */
export function installFakeVscode(): void {
  const M = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string; _cache?: unknown };
  const original = M._resolveFilename;
  M._resolveFilename = function (request: string, ...rest: unknown[]): string {
    if (request === 'vscode') return 'vscode';
    return original.call(this, request, ...rest);
  };
  (require.cache as Record<string, unknown>)['vscode'] = { id: 'vscode', filename: 'vscode', loaded: true, exports: fakeVscode };
}

/** A read-only TextDocument over a string. */
export function fakeDocument(uri: string, languageId: string, text: string, version = 1): unknown {
  const lines = text.split('\n');
  return {
    uri: { toString: () => uri, path: uri, fsPath: uri },
    languageId,
    version,
    lineCount: lines.length,
    getText: () => text,
    lineAt: (line: number) => ({ range: new Range(line, 0, line, lines[line]!.length) }),
  };
}
