/**
 * Parsing with tree-sitter (WebAssembly), converted once into plain JS objects so the interpreters can walk
 * the tree many times (loops, inlined calls) without crossing into wasm for every property read.
 *
 * The wasm files (tree-sitter.wasm and one grammar per language) are loaded from a directory the caller
 * gives: the extension and CLI pass where their bundle copied them; tests default to node_modules.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Language as TsLanguage, Parser as TsParser, TreeCursor } from '@vscode/tree-sitter-wasm';

/** Languages the reader understands. */
export type SourceLanguage = 'python' | 'typescript' | 'javascript' | 'tsx';

/** A syntax node as plain data. Rows and columns are 0-based, columns in UTF-16 code units. */
export interface SyntaxNode {
  type: string;
  named: boolean;
  /** The grammar field this node fills in its parent ("function", "arguments", "left", ...). */
  field: string | null;
  startRow: number;
  startCol: number;
  endRow: number;
  endCol: number;
  startIndex: number;
  endIndex: number;
  children: SyntaxNode[];
  /** True for ERROR nodes and zero-width MISSING nodes inserted by error recovery. */
  error: boolean;
  /** True when this node or a descendant is an error. */
  hasError: boolean;
  /** Set on every node of a file read for an import: its own text and path, so locations name that file. */
  origin?: NodeOrigin;
  /** `namedChildren(node)`, kept once asked: the tree never changes, and loops and inlined calls ask again. */
  namedCache?: readonly SyntaxNode[] | undefined;
}

/** The file a node of an imported module comes from (one object shared by all its nodes). */
export interface NodeOrigin {
  file: string;
  text: string;
}

export interface ParsedSource {
  root: SyntaxNode;
  text: string;
}

/** The text a node spans. */
export function textOf(source: ParsedSource | string, node: SyntaxNode): string {
  const text = node.origin ? node.origin.text : typeof source === 'string' ? source : source.text;
  return text.slice(node.startIndex, node.endIndex);
}

/** Tags every node of an imported file with its origin, without recursion (trees can be deep). */
export function markOrigin(root: SyntaxNode, origin: NodeOrigin): void {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    node.origin = origin;
    for (const c of node.children) stack.push(c);
  }
}

/** First child filling a grammar field, or null. */
export function field(node: SyntaxNode, name: string): SyntaxNode | null {
  for (const c of node.children) if (c.field === name) return c;
  return null;
}

/** All children filling a grammar field. */
export function fields(node: SyntaxNode, name: string): SyntaxNode[] {
  return node.children.filter((c) => c.field === name);
}

/** Named children that are not comments (frozen: one array per node, shared by every caller). */
export function namedChildren(node: SyntaxNode): readonly SyntaxNode[] {
  return (node.namedCache ??= Object.freeze(node.children.filter((c) => c.named && c.type !== 'comment')));
}

const GRAMMAR_FILES: Record<SourceLanguage, string> = {
  python: 'tree-sitter-python.wasm',
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
  javascript: 'tree-sitter-javascript.wasm',
};

/** Directory of @vscode/tree-sitter-wasm's wasm files when running from source (tests, tsx). */
export function defaultWasmDirectory(): string {
  try {
    return path.dirname(require.resolve('@vscode/tree-sitter-wasm/wasm/tree-sitter.js'));
  } catch {
    return path.resolve(__dirname, '..', '..', '..', 'node_modules', '@vscode', 'tree-sitter-wasm', 'wasm');
  }
}

type TreeSitterModule = typeof import('@vscode/tree-sitter-wasm');

/** Parsers for each language, created on first use; one instance per wasm directory. */
export class SyntaxParser {
  private readonly languages = new Map<SourceLanguage, Promise<TsLanguage>>();
  private readonly parsers = new Map<SourceLanguage, TsParser>();

  private constructor(
    private readonly ts: TreeSitterModule,
    readonly wasmDirectory: string,
  ) {}

  private static readonly instances = new Map<string, Promise<SyntaxParser>>();

  /** Loads tree-sitter's runtime from `wasmDirectory` (default: node_modules). */
  static load(wasmDirectory: string = defaultWasmDirectory()): Promise<SyntaxParser> {
    const dir = path.resolve(wasmDirectory);
    let instance = SyntaxParser.instances.get(dir);
    if (!instance) {
      instance = (async () => {
        // The runtime script sits next to its wasm; load it from the same directory so a bundle that copied
        // both into dist/ needs nothing from node_modules.
        const script = path.join(dir, 'tree-sitter.js');
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const ts = (fs.existsSync(script) ? require(script) : require('@vscode/tree-sitter-wasm')) as TreeSitterModule;
        const wasmBinary = fs.readFileSync(path.join(dir, 'tree-sitter.wasm'));
        await ts.Parser.init({ locateFile: (file: string) => path.join(dir, file), wasmBinary } as never);
        return new SyntaxParser(ts, dir);
      })();
      instance.catch(() => SyntaxParser.instances.delete(dir));
      SyntaxParser.instances.set(dir, instance);
    }
    return instance;
  }

  /** Loads a language grammar; call before `parse` for that language. */
  async prepare(language: SourceLanguage): Promise<void> {
    let lang = this.languages.get(language);
    if (!lang) {
      lang = this.ts.Language.load(new Uint8Array(fs.readFileSync(path.join(this.wasmDirectory, GRAMMAR_FILES[language]))));
      this.languages.set(language, lang);
    }
    const loaded = await lang;
    if (!this.parsers.has(language)) {
      const parser = new this.ts.Parser();
      parser.setLanguage(loaded);
      this.parsers.set(language, parser);
    }
  }

  /** Parses text synchronously; `prepare(language)` must have completed. */
  parse(text: string, language: SourceLanguage): ParsedSource {
    const parser = this.parsers.get(language);
    if (!parser) throw new Error(`tree-sitter grammar for ${language} is not loaded; await prepare('${language}') first`);
    parser.reset();
    // A lone CR ends a line for Python and JavaScript (and the editor), not for the grammars: same length, same offsets.
    const source = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
    const tree = parser.parse(source);
    if (!tree) throw new Error('tree-sitter returned no tree');
    try {
      return { root: convert(tree.walk()), text: source };
    } finally {
      tree.delete();
    }
  }
}

/**
 * Walks the tree with tree-sitter's cursor and an explicit stack of open nodes, never recursion: 10,000 nested
 * parentheses or an 800 kB one-line expression make a tree deeper than V8's call stack.
 */
function convert(cursor: TreeCursor): SyntaxNode {
  const nodeAt = (fieldName: string | null): SyntaxNode => {
    const start = cursor.startPosition;
    const end = cursor.endPosition;
    const type = cursor.nodeType;
    const error = type === 'ERROR' || cursor.nodeIsMissing;
    return {
      type,
      named: cursor.nodeIsNamed,
      field: fieldName,
      startRow: start.row,
      startCol: start.column,
      endRow: end.row,
      endCol: end.column,
      startIndex: cursor.startIndex,
      endIndex: cursor.endIndex,
      children: [],
      error,
      hasError: error,
      namedCache: undefined,
    };
  };
  try {
    const root = nodeAt(null);
    // open[i] is the node the cursor is inside at depth i; the cursor's current node is a child of the last.
    const open: SyntaxNode[] = [root];
    if (!cursor.gotoFirstChild()) return root;
    for (;;) {
      const node = nodeAt(cursor.currentFieldName);
      const parent = open[open.length - 1]!;
      parent.children.push(node);
      if (node.hasError) parent.hasError = true;
      if (cursor.gotoFirstChild()) {
        open.push(node);
        continue;
      }
      // Leaf: move to the next sibling, climbing while a level is finished.
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return root;
        const done = open.pop()!;
        if (open.length === 0) return root;
        if (done.hasError) open[open.length - 1]!.hasError = true;
      }
    }
  } finally {
    cursor.delete();
  }
}
