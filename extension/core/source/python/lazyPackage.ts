/**
 * A package whose `__init__.py` only re-exports its submodules (`from .activations import *`,
 * `from .create_act import create_act_layer, get_act_layer`: timm.layers imports 100+ files that way) is read
 * per name: `from pkg import name` runs only the import statement that binds `name`, so a submodule is read
 * when a name it provides is used and the import bounds (files, characters, nesting) stay for the files that
 * matter. What a name is bound to is what Python's full run of `__init__.py` would bind: the last statement that
 * binds it (a wildcard import binds what its module exports). Any other top-level statement (an assignment, a
 * def, a conditional) makes the package an ordinary one, read whole.
 */
import { field, namedChildren, type SyntaxNode } from '../syntax';
import type { PythonInterpreter } from './interpreter';
import { resolveModule } from './moduleResolution';
import { Scope } from './scope';
import type { PyModule, Value } from './values';

export interface LazyExports {
  /** The value the package binds to `name`, reading only what binds it; undefined when nothing does. */
  resolve(name: string): Value | undefined;
  /** Every statement, in order, into the module's scope (for `from pkg import *`). */
  readAll(): void;
}

/** The top-level statements of `root` when each is an import (or a docstring or comment); else null. */
export function reExportStatements(root: SyntaxNode): SyntaxNode[] | null {
  const out: SyntaxNode[] = [];
  for (const child of namedChildren(root)) {
    if (child.type === 'comment') continue;
    if (child.type === 'expression_statement' && child.children.length === 1 && child.children[0]!.type === 'string') continue;
    if (child.type === 'import_from_statement') {
      out.push(child);
      continue;
    }
    return null;
  }
  return out;
}

/** The names `stmt` binds by name (aliases included); null for a wildcard import. */
function explicitNames(it: PythonInterpreter, stmt: SyntaxNode): string[] | null {
  if (stmt.children.some((n) => n.type === 'wildcard_import')) return null;
  return stmt.children
    .filter((n) => n.field === 'name')
    .map((n) => it.text(n.type === 'aliased_import' ? field(n, 'alias')! : n));
}

/**
 * Per-name reading of `module` (a re-export package): each statement runs at most once, into a scope of its
 * own, and the names asked for are copied into the module's scope as they are resolved.
 */
export function lazyExports(it: PythonInterpreter, module: PyModule, statements: SyntaxNode[]): LazyExports {
  const bound = new Map<number, Scope>();
  const names = statements.map((s) => explicitNames(it, s));
  const texts = new Map<number, string | null>();
  /**
   * Whether the wildcard import `i` cannot bind `name`: its module is a plain file whose text never spells the
   * name, imports nothing by wildcard and binds nothing dynamically (globals(), sys.modules, a module
   * __getattr__): torchvision.models' `resnet18` is not looked for in maxvit.py, swin_transformer.py and four
   * more files read before resnet.py. Only the text is looked at, nothing parsed.
   */
  const cannotBind = (i: number, name: string): boolean => {
    // Only a Python name is looked for in the text (getattr(pkg, "…") may ask for any string).
    if (!it.modules || !/^[A-Za-z_]\w*$/.test(name)) return false;
    if (!texts.has(i)) {
      const stmt = statements[i]!;
      const written = it.text(field(stmt, 'module_name') ?? stmt);
      const level = /^\.*/.exec(written)![0].length;
      const location = resolveModule(it.modules, it.modules.diskPathOf(stmt), written.slice(level), level);
      texts.set(i, location?.file && !location.packageDir ? it.modules.peekText(location.file) : null);
    }
    const text = texts.get(i);
    return text != null && !/\bimport\s*\*|\bglobals\s*\(|\bsys\.modules\b|\bdef __getattr__\b/.test(text) && !new RegExp(`(?<![\\w])${name}(?!\\w)`).test(text);
  };
  const run = (i: number): Scope => {
    const known = bound.get(i);
    if (known) return known;
    const scope = new Scope(null, 'module');
    bound.set(i, scope);
    // At the package's own level: an __init__.py that only imports adds no nesting of its own (each module it
    // imports counts), so `torchvision.models.resnet18` reads resnet.py's imports as deep as resnet.py read alone.
    it.execBlock([statements[i]!], scope, false);
    return scope;
  };
  return {
    resolve(name: string): Value | undefined {
      const have = module.scope.vars.get(name);
      if (have !== undefined) return have;
      for (let i = statements.length - 1; i >= 0; i--) {
        const listed = names[i];
        if (listed && !listed.includes(name)) continue;
        if (!listed && cannotBind(i, name)) continue;
        const value = run(i).vars.get(name);
        if (value === undefined) continue;
        module.scope.vars.set(name, value);
        return value;
      }
      return undefined;
    },
    readAll(): void {
      for (let i = 0; i < statements.length; i++) for (const [k, v] of run(i).vars) module.scope.vars.set(k, v);
    },
  };
}
