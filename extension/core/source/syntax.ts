/**
 * Parsing with tree-sitter (WebAssembly), converted once into plain JS objects so the interpreters can walk
 * the tree many times (loops, inlined calls) without crossing into wasm for every property read.
 *
 * The wasm files (tree-sitter.wasm and one grammar per language) are loaded from a directory the caller
 * gives: the extension and CLI pass where their bundle copied them; tests default to node_modules.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Edit as TsEdit, Language as TsLanguage, Parser as TsParser, Tree as TsTree, TreeCursor } from '@vscode/tree-sitter-wasm';

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
  /** A leaf's text (a name, a number, an operator), kept once asked: one string, hashed once for every lookup of it. */
  leafText?: string | undefined;
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

/**
 * A document's parse kept for its next one (SyntaxParser.parseKept): the converted tree and tree-sitter's own,
 * which lives in WebAssembly memory until `release()`.
 */
export interface KeptParse {
  parsed: ParsedSource;
  release(): void;
  /** tree-sitter's tree of `parsed.text`; null once released. */
  tree: TsTree | null;
}

/** The text a node spans. */
export function textOf(source: ParsedSource | string, node: SyntaxNode): string {
  if (node.leafText !== undefined) return node.leafText;
  const text = node.origin ? node.origin.text : typeof source === 'string' ? source : source.text;
  const spanned = text.slice(node.startIndex, node.endIndex);
  if (node.children.length === 0) node.leafText = spanned;
  return spanned;
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

  /**
   * Parses text synchronously; `prepare(language)` must have completed. `previous`, the tree of an earlier text
   * of the same document, lends the nodes of its top-level statements that lie, with the statement after them,
   * in the text both share from the start (unchanged code above an edit): the same text at the same place
   * parses to the same tree, so only the statements from the edit on are converted again.
   */
  parse(text: string, language: SourceLanguage, previous: ParsedSource | null = null): ParsedSource {
    const { parsed, tree } = this.parseTree(text, language, previous, null);
    tree.delete();
    return parsed;
  }

  /**
   * Parses the next text of a document whose last parse was kept: tree-sitter is told what changed between the
   * two texts and reparses only around it (the same text parses to the same tree; a tree with a syntax error is
   * parsed afresh, since error recovery may take another path than it would on its own). The caller owns the
   * result and releases it when it keeps another.
   */
  parseKept(text: string, language: SourceLanguage, previous: KeptParse | null): KeptParse {
    const { parsed, tree } = this.parseTree(text, language, previous?.parsed ?? null, previous?.tree ?? null);
    const kept: KeptParse = {
      parsed,
      tree,
      release: () => {
        kept.tree?.delete();
        kept.tree = null;
      },
    };
    return kept;
  }

  private parseTree(text: string, language: SourceLanguage, previous: ParsedSource | null, previousTree: TsTree | null): { parsed: ParsedSource; tree: TsTree } {
    const parser = this.parsers.get(language);
    if (!parser) throw new Error(`tree-sitter grammar for ${language} is not loaded; await prepare('${language}') first`);
    parser.reset();
    // A lone CR ends a line for Python and JavaScript (and the editor), not for the grammars: same length, same offsets.
    const source = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
    let tree: TsTree | null = null;
    if (previous !== null && previousTree !== null && !previous.root.hasError) {
      const edited = previousTree.copy();
      try {
        edited.edit(editBetween(previous.text, source));
        tree = parser.parse(source, edited);
      } finally {
        edited.delete();
      }
      if (tree?.rootNode.hasError) {
        tree.delete();
        tree = null;
        parser.reset();
      }
    }
    tree ??= parser.parse(source);
    if (!tree) throw new Error('tree-sitter returned no tree');
    try {
      const lent = previous && !previous.root.hasError ? reusableStatements(previous, source) : null;
      return { parsed: { root: convert(tree.walk(), this.namesOf(tree.language), source, lent), text: source }, tree };
    } catch (error) {
      tree.delete();
      throw error;
    }
  }

  private readonly names = new WeakMap<TsLanguage, GrammarNames>();

  /** A grammar's node type and field names by id, and which types are named, read once per language. */
  private namesOf(language: TsLanguage): GrammarNames {
    let names = this.names.get(language);
    if (!names) {
      const named: boolean[] = [];
      names = { types: language.types.map(internalized), fields: language.fields.map(internalized), named: (id) => (named[id] ??= language.nodeTypeIsNamed(id)) };
      this.names.set(language, names);
    }
    return names;
  }
}

/**
 * The same string, as V8 keeps the literals of the code: the interpreters compare node types and fields with
 * literals (`node.type === 'call'`, a switch of 40 cases) millions of times, and two such strings compare by
 * address instead of by their characters.
 */
function internalized<T extends string | null | undefined>(name: T): T {
  return typeof name === 'string' ? (Object.keys({ [name]: 0 })[0] as T) : name;
}

interface GrammarNames {
  types: readonly (string | undefined)[];
  fields: readonly (string | null)[];
  named(typeId: number): boolean;
}

/**
 * The change from `before` to `after` as tree-sitter takes it: the one span between their common start and common
 * end, in UTF-16 code units (web-tree-sitter's indices and columns) and rows counted at "\n".
 */
function editBetween(before: string, after: string): TsEdit {
  const limit = Math.min(before.length, after.length);
  let start = 0;
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < limit - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  const point = (text: string, index: number): { row: number; column: number } => {
    let row = 0;
    let lineStart = 0;
    for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) {
      row++;
      lineStart = i + 1;
    }
    return { row, column: index - lineStart };
  };
  return {
    startIndex: start,
    oldEndIndex: before.length - end,
    newEndIndex: after.length - end,
    startPosition: point(before, start),
    oldEndPosition: point(before, before.length - end),
    newEndPosition: point(after, after.length - end),
  };
}

/**
 * The top-level statements of `previous` that can stand in the tree of `text`, by start offset: error-free,
 * inside the text both share from the start, and followed by a statement that is too (the parser looked past a
 * statement's end before it closed it).
 */
function reusableStatements(previous: ParsedSource, text: string): Map<number, SyntaxNode> | null {
  const old = previous.text;
  const limit = Math.min(old.length, text.length);
  let shared = 0;
  while (shared < limit && old.charCodeAt(shared) === text.charCodeAt(shared)) shared++;
  const statements = previous.root.children;
  const lent = new Map<number, SyntaxNode>();
  for (let i = 0; i + 1 < statements.length; i++) {
    const node = statements[i]!;
    if (statements[i + 1]!.endIndex >= shared) break;
    if (!node.hasError && node.endIndex > node.startIndex && !node.origin) lent.set(node.startIndex, node);
  }
  return lent.size > 0 ? lent : null;
}

/**
 * Walks the tree with tree-sitter's cursor and an explicit stack of open nodes, never recursion: 10,000 nested
 * parentheses or an 800 kB one-line expression make a tree deeper than V8's call stack. Each cursor property
 * is a call into wasm, so a node asks only for its type id, field id and offsets; names come from the
 * grammar's tables, rows and columns from the text's line starts (tree-sitter counts rows at "\n", columns in
 * UTF-16 code units from the line's start), and only a zero-width node asks whether it is MISSING.
 */
function convert(cursor: TreeCursor, names: GrammarNames, text: string, lent: Map<number, SyntaxNode> | null): SyntaxNode {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const rowOf = (index: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const nodeAt = (fieldId: number): SyntaxNode => {
    const typeId = cursor.nodeTypeId;
    const type = names.types[typeId] || 'ERROR';
    const startIndex = cursor.startIndex;
    const endIndex = cursor.endIndex;
    const error = type === 'ERROR' || (startIndex === endIndex && cursor.nodeIsMissing);
    const startRow = rowOf(startIndex);
    const endRow = rowOf(endIndex);
    return {
      type,
      named: names.named(typeId),
      field: names.fields[fieldId] ?? null,
      startRow,
      startCol: startIndex - lineStarts[startRow]!,
      endRow,
      endCol: endIndex - lineStarts[endRow]!,
      startIndex,
      endIndex,
      children: [],
      error,
      hasError: error,
      namedCache: undefined,
      leafText: undefined,
    };
  };
  try {
    const root = nodeAt(0);
    // open[i] is the node the cursor is inside at depth i; the cursor's current node is a child of the last.
    const open: SyntaxNode[] = [root];
    if (!cursor.gotoFirstChild()) return root;
    for (;;) {
      const fieldId = cursor.currentFieldId;
      const parent = open[open.length - 1]!;
      const kept = open.length === 1 && lent !== null ? lendable(cursor, lent, names, fieldId) : null;
      const node = kept ?? nodeAt(fieldId);
      parent.children.push(node);
      if (node.hasError) parent.hasError = true;
      if (kept === null && cursor.gotoFirstChild()) {
        open.push(node);
        continue;
      }
      // Leaf (or a statement lent whole): move to the next sibling, climbing while a level is finished.
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

/** The earlier tree's statement for the cursor's top-level node, when it is the same node of the same text. */
function lendable(cursor: TreeCursor, lent: Map<number, SyntaxNode>, names: GrammarNames, fieldId: number): SyntaxNode | null {
  const old = lent.get(cursor.startIndex);
  if (!old || old.endIndex !== cursor.endIndex) return null;
  const typeId = cursor.nodeTypeId;
  if (old.type !== (names.types[typeId] || 'ERROR') || old.named !== names.named(typeId) || old.field !== (names.fields[fieldId] ?? null)) return null;
  return cursor.currentNode.hasError ? null : old;
}
