/**
 * Where a Python import's module lives, resolved as Python's path finder would for a project that runs from
 * its own directory: a relative import from the importing file's package (`from .blocks import …`, `from ..
 * import resnet`); an absolute one from the file's directory and its ancestors up to the project root (`from
 * models import *`), or from the directory above an ancestor that is its top package (keras's own
 * `from keras.src.applications import resnet`, a sibling in the same installed package). Packages
 * (`pkg/__init__.py`) come before modules (`pkg.py`), as in Python; a directory without `__init__.py` is a
 * namespace package. Only `stat` is used here; nothing is read.
 */
import * as path from 'node:path';
import type { ModuleFiles } from '../moduleFiles';

export interface ModuleLocation {
  /** Dotted name, for `__name__` and messages. */
  name: string;
  /** The module's file; null for a namespace package (a directory without __init__.py). */
  file: string | null;
  /** The directory submodules are looked for in, for a package; null for a plain module. */
  packageDir: string | null;
}

/**
 * Modules the reader models itself (framework APIs): never followed into their sources, even when those are
 * on disk, so `keras.layers.Conv2D` stays the layer the reader knows. Keras Applications' model files are
 * model code, not API, and are followed.
 */
const NATIVE = /^(torch|tensorflow|tf_keras|keras|numpy|jax|tensorflowjs)(\.|$)/;
const FOLLOWED_INSIDE_NATIVE = /^keras\.(src\.)?applications\.(?!imagenet_utils\b)\w+/;

export function isNativeModule(dotted: string): boolean {
  return NATIVE.test(dotted) && !FOLLOWED_INSIDE_NATIVE.test(dotted);
}

/** The module `dotted` imported with `level` leading dots from `fromFile`, or null when no file is found. */
export function resolveModule(files: ModuleFiles, fromFile: string, dotted: string, level: number): ModuleLocation | null {
  const parts = dotted === '' ? [] : dotted.split('.');
  if (level > 0) {
    let base = path.dirname(fromFile);
    for (let i = 1; i < level; i++) base = path.dirname(base);
    return under(files, base, parts, dotted);
  }
  if (parts.length === 0 || isNativeModule(dotted)) return null;
  for (const dir of searchDirectories(files, fromFile, parts[0]!)) {
    const found = under(files, dir, parts, dotted);
    if (found) return found;
  }
  return null;
}

/** The file's directory and its ancestors up to the root, then the parents of ancestors named `top`. */
function searchDirectories(files: ModuleFiles, fromFile: string, top: string): string[] {
  const out: string[] = [];
  const ancestors: string[] = [];
  for (let d = path.dirname(path.resolve(fromFile)); ; d = path.dirname(d)) {
    ancestors.push(d);
    if (path.dirname(d) === d) break;
  }
  const root = files.root;
  const insideRoot = ancestors.includes(root);
  for (const d of ancestors) {
    if (insideRoot || d === ancestors[0]) out.push(d);
    if (d === root || !insideRoot) break;
  }
  for (const d of ancestors) if (path.basename(d) === top && !out.includes(path.dirname(d))) out.push(path.dirname(d));
  return out;
}

function under(files: ModuleFiles, base: string, parts: readonly string[], dotted: string): ModuleLocation | null {
  let dir = base;
  if (parts.length === 0) return packageAt(files, dir, dotted);
  for (const part of parts.slice(0, -1)) {
    dir = path.join(dir, part);
    if (!files.isDirectory(dir)) return null;
  }
  const last = parts[parts.length - 1]!;
  const init = path.join(dir, last, '__init__.py');
  if (files.isFile(init)) return { name: dotted, file: init, packageDir: path.join(dir, last) };
  const file = path.join(dir, `${last}.py`);
  if (files.isFile(file)) return { name: dotted, file, packageDir: null };
  return files.isDirectory(path.join(dir, last)) ? { name: dotted, file: null, packageDir: path.join(dir, last) } : null;
}

/** The package whose directory is `dir` (`from . import x`): regular or namespace. */
function packageAt(files: ModuleFiles, dir: string, dotted: string): ModuleLocation | null {
  const init = path.join(dir, '__init__.py');
  if (files.isFile(init)) return { name: dotted, file: init, packageDir: dir };
  return files.isDirectory(dir) ? { name: dotted, file: null, packageDir: dir } : null;
}

/** `name` as a submodule of the package `pkg` (`from . import resnet`), or null. */
export function submodule(files: ModuleFiles, pkg: ModuleLocation, name: string): ModuleLocation | null {
  if (!pkg.packageDir) return null;
  return under(files, pkg.packageDir, [name], pkg.name ? `${pkg.name}.${name}` : name);
}
