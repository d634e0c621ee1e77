/**
 * The other files an import may read, for one read of one file: the text of an open document with unsaved
 * changes when the editor gave it, else the file on disk through the same stat-checked read the CLI uses
 * (isolation/userFile.ts). Each file is read and parsed once per read, and the reads are bounded: files and
 * characters in all (ReaderLimits.maxImportedFiles / maxImportedChars). Nothing is ever run.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readUserFile } from '../isolation/userFile';
import { librarySearchRoots } from './libraryRoots';
import { markOrigin, type ParsedSource, type SourceLanguage, type SyntaxNode, type SyntaxParser } from './syntax';
import type { ImportOptions, ReaderLimits } from './types';

/** A module file parsed for an import, or why it was not read (a located reason for the import). */
export type ModuleLoad = { ok: true; file: string; parsed: ParsedSource } | { ok: false; reason: string };

const ROOT_MARKERS = ['.git', 'pyproject.toml', 'setup.py', 'setup.cfg', 'package.json'];

/**
 * Parsed imported files kept between reads of one reader (parsing is most of an import's cost: torchvision's
 * resnet.py pulls in 300 kB of transforms): reused only when the file's text is the same; the least recently
 * used go first past `maxChars` of text in all (syntax trees are many times larger than their text).
 */
export class ParsedFileCache {
  private readonly entries = new Map<string, { text: string; parsed: ParsedSource }>();
  private chars = 0;
  constructor(private readonly maxChars = 4_000_000) {}

  get(name: string, text: string): ParsedSource | undefined {
    const hit = this.entries.get(name);
    if (!hit || hit.text !== text) return undefined;
    // Most recently used last, so the oldest goes first when full.
    this.entries.delete(name);
    this.entries.set(name, hit);
    return hit.parsed;
  }

  set(name: string, text: string, parsed: ParsedSource): void {
    this.drop(name);
    this.entries.set(name, { text, parsed });
    this.chars += text.length;
    while (this.chars > this.maxChars && this.entries.size > 0) this.drop(this.entries.keys().next().value!);
  }

  private drop(name: string): void {
    const old = this.entries.get(name);
    if (!old) return;
    this.chars -= old.text.length;
    this.entries.delete(name);
  }
}

export class ModuleFiles {
  private readonly loads = new Map<string, ModuleLoad>();
  /** Location name → path on disk, for the files read. */
  private readonly paths = new Map<string, string>();
  private chars = 0;
  /** Directories the search for a module never goes above. */
  readonly root: string;
  /** The importing file on disk (the editor names files by URI, the CLI by path). */
  readonly mainFile: string;
  private readonly byUri: boolean;
  private readonly relativeNames: boolean;

  constructor(
    private readonly parser: SyntaxParser,
    file: string,
    private readonly options: ImportOptions,
    private readonly limits: ReaderLimits,
    private readonly cache: ParsedFileCache | null = null,
  ) {
    this.byUri = file.startsWith('file:');
    this.relativeNames = !this.byUri && !path.isAbsolute(file);
    this.mainFile = this.byUri ? fileURLToPath(file) : path.resolve(file);
    this.root = path.resolve(options.root ?? projectRoot(path.dirname(this.mainFile)));
  }

  private roots: string[] | null = null;

  /** The installed-library directories (site-packages) searched for followed model code; found once per read. */
  get libraryRoots(): string[] {
    this.roots ??= librarySearchRoots({ pythonPaths: this.options.pythonPaths, environment: this.options.environment }, this.root);
    return this.roots;
  }

  /** How locations name a file: as the importing file is named (a file: URI or a path). */
  locationName(file: string): string {
    return this.byUri ? pathToFileURL(file).toString() : this.relativeNames ? path.relative(process.cwd(), file) : file;
  }

  /** Whether `file` is a regular file (or an open document): stat only, nothing is read. */
  isFile(file: string): boolean {
    if (this.options.openDocuments?.[file] !== undefined) return true;
    try {
      return statSync(file).isFile();
    } catch {
      return false;
    }
  }

  isDirectory(dir: string): boolean {
    try {
      return statSync(dir).isDirectory();
    } catch {
      return Object.keys(this.options.openDocuments ?? {}).some((f) => f.startsWith(dir + path.sep));
    }
  }

  private readonly peeked = new Map<string, string | null>();

  /**
   * The text of `file`, not parsed and not counted against the import bounds (a re-export package asks whether
   * a submodule can bind a name: lazyPackage.ts); null when it cannot be read or is larger than a file may be.
   */
  peekText(file: string): string | null {
    const known = this.peeked.get(file);
    if (known !== undefined) return known;
    let text = this.options.openDocuments?.[file] ?? null;
    if (text === null && this.peeked.size < 4 * this.limits.maxImportedFiles) {
      const bytes = readUserFile(file, this.limits.maxFileChars * 4);
      text = bytes.ok ? new TextDecoder('utf-8').decode(bytes.bytes) : null;
    }
    if (text !== null && text.length > this.limits.maxFileChars) text = null;
    this.peeked.set(file, text);
    return text;
  }

  /** The file parsed with the grammar of `language`, once per read; past a bound, why not. */
  load(file: string, language: SourceLanguage): ModuleLoad {
    const known = this.loads.get(file);
    if (known) return known;
    const result = this.read(file, language);
    this.loads.set(file, result);
    return result;
  }

  private read(file: string, language: SourceLanguage): ModuleLoad {
    const read = [...this.loads.values()].filter((l) => l.ok).length;
    if (read >= this.limits.maxImportedFiles) return { ok: false, reason: `more than ${this.limits.maxImportedFiles} files would be read for imports (the limit); ${this.relative(file)} was not read` };
    let text = this.options.openDocuments?.[file];
    if (text === undefined) {
      const bytes = readUserFile(file, this.limits.maxFileChars * 4);
      if (!bytes.ok) return { ok: false, reason: bytes.message };
      text = new TextDecoder('utf-8').decode(bytes.bytes);
    }
    if (text.length > this.limits.maxFileChars) return { ok: false, reason: `${this.relative(file)} is larger than ${this.limits.maxFileChars} characters; it was not read` };
    if (this.chars + text.length > this.limits.maxImportedChars) return { ok: false, reason: `the imported files would exceed ${this.limits.maxImportedChars} characters in all (the limit); ${this.relative(file)} was not read` };
    this.chars += text.length;
    const name = this.locationName(file);
    let parsed = this.cache?.get(`${language}:${name}`, text);
    if (!parsed) {
      parsed = this.parser.parse(text, language);
      markOrigin(parsed.root, { file: name, text });
      this.cache?.set(`${language}:${name}`, text, parsed);
    }
    this.paths.set(name, file);
    return { ok: true, file, parsed };
  }

  /** The files read so far, named as locations name them. */
  filesRead(): string[] {
    return [...this.paths.keys()];
  }

  /** The file on disk a node comes from: an imported file's, else the importing file. */
  diskPathOf(node: SyntaxNode): string {
    return (node.origin && this.paths.get(node.origin.file)) ?? this.mainFile;
  }

  /** `file` relative to the importing file's directory, for messages. */
  relative(file: string): string {
    return path.relative(path.dirname(this.mainFile), file) || path.basename(file);
  }
}

/** The nearest ancestor holding a repository or project marker; else the file's own directory. */
function projectRoot(dir: string): string {
  for (let d = path.resolve(dir); ; ) {
    if (ROOT_MARKERS.some((m) => exists(path.join(d, m)))) return d;
    const up = path.dirname(d);
    if (up === d) return path.resolve(dir);
    d = up;
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Imports are followed for a file on disk named by an absolute path or a file: URI, or when `follow` says so
 * (the CLI, whose paths are relative to the working directory); never when `follow` is false.
 */
export function followsImports(file: string, options: ImportOptions | undefined): boolean {
  if (options?.follow !== undefined) return options.follow;
  return path.isAbsolute(file) || file.startsWith('file:');
}
