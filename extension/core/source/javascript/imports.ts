/**
 * Imports of the user's own modules in TypeScript / JavaScript, followed statically: `import { IMAGE_H } from
 * './data'`, `import * as data from './data'`, `import model from './model'`, `const m = require('./model')`.
 * Only relative specifiers are followed (a package such as @tensorflow/tfjs is the reader's own model of it);
 * they resolve as TypeScript and Node do: the path itself, then with .ts/.tsx/.js/.jsx/.mjs/.cjs, then its
 * index file (`./data.js` written for ESM also finds `data.ts`). The module's top level is read once per read in
 * a scope of its own; its exports are what `export` declares, `export { a as b }`, `export default`, or what
 * CommonJS assigns to `module.exports` / `exports.x`. Bounded like the Python imports (depth, files,
 * characters); a cycle gets the exports made so far.
 */
import * as path from 'node:path';
import { field, namedChildren, type SyntaxNode } from '../syntax';
import type { SourceLanguage } from '../syntax';
import type { JsInterpreter } from './interpreter';
import { JsExtern, JsObject, JsScope, JsUnknown, type JsValue } from './values';

export interface JsModule {
  exports: JsObject;
  /** The CommonJS `module` object, whose `exports` the code may replace. */
  module: JsObject;
  loading: boolean;
}

const EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs'];

/** The grammar for a module file, or null when it is not TypeScript / JavaScript. */
function languageOf(file: string): SourceLanguage | null {
  if (/\.tsx$/.test(file)) return 'tsx';
  if (/\.[mc]?ts$/.test(file)) return 'typescript';
  return /\.[mc]?jsx?$/.test(file) ? 'javascript' : null;
}

/** The file a relative specifier names from `fromFile`, or null. */
export function resolveJsModule(it: JsInterpreter, fromFile: string, specifier: string): string | null {
  if (!it.modules || !/^\.\.?(\/|$)/.test(specifier)) return null;
  const base = path.resolve(path.dirname(fromFile), specifier);
  const candidates = [base, ...EXTENSIONS.map((e) => base + e)];
  if (/\.[mc]?jsx?$/.test(base)) candidates.push(...EXTENSIONS.map((e) => base.replace(/\.[mc]?jsx?$/, e)));
  candidates.push(...EXTENSIONS.map((e) => path.join(base, `index${e}`)));
  return candidates.find((c) => languageOf(c) !== null && it.modules!.isFile(c)) ?? null;
}

/** Binds what an `import … from './x'` statement imports; false when its source is not the user's own file. */
export function followJsImport(it: JsInterpreter, s: SyntaxNode, scope: JsScope): boolean {
  const src = field(s, 'source');
  const specifier = src ? it.text(src).slice(1, -1) : '';
  if (!it.modules || !/^\.\.?(\/|$)/.test(specifier)) return false;
  const from = it.modules.diskPathOf(s);
  const file = resolveJsModule(it, from, specifier);
  const clause = s.children.find((c) => c.type === 'import_clause');
  if (!file) {
    it.report(`cannot follow \`${it.text(s).replace(/\s+/g, ' ').slice(0, 60)}\`: no file ${specifier} (.ts, .js, index…) next to ${path.basename(from)}; the names it imports are unknown`, s);
    if (clause) bindAll(it, clause, scope, () => new JsUnknown(`'${specifier}' could not be found`));
    return true;
  }
  const loaded = loadJsModule(it, file, s);
  const exportsOf = (): JsObject | null => (typeof loaded === 'string' ? null : exportsObject(loaded));
  if (clause) {
    bindAll(it, clause, scope, (name) => {
      const exports = exportsOf();
      if (!exports) return new JsUnknown(`'${specifier}' could not be read: ${loaded as string}`);
      if (name === '*') return exports;
      const v = exports.props.get(name);
      if (v !== undefined || exports.props.has(name)) return v;
      const why = typeof loaded !== 'string' && loaded.loading ? `"${name}" is not yet exported by ${path.basename(file)} when it is imported (an import cycle)` : `${path.basename(file)} exports no "${name}"`;
      it.warn(`cannot import "${name}": ${why}; it is unknown here`, s);
      return new JsUnknown(why);
    });
  }
  return true;
}

/** `require('./model')`: the module's exports, or undefined when the specifier is not the user's own file. */
export function followRequire(it: JsInterpreter, specifier: string, node: SyntaxNode): JsValue | undefined {
  if (!it.modules || !/^\.\.?(\/|$)/.test(specifier)) return undefined;
  const file = resolveJsModule(it, it.modules.diskPathOf(node), specifier);
  if (!file) {
    it.report(`cannot follow require('${specifier}'): no such file next to ${path.basename(it.modules.diskPathOf(node))}; what it returns is unknown`, node);
    return new JsUnknown(`require('${specifier}') could not be found`);
  }
  const loaded = loadJsModule(it, file, node);
  return typeof loaded === 'string' ? new JsUnknown(`require('${specifier}') could not be read: ${loaded}`) : exportsObject(loaded);
}

/** The module's exports: what `module.exports` holds at the end (CommonJS), else the ES exports. */
function exportsObject(m: JsModule): JsObject {
  const replaced = m.module.props.get('exports');
  if (replaced instanceof JsObject) {
    // ES interop: `import x from './cjs'` is module.exports itself.
    if (!replaced.props.has('default')) replaced.props.set('default', replaced);
    return replaced;
  }
  return m.exports;
}

function bindAll(it: JsInterpreter, clause: SyntaxNode, scope: JsScope, value: (name: string) => JsValue): void {
  for (const c of namedChildren(clause)) {
    if (c.type === 'identifier') scope.vars.set(it.text(c), value('default'));
    else if (c.type === 'namespace_import') {
      const id = namedChildren(c)[0];
      if (id) scope.vars.set(it.text(id), value('*'));
    } else if (c.type === 'named_imports') {
      for (const spec of namedChildren(c)) {
        const name = field(spec, 'name');
        const alias = field(spec, 'alias') ?? name;
        if (name && alias) scope.vars.set(it.text(alias), value(it.text(name)));
      }
    }
  }
}

/** Reads the module once per read; a string says why it could not be (reported at the import). */
function loadJsModule(it: JsInterpreter, file: string, at: SyntaxNode): JsModule | string {
  const cached = it.importedModules.get(file);
  if (cached) return cached;
  if (it.importDepth >= it.limits.maxImportDepth) {
    const why = `imports nest deeper than ${it.limits.maxImportDepth} files (the limit); ${path.basename(file)} was not read`;
    it.limitWarning(why, at);
    return why;
  }
  const load = it.modules!.load(file, languageOf(file)!);
  if (!load.ok) {
    it.limitWarning(`cannot follow this import: ${load.reason}`, at);
    return load.reason;
  }
  const exports = new JsObject();
  const module = new JsObject(new Map([['exports', exports]]));
  const m: JsModule = { exports, module, loading: true };
  it.importedModules.set(file, m);
  const scope = new JsScope(null);
  scope.vars.set('tf', new JsExtern('tf'));
  scope.vars.set('module', module);
  scope.vars.set('exports', exports);
  it.importDepth++;
  try {
    it.runModule(load.parsed.root, scope);
  } finally {
    it.importDepth--;
    collectExports(it, load.parsed.root, scope, exports);
    m.loading = false;
  }
  return m;
}

/** ES exports of a module's top level, read from its scope once it has run. */
function collectExports(it: JsInterpreter, root: SyntaxNode, scope: JsScope, exports: JsObject): void {
  for (const s of root.children) {
    if (s.type !== 'export_statement') continue;
    const decl = field(s, 'declaration');
    const value = field(s, 'value');
    if (decl) {
      for (const name of declaredNames(it, decl)) exports.props.set(name, scope.lookup(name).value);
      if (s.children.some((c) => c.type === 'default') && decl.type !== 'lexical_declaration') exports.props.set('default', scope.lookup(declaredNames(it, decl)[0] ?? '').value);
    } else if (value) {
      // `export default expr`: read again in the module scope (a name or a literal; the reader evaluates it).
      exports.props.set('default', it.eval(value, scope));
    } else {
      const clause = s.children.find((c) => c.type === 'export_clause');
      for (const spec of clause ? namedChildren(clause) : []) {
        const name = field(spec, 'name');
        const alias = field(spec, 'alias') ?? name;
        if (name && alias) exports.props.set(it.text(alias), scope.lookup(it.text(name)).value);
      }
    }
  }
}

function declaredNames(it: JsInterpreter, decl: SyntaxNode): string[] {
  if (decl.type === 'lexical_declaration' || decl.type === 'variable_declaration') {
    return namedChildren(decl).filter((d) => d.type === 'variable_declarator' && field(d, 'name')?.type === 'identifier').map((d) => it.text(field(d, 'name')!));
  }
  const name = field(decl, 'name');
  return name ? [it.text(name)] : [];
}
