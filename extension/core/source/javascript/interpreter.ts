/**
 * A small abstract interpreter for TensorFlow.js model code: constants, arithmetic, template strings,
 * functions with default parameters, for/for-of loops. It never runs the code. This class holds the state of
 * one read and executes statements; expressions and the tf.* API live in the modules next to it.
 */
import type { SourceLocation } from '../../spec';
import { field, namedChildren, textOf, type ParsedSource, type SyntaxNode } from '../syntax';
import type { Shape } from '../../shape';
import type { TfModule } from '../../tfjs/loadTf';
import { LimitError, Trace } from '../trace';
import { blockType } from '../naming';
import { diagnosticKey, locate, shortText } from '../common';
import { skipUnknownJsRegion } from './unknownRegion';
import { UNKNOWN_WORDING } from '../unknownRegion';
import type { ReaderLimits, SourceDiagnostic } from '../types';
import { Break, Continue, isModel, isTensor, JsArray, JsExtern, JsFunction, JsObject, JsScope, JsUnknown, Return, TF_MODULES, Unsupported, type JsValue, type TfLayer } from './values';
import { evaluate } from './expressions';
import { applyLayer } from './tfjs';
import { followJsImport, type JsModule } from './imports';
import type { ModuleFiles } from '../moduleFiles';

export class JsInterpreter {
  private steps = 0;
  private depth = 0;
  diagnostics: SourceDiagnostic[] = [];
  private readonly seen = new Set<string>();
  readonly globals = new JsScope(null);
  readonly definitions: { name: string; node: SyntaxNode; fn: JsFunction }[] = [];
  readonly assignments: { name: string; value: JsValue; node: SyntaxNode }[] = [];
  readonly runs: { model: JsValue; dims: number[] | null }[] = [];


  /** `inputOverride` (engine order, no batch, same rank) replaces the shape of `tf.input` inputs: a read at another input size. */
  constructor(
    private readonly source: ParsedSource,
    readonly file: string,
    readonly limits: ReaderLimits,
    readonly tf: TfModule,
    readonly inputOverride: Shape | null = null,
    /** The other files imports may read; null: imports are not followed. */
    readonly modules: ModuleFiles | null = null,
  ) {
    this.globals.vars.set('tf', new JsExtern('tf'));
  }

  /** Modules read for imports in this read, by file, and how deep imports nest now. */
  readonly importedModules = new Map<string, JsModule>();
  importDepth = 0;

  /** Runs an imported module's top level in its own scope (nothing it defines is a model of the read file). */
  runModule(root: SyntaxNode, scope: JsScope): void {
    try {
      this.execBlock(root.children, scope, false);
    } catch (e) {
      if (!(e instanceof Return || e instanceof Break || e instanceof Continue)) throw e;
    }
  }

  /** A located warning that a cap stopped something. */
  limitWarning(message: string, n: SyntaxNode, at: SourceLocation | null = null): void {
    const diagnostic: SourceDiagnostic = { severity: 'warning', code: 'limit', message, source: at ?? locate(n, this.file) };
    const key = diagnosticKey(diagnostic);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.diagnostics.push(diagnostic);
  }

  /** A new model graph whose layers are applied in tfjs as the code runs. */
  newTrace(input: Shape | null): Trace {
    const trace = new Trace('tfjs', input, this.limits.maxLayers, this.tf);
    return trace;
  }

  resetBudget(): void {
    this.steps = 0;
    this.depth = 0;
  }

  text(n: SyntaxNode): string {
    return textOf(this.source, n);
  }

  tick(n: SyntaxNode): void {
    if (++this.steps > this.limits.maxSteps) throw new LimitError(`stopped reading after ${this.limits.maxSteps} evaluation steps`, locate(n, this.file));
  }

  /** A located warning that what follows is unknown (a condition the reader cannot evaluate). */
  warn(message: string, n: SyntaxNode): void {
    const diagnostic: SourceDiagnostic = { severity: 'warning', code: 'unknown', message, source: locate(n, this.file) };
    const key = diagnosticKey(diagnostic);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.diagnostics.push(diagnostic);
  }

  report(message: string, n: SyntaxNode | SourceLocation): void {
    const diagnostic: SourceDiagnostic = { severity: 'info', code: 'unsupported', message, source: 'type' in n ? locate(n, this.file) : n };
    const key = diagnosticKey(diagnostic);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.diagnostics.push(diagnostic);
  }

  beginDiagnostics(): SourceDiagnostic[] {
    const previous = this.diagnostics;
    this.diagnostics = [];
    this.seen.clear();
    return previous;
  }

  runProgram(root: SyntaxNode): void {
    this.execBlock(root.children, this.globals, true);
  }

  private execBlock(stmts: readonly SyntaxNode[], scope: JsScope, top = false): void {
    // Function declarations are hoisted.
    for (const s of stmts) {
      const decl = s.type === 'export_statement' ? field(s, 'declaration') : s;
      if (decl?.type === 'function_declaration' || decl?.type === 'generator_function_declaration') {
        const fn = this.makeFunction(decl, scope, top);
        scope.vars.set(fn.name, fn);
        if (top) this.definitions.push({ name: fn.name, node: s, fn });
      }
    }
    for (const s of stmts) {
      if (!s.named || s.type === 'comment' || s.type === 'ERROR') continue;
      try {
        this.exec(s, scope, top);
      } catch (e) {
        if (e instanceof Unsupported) this.report(e.message, s);
        else if (top && e instanceof LimitError) {
          // A cap stops only the top-level statement that hit it (as in Python): the model after it is still read,
          // and what the statement declares is unknown, never undefined.
          this.limitWarning(e.message, s, e.source);
          this.resetBudget();
          for (const name of declaredNames(s)) this.bind(name, new JsUnknown(e.message), scope);
        } else throw e;
      }
    }
  }

  private exec(s: SyntaxNode, scope: JsScope, top: boolean): void {
    this.tick(s);
    switch (s.type) {
      case 'import_statement':
        return this.execImport(s, scope);
      case 'export_statement': {
        const decl = field(s, 'declaration');
        if (decl && decl.type !== 'function_declaration') this.exec(decl, scope, top);
        return;
      }
      case 'lexical_declaration':
      case 'variable_declaration':
        for (const d of namedChildren(s)) {
          if (d.type !== 'variable_declarator') continue;
          const name = field(d, 'name')!;
          const valueNode = field(d, 'value');
          const value = valueNode ? this.eval(valueNode, scope) : undefined;
          this.bind(name, value, scope);
          if (top && name.type === 'identifier' && isModel(value)) this.assignments.push({ name: this.text(name), value, node: s });
        }
        return;
      case 'expression_statement': {
        const e = namedChildren(s)[0];
        if (!e) return;
        const value = this.eval(e, scope);
        if (top && e.type === 'assignment_expression' && isModel(value)) this.assignments.push({ name: this.text(field(e, 'left')!), value, node: s });
        return;
      }
      case 'function_declaration':
      case 'generator_function_declaration':
      case 'empty_statement':
      case 'interface_declaration':
      case 'type_alias_declaration':
      case 'enum_declaration':
      case 'ambient_declaration':
      case 'debugger_statement':
        return;
      case 'return_statement': {
        const e = namedChildren(s)[0];
        throw new Return(e ? this.eval(e, scope) : undefined);
      }
      case 'statement_block':
        return this.execBlock(s.children, new JsScope(scope));
      case 'if_statement': {
        const cond = this.truthy(this.eval(field(s, 'condition')!, scope));
        if (cond === null) {
          // Never a guess: neither branch is taken, and what they could change is unknown from here.
          const condition = field(s, 'condition')!;
          const why = UNKNOWN_WORDING.branch(shortText(this.text(condition).replace(/^\(|\)$/g, '')), 'is unknown');
          this.warn(why, condition);
          const alt = field(s, 'alternative');
          skipUnknownJsRegion(this, [field(s, 'consequence')!, ...(alt ? [alt] : [])], scope, condition, `if ${shortText(this.text(condition))}`, why);
          return;
        }
        if (cond !== false) this.exec(field(s, 'consequence')!, scope, top);
        else {
          const alt = field(s, 'alternative');
          const body = alt ? namedChildren(alt)[0] : null;
          if (body) this.exec(body, scope, top);
        }
        return;
      }
      case 'for_statement':
        return this.execFor(s, scope);
      case 'for_in_statement':
        return this.execForOf(s, scope);
      case 'while_statement': {
        for (let i = 0; ; i++) {
          if (i >= this.limits.maxLoopIterations) throw new LimitError('a while loop ran too long', locate(s, this.file));
          const condition = field(s, 'condition')!;
          const c = this.truthy(this.eval(condition, scope));
          if (c === null) return this.skipUnknownLoop([field(s, 'body')!], scope, condition, `while ${shortText(this.text(condition))}`, UNKNOWN_WORDING.loopAgain(shortText(this.text(condition).replace(/^\(|\)$/g, ''))));
          if (!c) return;
          if (this.loopBody(field(s, 'body')!, scope)) return;
        }
      }
      case 'break_statement':
        throw new Break();
      case 'continue_statement':
        throw new Continue();
      case 'try_statement': {
        const body = field(s, 'body');
        if (body) this.exec(body, scope, top);
        return;
      }
      case 'throw_statement': {
        // Reached for certain (an unknown branch is never entered), as Python's raise: what the function was
        // building is unknown from here.
        const why = UNKNOWN_WORDING.raises(shortText(this.text(s)));
        this.warn(why, s);
        throw new Return(new JsUnknown(why));
      }
      case 'class_declaration':
        throw new Unsupported('classes are not read in TypeScript/JavaScript files');
      default:
        throw new Unsupported(`${s.type.replace(/_/g, ' ')} is not read`);
    }
  }

  /** A loop the reader cannot tell runs (again): said where, and what it could change is unknown from here. */
  private skipUnknownLoop(bodies: SyntaxNode[], scope: JsScope, at: SyntaxNode, label: string, why: string): void {
    this.warn(why, at);
    skipUnknownJsRegion(this, bodies, scope, at, label, why);
  }

  /** Runs a loop body; true when the loop should stop (break). */
  private loopBody(body: SyntaxNode, scope: JsScope): boolean {
    try {
      this.exec(body, new JsScope(scope), false);
    } catch (e) {
      if (e instanceof Break) return true;
      if (e instanceof Continue) return false;
      throw e;
    }
    return false;
  }

  private execFor(s: SyntaxNode, scope: JsScope): void {
    const loopScope = new JsScope(scope);
    const init = field(s, 'initializer');
    if (init) this.exec(init.type.endsWith('declaration') ? init : { ...init, type: 'expression_statement', children: [init] }, loopScope, false);
    const cond = field(s, 'condition');
    const inc = field(s, 'increment');
    for (let i = 0; ; i++) {
      if (i >= this.limits.maxLoopIterations) throw new LimitError(`a loop of more than ${this.limits.maxLoopIterations} iterations`, locate(s, this.file));
      if (cond) {
        const condExpr = cond.type === 'expression_statement' ? namedChildren(cond)[0] : cond;
        if (condExpr) {
          const c = this.truthy(this.eval(condExpr, loopScope));
          if (c === null) return this.skipUnknownLoop([field(s, 'body')!, ...(inc ? [inc] : [])], loopScope, condExpr, `for (…; ${shortText(this.text(condExpr))}; …)`, UNKNOWN_WORDING.loopAgain(shortText(this.text(condExpr))));
          if (!c) return;
        }
      }
      if (this.loopBody(field(s, 'body')!, loopScope)) return;
      if (inc) this.eval(inc, loopScope);
    }
  }

  private execForOf(s: SyntaxNode, scope: JsScope): void {
    const right = this.eval(field(s, 'right')!, scope);
    const op = s.children.find((c) => !c.named && (c.type === 'of' || c.type === 'in'))?.type ?? 'of';
    let items: JsValue[] | null = null;
    if (right instanceof JsArray) items = op === 'of' ? right.items : right.items.map((_, i) => String(i));
    else if (right instanceof JsObject && op === 'in') items = [...right.props.keys()];
    const rightText = shortText(this.text(field(s, 'right')!));
    if (!items) return this.skipUnknownLoop([field(s, 'body')!], scope, field(s, 'right')!, `for … ${op} ${rightText}`, UNKNOWN_WORDING.iterates(rightText));
    const left = field(s, 'left')!;
    for (const item of items) {
      this.tick(s);
      const loopScope = new JsScope(scope);
      this.bind(left, item, loopScope);
      if (this.loopBody(field(s, 'body')!, loopScope)) return;
    }
  }

  private execImport(s: SyntaxNode, scope: JsScope): void {
    if (followJsImport(this, s, scope)) return;
    const src = field(s, 'source');
    const module = src ? this.text(src).slice(1, -1) : '';
    if (!TF_MODULES.has(module)) return;
    const clause = s.children.find((c) => c.type === 'import_clause');
    if (!clause) return;
    for (const c of namedChildren(clause)) {
      if (c.type === 'namespace_import' || c.type === 'identifier') {
        const id = c.type === 'identifier' ? c : namedChildren(c)[0];
        if (id) scope.vars.set(this.text(id), new JsExtern('tf'));
      } else if (c.type === 'named_imports') {
        for (const spec of namedChildren(c)) {
          const name = field(spec, 'name');
          const alias = field(spec, 'alias') ?? name;
          if (name && alias) scope.vars.set(this.text(alias), new JsExtern(`tf.${this.text(name)}`));
        }
      }
    }
  }

  private bind(pattern: SyntaxNode, value: JsValue, scope: JsScope): void {
    if (pattern.type === 'identifier' || pattern.type === 'shorthand_property_identifier_pattern') {
      scope.vars.set(this.text(pattern), value);
    } else if (pattern.type === 'array_pattern') {
      namedChildren(pattern).forEach((p, i) => this.bind(p, value instanceof JsArray ? value.items[i] : new JsUnknown('destructuring'), scope));
    } else if (pattern.type === 'object_pattern') {
      for (const p of namedChildren(pattern)) {
        if (p.type === 'shorthand_property_identifier_pattern') {
          const key = this.text(p);
          scope.vars.set(key, value instanceof JsObject ? value.props.get(key) : value instanceof JsExtern ? new JsExtern(`${value.path}.${key}`) : new JsUnknown('destructuring'));
        } else if (p.type === 'pair_pattern') {
          const key = this.text(field(p, 'key')!);
          this.bind(field(p, 'value')!, value instanceof JsObject ? value.props.get(key) : new JsUnknown('destructuring'), scope);
        } else if (p.type === 'object_assignment_pattern') {
          const left = field(p, 'left')!;
          const key = this.text(left);
          const v = value instanceof JsObject ? value.props.get(key) : undefined;
          scope.vars.set(key, v === undefined ? this.eval(field(p, 'right')!, scope) : v);
        }
      }
    } else if (pattern.type === 'assignment_pattern') {
      this.bind(field(pattern, 'left')!, value === undefined ? this.eval(field(pattern, 'right')!, scope) : value, scope);
    } else {
      throw new Unsupported(`binding ${pattern.type} is not read`);
    }
  }

  makeFunction(node: SyntaxNode, scope: JsScope, top: boolean): JsFunction {
    const nameNode = field(node, 'name');
    const params: JsFunction['params'] = [];
    const paramsNode = field(node, 'parameters') ?? field(node, 'parameter');
    if (paramsNode?.type === 'identifier') params.push({ name: this.text(paramsNode), pattern: paramsNode, default: null, rest: false });
    else {
      for (const p of paramsNode ? namedChildren(paramsNode) : []) {
        // TS: required_parameter / optional_parameter with pattern + value; JS: identifier / assignment_pattern.
        let pattern = p;
        let dflt: SyntaxNode | null = null;
        let rest = false;
        if (p.type === 'required_parameter' || p.type === 'optional_parameter') {
          pattern = field(p, 'pattern') ?? namedChildren(p)[0]!;
          dflt = field(p, 'value');
          if (p.type === 'optional_parameter' && !dflt) dflt = p; // marks "may be omitted"
        } else if (p.type === 'assignment_pattern') {
          pattern = field(p, 'left')!;
          dflt = field(p, 'right');
        }
        if (pattern.type === 'rest_pattern') {
          rest = true;
          pattern = namedChildren(pattern)[0]!;
        }
        params.push({ name: pattern.type === 'identifier' ? this.text(pattern) : null, pattern, default: dflt, rest });
      }
    }
    return new JsFunction(nameNode ? this.text(nameNode) : '<anonymous>', node, params, scope, top);
  }

  requiredParams(fn: JsFunction): number {
    return fn.params.filter((p) => !p.default && !p.rest && p.pattern.type !== 'object_pattern').length;
  }

  callFunction(fn: JsFunction, args: JsValue[], node: SyntaxNode): JsValue {
    if (this.depth >= this.limits.maxCallDepth) throw new LimitError(`calls nested deeper than ${this.limits.maxCallDepth}`, locate(node, this.file));
    const scope = new JsScope(fn.closure);
    fn.params.forEach((p, i) => {
      if (p.rest) {
        this.bind(p.pattern, new JsArray(args.slice(i)), scope);
        return;
      }
      let v = args[i];
      if (v === undefined && p.default && p.default.type !== 'optional_parameter') v = this.eval(p.default, scope);
      this.bind(p.pattern, v, scope);
    });
    const tensor = fn.name !== '<anonymous>' ? args.find(isTensor) ?? args.flatMap((a) => (a instanceof JsArray ? a.items.filter(isTensor) : []))[0] : undefined;
    if (tensor) return tensor.trace.withHelperBlock(fn.name, () => blockType(fn.name, fn.node, this.source), () => this.runBody(fn, scope));
    return this.runBody(fn, scope);
  }

  private runBody(fn: JsFunction, scope: JsScope): JsValue {
    this.depth++;
    try {
      const body = field(fn.node, 'body')!;
      if (body.type !== 'statement_block') return this.eval(body, scope);
      this.execBlock(body.children, scope);
      return undefined;
    } catch (e) {
      if (e instanceof Return) return e.value;
      throw e;
    } finally {
      this.depth--;
    }
  }

  truthy(v: JsValue): boolean | null {
    if (v instanceof JsUnknown) return null;
    if (v === null || v === undefined) return false;
    if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
    if (typeof v === 'string') return v !== '';
    if (typeof v === 'boolean') return v;
    return true;
  }

  eval(n: SyntaxNode, scope: JsScope): JsValue {
    return evaluate(this, n, scope);
  }

  applyLayer(layer: TfLayer, x: JsValue): JsValue {
    return applyLayer(this, layer, x);
  }
}

/** The names a top-level `const`/`let`/`var` declares (patterns are left alone: they stay unbound). */
function declaredNames(s: SyntaxNode): SyntaxNode[] {
  const decl = s.type === 'export_statement' ? field(s, 'declaration') : s;
  if (decl?.type !== 'lexical_declaration' && decl?.type !== 'variable_declaration') return [];
  return namedChildren(decl)
    .filter((d) => d.type === 'variable_declarator')
    .map((d) => field(d, 'name')!)
    .filter((n) => n.type === 'identifier');
}
