/**
 * Where a Python import's module lives, resolved as Python's path finder would for the read file run as a
 * script (or, inside a package, imported from above it): a relative import from the importing file's package
 * (`from .blocks import …`, `from .. import resnet`); an absolute one from sys.path's entry for the read file and
 * its ancestors up to the project root (`from models import *`), or from the directory above an ancestor that is
 * its top package (keras's own `from keras.src.applications import resnet`, a sibling in the same package). Packages
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

/** The module `dotted` in the first of `dirs` that holds it (installed libraries' site-packages), or null. */
export function resolveIn(files: ModuleFiles, dirs: readonly string[], dotted: string): ModuleLocation | null {
  const parts = dotted.split('.');
  for (const dir of dirs) {
    const found = under(files, dir, parts, dotted);
    if (found) return found;
  }
  return null;
}

/**
 * Where Python looks for a top-level module: sys.path's entry for the read file, which is its directory for a
 * script and the directory above its outermost package for a file inside a package (a library module is
 * imported, not run: `from typing import …` in timm/layers/ is the standard library, not timm/layers/typing.py);
 * then that entry's ancestors up to the project root (a project run from its root); then the parents of the
 * importing file's ancestors named `top` (an installed package importing itself absolutely).
 */
function searchDirectories(files: ModuleFiles, fromFile: string, top: string): string[] {
  const out: string[] = [];
  let entry = path.dirname(files.mainFile);
  while (files.isFile(path.join(entry, '__init__.py')) && path.dirname(entry) !== entry) entry = path.dirname(entry);
  const root = files.root;
  const insideRoot = entry === root || entry.startsWith(root + path.sep);
  for (let d = entry; ; d = path.dirname(d)) {
    out.push(d);
    if (!insideRoot || d === root || path.dirname(d) === d) break;
  }
  for (let d = path.dirname(path.resolve(fromFile)); path.dirname(d) !== d; d = path.dirname(d)) {
    if (path.basename(d) === top && !out.includes(path.dirname(d))) out.push(path.dirname(d));
  }
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
