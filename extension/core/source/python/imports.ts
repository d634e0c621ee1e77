/**
 * Imports of the user's own modules, followed statically: the imported file is parsed and its top level read
 * (definitions, constants; never its `if __name__ == "__main__":` code) in a module scope of its own, once per
 * read, as `sys.modules` would hold it; the names the import binds are that module's values, so a class from
 * `blocks.py` builds its layers at `blocks.py` lines. Bounded: nesting (maxImportDepth), files and characters
 * (ModuleFiles); a cycle gets the partial module, as in Python. A module the reader models itself
 * (`keras.layers`, `torch.nn`) or one no file is found for keeps today's behaviour (an Extern), and names the
 * reader has stand-ins for stay Externs so the stand-in still applies.
 */
import * as path from 'node:path';
import { field, namedChildren, type SyntaxNode } from '../syntax';
import { LimitError } from '../trace';
import type { PythonInterpreter } from './interpreter';
import { BreakSignal, ContinueSignal, ReturnSignal, Scope } from './scope';
import { Extern, PyClass, PyFunc, PyList, PyModule, PyTuple, Unknown, type Value } from './values';
import { canonicalPath } from './importPaths';
import { lazyExports, reExportStatements } from './lazyPackage';
import { isNativeModule, resolveModule, submodule, type ModuleLocation } from './moduleResolution';

/**
 * Names with a stand-in in the reader (kerasApplications.ts, attributes.ts' WeightsEnum, torchvision's
 * `_ovewrite_named_param` and the telemetry call that changes no model): kept as Externs even when their file
 * is on disk. torchvision's `Conv2dNormActivation` and `_make_divisible` are read from `ops/misc.py` and
 * `_utils.py` when they are there (their layers are then at misc.py's lines, as PyTorch reports them); their
 * stand-ins in torchvisionHelpers.ts serve a model file copied without them.
 */
const STAND_INS = [
  /(^|\.)_utils\._ovewrite_named_param$/,
  /(^|\.)_api(\.\w+)?$/,
  /(^|\.)utils\._log_api_usage_once$/,
  /^(\.+|keras_applications\.)get_submodules_from_kwargs$/,
  /^(\.+|keras_applications\.)imagenet_utils(\.\w+)?$/,
];

function keepsStandIn(dotted: string): boolean {
  return STAND_INS.some((r) => r.test(dotted));
}

/** Binds what `stmt` imports when its module is the user's own code on disk; false leaves it to execImport. */
export function followImport(it: PythonInterpreter, stmt: SyntaxNode, scope: Scope): boolean {
  if (!it.modules) return false;
  const from = it.modules.diskPathOf(stmt);
  if (stmt.type === 'import_statement') return followPlainImport(it, stmt, scope, from);
  if (stmt.type !== 'import_from_statement') return false;
  const moduleNode = field(stmt, 'module_name');
  if (!moduleNode) return false;
  const written = it.text(moduleNode);
  const level = /^\.*/.exec(written)![0].length;
  const dotted = written.slice(level);
  const names = stmt.children.filter((n) => n.field === 'name');
  if (level === 0 && isNativeModule(dotted)) return followNativeSubmodules(it, stmt, scope, from, dotted, names);
  const wildcard = stmt.children.some((n) => n.type === 'wildcard_import');
  if (!wildcard && names.every((n) => keepsStandIn(`${written}.${it.text(field(n, 'name') ?? n)}`))) return false;
  const location = resolveModule(it.modules, from, dotted, level);
  if (!location) {
    // A relative import names a file of the user's package: say where it was looked for.
    if (level > 0) it.report('info', 'unsupported', `cannot follow \`${shortImport(it, stmt)}\`: no module ${written} next to ${path.basename(from)}; the names it imports are unknown`, stmt);
    return false;
  }
  for (const n of names) {
    const nameNode = n.type === 'aliased_import' ? field(n, 'name')! : n;
    const name = it.text(nameNode);
    const bound = n.type === 'aliased_import' ? it.text(field(n, 'alias')!) : name;
    if (keepsStandIn(`${written}.${name}`)) {
      scope.vars.set(bound, new Extern(canonicalPath(`${written}.${name}`)));
      continue;
    }
    const value = importedName(it, location, name, stmt);
    scope.vars.set(bound, value);
    // A name the read file imports by name is one of its models when it makes one (keras-applications'
    // resnet.py is `from .resnet_common import ResNet50`): listed at the import, where the file names it.
    if (scope === it.state.globals && !stmt.origin && (value instanceof PyFunc || value instanceof PyClass)) {
      it.state.definitions.push({ name: bound, node: n, value });
    }
  }
  if (wildcard) {
    const module = loadModule(it, location, stmt);
    if (module instanceof PyModule) for (const [name, value] of starNames(module)) scope.vars.set(name, value);
  }
  return true;
}

/**
 * `from keras.src.applications import resnet`: the package is one the reader models, but a name that is a
 * followed submodule of it (a Keras Applications model file) is read; the other names stay Externs.
 */
function followNativeSubmodules(it: PythonInterpreter, stmt: SyntaxNode, scope: Scope, from: string, dotted: string, names: SyntaxNode[]): boolean {
  const followed = names.map((n) => {
    const name = it.text(n.type === 'aliased_import' ? field(n, 'name')! : n);
    const location = isNativeModule(`${dotted}.${name}`) ? null : resolveModule(it.modules!, from, `${dotted}.${name}`, 0);
    return { n, name, location };
  });
  if (followed.every((f) => f.location === null)) return false;
  for (const { n, name, location } of followed) {
    const bound = n.type === 'aliased_import' ? it.text(field(n, 'alias')!) : name;
    scope.vars.set(bound, location ? asValue(loadModule(it, location, stmt), location.name) : new Extern(canonicalPath(`${dotted}.${name}`)));
  }
  return true;
}

/** `import pkg.mod` binds pkg (each module on the way read); `import pkg.mod as m` binds the module itself. */
function followPlainImport(it: PythonInterpreter, stmt: SyntaxNode, scope: Scope, from: string): boolean {
  const items = namedChildren(stmt).filter((n) => n.type === 'aliased_import' || n.type === 'dotted_name');
  const located = items.map((n) => {
    const dotted = it.text(n.type === 'aliased_import' ? field(n, 'name')! : n);
    return { n, dotted, location: isNativeModule(dotted) ? null : resolveModule(it.modules!, from, dotted, 0) };
  });
  if (located.every((l) => l.location === null)) return false;
  for (const { n, dotted, location } of located) {
    const first = dotted.split('.')[0]!;
    if (!location) {
      if (n.type === 'aliased_import') scope.vars.set(it.text(field(n, 'alias')!), new Extern(canonicalPath(dotted)));
      else scope.vars.set(first, new Extern(canonicalPath(first)));
      continue;
    }
    if (n.type === 'aliased_import') {
      scope.vars.set(it.text(field(n, 'alias')!), asValue(loadModule(it, location, stmt, true), dotted));
      continue;
    }
    const parts = dotted.split('.');
    let top: Value = new Unknown(`${first} could not be read`);
    let parent: PyModule | null = null;
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('.');
      const at = i === parts.length ? location : resolveModule(it.modules!, from, prefix, 0);
      const module = at ? loadModule(it, at, stmt, true) : `no module ${prefix}`;
      const value = asValue(module, prefix);
      if (i === 1) top = value;
      if (parent) parent.scope.vars.set(parts[i - 1]!, value);
      parent = value instanceof PyModule ? value : null;
    }
    scope.vars.set(first, top);
  }
  return true;
}

/** `from M import name`: the submodule M.name when it is a file, else M's value `name` (M read for it). */
function importedName(it: PythonInterpreter, location: ModuleLocation, name: string, stmt: SyntaxNode): Value {
  const sub = submodule(it.modules!, location, name);
  // Python looks at the package's attribute first: timm.layers' `from .create_attn import create_attn` makes
  // `create_attn` the function, not the submodule of that name (a re-export package says so cheaply).
  const reExported = sub && isReExportPackage(it, location) ? loadModule(it, location, stmt) : null;
  const bound = reExported instanceof PyModule && reExported.lazy ? reExported.lazy.resolve(name) : undefined;
  if (bound !== undefined && !(bound instanceof PyModule)) return bound;
  if (sub) return asValue(loadModule(it, sub, stmt), sub.name);
  const module = loadModule(it, location, stmt);
  if (!(module instanceof PyModule)) return new Unknown(`"${name}" could not be imported: ${module}`);
  const value = module.scope.vars.get(name) ?? module.lazy?.resolve(name);
  if (value !== undefined) return value;
  const where = module.file ? path.basename(module.file) : location.name;
  const why = module.loading ? `"${name}" is not yet defined in ${where} when it is imported (an import cycle)` : `${where} defines no "${name}"`;
  it.report('warning', 'unknown', `cannot import "${name}": ${why}; it is unknown here`, stmt);
  return new Unknown(why);
}

/** Whether `location` is a package whose `__init__.py` only re-exports (read per name: lazyPackage.ts). */
function isReExportPackage(it: PythonInterpreter, location: ModuleLocation): boolean {
  if (!location.file || !location.packageDir) return false;
  const load = it.modules!.load(location.file, 'python');
  return load.ok && reExportStatements(load.parsed.root) !== null;
}

/** `from M import *`: M's `__all__` when it lists names, else its public names. */
function starNames(module: PyModule): [string, Value][] {
  if (module.lazy) {
    module.lazy.readAll();
    module.lazy = null;
  }
  const all = module.scope.vars.get('__all__');
  const listed = all instanceof PyList || all instanceof PyTuple ? all.items : null;
  if (listed && listed.every((n) => typeof n === 'string')) {
    return (listed as string[]).map((n) => [n, module.scope.vars.has(n) ? module.scope.vars.get(n)! : new Unknown(`"${n}" is in __all__ of ${module.name} but not defined there`)]);
  }
  return [...module.scope.vars].filter(([n]) => !n.startsWith('_'));
}

function asValue(module: PyModule | string, name: string): Value {
  return module instanceof PyModule ? module : new Unknown(`module ${name} could not be read: ${module}`);
}

/**
 * The module, read once per read; a string says why it could not be (reported at the import). `lazy` (a plain
 * `import M`) binds M now and reads it when the code first uses it: torchvision's `ops/boxes.py` does `import
 * torchvision` for a call inside a function, and reading the whole package there would spend the file budget
 * before `ops/misc.py`, which the model needs. The values are the same either way; only module side effects
 * (which the reader does not model) would run later.
 */
export function loadModule(it: PythonInterpreter, location: ModuleLocation, stmt: SyntaxNode, lazy = false): PyModule | string {
  const key = location.file ?? `${location.packageDir}${path.sep}`;
  const cached = it.importedModules.get(key);
  if (cached) {
    if (!lazy) cached.pending?.();
    return cached.unreadable ?? cached;
  }
  if (location.file === null) {
    const namespace = new PyModule(location.name, null, new Scope(null, 'module'));
    namespace.loading = false;
    it.importedModules.set(key, namespace);
    return namespace;
  }
  const file = location.file;
  const located = { ...location, file };
  const module = new PyModule(location.name, file, new Scope(null, 'module'));
  module.scope.vars.set('__name__', location.name);
  module.scope.vars.set('__file__', file);
  if (!lazy) return readModule(it, key, module, located, stmt) ?? module;
  it.importedModules.set(key, module);
  module.pending = () => {
    module.pending = null;
    it.importedModules.delete(key);
    module.unreadable = readModule(it, key, module, located, stmt);
    if (module.unreadable !== null) {
      module.loading = false;
      it.importedModules.set(key, module);
    }
  };
  return module;
}

/** Runs the module's top level into `module` (cached first, for import cycles); the reason when it cannot. */
function readModule(it: PythonInterpreter, key: string, module: PyModule, location: ModuleLocation & { file: string }, stmt: SyntaxNode): string | null {
  const { file } = location;
  if (it.importDepth >= it.limits.maxImportDepth) {
    const why = `imports nest deeper than ${it.limits.maxImportDepth} files (the limit); ${path.basename(file)} was not read`;
    it.report('warning', 'limit', why, stmt);
    return why;
  }
  const load = it.modules!.load(file, 'python');
  if (!load.ok) {
    it.report('warning', 'limit', `cannot follow this import: ${load.reason}`, stmt);
    return load.reason;
  }
  it.importedModules.set(key, module);
  const reExports = location.packageDir ? reExportStatements(load.parsed.root) : null;
  if (reExports) {
    module.lazy = lazyExports(it, module, reExports);
    module.loading = false;
    return null;
  }
  it.importDepth++;
  try {
    for (const child of load.parsed.root.children) it.execBlock([child], module.scope, false);
  } catch (signal) {
    // A module-level raise ends the module, as it would in Python; a cap stops the importing statement.
    if (signal instanceof LimitError || !(signal instanceof ReturnSignal || signal instanceof BreakSignal || signal instanceof ContinueSignal)) throw signal;
  } finally {
    it.importDepth--;
    module.loading = false;
  }
  return null;
}

function shortImport(it: PythonInterpreter, stmt: SyntaxNode): string {
  const text = it.text(stmt).replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
