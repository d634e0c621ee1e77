/**
 * TensorFlow.js models in TypeScript / JavaScript: `tf.sequential` + `model.add(tf.layers.*)`, `tf.input` +
 * `layer.apply(...)`, `tf.layers.add` / `concatenate`, `tf.model({inputs, outputs})`. Like the Python reader it
 * is a small abstract interpreter (constants, arithmetic, template strings, functions with default
 * parameters, for/for-of loops) that never runs the code.
 */
import type { Shape } from '../shape';
import type { SourceLocation } from '../spec';
import { field, namedChildren, textOf, type ParsedSource, type SyntaxNode } from './syntax';
import { LimitError, Trace, type TensorRef } from './trace';
import { TFJS_LAYERS, translateKeras, type Plain } from './layers';
import { blockType, kerasSnake } from './python';
import { commentInputs, inputFromDims, locate, type CommentInput } from './common';
import type { BuildOutcome, FoundModel, InputOrigin, ReaderLimits, SourceDiagnostic } from './types';

class JsUnknown {
  constructor(readonly reason: string) {}
}
class JsArray {
  constructor(readonly items: JsValue[]) {}
}
class JsObject {
  constructor(readonly props: Map<string, JsValue> = new Map()) {}
}
class JsExtern {
  constructor(readonly path: string) {}
}
class JsFunction {
  constructor(
    readonly name: string,
    readonly node: SyntaxNode,
    readonly params: { name: string | null; pattern: SyntaxNode; default: SyntaxNode | null; rest: boolean }[],
    readonly closure: JsScope,
    readonly topLevel: boolean,
  ) {}
}
class JsBuiltin {
  constructor(readonly fn: (args: JsValue[], node: SyntaxNode) => JsValue) {}
}
class JsExample {
  constructor(readonly dims: number[]) {}
}
class TfLayer {
  readonly uses = new WeakMap<Trace, { count: number; first: string }>();
  constructor(
    readonly cls: string,
    readonly factory: string,
    readonly config: Map<string, Plain>,
    readonly source: SourceLocation,
  ) {}
}
class TfSequential {
  inputShape: Shape | null = null;
  constructor(
    readonly layers: JsValue[],
    readonly name: string | null,
    readonly source: SourceLocation,
  ) {}
}
class TfFunctional {
  constructor(
    readonly trace: Trace,
    readonly outputs: TensorRef[],
    readonly source: SourceLocation,
  ) {}
}

type JsValue =
  | number
  | string
  | boolean
  | null
  | undefined
  | JsUnknown
  | JsArray
  | JsObject
  | JsExtern
  | JsFunction
  | JsBuiltin
  | JsExample
  | TfLayer
  | TfSequential
  | TfFunctional
  | TensorRef;

const isTensor = (v: JsValue): v is TensorRef => typeof v === 'object' && v !== null && (v as TensorRef).kind === 'tensor';
const isModel = (v: JsValue): v is TfSequential | TfFunctional => v instanceof TfSequential || v instanceof TfFunctional;

class JsScope {
  readonly vars = new Map<string, JsValue>();
  constructor(readonly parent: JsScope | null) {}
  lookup(name: string): { found: boolean; value: JsValue } {
    for (let s: JsScope | null = this; s; s = s.parent) if (s.vars.has(name)) return { found: true, value: s.vars.get(name) };
    return { found: false, value: undefined };
  }
  set(name: string, value: JsValue): void {
    for (let s: JsScope | null = this; s; s = s.parent) {
      if (s.vars.has(name)) {
        s.vars.set(name, value);
        return;
      }
    }
    this.vars.set(name, value);
  }
}

class Return {
  constructor(readonly value: JsValue) {}
}
class Break {}
class Continue {}
class Unsupported extends Error {}

const TF_MODULES = new Set(['@tensorflow/tfjs', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-layers']);

class JsInterpreter {
  private steps = 0;
  private depth = 0;
  diagnostics: SourceDiagnostic[] = [];
  private readonly seen = new Set<string>();
  readonly globals = new JsScope(null);
  readonly definitions: { name: string; node: SyntaxNode; fn: JsFunction }[] = [];
  readonly assignments: { name: string; value: JsValue; node: SyntaxNode }[] = [];
  readonly runs: { model: JsValue; dims: number[] | null }[] = [];

  constructor(
    private readonly source: ParsedSource,
    private readonly file: string,
    private readonly limits: ReaderLimits,
  ) {
    this.globals.vars.set('tf', new JsExtern('tf'));
  }

  resetBudget(): void {
    this.steps = 0;
    this.depth = 0;
  }

  get maxLayers(): number {
    return this.limits.maxLayers;
  }

  private text(n: SyntaxNode): string {
    return textOf(this.source, n);
  }

  private tick(n: SyntaxNode): void {
    if (++this.steps > this.limits.maxSteps) throw new LimitError(`stopped reading after ${this.limits.maxSteps} evaluation steps`, locate(n, this.file));
  }

  report(message: string, n: SyntaxNode | SourceLocation): void {
    const source = 'type' in n ? locate(n, this.file) : n;
    const key = `${message}|${source.line}|${source.column}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.diagnostics.push({ severity: 'info', code: 'unsupported', message, source });
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
        else throw e;
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
        if (cond === null) this.report(`could not evaluate the condition ${this.text(field(s, 'condition')!)}; read the first branch`, field(s, 'condition')!);
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
          const c = this.truthy(this.eval(field(s, 'condition')!, scope));
          if (c === null) throw new Unsupported('could not evaluate the while condition; the loop was not read');
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
      case 'throw_statement':
        throw new Return(new JsUnknown('threw'));
      case 'class_declaration':
        throw new Unsupported('classes are not read in TypeScript/JavaScript files');
      default:
        throw new Unsupported(`${s.type.replace(/_/g, ' ')} is not read`);
    }
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
    if (init) this.exec(init.type.endsWith('declaration') ? init : { ...init, type: init.type === 'expression_statement' ? init.type : 'expression_statement', children: [init] }, loopScope, false);
    const cond = field(s, 'condition');
    const inc = field(s, 'increment');
    for (let i = 0; ; i++) {
      if (i >= this.limits.maxLoopIterations) throw new LimitError(`a loop of more than ${this.limits.maxLoopIterations} iterations`, locate(s, this.file));
      if (cond) {
        const condExpr = cond.type === 'expression_statement' ? namedChildren(cond)[0] : cond;
        if (condExpr) {
          const c = this.truthy(this.eval(condExpr, loopScope));
          if (c === null) throw new Unsupported('could not evaluate the loop condition; the loop was not read');
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
    if (!items) throw new Unsupported(`could not tell what ${this.text(field(s, 'right')!)} iterates over; the loop was not read`);
    const left = field(s, 'left')!;
    for (const item of items) {
      this.tick(s);
      const loopScope = new JsScope(scope);
      this.bind(left, item, loopScope);
      if (this.loopBody(field(s, 'body')!, loopScope)) return;
    }
  }

  private execImport(s: SyntaxNode, scope: JsScope): void {
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

  private makeFunction(node: SyntaxNode, scope: JsScope, top: boolean): JsFunction {
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
    if (tensor) return tensor.trace.withHelperBlock(fn.name, blockType(fn.name, fn.node, this.source), () => this.runBody(fn, scope));
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
    this.tick(n);
    switch (n.type) {
      case 'identifier': {
        const name = this.text(n);
        if (name === 'undefined') return undefined;
        const r = scope.lookup(name);
        if (r.found) return r.value;
        if (name === 'Math') return new JsExtern('Math');
        return new JsUnknown(`${name} is not defined in this file`);
      }
      case 'number':
        return Number(this.text(n).replace(/_/g, ''));
      case 'string':
        return this.text(n).slice(1, -1).replace(/\\(.)/g, '$1');
      case 'template_string': {
        let out = '';
        for (const c of n.children) {
          if (c.type === 'string_fragment') out += this.text(c);
          else if (c.type === 'template_substitution') {
            const v = this.eval(namedChildren(c)[0]!, scope);
            if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return new JsUnknown('template');
            out += String(v);
          }
        }
        return out;
      }
      case 'true':
        return true;
      case 'false':
        return false;
      case 'null':
        return null;
      case 'undefined':
        return undefined;
      case 'parenthesized_expression':
      case 'as_expression':
      case 'satisfies_expression':
      case 'non_null_expression':
      case 'type_assertion':
      case 'await_expression':
        return this.eval(namedChildren(n).find((c) => !c.type.includes('type')) ?? namedChildren(n)[0]!, scope);
      case 'array': {
        const items: JsValue[] = [];
        for (const c of namedChildren(n)) {
          if (c.type === 'spread_element') {
            const v = this.eval(namedChildren(c)[0]!, scope);
            if (v instanceof JsArray) items.push(...v.items);
            else items.push(new JsUnknown('spread'));
          } else items.push(this.eval(c, scope));
        }
        return new JsArray(items);
      }
      case 'object': {
        const o = new JsObject();
        for (const c of namedChildren(n)) {
          if (c.type === 'pair') {
            const keyNode = field(c, 'key')!;
            const key = keyNode.type === 'string' ? this.text(keyNode).slice(1, -1) : keyNode.type === 'computed_property_name' ? String(this.eval(namedChildren(keyNode)[0]!, scope)) : this.text(keyNode);
            o.props.set(key, this.eval(field(c, 'value')!, scope));
          } else if (c.type === 'shorthand_property_identifier') {
            o.props.set(this.text(c), this.eval({ ...c, type: 'identifier' }, scope));
          } else if (c.type === 'spread_element') {
            const v = this.eval(namedChildren(c)[0]!, scope);
            if (v instanceof JsObject) for (const [k, x] of v.props) o.props.set(k, x);
          }
        }
        return o;
      }
      case 'binary_expression':
        return this.binary(this.text(field(n, 'operator')!), field(n, 'left')!, field(n, 'right')!, scope, n);
      case 'unary_expression': {
        const op = this.text(field(n, 'operator')!);
        const v = this.eval(field(n, 'argument')!, scope);
        if (op === '!') {
          const t = this.truthy(v);
          return t === null ? new JsUnknown('!') : !t;
        }
        if (op === '-' && typeof v === 'number') return -v;
        if (op === '+' && typeof v === 'number') return v;
        if (op === 'typeof') return typeof v === 'object' ? 'object' : typeof v;
        return new JsUnknown(op);
      }
      case 'ternary_expression': {
        const c = this.truthy(this.eval(field(n, 'condition')!, scope));
        if (c === null) return new JsUnknown('condition');
        return this.eval(field(n, c ? 'consequence' : 'alternative')!, scope);
      }
      case 'member_expression': {
        const obj = this.eval(field(n, 'object')!, scope);
        return this.member(obj, this.text(field(n, 'property')!), n);
      }
      case 'subscript_expression': {
        const obj = this.eval(field(n, 'object')!, scope);
        const idx = this.eval(field(n, 'index')!, scope);
        if (obj instanceof JsArray && typeof idx === 'number') return obj.items[idx < 0 ? NaN : idx];
        if (obj instanceof JsObject && (typeof idx === 'string' || typeof idx === 'number')) return obj.props.get(String(idx));
        return new JsUnknown('index');
      }
      case 'call_expression':
        return this.call(n, scope);
      case 'new_expression':
        return new JsUnknown('new');
      case 'arrow_function':
      case 'function_expression':
      case 'function':
        return this.makeFunction(n, scope, false);
      case 'assignment_expression': {
        const v = this.eval(field(n, 'right')!, scope);
        this.assignTo(field(n, 'left')!, v, scope);
        return v;
      }
      case 'augmented_assignment_expression': {
        const op = this.text(field(n, 'operator')!).slice(0, -1);
        const left = field(n, 'left')!;
        const v = this.arith(op, this.eval(left, scope), this.eval(field(n, 'right')!, scope));
        this.assignTo(left, v, scope);
        return v;
      }
      case 'update_expression': {
        const arg = field(n, 'argument')!;
        const v = this.eval(arg, scope);
        if (typeof v !== 'number') return new JsUnknown('++');
        const op = this.text(field(n, 'operator')!);
        const next = op === '++' ? v + 1 : v - 1;
        this.assignTo(arg, next, scope);
        return n.children[0]?.field === 'operator' ? next : v;
      }
      case 'sequence_expression': {
        let last: JsValue = undefined;
        for (const c of namedChildren(n)) last = this.eval(c, scope);
        return last;
      }
      default:
        throw new Unsupported(`${n.type.replace(/_/g, ' ')} is not read`);
    }
  }

  private assignTo(target: SyntaxNode, v: JsValue, scope: JsScope): void {
    if (target.type === 'identifier') scope.set(this.text(target), v);
    else if (target.type === 'member_expression') {
      const obj = this.eval(field(target, 'object')!, scope);
      if (obj instanceof JsObject) obj.props.set(this.text(field(target, 'property')!), v);
    } else if (target.type === 'subscript_expression') {
      const obj = this.eval(field(target, 'object')!, scope);
      const idx = this.eval(field(target, 'index')!, scope);
      if (obj instanceof JsArray && typeof idx === 'number') obj.items[idx] = v;
      else if (obj instanceof JsObject && (typeof idx === 'string' || typeof idx === 'number')) obj.props.set(String(idx), v);
    }
  }

  private binary(op: string, l: SyntaxNode, r: SyntaxNode, scope: JsScope, n: SyntaxNode): JsValue {
    if (op === '&&' || op === '||' || op === '??') {
      const a = this.eval(l, scope);
      if (op === '??') return a === null || a === undefined ? this.eval(r, scope) : a;
      const t = this.truthy(a);
      if (t === null) return new JsUnknown(op);
      return (op === '&&') === t ? this.eval(r, scope) : a;
    }
    const a = this.eval(l, scope);
    const b = this.eval(r, scope);
    void n;
    return this.arith(op, a, b);
  }

  private arith(op: string, a: JsValue, b: JsValue): JsValue {
    if (typeof a === 'number' && typeof b === 'number') {
      switch (op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return a / b;
        case '%': return a % b;
        case '**': return a ** b;
        case '<': return a < b;
        case '>': return a > b;
        case '<=': return a <= b;
        case '>=': return a >= b;
        case '==': case '===': return a === b;
        case '!=': case '!==': return a !== b;
        case '<<': return a << b;
        case '>>': return a >> b;
        case '&': return a & b;
        case '|': return a | b;
        default: return new JsUnknown(op);
      }
    }
    if (op === '+' && (typeof a === 'string' || typeof b === 'string') && isPrimitive(a) && isPrimitive(b)) return String(a) + String(b);
    if ((op === '===' || op === '==' || op === '!==' || op === '!=') && isPrimitive(a) && isPrimitive(b)) return (a === b) === (op === '===' || op === '==');
    return new JsUnknown(op);
  }

  private member(obj: JsValue, prop: string, n: SyntaxNode): JsValue {
    if (obj instanceof JsExtern) return new JsExtern(`${obj.path}.${prop}`);
    if (obj instanceof JsObject) return obj.props.get(prop);
    if (obj instanceof JsArray) {
      if (prop === 'length') return obj.items.length;
      if (prop === 'push') return new JsBuiltin((args) => { obj.items.push(...args); return obj.items.length; });
      if (prop === 'map') return new JsBuiltin((args, node) => { const f = args[0]; return f instanceof JsFunction ? new JsArray(obj.items.map((x, i) => this.callFunction(f, [x, i], node))) : new JsUnknown('map'); });
      if (prop === 'forEach') return new JsBuiltin((args, node) => { const f = args[0]; if (f instanceof JsFunction) obj.items.forEach((x, i) => this.callFunction(f, [x, i], node)); return undefined; });
      return new JsUnknown(`array.${prop}`);
    }
    if (obj instanceof TfSequential) {
      if (prop === 'add') {
        return new JsBuiltin(([layer]) => {
          if (obj.layers.length >= this.limits.maxLayers) throw new LimitError('too many layers');
          obj.layers.push(layer);
          return undefined;
        });
      }
      if (['summary', 'compile', 'fit', 'fitDataset', 'predict', 'evaluate', 'save'].includes(prop)) {
        return new JsBuiltin(([x]) => {
          this.runs.push({ model: obj, dims: x instanceof JsExample ? x.dims : null });
          return new JsUnknown(prop);
        });
      }
      if (prop === 'layers') return new JsArray([...obj.layers]);
      return new JsUnknown(`model.${prop}`);
    }
    if (obj instanceof TfFunctional) {
      if (['summary', 'compile', 'fit', 'fitDataset', 'predict', 'evaluate', 'save'].includes(prop)) {
        return new JsBuiltin(([x]) => {
          this.runs.push({ model: obj, dims: x instanceof JsExample ? x.dims : null });
          return new JsUnknown(prop);
        });
      }
      return new JsUnknown(`model.${prop}`);
    }
    if (obj instanceof TfLayer) {
      if (prop === 'apply') return new JsBuiltin(([x], node) => this.applyLayer(obj, x, node));
      return new JsUnknown(`layer.${prop}`);
    }
    if (isTensor(obj)) return new JsBuiltin((_a, node) => this.opaque(obj, `tensor.${prop}()`, node));
    if (obj instanceof JsExample) return prop === 'shape' ? new JsArray(obj.dims) : new JsUnknown(prop);
    void n;
    return new JsUnknown(`.${prop}`);
  }

  private call(n: SyntaxNode, scope: JsScope): JsValue {
    const fnNode = field(n, 'function')!;
    if (fnNode.type === 'identifier' && this.text(fnNode) === 'require' && !scope.lookup('require').found) {
      const arg = namedChildren(field(n, 'arguments')!)[0];
      const module = arg?.type === 'string' ? this.text(arg).slice(1, -1) : '';
      return TF_MODULES.has(module) ? new JsExtern('tf') : new JsUnknown(`require('${module}')`);
    }
    const callee = this.eval(fnNode, scope);
    const args: JsValue[] = [];
    const argsNode = field(n, 'arguments');
    for (const a of argsNode ? namedChildren(argsNode) : []) {
      if (a.type === 'spread_element') {
        const v = this.eval(namedChildren(a)[0]!, scope);
        if (v instanceof JsArray) args.push(...v.items);
        else args.push(new JsUnknown('spread'));
      } else args.push(this.eval(a, scope));
    }
    this.tick(n);
    const result = this.callValue(callee, args, n, fnNode);
    if (isTensor(result)) result.trace.site(locate(n, this.file), result);
    return result;
  }

  private callValue(callee: JsValue, args: JsValue[], n: SyntaxNode, fnNode: SyntaxNode): JsValue {
    if (callee instanceof JsFunction) return this.callFunction(callee, args, n);
    if (callee instanceof JsBuiltin) return callee.fn(args, n);
    if (callee instanceof JsExtern) return this.callTf(callee.path, args, n);
    const t = args.find(isTensor);
    if (t) return this.opaque(t, `a call of ${this.text(fnNode)}`, n);
    return new JsUnknown('call');
  }

  private callTf(path: string, args: JsValue[], n: SyntaxNode): JsValue {
    const parts = path.split('.');
    const last = parts[parts.length - 1]!;
    if (parts[0] === 'Math') {
      const nums = args.filter((a): a is number => typeof a === 'number');
      const f = (Math as unknown as Record<string, unknown>)[last];
      return typeof f === 'function' && nums.length === args.length ? ((f as (...v: number[]) => number)(...nums)) : new JsUnknown(path);
    }
    if (path === 'tf.sequential') {
      const config = args[0];
      const layers = config instanceof JsObject ? config.props.get('layers') : undefined;
      const name = config instanceof JsObject ? config.props.get('name') : undefined;
      return new TfSequential(layers instanceof JsArray ? [...layers.items] : [], typeof name === 'string' ? name : null, locate(n, this.file));
    }
    if (path === 'tf.input' || path === 'tf.layers.input') {
      const config = args[0];
      const shape = config instanceof JsObject ? (config.props.get('shape') ?? sliceBatch(config.props.get('batchShape'))) : undefined;
      const dims = shape instanceof JsArray ? shape.items.map((d) => (typeof d === 'number' ? d : null)) : null;
      if (!dims) throw new Unsupported('could not evaluate the input shape');
      const known = dims.length === 3 && dims.every((d) => d !== null) ? (dims as number[]) : null;
      if (dims.length !== 3) this.report(`input shape [${dims.join(', ')}] is not an image (height, width, channels); only image models are analysed`, n);
      return new Trace('tfjs', known, known ? 'code' : null, this.limits.maxLayers, locate(n, this.file)).inputTensor;
    }
    if (path === 'tf.model') {
      const config = args[0];
      if (!(config instanceof JsObject)) throw new Unsupported('tf.model(...) without a config object');
      const ins = config.props.get('inputs');
      const outs = config.props.get('outputs');
      const inT = isTensor(ins) ? [ins] : ins instanceof JsArray ? ins.items.filter(isTensor) : [];
      const outT = isTensor(outs) ? [outs] : outs instanceof JsArray ? outs.items.filter(isTensor) : [];
      if (inT.length === 0 || outT.length === 0) throw new Unsupported('tf.model(...) whose inputs/outputs the reader could not follow');
      return new TfFunctional(inT[0]!.trace, outT.filter((t) => t.trace === inT[0]!.trace), locate(n, this.file));
    }
    if (parts[0] === 'tf' && parts[1] === 'layers' && parts.length === 3) {
      const cls = TFJS_LAYERS[last];
      const config = args[0];
      const props = new Map<string, Plain>();
      if (config instanceof JsObject) for (const [k, v] of config.props) props.set(k, toPlain(v));
      return new TfLayer(cls ?? last, last, props, locate(n, this.file));
    }
    if (['tf.zeros', 'tf.ones', 'tf.randomNormal', 'tf.randomUniform', 'tf.truncatedNormal'].includes(path)) {
      const shape = args[0];
      return new JsExample(shape instanceof JsArray && shape.items.every((d) => typeof d === 'number') ? (shape.items as number[]) : []);
    }
    if (path === 'tf.tidy') {
      const f = args[0];
      return f instanceof JsFunction ? this.callFunction(f, [], n) : new JsUnknown('tidy');
    }
    const t = args.find(isTensor);
    if (t) return this.opaque(t, `${path}()`, n);
    return new JsUnknown(path);
  }

  private opaque(t: TensorRef, what: string, n: SyntaxNode): TensorRef {
    const text = this.text(n).replace(/\s+/g, ' ');
    const short = text.length > 60 ? `${text.slice(0, 57)}…` : text;
    this.report(`${what} (${short}) is not translated; shapes after it are unknown`, n);
    return t.trace.emit({ name: t.trace.autoName('op'), sourceType: short, source: locate(n, this.file) }, { parts: [{ type: `unsupported: ${short}`, args: {} }], rank: null, channels: null }, [t]);
  }

  applyLayer(layer: TfLayer, x: JsValue, n: SyntaxNode): JsValue {
    const inputs = isTensor(x) ? [x] : x instanceof JsArray ? x.items.filter(isTensor) : [];
    if (inputs.length === 0) return new JsUnknown('apply');
    const trace = inputs[0]!.trace;
    const keywords = new Map(layer.config);
    let translated = translateKeras(layer.cls, { positional: [], keywords }, inputs, 'tfjs');
    if ('unsupported' in translated) {
      this.report(`tf.layers.${layer.factory}: ${translated.unsupported} is not supported yet; shapes after it are unknown`, layer.source);
      translated = { parts: [{ type: `tf.layers.${layer.factory}`, args: {} }], rank: null, channels: null };
    }
    const use = layer.uses.get(trace);
    const explicit = layer.config.get('name');
    const name = use?.first ?? (typeof explicit === 'string' ? explicit : trace.autoName(kerasSnake(layer.cls)));
    const count = (use?.count ?? 0) + 1;
    const out = trace.emit({ name, sourceType: `tf.layers.${layer.factory}`, source: layer.source, use: count, sharesWeightsWith: count > 1 ? (use?.first ?? null) : null }, translated, inputs);
    if (use) use.count = count;
    else layer.uses.set(trace, { count: 1, first: trace.calls[trace.calls.length - 1]!.name });
    void n;
    return out;
  }
}

function isPrimitive(v: JsValue): v is number | string | boolean | null | undefined {
  return v === null || v === undefined || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
}

function sliceBatch(v: JsValue): JsValue {
  return v instanceof JsArray ? new JsArray(v.items.slice(1)) : v;
}

function toPlain(v: JsValue): Plain {
  if (v === undefined) return null;
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof JsArray) return v.items.map(toPlain);
  if (v instanceof JsExtern) return { ref: v.path };
  if (v instanceof JsUnknown) return { unknown: v.reason };
  return { unknown: 'a value the reader cannot pass to a layer' };
}

// ------------------------------------------------------------------------------------------------ reader

interface Candidate {
  key: string;
  name: string;
  origin: FoundModel['origin'];
  node: SyntaxNode;
  value: TfSequential | TfFunctional;
  run: number;
  example: number[] | null;
}

export function readJavaScript(parsed: ParsedSource, file: string, limits: ReaderLimits, diagnostics: SourceDiagnostic[]): { models: FoundModel[]; defaultModel: FoundModel | null } {
  const it = new JsInterpreter(parsed, file, limits);
  try {
    it.runProgram(parsed.root);
  } catch (e) {
    if (e instanceof LimitError) diagnostics.push({ severity: 'warning', code: 'limit', message: e.message, source: e.source ?? { file, line: 1, column: 1 } });
    else if (!(e instanceof Return)) throw e;
  }
  const candidates: Candidate[] = [];
  const byValue = new Map<object, Candidate>();
  for (const def of it.definitions) {
    if (it.requiredParams(def.fn) > 0 || /^(main|train|run|fit|predict|load|save|plot|show|test)/i.test(def.name)) continue;
    let v: JsValue;
    try {
      it.resetBudget();
      v = it.callFunction(def.fn, [], def.node);
    } catch (e) {
      if (e instanceof LimitError || e instanceof Unsupported) continue;
      throw e;
    }
    if (isModel(v)) {
      const c: Candidate = { key: `function:${def.name}`, name: def.name, origin: 'function', node: def.node, value: v, run: -1, example: null };
      candidates.push(c);
      byValue.set(v, c);
    }
  }
  for (const d of it.beginDiagnostics()) diagnostics.push(d);
  for (const a of it.assignments) {
    if (!isModel(a.value) || byValue.has(a.value)) continue;
    // A model made by calling a factory function belongs to that function.
    const factory = candidates.find((c) => c.origin === 'function' && a.node.type !== 'function_declaration' && new RegExp(`\\b${c.name}\\s*\\(`).test(textOf(parsed, a.node)));
    if (factory) {
      byValue.set(a.value, factory);
      continue;
    }
    const c: Candidate = { key: `variable:${a.name}`, name: a.name, origin: 'variable', node: a.node, value: a.value, run: -1, example: null };
    candidates.push(c);
    byValue.set(a.value, c);
  }
  it.runs.forEach((r, i) => {
    const c = typeof r.model === 'object' && r.model !== null ? byValue.get(r.model) : undefined;
    if (c) {
      c.run = i;
      if (r.dims) c.example = r.dims;
    }
  });
  candidates.sort((a, b) => a.node.startIndex - b.node.startIndex);
  const comments = commentInputs(parsed.text, file);
  const models: FoundModel[] = [];
  for (const c of candidates) {
    const comment = comments.find((x) => x.line >= c.node.startRow - 1 && x.line <= c.node.endRow) ?? comments.find((x) => x.fileWide) ?? null;
    const cache = new Map<string, BuildOutcome>();
    const build = (input?: Shape): BuildOutcome => {
      const key = input ? input.join(',') : '';
      let o = cache.get(key);
      if (!o) {
        o = buildJs(it, c, input ?? null, comment, file);
        cache.set(key, o);
      }
      return o;
    };
    const first = build();
    for (const d of first.kind === 'built' ? first.model.diagnostics : first.kind === 'failed' ? first.diagnostics : []) diagnostics.push({ ...d, model: c.name });
    if (first.kind === 'input-needed') diagnostics.push({ severity: 'info', code: 'input-needed', message: first.message, source: first.source, model: c.name });
    models.push({
      name: c.name,
      framework: 'tfjs',
      source: locate(c.node, file),
      origin: c.origin,
      isDefault: false,
      input: first.kind === 'built' ? first.model.spec.input : null,
      inputOrigin: first.kind === 'built' ? first.model.inputOrigin : null,
      build,
    });
  }
  let best = -1;
  candidates.forEach((c, i) => {
    if (c.run >= 0 && (best < 0 || c.run > candidates[best]!.run)) best = i;
  });
  if (best < 0) best = candidates.length - 1;
  const defaultModel = models[best] ?? null;
  if (defaultModel) defaultModel.isDefault = true;
  return { models, defaultModel };
}

function buildJs(it: JsInterpreter, c: Candidate, override: Shape | null, comment: CommentInput | null, file: string): BuildOutcome {
  it.resetBudget();
  const before = it.beginDiagnostics();
  try {
    let input: Shape | null = override;
    let origin: InputOrigin | null = override ? 'given' : null;
    const pick = (s: Shape | null, o: InputOrigin): void => {
      if (input === null && s !== null) {
        input = s;
        origin = o;
      }
    };
    let trace: Trace;
    let outputs: string[] | null = null;
    if (c.value instanceof TfFunctional) {
      pick(c.value.trace.input, 'code');
      trace = c.value.trace;
      outputs = c.value.outputs.map((o) => o.name);
    } else {
      const first = c.value.layers[0];
      if (first instanceof TfLayer) {
        const batch = first.config.get('batchInputShape');
        const shape = first.config.get('inputShape') ?? (Array.isArray(batch) ? batch.slice(1) : undefined);
        if (Array.isArray(shape) && shape.length === 3 && shape.every((d) => typeof d === 'number')) pick(shape as number[], 'code');
      }
    }
    pick(c.example ? inputFromDims(c.example, 'tfjs') : null, 'example');
    pick(comment ? inputFromDims(comment.dims, 'tfjs') : null, 'comment');
    if (c.value instanceof TfSequential) {
      trace = new Trace('tfjs', input, origin, it.maxLayers, null);
      let x: JsValue = trace.inputTensor;
      for (const layer of c.value.layers) {
        if (layer instanceof TfLayer) x = it.applyLayer(layer, x, c.node);
        else if (isTensor(x)) it.report('a layer the reader could not evaluate was added; shapes after it are unknown', c.value.source);
      }
    }
    const source = locate(c.node, file);
    const diagnostics = it.diagnostics;
    if (input === null) {
      return { kind: 'input-needed', model: c.name, framework: 'tfjs', message: `${c.name} does not state its input shape; give the first layer inputShape: [H, W, C] or start from tf.input({shape: [H, W, C]})`, source, diagnostics };
    }
    const { spec, calls, declared, sites } = trace!.toSpec(c.name, input, outputs, source);
    return { kind: 'built', model: { spec, calls, declaredSizes: declared, sites, inputOrigin: origin ?? 'given', diagnostics } };
  } catch (e) {
    if (e instanceof LimitError) return { kind: 'failed', model: c.name, message: e.message, diagnostics: [...it.diagnostics] };
    const message = e instanceof Error ? `internal error: ${e.message}` : 'its code threw';
    return { kind: 'failed', model: c.name, message: `${c.name}: ${message}`, diagnostics: [...it.diagnostics] };
  } finally {
    it.diagnostics = before;
  }
}
