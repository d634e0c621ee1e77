/** Imports, function definitions (parameters and defaults) and class definitions. */
import { field, namedChildren, type SyntaxNode } from '../syntax';
import { kerasClassNames, kerasMergeFunctionNames, torchModuleNames } from '../../layerKnowledge/index';
import type { PythonInterpreter } from './interpreter';
import { Scope, Unsupported } from './scope';
import { Builtin, Extern, type Param, PyClass, PyFunc, Unknown, type Value } from './values';
import { canonicalPath } from './importPaths';
import { followImport } from './imports';

export function execImport(it: PythonInterpreter, stmt: SyntaxNode, scope: Scope): void {
  if (followImport(it, stmt, scope)) return;
  if (stmt.type === 'import_statement') {
    for (const n of namedChildren(stmt)) {
      if (n.type === 'aliased_import') {
        const name = field(n, 'name');
        const alias = field(n, 'alias');
        if (name && alias) scope.vars.set(it.text(alias), new Extern(canonicalPath(it.text(name))));
      } else if (n.type === 'dotted_name') {
        const full = it.text(n);
        const first = full.split('.')[0]!;
        scope.vars.set(first, new Extern(canonicalPath(first)));
      }
    }
    return;
  }
  if (stmt.type === 'future_import_statement') return;
  const moduleNode = field(stmt, 'module_name');
  const module = moduleNode ? it.text(moduleNode) : '';
  // A relative import (the user's own package, torchvision's ._api) binds names the reader does not follow:
  // Externs under the relative path, so a base class is still recognised by its name (WeightsEnum).
  for (const n of stmt.children) {
    if (n.field !== 'name') continue;
    if (n.type === 'aliased_import') {
      const name = field(n, 'name');
      const alias = field(n, 'alias');
      if (name && alias) scope.vars.set(it.text(alias), new Extern(canonicalPath(`${module}.${it.text(name)}`)));
    } else {
      const name = it.text(n);
      scope.vars.set(name.split('.')[0]!, new Extern(canonicalPath(`${module}.${name}`)));
    }
  }
  for (const n of stmt.children) {
    if (n.type === 'wildcard_import') {
      const base = canonicalPath(module);
      if (base === 'keras.layers' || base === 'torch.nn') {
        const names = base === 'torch.nn' ? torchModuleNames().concat(['Sequential', 'ModuleList', 'ModuleDict', 'Module']) : kerasClassNames().concat(kerasMergeFunctionNames(), ['Input', 'InputLayer']);
        for (const name of names) scope.vars.set(name, new Extern(`${base}.${name}`));
      }
      // `from keras.models import *` (zhixuhao/unet and many repos after it): Model and Sequential.
      if (base === canonicalPath('keras.models')) {
        for (const name of ['Model', 'Sequential']) scope.vars.set(name, new Extern(canonicalPath(`${module}.${name}`)));
      }
    }
  }
}

export function makeFunction(it: PythonInterpreter, node: SyntaxNode, scope: Scope, owner: PyClass | null): PyFunc {
  const nameNode = field(node, 'name');
  const params: Param[] = [];
  const paramsNode = field(node, 'parameters');
  let kwOnly = false;
  for (const p of paramsNode ? namedChildren(paramsNode) : []) {
    switch (p.type) {
      case 'identifier':
        params.push({ name: it.text(p), kind: kwOnly ? 'kwonly' : 'normal' });
        break;
      case 'typed_parameter': {
        const id = namedChildren(p)[0]!;
        if (id.type === 'list_splat_pattern') params.push({ name: it.text(namedChildren(id)[0]!), kind: 'star' });
        else if (id.type === 'dictionary_splat_pattern') params.push({ name: it.text(namedChildren(id)[0]!), kind: 'kwstar' });
        else params.push({ name: it.text(id), kind: kwOnly ? 'kwonly' : 'normal' });
        break;
      }
      case 'default_parameter':
      case 'typed_default_parameter': {
        const name = field(p, 'name')!;
        const value = field(p, 'value');
        params.push({ name: it.text(name), kind: kwOnly ? 'kwonly' : 'normal', default: value ? it.safeEval(value, scope) : null });
        break;
      }
      case 'list_splat_pattern':
        params.push({ name: it.text(namedChildren(p)[0]!), kind: 'star' });
        kwOnly = true;
        break;
      case 'dictionary_splat_pattern':
        params.push({ name: it.text(namedChildren(p)[0]!), kind: 'kwstar' });
        break;
      case 'keyword_separator':
        kwOnly = true;
        break;
      default:
        break;
    }
  }
  return new PyFunc(nameNode ? it.text(nameNode) : '<lambda>', node, params, scope, owner, scope.kind === 'module');
}

export function safeEval(it: PythonInterpreter, node: SyntaxNode, scope: Scope): Value {
  try {
    return it.eval(node, scope);
  } catch (error) {
    if (error instanceof Unsupported) return new Unknown(error.message);
    throw error;
  }
}

export function makeClass(it: PythonInterpreter, node: SyntaxNode, scope: Scope): PyClass {
  const name = it.text(field(node, 'name')!);
  const basesNode = field(node, 'superclasses');
  const bases = basesNode ? namedChildren(basesNode).filter((b) => b.type !== 'keyword_argument').map((b) => it.safeEval(b, scope)) : [];
  let kind: PyClass['kind'] = 'plain';
  for (const b of bases) {
    if (b instanceof Extern) {
      // torch.jit.ScriptModule is an nn.Module whose @torch.jit.script_method forward runs as written (eager shapes).
      if (b.path === 'torch.nn.Module' || b.path.startsWith('torch.nn.') || b.path === 'torch.jit.ScriptModule') kind = 'torch';
      else if (b.path === 'keras.Model' || b.path === 'keras.layers.Layer' || b.path === 'keras.Layer') kind = 'keras';
    } else if (b instanceof PyClass && b.kind !== 'plain') kind = b.kind;
  }
  const cls = new PyClass(name, node, bases, new Map(), kind);
  const classScope = new Scope(scope, 'class');
  const body = field(node, 'body');
  for (const stmt of body ? body.children : []) {
    if (!stmt.named || stmt.type === 'comment' || stmt.type === 'ERROR') continue;
    try {
      if (stmt.type === 'function_definition') {
        const fn = it.makeFunction(stmt, scope, cls);
        cls.attrs.set(fn.name, fn);
      } else if (stmt.type === 'decorated_definition') {
        const def = field(stmt, 'definition');
        if (def?.type === 'function_definition') {
          const fn = it.makeFunction(def, scope, cls);
          const decorators = stmt.children.filter((c) => c.type === 'decorator').map((d) => it.text(d));
          // A @classmethod gets the class it is defined on (a subclass calling it through `cls` is not told apart).
          const bound = decorators.some((d) => d.includes('staticmethod'))
            ? new Builtin(fn.name, (a, k, n) => it.callValue(fn, a, k, n))
            : decorators.some((d) => /^@classmethod\b/.test(d))
              ? new Builtin(fn.name, (a, k, n) => it.callValue(fn, [cls, ...a], k, n))
              : fn;
          cls.attrs.set(fn.name, bound);
        }
      } else {
        it.execStatement(stmt, classScope, false);
      }
    } catch (error) {
      if (error instanceof Unsupported) it.report('info', 'unsupported', error.message, stmt);
      else throw error;
    }
  }
  for (const [k, v] of classScope.vars) cls.attrs.set(k, v);
  return cls;
}
