/**
 * A small abstract interpreter for Python model code (Keras and PyTorch). It never runs user code: it walks
 * the syntax tree, evaluates constants and simple arithmetic, binds parameters, unrolls loops over literal
 * ranges and lists, inlines function calls and class instantiations, and records every layer call on a
 * symbolic tensor into a Trace. Anything it cannot evaluate becomes an Unknown value; a tensor passed through
 * something unknown becomes the output of an "unsupported" layer, so shapes downstream are unknown, not guessed.
 */
import type { Shape } from '../shape';
import type { Framework, SourceLocation } from '../spec';
import { field, fields, namedChildren, textOf, type ParsedSource, type SyntaxNode } from './syntax';
import { LimitError, Trace, type TensorRef, type Translation } from './trace';
import {
  activationName,
  isUnknown,
  KERAS_LAYERS,
  KERAS_MERGE_FUNCTIONS,
  torchDimToAxis,
  TORCH_MODULES,
  translateKeras,
  translateTorchFunction,
  type Args,
  type Plain,
  type Translated,
} from './layers';
import type { DiagnosticCode, DiagnosticSeverity, ReaderLimits, SourceDiagnostic } from './types';

// ------------------------------------------------------------------------------------------------ values

export class Unknown {
  constructor(readonly reason: string) {}
}
export class PyList {
  /** Set when the list was passed to code the reader cannot see, which may have changed it. */
  tainted = false;
  constructor(public items: Value[]) {}
}
export class PyTuple {
  constructor(readonly items: Value[]) {}
}
export class PyDict {
  /** Set when the dict was passed to code the reader cannot see, which may have changed it. */
  tainted = false;
  constructor(readonly map: Map<string | number | boolean | null, Value> = new Map()) {}
}
export class Extern {
  constructor(readonly path: string) {}
}
export class BatchDim {}
export class ExampleInput {
  constructor(
    readonly dims: number[],
    readonly framework: 'pytorch' | 'keras',
  ) {}
}
export class Builtin {
  constructor(
    readonly name: string,
    readonly fn: (args: Value[], kwargs: Map<string, Value>, node: SyntaxNode) => Value,
  ) {}
}
interface Param {
  name: string;
  kind: 'normal' | 'star' | 'kwstar' | 'kwonly';
  default?: Value;
}
export class PyFunc {
  constructor(
    readonly name: string,
    readonly node: SyntaxNode,
    readonly params: Param[],
    readonly closure: Scope,
    readonly owner: PyClass | null,
    readonly topLevel: boolean,
  ) {}
}
export class PyClass {
  constructor(
    readonly name: string,
    readonly node: SyntaxNode,
    readonly bases: Value[],
    readonly attrs: Map<string, Value>,
    readonly kind: 'torch' | 'keras' | 'plain',
  ) {}
}
export class PyObj {
  readonly attrs = new Map<string, Value>();
  path: string | null = null;
  constructor(readonly cls: PyClass) {}
}
export class Bound {
  constructor(
    readonly self: Value,
    readonly fn: PyFunc | Builtin,
  ) {}
}
class SuperProxy {
  constructor(
    readonly cls: PyClass,
    readonly self: Value,
  ) {}
}
/** A framework layer object: a PyTorch nn.* module or a Keras layer, with its evaluated arguments. */
export class LayerObj {
  path: string | null = null;
  /** Per trace: how many times called and the first call's name. */
  readonly uses = new WeakMap<Trace, { count: number; first: string }>();
  constructor(
    readonly framework: 'pytorch' | 'keras',
    readonly cls: string,
    readonly args: Args,
    readonly source: SourceLocation,
    readonly explicitName: string | null,
  ) {}
}
/** nn.Sequential / nn.ModuleList / nn.ModuleDict. */
export class TorchContainer {
  path: string | null = null;
  constructor(
    readonly kind: 'Sequential' | 'ModuleList' | 'ModuleDict',
    readonly children: Map<string, Value>,
    readonly source: SourceLocation,
  ) {}
}
export class KerasSequential {
  inputShape: Shape | null = null;
  inputOrigin: 'code' | 'example' | null = null;
  constructor(
    readonly layers: Value[],
    readonly name: string | null,
    readonly source: SourceLocation,
  ) {}
}
export class KerasFunctional {
  constructor(
    readonly trace: Trace,
    readonly outputs: TensorRef[],
    readonly name: string | null,
    readonly source: SourceLocation,
  ) {}
}

export type Value =
  | number
  | string
  | boolean
  | null
  | Unknown
  | PyList
  | PyTuple
  | PyDict
  | Extern
  | BatchDim
  | ExampleInput
  | Builtin
  | PyFunc
  | PyClass
  | PyObj
  | Bound
  | SuperProxy
  | LayerObj
  | TorchContainer
  | KerasSequential
  | KerasFunctional
  | TensorRef;

const isTensor = (v: Value): v is TensorRef => typeof v === 'object' && v !== null && (v as TensorRef).kind === 'tensor';
const isSeq = (v: Value): v is PyList | PyTuple => v instanceof PyList || v instanceof PyTuple;

/** Model-like values the reader can turn into a spec. */
export type ModelValue = PyObj | TorchContainer | KerasSequential | KerasFunctional;
export function isModelValue(v: Value): v is ModelValue {
  return (v instanceof PyObj && v.cls.kind !== 'plain') || v instanceof TorchContainer || v instanceof KerasSequential || v instanceof KerasFunctional;
}

// ------------------------------------------------------------------------------------------------ control flow

class ReturnSignal {
  constructor(readonly value: Value) {}
}
class BreakSignal {}
class ContinueSignal {}
/** A construct the reader does not translate; reported as information, evaluation goes on with Unknown. */
class Unsupported extends Error {}

class Scope {
  readonly vars = new Map<string, Value>();
  readonly globals = new Set<string>();
  constructor(
    readonly parent: Scope | null,
    readonly kind: 'module' | 'function' | 'class',
  ) {}
  lookup(name: string): Value | undefined {
    for (let s: Scope | null = this; s; s = s.parent) {
      if (s.kind === 'class' && s !== this) continue;
      if (s.vars.has(name)) return s.vars.get(name);
    }
    return undefined;
  }
}

interface Frame {
  cls: PyClass | null;
  self: Value | undefined;
  /** Module path prefix for functional ops inside a module's forward. */
  modulePath: string | null;
}

// ------------------------------------------------------------------------------------------------ module paths

/** tensorflow.keras.layers.Conv2D → keras.layers.Conv2D; keras.models.Sequential → keras.Sequential. */
export function canonicalPath(path: string): string {
  let p = path;
  for (const [from, to] of [
    ['tensorflow.python.keras', 'keras'],
    ['tensorflow.keras', 'keras'],
    ['tf_keras', 'keras'],
    ['keras.src', 'keras'],
    ['keras.models.', 'keras.'],
    ['keras.layers.experimental.preprocessing', 'keras.layers'],
    ['keras.layers.core', 'keras.layers'],
    ['keras.layers.convolutional', 'keras.layers'],
    ['keras.layers.pooling', 'keras.layers'],
    ['keras.layers.normalization', 'keras.layers'],
    ['keras.layers.merge', 'keras.layers'],
    ['keras.engine.', 'keras.'],
    ['keras.engine.training.', 'keras.'],
    ['torch.nn.modules.', 'torch.nn.'],
  ] as const) {
    if (p === from || p.startsWith(from.endsWith('.') ? from : `${from}.`)) p = to + p.slice(from.length);
  }
  p = p.replace(/^torch\.nn\.(conv|linear|batchnorm|pooling|activation|dropout|flatten|container|padding|module|upsampling)\./, 'torch.nn.');
  return p;
}

/** Keras's automatic layer name base: Conv2D → conv2d, BatchNormalization → batch_normalization. */
export function kerasSnake(name: string): string {
  return name
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

// ------------------------------------------------------------------------------------------------ interpreter

export interface ModelRun {
  model: Value;
  /** Example input dims in the framework's order (NCHW / NHWC, or CHW for torchsummary). */
  dims: number[] | null;
  node: SyntaxNode;
}

export interface ProgramState {
  globals: Scope;
  /** Models the example code runs or summarises, in order. */
  runs: ModelRun[];
  /** Statement-level assignments at module level (and in __main__) of model values: variable → statement. */
  assignments: { name: string; value: Value; node: SyntaxNode }[];
  /** Top-level function and class definitions in order. */
  definitions: { name: string; node: SyntaxNode; value: PyFunc | PyClass }[];
  /** Model values returned by a top-level function called with no arguments: value → function name. */
  factoryResults: WeakMap<object, string>;
  /** Module instances made with no constructor arguments. */
  noArgInstances: WeakSet<object>;
}

export class PythonInterpreter {
  private steps = 0;
  private depth = 0;
  diagnostics: SourceDiagnostic[] = [];
  private readonly seen = new Set<string>();
  private readonly frames: Frame[] = [];
  /** The trace layers are recorded into when a layer is applied to a tensor of no known trace. */
  readonly state: ProgramState;
  /** Called with each user class instantiated and each user function called (to find models used by others). */
  onUse: ((what: PyClass | PyFunc) => void) | null = null;
  private atTopLevel = true;
  /** Depth of branches taken on a condition the reader could not evaluate. */
  private speculative = 0;

  constructor(
    private readonly source: ParsedSource,
    private readonly file: string,
    private readonly limits: ReaderLimits,
  ) {
    const globals = new Scope(null, 'module');
    globals.vars.set('__name__', '__main__');
    this.state = { globals, runs: [], assignments: [], definitions: [], factoryResults: new WeakMap(), noArgInstances: new WeakSet() };
  }

  resetBudget(): void {
    this.steps = 0;
    this.depth = 0;
  }

  /** Starts a fresh diagnostics list (per read and per model build) and returns the previous one. */
  beginDiagnostics(): SourceDiagnostic[] {
    const previous = this.diagnostics;
    this.diagnostics = [];
    this.seen.clear();
    return previous;
  }

  get limitsMaxLayers(): number {
    return this.limits.maxLayers;
  }

  // -------------------------------------------------------------------------------------------- helpers

  loc(node: SyntaxNode): SourceLocation {
    return { file: this.file, line: node.startRow + 1, column: node.startCol + 1, endLine: node.endRow + 1, endColumn: node.endCol + 1 };
  }

  text(node: SyntaxNode): string {
    return textOf(this.source, node);
  }

  report(severity: DiagnosticSeverity, code: DiagnosticCode, message: string, node: SyntaxNode | SourceLocation): void {
    const source = 'type' in node ? this.loc(node) : node;
    const key = `${code}|${message}|${source.line}|${source.column}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.diagnostics.push({ severity, code, message, source });
  }

  private tick(node: SyntaxNode): void {
    if (++this.steps > this.limits.maxSteps) {
      throw new LimitError(`stopped reading after ${this.limits.maxSteps} evaluation steps (the code loops or recurses too much)`, this.loc(node));
    }
  }

  private get frame(): Frame | undefined {
    return this.frames[this.frames.length - 1];
  }

  // -------------------------------------------------------------------------------------------- program

  /** Runs the module's top level: imports, definitions, constants and the example code. */
  runModule(root: SyntaxNode): void {
    this.atTopLevel = true;
    try {
      this.execBlock(root.children, this.state.globals, true);
    } catch (signal) {
      // A module-level raise (or a stray return/break) ends the module, as it would in Python.
      if (!(signal instanceof ReturnSignal || signal instanceof BreakSignal || signal instanceof ContinueSignal)) throw signal;
    }
  }

  private execBlock(statements: readonly SyntaxNode[], scope: Scope, topLevel = false): void {
    for (const stmt of statements) {
      if (!stmt.named || stmt.type === 'comment') continue;
      if (stmt.type === 'ERROR') continue; // reported once by the reader from the syntax tree
      try {
        this.execStatement(stmt, scope, topLevel);
      } catch (error) {
        if (error instanceof Unsupported) {
          this.report('info', 'unsupported', error.message, stmt);
          this.bindUnknownTargets(stmt, scope, error.message);
        } else throw error;
      }
    }
  }

  private bindUnknownTargets(stmt: SyntaxNode, scope: Scope, why: string): void {
    const inner = stmt.type === 'expression_statement' ? namedChildren(stmt)[0] : stmt;
    if (inner && (inner.type === 'assignment' || inner.type === 'augmented_assignment')) {
      const left = field(inner, 'left');
      if (left) {
        try {
          this.assign(left, new Unknown(why), scope);
        } catch {
          // Leave the target unbound.
        }
      }
    }
  }

  private execStatement(stmt: SyntaxNode, scope: Scope, topLevel: boolean): void {
    this.tick(stmt);
    switch (stmt.type) {
      case 'expression_statement': {
        for (const expr of namedChildren(stmt)) {
          if (expr.type === 'assignment') this.execAssignment(expr, scope, topLevel, stmt);
          else if (expr.type === 'augmented_assignment') this.execAugmented(expr, scope);
          else this.eval(expr, scope);
        }
        return;
      }
      case 'import_statement':
      case 'import_from_statement':
      case 'future_import_statement':
        this.execImport(stmt, scope);
        return;
      case 'function_definition': {
        const fn = this.makeFunction(stmt, scope, null);
        scope.vars.set(fn.name, fn);
        if (topLevel) this.state.definitions.push({ name: fn.name, node: stmt, value: fn });
        return;
      }
      case 'class_definition': {
        const cls = this.makeClass(stmt, scope);
        scope.vars.set(cls.name, cls);
        if (topLevel) this.state.definitions.push({ name: cls.name, node: stmt, value: cls });
        return;
      }
      case 'decorated_definition': {
        const def = field(stmt, 'definition');
        if (def) this.execStatement(def, scope, topLevel);
        return;
      }
      case 'if_statement':
        this.execIf(stmt, scope, topLevel);
        return;
      case 'for_statement':
        this.execFor(stmt, scope, topLevel);
        return;
      case 'while_statement':
        this.execWhile(stmt, scope, topLevel);
        return;
      case 'return_statement': {
        const value = namedChildren(stmt)[0];
        throw new ReturnSignal(value ? this.eval(value, scope) : null);
      }
      case 'pass_statement':
      case 'assert_statement':
      case 'global_statement':
      case 'nonlocal_statement':
      case 'print_statement':
      case 'delete_statement':
      case 'type_alias_statement':
        if (stmt.type === 'global_statement') for (const n of namedChildren(stmt)) scope.globals.add(this.text(n));
        return;
      case 'break_statement':
        throw new BreakSignal();
      case 'continue_statement':
        throw new ContinueSignal();
      case 'with_statement': {
        const body = field(stmt, 'body');
        if (body) this.execBlock(body.children, scope, topLevel);
        return;
      }
      case 'try_statement': {
        const body = field(stmt, 'body');
        if (body) this.execBlock(body.children, scope, topLevel);
        for (const c of stmt.children) if (c.type === 'finally_clause') this.execBlock(namedChildren(c).at(-1)?.children ?? [], scope, topLevel);
        return;
      }
      case 'raise_statement':
        throw new ReturnSignal(new Unknown('raised an exception'));
      case 'block':
        this.execBlock(stmt.children, scope, topLevel);
        return;
      default:
        throw new Unsupported(`${stmt.type.replace(/_/g, ' ')} is not read; ignored`);
    }
  }

  private execImport(stmt: SyntaxNode, scope: Scope): void {
    if (stmt.type === 'import_statement') {
      for (const n of namedChildren(stmt)) {
        if (n.type === 'aliased_import') {
          const name = field(n, 'name');
          const alias = field(n, 'alias');
          if (name && alias) scope.vars.set(this.text(alias), new Extern(canonicalPath(this.text(name))));
        } else if (n.type === 'dotted_name') {
          const full = this.text(n);
          const first = full.split('.')[0]!;
          scope.vars.set(first, new Extern(canonicalPath(first)));
        }
      }
      return;
    }
    if (stmt.type === 'future_import_statement') return;
    const moduleNode = field(stmt, 'module_name');
    const module = moduleNode ? this.text(moduleNode) : '';
    if (module.startsWith('.')) return; // relative import of the user's own package: unknown names
    for (const n of stmt.children) {
      if (n.field !== 'name') continue;
      if (n.type === 'aliased_import') {
        const name = field(n, 'name');
        const alias = field(n, 'alias');
        if (name && alias) scope.vars.set(this.text(alias), new Extern(canonicalPath(`${module}.${this.text(name)}`)));
      } else {
        const name = this.text(n);
        scope.vars.set(name.split('.')[0]!, new Extern(canonicalPath(`${module}.${name}`)));
      }
    }
    for (const n of stmt.children) {
      if (n.type === 'wildcard_import') {
        const base = canonicalPath(module);
        if (base === 'keras.layers' || base === 'torch.nn') {
          const names = base === 'torch.nn' ? Object.keys(TORCH_MODULES).concat(['Sequential', 'ModuleList', 'ModuleDict', 'Module']) : Object.keys(KERAS_LAYERS).concat(Object.keys(KERAS_MERGE_FUNCTIONS), ['Input', 'InputLayer']);
          for (const name of names) scope.vars.set(name, new Extern(`${base}.${name}`));
        }
      }
    }
  }

  private makeFunction(node: SyntaxNode, scope: Scope, owner: PyClass | null): PyFunc {
    const nameNode = field(node, 'name');
    const params: Param[] = [];
    const paramsNode = field(node, 'parameters');
    let kwOnly = false;
    for (const p of paramsNode ? namedChildren(paramsNode) : []) {
      switch (p.type) {
        case 'identifier':
          params.push({ name: this.text(p), kind: kwOnly ? 'kwonly' : 'normal' });
          break;
        case 'typed_parameter': {
          const id = namedChildren(p)[0]!;
          if (id.type === 'list_splat_pattern') params.push({ name: this.text(namedChildren(id)[0]!), kind: 'star' });
          else if (id.type === 'dictionary_splat_pattern') params.push({ name: this.text(namedChildren(id)[0]!), kind: 'kwstar' });
          else params.push({ name: this.text(id), kind: kwOnly ? 'kwonly' : 'normal' });
          break;
        }
        case 'default_parameter':
        case 'typed_default_parameter': {
          const name = field(p, 'name')!;
          const value = field(p, 'value');
          params.push({ name: this.text(name), kind: kwOnly ? 'kwonly' : 'normal', default: value ? this.safeEval(value, scope) : null });
          break;
        }
        case 'list_splat_pattern':
          params.push({ name: this.text(namedChildren(p)[0]!), kind: 'star' });
          kwOnly = true;
          break;
        case 'dictionary_splat_pattern':
          params.push({ name: this.text(namedChildren(p)[0]!), kind: 'kwstar' });
          break;
        case 'keyword_separator':
          kwOnly = true;
          break;
        default:
          break;
      }
    }
    return new PyFunc(nameNode ? this.text(nameNode) : '<lambda>', node, params, scope, owner, scope.kind === 'module');
  }

  private safeEval(node: SyntaxNode, scope: Scope): Value {
    try {
      return this.eval(node, scope);
    } catch (error) {
      if (error instanceof Unsupported) return new Unknown(error.message);
      throw error;
    }
  }

  private makeClass(node: SyntaxNode, scope: Scope): PyClass {
    const name = this.text(field(node, 'name')!);
    const basesNode = field(node, 'superclasses');
    const bases = basesNode ? namedChildren(basesNode).filter((b) => b.type !== 'keyword_argument').map((b) => this.safeEval(b, scope)) : [];
    let kind: PyClass['kind'] = 'plain';
    for (const b of bases) {
      if (b instanceof Extern) {
        if (b.path === 'torch.nn.Module' || b.path.startsWith('torch.nn.')) kind = 'torch';
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
          const fn = this.makeFunction(stmt, scope, cls);
          cls.attrs.set(fn.name, fn);
        } else if (stmt.type === 'decorated_definition') {
          const def = field(stmt, 'definition');
          if (def?.type === 'function_definition') {
            const fn = this.makeFunction(def, scope, cls);
            const decorators = stmt.children.filter((c) => c.type === 'decorator').map((d) => this.text(d));
            cls.attrs.set(fn.name, decorators.some((d) => d.includes('staticmethod')) ? new Builtin(fn.name, (a, k, n) => this.callValue(fn, a, k, n)) : fn);
          }
        } else {
          this.execStatement(stmt, classScope, false);
        }
      } catch (error) {
        if (error instanceof Unsupported) this.report('info', 'unsupported', error.message, stmt);
        else throw error;
      }
    }
    for (const [k, v] of classScope.vars) cls.attrs.set(k, v);
    return cls;
  }

  private execAssignment(node: SyntaxNode, scope: Scope, topLevel: boolean, stmt: SyntaxNode): void {
    const right = field(node, 'right');
    const left = field(node, 'left');
    if (!left || !right) return; // annotation without value
    // Chained a = b = value: the right side is itself an assignment.
    if (right.type === 'assignment') {
      this.execAssignment(right, scope, topLevel, stmt);
      const value = this.eval(field(right, 'left')!, scope);
      this.assign(left, value, scope);
      return;
    }
    const value = this.eval(right, scope);
    this.assign(left, value, scope);
    if (topLevel && left.type === 'identifier' && isModelValue(value)) {
      this.state.assignments.push({ name: this.text(left), value, node: stmt });
    }
  }

  private execAugmented(node: SyntaxNode, scope: Scope): void {
    const left = field(node, 'left')!;
    const right = field(node, 'right')!;
    const op = this.text(field(node, 'operator')!).slice(0, -1);
    const current = this.eval(left, scope);
    const value = this.binary(op, current, this.eval(right, scope), node);
    this.assign(left, value, scope);
  }

  assign(target: SyntaxNode, value: Value, scope: Scope): void {
    switch (target.type) {
      case 'identifier': {
        const name = this.text(target);
        if (scope.globals.has(name)) this.state.globals.vars.set(name, value);
        else scope.vars.set(name, value);
        return;
      }
      case 'attribute': {
        const obj = this.eval(field(target, 'object')!, scope);
        this.setAttr(obj, this.text(field(target, 'attribute')!), value, target);
        return;
      }
      case 'subscript': {
        const obj = this.eval(field(target, 'value')!, scope);
        const index = this.eval(field(target, 'subscript')!, scope);
        if (obj instanceof PyList && typeof index === 'number') {
          const i = index < 0 ? obj.items.length + index : index;
          if (i >= 0 && i < obj.items.length) obj.items[i] = value;
        } else if (obj instanceof PyDict && isKey(index)) obj.map.set(index, value);
        else if (obj instanceof TorchContainer) obj.children.set(String(index), value);
        return;
      }
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list': {
        const targets = namedChildren(target);
        const items = this.iterate(value, target);
        if (items === null) {
          for (const t of targets) this.assign(t, new Unknown('could not unpack'), scope);
          return;
        }
        const star = targets.findIndex((t) => t.type === 'list_splat_pattern');
        if (star < 0) {
          targets.forEach((t, i) => this.assign(t, items[i] ?? new Unknown('too few values to unpack'), scope));
        } else {
          const after = targets.length - star - 1;
          targets.forEach((t, i) => {
            if (i < star) this.assign(t, items[i] ?? new Unknown('unpack'), scope);
            else if (i === star) this.assign(namedChildren(t)[0]!, new PyList(items.slice(star, items.length - after)), scope);
            else this.assign(t, items[items.length - (targets.length - i)] ?? new Unknown('unpack'), scope);
          });
        }
        return;
      }
      case 'parenthesized_expression':
        this.assign(namedChildren(target)[0]!, value, scope);
        return;
      default:
        throw new Unsupported(`assignment to ${target.type} is not read`);
    }
  }

  private setAttr(obj: Value, name: string, value: Value, node: SyntaxNode): void {
    if (obj instanceof PyObj) obj.attrs.set(name, value);
    else if (obj instanceof PyClass) obj.attrs.set(name, value);
    else if (obj instanceof Unknown || obj instanceof Extern) return;
    else if (obj instanceof KerasSequential || obj instanceof KerasFunctional || obj instanceof LayerObj || obj instanceof TorchContainer) return;
    else throw new Unsupported(`setting .${name} on this value is not read (${this.text(node)})`);
  }

  private execIf(stmt: SyntaxNode, scope: Scope, topLevel: boolean): void {
    const cond = this.eval(field(stmt, 'condition')!, scope);
    const truth = this.truthy(cond);
    if (truth === null) this.report('info', 'unsupported', `could not evaluate the condition "${this.text(field(stmt, 'condition')!)}"; read the first branch`, field(stmt, 'condition')!);
    if (truth !== false) {
      // A branch taken on a guess: calls in it to functions the reader cannot see do not taint their arguments.
      if (truth === null) this.speculative++;
      try {
        this.execBlock(field(stmt, 'consequence')?.children ?? [], scope, topLevel);
      } finally {
        if (truth === null) this.speculative--;
      }
      return;
    }
    for (const alt of stmt.children) {
      if (alt.type === 'elif_clause') {
        const c = this.truthy(this.eval(field(alt, 'condition')!, scope));
        if (c !== false) {
          this.execBlock(field(alt, 'consequence')?.children ?? [], scope, topLevel);
          return;
        }
      } else if (alt.type === 'else_clause') {
        this.execBlock(field(alt, 'body')?.children ?? [], scope, topLevel);
        return;
      }
    }
  }

  private execFor(stmt: SyntaxNode, scope: Scope, topLevel: boolean): void {
    const iterable = this.eval(field(stmt, 'right')!, scope);
    const items = this.iterate(iterable, stmt);
    const body = field(stmt, 'body')?.children ?? [];
    if (items === null) {
      this.report('info', 'unsupported', `could not tell what "${this.text(field(stmt, 'right')!)}" iterates over; the loop body was not read`, field(stmt, 'right')!);
      this.poisonAssigned(body, scope, 'set in a loop the reader could not follow');
      return;
    }
    if (items.length > this.limits.maxLoopIterations) {
      throw new LimitError(`a loop of ${items.length} iterations exceeds the limit of ${this.limits.maxLoopIterations}`, this.loc(stmt));
    }
    for (const item of items) {
      this.tick(stmt);
      this.assign(field(stmt, 'left')!, item, scope);
      try {
        this.execBlock(body, scope, topLevel);
      } catch (signal) {
        if (signal instanceof BreakSignal) return;
        if (signal instanceof ContinueSignal) continue;
        throw signal;
      }
    }
    const alt = stmt.children.find((c) => c.type === 'else_clause');
    if (alt) this.execBlock(field(alt, 'body')?.children ?? [], scope, topLevel);
  }

  /** Variables a skipped loop body would assign become Unknown, so no stale value is trusted after it. */
  private poisonAssigned(body: readonly SyntaxNode[], scope: Scope, why: string): void {
    const visit = (n: SyntaxNode): void => {
      if (n.type === 'function_definition' || n.type === 'class_definition') return;
      if (n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'for_statement') {
        const left = field(n, 'left');
        const names = left ? (left.type === 'identifier' ? [left] : namedChildren(left).filter((c) => c.type === 'identifier')) : [];
        for (const id of names) scope.vars.set(this.text(id), new Unknown(why));
      }
      // features.append(y) and friends change their receiver.
      if (n.type === 'call') {
        const fn = field(n, 'function');
        const obj = fn?.type === 'attribute' ? field(fn, 'object') : null;
        const method = fn?.type === 'attribute' ? this.text(field(fn, 'attribute')!) : '';
        if (obj?.type === 'identifier' && this.text(obj) !== 'self' && /^(append|extend|insert|update|add|add_module|pop|remove|setdefault|clear)$/.test(method)) {
          scope.vars.set(this.text(obj), new Unknown(why));
        }
      }
      for (const c of n.children) visit(c);
    };
    for (const n of body) visit(n);
  }

  private execWhile(stmt: SyntaxNode, scope: Scope, topLevel: boolean): void {
    for (let i = 0; ; i++) {
      if (i >= this.limits.maxLoopIterations) throw new LimitError(`a while loop ran more than ${this.limits.maxLoopIterations} iterations`, this.loc(stmt));
      const c = this.truthy(this.eval(field(stmt, 'condition')!, scope));
      if (c === null) {
        this.report('info', 'unsupported', 'could not evaluate the while condition; the loop was not read', stmt);
        this.poisonAssigned(field(stmt, 'body')?.children ?? [], scope, 'set in a loop the reader could not follow');
        return;
      }
      if (!c) return;
      try {
        this.execBlock(field(stmt, 'body')?.children ?? [], scope, topLevel);
      } catch (signal) {
        if (signal instanceof BreakSignal) return;
        if (signal instanceof ContinueSignal) continue;
        throw signal;
      }
    }
  }

  // -------------------------------------------------------------------------------------------- expressions

  eval(node: SyntaxNode, scope: Scope): Value {
    this.tick(node);
    switch (node.type) {
      case 'identifier': {
        const name = this.text(node);
        const v = scope.lookup(name);
        if (v !== undefined) return v;
        const b = this.builtin(name);
        if (b !== undefined) return b;
        return new Unknown(`"${name}" is not defined in this file`);
      }
      case 'integer': {
        const t = this.text(node).replace(/_/g, '').toLowerCase();
        if (t.endsWith('j')) return new Unknown('complex');
        return t.startsWith('0x') || t.startsWith('0o') || t.startsWith('0b') ? Number(t) : parseInt(t, 10);
      }
      case 'float': {
        const t = this.text(node).replace(/_/g, '');
        return t.endsWith('j') ? new Unknown('complex') : parseFloat(t);
      }
      case 'true':
        return true;
      case 'false':
        return false;
      case 'none':
        return null;
      case 'ellipsis':
        return new Unknown('...');
      case 'string':
        return this.evalString(node, scope);
      case 'concatenated_string': {
        const parts = namedChildren(node).map((c) => this.evalString(c, scope));
        return parts.every((p) => typeof p === 'string') ? parts.join('') : new Unknown('string');
      }
      case 'parenthesized_expression': {
        const inner = namedChildren(node)[0];
        return inner ? this.eval(inner, scope) : new PyTuple([]);
      }
      case 'list':
        return new PyList(this.evalItems(namedChildren(node), scope));
      case 'tuple':
      case 'expression_list':
        return new PyTuple(this.evalItems(namedChildren(node), scope));
      case 'set':
        return new PyList(this.evalItems(namedChildren(node), scope));
      case 'dictionary': {
        const d = new PyDict();
        for (const pair of namedChildren(node)) {
          if (pair.type === 'pair') {
            const k = this.eval(field(pair, 'key')!, scope);
            if (isKey(k)) d.map.set(k, this.eval(field(pair, 'value')!, scope));
          } else if (pair.type === 'dictionary_splat') {
            const other = this.eval(namedChildren(pair)[0]!, scope);
            if (other instanceof PyDict) for (const [k, v] of other.map) d.map.set(k, v);
          }
        }
        return d;
      }
      case 'list_comprehension':
      case 'generator_expression':
      case 'set_comprehension':
        return new PyList(this.comprehension(node, scope, (s) => [this.eval(field(node, 'body')!, s)]));
      case 'dictionary_comprehension': {
        const d = new PyDict();
        const body = field(node, 'body')!;
        this.comprehension(node, scope, (s) => {
          const k = this.eval(field(body, 'key')!, s);
          if (isKey(k)) d.map.set(k, this.eval(field(body, 'value')!, s));
          return [];
        });
        return d;
      }
      case 'binary_operator': {
        const op = this.text(field(node, 'operator')!);
        return this.binary(op, this.eval(field(node, 'left')!, scope), this.eval(field(node, 'right')!, scope), node);
      }
      case 'unary_operator': {
        const v = this.eval(field(node, 'argument')!, scope);
        const op = this.text(field(node, 'operator')!);
        if (typeof v === 'number' || typeof v === 'boolean') return op === '-' ? -Number(v) : op === '~' ? ~Number(v) : Number(v);
        if (isTensor(v)) return v;
        return new Unknown('unary operator');
      }
      case 'not_operator': {
        const t = this.truthy(this.eval(field(node, 'argument')!, scope));
        return t === null ? new Unknown('not') : !t;
      }
      case 'boolean_operator': {
        const op = this.text(field(node, 'operator')!);
        const left = this.eval(field(node, 'left')!, scope);
        const t = this.truthy(left);
        if (t === null) return new Unknown('boolean');
        if (op === 'and') return t ? this.eval(field(node, 'right')!, scope) : left;
        return t ? left : this.eval(field(node, 'right')!, scope);
      }
      case 'comparison_operator':
        return this.compare(node, scope);
      case 'conditional_expression': {
        const [a, cond, b] = namedChildren(node);
        const t = this.truthy(this.eval(cond!, scope));
        if (t === null) return new Unknown('condition');
        return t ? this.eval(a!, scope) : this.eval(b!, scope);
      }
      case 'attribute': {
        const obj = this.eval(field(node, 'object')!, scope);
        return this.getAttr(obj, this.text(field(node, 'attribute')!), node);
      }
      case 'subscript':
        return this.subscript(node, scope);
      case 'call':
        return this.evalCall(node, scope);
      case 'lambda': {
        const fn = this.makeFunction(node, scope, null);
        return fn;
      }
      case 'keyword_argument':
      case 'list_splat':
      case 'dictionary_splat':
        throw new Unsupported(`${node.type} outside a call`);
      case 'named_expression': {
        const v = this.eval(field(node, 'value')!, scope);
        this.assign(field(node, 'name')!, v, scope);
        return v;
      }
      case 'slice':
        return new Unknown('slice');
      case 'await':
        return this.eval(namedChildren(node)[0]!, scope);
      case 'ERROR':
        return new Unknown('syntax error');
      default:
        throw new Unsupported(`${node.type.replace(/_/g, ' ')} is not read`);
    }
  }

  private evalItems(nodes: readonly SyntaxNode[], scope: Scope): Value[] {
    const out: Value[] = [];
    for (const n of nodes) {
      if (n.type === 'list_splat' || n.type === 'parenthesized_list_splat') {
        const items = this.iterate(this.eval(namedChildren(n)[0]!, scope), n);
        if (items) out.push(...items);
        else out.push(new Unknown('*unknown'));
      } else out.push(this.eval(n, scope));
    }
    return out;
  }

  private evalString(node: SyntaxNode, scope: Scope): Value {
    const raw = this.text(node);
    const prefixMatch = /^[a-zA-Z]*/.exec(raw)!;
    const prefix = prefixMatch[0].toLowerCase();
    if (prefix.includes('b')) return new Unknown('bytes');
    let out = '';
    for (const c of node.children) {
      if (c.type === 'string_content') out += prefix.includes('r') ? this.text(c) : unescape(this.text(c));
      else if (c.type === 'escape_sequence') out += unescape(this.text(c));
      else if (c.type === 'interpolation') {
        const expr = field(c, 'expression') ?? namedChildren(c)[0];
        const v = expr ? this.eval(expr, scope) : null;
        const s = this.str(v);
        if (s === null) return new Unknown('f-string');
        out += s;
      }
    }
    return out;
  }

  private comprehension(node: SyntaxNode, scope: Scope, body: (s: Scope) => Value[]): Value[] {
    const clauses = node.children.filter((c) => c.type === 'for_in_clause' || c.type === 'if_clause');
    const inner = new Scope(scope, 'function');
    const out: Value[] = [];
    const run = (i: number): void => {
      if (i === clauses.length) {
        out.push(...body(inner));
        return;
      }
      const clause = clauses[i]!;
      if (clause.type === 'if_clause') {
        const t = this.truthy(this.eval(namedChildren(clause)[0]!, inner));
        if (t !== false) run(i + 1);
        return;
      }
      const items = this.iterate(this.eval(field(clause, 'right')!, inner), clause);
      if (items === null) throw new Unsupported(`could not tell what "${this.text(field(clause, 'right')!)}" iterates over`);
      if (items.length > this.limits.maxLoopIterations) throw new LimitError(`a comprehension of ${items.length} items exceeds the limit`, this.loc(clause));
      for (const item of items) {
        this.tick(clause);
        this.assign(field(clause, 'left')!, item, inner);
        run(i + 1);
      }
    };
    run(0);
    return out;
  }

  truthy(v: Value): boolean | null {
    if (v === null) return false;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number') return v !== 0;
    if (typeof v === 'string') return v.length > 0;
    if (v instanceof PyList || v instanceof PyTuple) return v.items.length > 0;
    if (v instanceof PyDict) return v.map.size > 0;
    if (v instanceof Unknown || v instanceof BatchDim) return null;
    return true;
  }

  str(v: Value): string | null {
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloat(v);
    if (typeof v === 'boolean') return v ? 'True' : 'False';
    if (v === null) return 'None';
    if (isSeq(v)) {
      const parts = v.items.map((i) => (typeof i === 'string' ? `'${i}'` : this.str(i)));
      if (parts.some((p) => p === null)) return null;
      return v instanceof PyList ? `[${parts.join(', ')}]` : `(${parts.join(', ')}${parts.length === 1 ? ',' : ''})`;
    }
    return null;
  }

  private binary(op: string, a: Value, b: Value, node: SyntaxNode): Value {
    if (isTensor(a) || isTensor(b)) return this.tensorBinary(op, a, b, node);
    const na = typeof a === 'boolean' ? Number(a) : a;
    const nb = typeof b === 'boolean' ? Number(b) : b;
    if (typeof na === 'number' && typeof nb === 'number') {
      switch (op) {
        case '+':
          return na + nb;
        case '-':
          return na - nb;
        case '*':
          return na * nb;
        case '/':
          return na / nb;
        case '//':
          return nb === 0 ? new Unknown('division by zero') : Math.floor(na / nb);
        case '%':
          return nb === 0 ? new Unknown('modulo by zero') : ((na % nb) + nb) % nb;
        case '**':
          return na ** nb;
        case '<<':
          return na << nb;
        case '>>':
          return na >> nb;
        case '&':
          return na & nb;
        case '|':
          return na | nb;
        case '^':
          return na ^ nb;
        default:
          return new Unknown(op);
      }
    }
    if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
    if (op === '+' && a instanceof PyList && b instanceof PyList) return new PyList([...a.items, ...b.items]);
    if (op === '+' && a instanceof PyTuple && b instanceof PyTuple) return new PyTuple([...a.items, ...b.items]);
    if (op === '*' && (isSeq(a) || typeof a === 'string') && typeof b === 'number') return repeat(a, b, this.limits.maxLoopIterations);
    if (op === '*' && (isSeq(b) || typeof b === 'string') && typeof a === 'number') return repeat(b, a, this.limits.maxLoopIterations);
    if (op === '%' && typeof a === 'string') return this.percentFormat(a, b);
    if (a instanceof BatchDim || b instanceof BatchDim) return new BatchDim();
    if (op === '+' && a instanceof TorchContainer && b instanceof TorchContainer) {
      return new TorchContainer('Sequential', new Map([...a.children.values(), ...b.children.values()].map((v, i) => [String(i), v])), a.source);
    }
    return new Unknown(`${op} on values the reader could not evaluate`);
  }

  /** "denselayer%d" % (i + 1), "%s_%02d" % (name, i): the common conversions only. */
  private percentFormat(format: string, values: Value): Value {
    const list = values instanceof PyTuple ? values.items : [values];
    let i = 0;
    let failed = false;
    const out = format.replace(/%(-?0?\d*)(?:\.(\d+))?([sdirf%])/g, (_m, width: string, precision: string | undefined, conv: string) => {
      if (conv === '%') return '%';
      const v = list[i++];
      let text: string | null;
      if (conv === 's' || conv === 'r') text = v === undefined ? null : this.str(v);
      else if (typeof v !== 'number') text = null;
      else if (conv === 'f') text = v.toFixed(precision === undefined ? 6 : Number(precision));
      else text = String(Math.trunc(v));
      if (text === null) {
        failed = true;
        return '';
      }
      const w = Number(width.replace('-', '')) || 0;
      const pad = width.startsWith('0') ? '0' : ' ';
      return width.startsWith('-') ? text.padEnd(w, ' ') : text.padStart(w, pad);
    });
    return failed || i !== list.length ? new Unknown('%-formatting') : out;
  }

  private compare(node: SyntaxNode, scope: Scope): Value {
    const operands = namedChildren(node);
    const ops = node.children.filter((c) => !c.named || c.type === 'not' || c.type === 'in' || c.type === 'is').map((c) => this.text(c));
    // Operators are the unnamed children between operands; "not in" / "is not" appear as two tokens.
    const operators: string[] = [];
    for (let i = 0; i < ops.length; i++) {
      const o = ops[i]!;
      if ((o === 'not' && ops[i + 1] === 'in') || (o === 'is' && ops[i + 1] === 'not')) {
        operators.push(`${o} ${ops[i + 1]}`);
        i++;
      } else operators.push(o);
    }
    let left = this.eval(operands[0]!, scope);
    for (let i = 1; i < operands.length; i++) {
      const right = this.eval(operands[i]!, scope);
      const r = this.compareTwo(operators[i - 1] ?? '==', left, right);
      if (r === null) return new Unknown('comparison');
      if (!r) return false;
      left = right;
    }
    return true;
  }

  private compareTwo(op: string, a: Value, b: Value): boolean | null {
    if (op === 'is' || op === 'is not') {
      if (a instanceof Unknown || b instanceof Unknown) return null;
      const same = a === b || (a === null && b === null);
      return op === 'is' ? same : !same;
    }
    if (op === 'in' || op === 'not in') {
      let r: boolean | null = null;
      if (isSeq(b)) r = b.items.some((i) => eq(i, a) === true);
      else if (b instanceof PyDict && isKey(a)) r = b.map.has(a);
      else if (typeof b === 'string' && typeof a === 'string') r = b.includes(a);
      if (r === null) return null;
      return op === 'in' ? r : !r;
    }
    if (op === '==' || op === '!=') {
      const r = eq(a, b);
      if (r === null) return null;
      return op === '==' ? r : !r;
    }
    const na = typeof a === 'boolean' ? Number(a) : a;
    const nb = typeof b === 'boolean' ? Number(b) : b;
    if ((typeof na === 'number' && typeof nb === 'number') || (typeof na === 'string' && typeof nb === 'string')) {
      switch (op) {
        case '<':
          return na < nb;
        case '>':
          return na > nb;
        case '<=':
          return na <= nb;
        case '>=':
          return na >= nb;
        default:
          return null;
      }
    }
    return null;
  }

  private subscript(node: SyntaxNode, scope: Scope): Value {
    const obj = this.eval(field(node, 'value')!, scope);
    const subs = fields(node, 'subscript');
    if (subs.length !== 1) {
      if (isTensor(obj)) return this.opaque(obj, 'tensor indexing', node);
      return new Unknown('multi-index');
    }
    const sub = subs[0]!;
    if (sub.type === 'slice') {
      const parts: (Value | undefined)[] = [undefined, undefined, undefined];
      let slot = 0;
      for (const c of sub.children) {
        if (!c.named && this.text(c) === ':') slot++;
        else if (c.named) parts[slot] = this.eval(c, scope);
      }
      const [start, stop, step] = parts;
      const items = isSeq(obj) ? obj.items : obj instanceof TorchContainer ? [...obj.children.values()] : typeof obj === 'string' ? [...obj] : null;
      if (items === null) return isTensor(obj) ? this.opaque(obj, 'tensor slicing', node) : new Unknown('slice');
      const r = slice(items, start, stop, step);
      if (r === null) return new Unknown('slice');
      if (typeof obj === 'string') return r.join('');
      if (obj instanceof TorchContainer) return new TorchContainer('Sequential', new Map(r.map((v, i) => [String(i), v])), obj.source);
      return obj instanceof PyTuple ? new PyTuple(r) : new PyList(r);
    }
    const index = this.eval(sub, scope);
    return this.index(obj, index, node);
  }

  private index(obj: Value, index: Value, node: SyntaxNode): Value {
    if ((isSeq(obj) || typeof obj === 'string') && typeof index === 'number') {
      const items = typeof obj === 'string' ? [...obj] : obj.items;
      const i = index < 0 ? items.length + index : index;
      return items[i] ?? new Unknown('index out of range');
    }
    if (obj instanceof PyDict && isKey(index)) return obj.map.get(index) ?? new Unknown(`no key ${String(index)}`);
    if (obj instanceof TorchContainer) {
      if (typeof index === 'number') {
        const items = [...obj.children.values()];
        return items[index < 0 ? items.length + index : index] ?? new Unknown('index out of range');
      }
      if (typeof index === 'string') return obj.children.get(index) ?? new Unknown(`no module ${index}`);
    }
    if (obj instanceof ShapeValue) return typeof index === 'number' && (index === 0 || index === -4) ? new BatchDim() : new Unknown('a tensor size');
    if (isTensor(obj)) return this.opaque(obj, 'tensor indexing', node);
    if (obj instanceof Extern) return new Unknown(`${obj.path}[...]`);
    return new Unknown('index');
  }

  // -------------------------------------------------------------------------------------------- calls

  private evalCall(node: SyntaxNode, scope: Scope): Value {
    const fnNode = field(node, 'function')!;
    // super().__init__(...) and friends need the enclosing method's class and self.
    const callee = this.eval(fnNode, scope);
    const argsNode = field(node, 'arguments');
    const args: Value[] = [];
    const kwargs = new Map<string, Value>();
    if (argsNode?.type === 'generator_expression') args.push(this.eval(argsNode, scope));
    else {
      for (const a of argsNode ? namedChildren(argsNode) : []) {
        if (a.type === 'keyword_argument') kwargs.set(this.text(field(a, 'name')!), this.eval(field(a, 'value')!, scope));
        else if (a.type === 'list_splat') {
          const items = this.iterate(this.eval(namedChildren(a)[0]!, scope), a);
          if (items) args.push(...items);
          else throw new Unsupported(`could not expand *${this.text(namedChildren(a)[0]!)}`);
        } else if (a.type === 'dictionary_splat') {
          const d = this.eval(namedChildren(a)[0]!, scope);
          if (d instanceof PyDict && !d.tainted) for (const [k, v] of d.map) kwargs.set(String(k), v);
          else throw new Unsupported(`could not expand **${this.text(namedChildren(a)[0]!)}${d instanceof PyDict ? ' (it was passed to a function the reader cannot see)' : ''}`);
        } else args.push(this.eval(a, scope));
      }
    }
    if (callee instanceof Builtin && callee.name === 'super') return this.makeSuper(node);
    const result = this.callValue(callee, args, kwargs, node);
    if (isTensor(result)) result.trace.site(this.loc(node), result);
    return result;
  }

  private makeSuper(node: SyntaxNode): Value {
    const frame = this.frame;
    if (!frame?.cls || frame.self === undefined) return new Unknown('super() outside a method');
    return new SuperProxy(frame.cls, frame.self);
  }

  callValue(callee: Value, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
    this.tick(node);
    if (callee instanceof PyFunc) return this.callFunction(callee, args, kwargs, node, undefined);
    if (callee instanceof Bound) {
      if (callee.fn instanceof Builtin) return callee.fn.fn([callee.self, ...args], kwargs, node);
      return this.callFunction(callee.fn, [callee.self, ...args], kwargs, node, callee.self);
    }
    if (callee instanceof Builtin) return callee.fn(args, kwargs, node);
    if (callee instanceof PyClass) return this.instantiate(callee, args, kwargs, node);
    if (callee instanceof Extern) return this.callExtern(callee.path, args, kwargs, node);
    if (callee instanceof LayerObj) return this.applyLayer(callee, args, kwargs, node);
    if (callee instanceof TorchContainer) return this.applyContainer(callee, args, node);
    if (callee instanceof PyObj) return this.callObject(callee, args, kwargs, node);
    if (callee instanceof KerasSequential) return this.applyKerasSequential(callee, args, node);
    if (callee instanceof KerasFunctional) return this.applyKerasFunctional(callee, args, node);
    const tensor = args.find(isTensor);
    if (tensor) return this.opaque(tensor, `a call of ${this.text(field(node, 'function')!)}`, node);
    // A function the reader cannot see may change the lists and dicts it is given (torchvision's
    // _ovewrite_named_param(kwargs, "groups", 32)): never trust their contents afterwards.
    if (this.speculative === 0) for (const a of [...args, ...kwargs.values()]) if (a instanceof PyList || a instanceof PyDict) a.tainted = true;
    return new Unknown(`call of ${this.text(field(node, 'function') ?? node)}`);
  }

  callFunction(fn: PyFunc, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode, self: Value | undefined): Value {
    if (this.depth >= this.limits.maxCallDepth) throw new LimitError(`calls nested deeper than ${this.limits.maxCallDepth}`, this.loc(node));
    const scope = new Scope(fn.closure, 'function');
    const extra: Value[] = [];
    const rest = new PyDict();
    let i = 0;
    for (const p of fn.params) {
      if (p.kind === 'normal') {
        if (i < args.length) scope.vars.set(p.name, args[i++]!);
        else if (kwargs.has(p.name)) scope.vars.set(p.name, kwargs.get(p.name)!);
        else if (p.default !== undefined) scope.vars.set(p.name, p.default);
        else scope.vars.set(p.name, new Unknown(`argument ${p.name} was not given`));
      } else if (p.kind === 'kwonly') {
        scope.vars.set(p.name, kwargs.get(p.name) ?? p.default ?? new Unknown(`argument ${p.name} was not given`));
      } else if (p.kind === 'star') {
        while (i < args.length) extra.push(args[i++]!);
        scope.vars.set(p.name, new PyTuple(extra));
      } else {
        scope.vars.set(p.name, rest);
      }
    }
    const named = new Set(fn.params.map((p) => p.name));
    for (const [k, v] of kwargs) if (!named.has(k)) rest.map.set(k, v);
    if (this.onUse && fn.topLevel) this.onUse(fn);
    // A helper function that takes a tensor and is not a method is a block (conv_block(x, filters)).
    const tensorArg = fn.owner === null && fn.node.type === 'function_definition' ? args.find(isTensor) ?? [...kwargs.values()].find(isTensor) : undefined;
    const frame: Frame = { cls: fn.owner, self, modulePath: fn.owner ? this.frame?.modulePath ?? null : this.frame?.modulePath ?? null };
    const body = (): Value => {
      this.frames.push(frame);
      this.depth++;
      const wasTop = this.atTopLevel;
      this.atTopLevel = false;
      try {
        if (fn.node.type === 'lambda') return this.eval(field(fn.node, 'body')!, scope);
        this.execBlock(field(fn.node, 'body')?.children ?? [], scope);
        return null;
      } catch (signal) {
        if (signal instanceof ReturnSignal) return signal.value;
        if (signal instanceof BreakSignal || signal instanceof ContinueSignal) return null;
        throw signal;
      } finally {
        this.atTopLevel = wasTop;
        this.depth--;
        this.frames.pop();
      }
    };
    if (fn.topLevel && args.length === 0 && kwargs.size === 0 && fn.node.type === 'function_definition') {
      const result = body();
      if (isModelValue(result)) this.state.factoryResults.set(result, fn.name);
      return result;
    }
    if (tensorArg) {
      return tensorArg.trace.withHelperBlock(fn.name, blockType(fn.name, fn.node, this.source), body);
    }
    return body();
  }

  private instantiate(cls: PyClass, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
    if (this.onUse) this.onUse(cls);
    const obj = new PyObj(cls);
    if (args.length === 0 && kwargs.size === 0) this.state.noArgInstances.add(obj);
    if (cls.kind === 'torch') obj.attrs.set('training', false);
    const init = this.lookupClassAttr(cls, '__init__');
    if (init instanceof PyFunc) this.callFunction(init, [obj, ...args], kwargs, node, obj);
    return obj;
  }

  lookupClassAttr(cls: PyClass, name: string): Value | undefined {
    if (cls.attrs.has(name)) return cls.attrs.get(name);
    for (const b of cls.bases) {
      if (b instanceof PyClass) {
        const v = this.lookupClassAttr(b, name);
        if (v !== undefined) return v;
      }
    }
    return undefined;
  }

  getAttr(obj: Value, name: string, node: SyntaxNode): Value {
    const v = this.getAttrRaw(obj, name, node);
    // Methods implemented here take the object as their first argument, like Python's unbound methods.
    return v instanceof Builtin && !(obj instanceof Extern) && !(obj instanceof PyClass) && !(obj instanceof SuperProxy) && !(obj instanceof PyObj && obj.attrs.get(name) === v) ? new Bound(obj, v) : v;
  }

  private getAttrRaw(obj: Value, name: string, node: SyntaxNode): Value {
    if (obj instanceof Extern) return new Extern(canonicalPath(`${obj.path}.${name}`));
    if (obj instanceof PyObj) {
      if (obj.attrs.has(name)) return obj.attrs.get(name)!;
      const v = this.lookupClassAttr(obj.cls, name);
      if (v instanceof PyFunc) return new Bound(obj, v);
      if (v !== undefined) return v;
      return this.moduleMethod(obj, name) ?? new Unknown(`.${name}`);
    }
    if (obj instanceof PyClass) {
      const v = this.lookupClassAttr(obj, name);
      return v ?? (name === '__name__' ? obj.name : new Unknown(`${obj.name}.${name}`));
    }
    if (obj instanceof SuperProxy) {
      for (const b of obj.cls.bases) {
        if (b instanceof PyClass) {
          const v = this.lookupClassAttr(b, name);
          if (v instanceof PyFunc) return new Bound(obj.self, v);
          if (v !== undefined) return v;
        }
      }
      if (name === '__init__' && obj.self instanceof PyObj && inheritsExtern(obj.cls, /^torch\.nn\.(Sequential|ModuleList)$/)) {
        // class ConvBNReLU(nn.Sequential): super().__init__(conv, bn, relu) registers "0", "1", "2".
        const self = obj.self;
        return new Builtin('super().__init__', (args) => {
          const first = args[0];
          if (args.length === 1 && first instanceof PyDict) for (const [k, v] of first.map) self.attrs.set(String(k), v);
          else if (args.length === 1 && first instanceof PyList) first.items.forEach((v, i) => self.attrs.set(String(i), v));
          else args.forEach((v, i) => self.attrs.set(String(i), v));
          return null;
        });
      }
      return new Builtin(`super().${name}`, () => null);
    }
    if (isTensor(obj)) return this.tensorAttr(obj, name, node);
    if (obj instanceof PyList) return this.listMethod(obj, name) ?? new Unknown(`list.${name}`);
    if (obj instanceof PyDict) return this.dictMethod(obj, name) ?? new Unknown(`dict.${name}`);
    if (typeof obj === 'string') return this.stringMethod(obj, name) ?? new Unknown(`str.${name}`);
    if (obj instanceof TorchContainer) return this.containerMethod(obj, name) ?? new Unknown(`.${name}`);
    if (obj instanceof KerasSequential) return this.sequentialMethod(obj, name);
    if (obj instanceof KerasFunctional) return this.functionalMethod(obj, name);
    if (obj instanceof LayerObj) {
      if (obj.framework === 'keras' && name === 'name') return obj.explicitName ?? new Unknown('layer name');
      return this.layerMethod(obj, name);
    }
    if (obj instanceof ExampleInput) {
      if (name === 'shape') return new PyTuple(obj.dims);
      return new Builtin(name, (a) => (name === 'to' || name === 'cuda' || name === 'float' ? a[0]! : new Unknown(name)));
    }
    return new Unknown(`.${name}`);
  }

  private moduleMethod(obj: PyObj, name: string): Value | undefined {
    switch (name) {
      case 'add_module':
      case 'register_module':
        return new Builtin(name, ([, key, value]) => {
          if (typeof key === 'string' && value !== undefined) obj.attrs.set(key, value);
          return null;
        });
      case 'to':
      case 'cuda':
      case 'cpu':
      case 'eval':
      case 'train':
      case 'float':
      case 'double':
      case 'half':
      case 'requires_grad_':
        return new Builtin(name, () => obj);
      case 'modules':
      case 'children':
        return new Builtin(name, () => new PyList(name === 'modules' ? [obj, ...this.submodules(obj, true)] : this.submodules(obj, false)));
      case 'items':
      case 'values':
      case 'keys': {
        // nn.ModuleDict / nn.Sequential subclasses iterate their registered modules.
        const entries = [...obj.attrs].filter(([, v]) => isModuleLike(v));
        return new Builtin(name, () => new PyList(entries.map(([k, v]) => (name === 'items' ? new PyTuple([k, v]) : name === 'keys' ? k : v))));
      }
      case 'named_modules':
      case 'named_children':
      case 'parameters':
      case 'named_parameters':
      case 'state_dict':
      case 'load_state_dict':
      case 'apply':
        return new Builtin(name, () => new Unknown(name));
      case 'forward':
      case 'call': {
        return new Builtin(name, (args, kwargs, node) => this.callObject(obj, args.slice(1), kwargs, node));
      }
      case 'build':
        return new Builtin('build', ([, shape], _k, node) => {
          const dims = shapeDims(shape ?? null);
          if (dims) this.state.runs.push({ model: obj, dims, node });
          return null;
        });
      case 'summary':
      case 'compile':
      case 'fit':
      case 'predict':
      case 'evaluate':
        return new Builtin(name, (_a, _k, node) => {
          this.state.runs.push({ model: obj, dims: null, node });
          return new Unknown(name);
        });
      default:
        return undefined;
    }
  }

  private submodules(v: Value, recursive: boolean, seen = new Set<Value>()): Value[] {
    const children = v instanceof PyObj ? [...v.attrs.values()] : v instanceof TorchContainer ? [...v.children.values()] : [];
    const out: Value[] = [];
    for (const c of children) {
      if (!(c instanceof LayerObj || c instanceof TorchContainer || (c instanceof PyObj && c.cls.kind === 'torch')) || seen.has(c)) continue;
      seen.add(c);
      out.push(c);
      if (recursive) out.push(...this.submodules(c, true, seen));
    }
    return out;
  }

  private listMethod(list: PyList, name: string): Value | undefined {
    switch (name) {
      case 'append':
        return new Builtin(name, ([, v]) => {
          if (list.items.length >= this.limits.maxLayers) throw new LimitError('a list grew past the layer limit');
          list.items.push(v ?? null);
          return null;
        });
      case 'extend':
        return new Builtin(name, ([, v], _k, node) => {
          const items = this.iterate(v ?? null, node);
          if (items) list.items.push(...items);
          else list.items.push(new Unknown('extend'));
          return null;
        });
      case 'insert':
        return new Builtin(name, ([, i, v]) => {
          if (typeof i === 'number') list.items.splice(i < 0 ? list.items.length + i : i, 0, v ?? null);
          return null;
        });
      case 'pop':
        return new Builtin(name, ([, i]) => {
          const idx = typeof i === 'number' ? (i < 0 ? list.items.length + i : i) : list.items.length - 1;
          return list.items.splice(idx, 1)[0] ?? new Unknown('pop');
        });
      case 'copy':
        return new Builtin(name, () => new PyList([...list.items]));
      case 'reverse':
        return new Builtin(name, () => {
          list.items.reverse();
          return null;
        });
      case 'index':
        return new Builtin(name, ([, v]) => {
          const i = list.items.findIndex((x) => eq(x, v ?? null) === true);
          return i < 0 ? new Unknown('index') : i;
        });
      default:
        return undefined;
    }
  }

  private dictMethod(d: PyDict, name: string): Value | undefined {
    switch (name) {
      case 'items':
        return new Builtin(name, () => new PyList([...d.map].map(([k, v]) => new PyTuple([k, v]))));
      case 'keys':
        return new Builtin(name, () => new PyList([...d.map.keys()]));
      case 'values':
        return new Builtin(name, () => new PyList([...d.map.values()]));
      case 'get':
        return new Builtin(name, ([, k, dflt]) => (isKey(k ?? null) && d.map.has(k as string) ? d.map.get(k as string)! : dflt ?? null));
      case 'update':
        return new Builtin(name, ([, o], kw) => {
          if (o instanceof PyDict) for (const [k, v] of o.map) d.map.set(k, v);
          for (const [k, v] of kw) d.map.set(k, v);
          return null;
        });
      case 'setdefault':
        return new Builtin(name, ([, k, v]) => {
          if (!isKey(k ?? null)) return new Unknown('setdefault');
          if (!d.map.has(k as string)) d.map.set(k as string, v ?? null);
          return d.map.get(k as string)!;
        });
      case 'pop':
        return new Builtin(name, ([, k, dflt]) => {
          if (!isKey(k ?? null)) return new Unknown('pop');
          const v = d.map.get(k as string);
          d.map.delete(k as string);
          return v ?? dflt ?? new Unknown('pop');
        });
      case 'copy':
        return new Builtin(name, () => new PyDict(new Map(d.map)));
      default:
        return undefined;
    }
  }

  private stringMethod(s: string, name: string): Value | undefined {
    switch (name) {
      case 'format':
        return new Builtin(name, ([, ...args], kwargs) => {
          let auto = 0;
          let failed = false;
          const out = s.replace(/\{([^{}]*)\}/g, (_m, key: string) => {
            const k = key.split(/[:!]/)[0]!;
            const v = k === '' ? args[auto++] : /^\d+$/.test(k) ? args[Number(k)] : kwargs.get(k);
            const t = v === undefined ? null : this.str(v);
            if (t === null) failed = true;
            return t ?? '';
          });
          return failed ? new Unknown('format') : out;
        });
      case 'join':
        return new Builtin(name, ([, items], _k, node) => {
          const list = this.iterate(items ?? null, node);
          if (!list || !list.every((x) => typeof x === 'string')) return new Unknown('join');
          return (list as string[]).join(s);
        });
      case 'upper':
        return new Builtin(name, () => s.toUpperCase());
      case 'lower':
        return new Builtin(name, () => s.toLowerCase());
      case 'startswith':
        return new Builtin(name, ([, p]) => (typeof p === 'string' ? s.startsWith(p) : new Unknown('startswith')));
      case 'endswith':
        return new Builtin(name, ([, p]) => (typeof p === 'string' ? s.endsWith(p) : new Unknown('endswith')));
      case 'replace':
        return new Builtin(name, ([, a, b]) => (typeof a === 'string' && typeof b === 'string' ? s.split(a).join(b) : new Unknown('replace')));
      case 'split':
        return new Builtin(name, ([, sep]) => new PyList(typeof sep === 'string' ? s.split(sep) : s.trim().split(/\s+/)));
      case 'strip':
        return new Builtin(name, () => s.trim());
      default:
        return undefined;
    }
  }

  private containerMethod(c: TorchContainer, name: string): Value | undefined {
    switch (name) {
      case 'append':
        return new Builtin(name, ([, v]) => {
          c.children.set(String(c.children.size), v ?? null);
          return c;
        });
      case 'extend':
        return new Builtin(name, ([, v], _k, node) => {
          for (const item of this.iterate(v ?? null, node) ?? []) c.children.set(String(c.children.size), item);
          return c;
        });
      case 'add_module':
      case 'register_module':
        return new Builtin(name, ([, key, v]) => {
          if (typeof key === 'string') c.children.set(key, v ?? null);
          return null;
        });
      case 'children':
      case 'modules':
      case 'values':
        return new Builtin(name, () => new PyList([...c.children.values()]));
      case 'keys':
        return new Builtin(name, () => new PyList([...c.children.keys()]));
      case 'items':
        return new Builtin(name, () => new PyList([...c.children].map(([k, v]) => new PyTuple([k, v]))));
      case 'to':
      case 'cuda':
      case 'eval':
      case 'train':
        return new Builtin(name, () => c);
      case 'forward':
        return new Builtin(name, (args, _k, node) => this.applyContainer(c, args.slice(1), node));
      default:
        return undefined;
    }
  }

  private layerMethod(layer: LayerObj, name: string): Value {
    if (name === 'forward' || name === '__call__' || name === 'call') return new Builtin(name, (args, kwargs, node) => this.applyLayer(layer, args.slice(1), kwargs, node));
    if (name === 'to' || name === 'cuda' || name === 'eval' || name === 'train') return new Builtin(name, () => layer);
    // Constructor arguments PyTorch keeps as attributes (conv.out_channels, fc.in_features, ...).
    const positions: Record<string, number> = { in_channels: 0, out_channels: 1, in_features: 0, out_features: 1, num_features: 0, kernel_size: 2, filters: 0, units: 0 };
    const v = layer.args.keywords.get(name) ?? (positions[name] !== undefined ? layer.args.positional[positions[name]!] : undefined);
    if (name === 'bias' && layer.framework === 'pytorch') {
      // A Parameter, or None for bias=False (nn.Linear's third and nn.Conv2d's eighth argument).
      const given = layer.args.keywords.get('bias') ?? layer.args.positional[layer.cls === 'Linear' ? 2 : layer.cls === 'Conv2d' ? 7 : 99];
      return given === false ? null : new Extern('torch.nn.Parameter');
    }
    if (name === 'weight' && layer.framework === 'pytorch') return new Extern('torch.nn.Parameter');
    if (v !== undefined) return fromPlain(v);
    return new Unknown(`.${name}`);
  }

  private sequentialMethod(seq: KerasSequential, name: string): Value {
    switch (name) {
      case 'add':
        return new Builtin(name, ([, layer], _k, node) => {
          if (layer === undefined) return null;
          if (seq.layers.length === 0 && isTensor(layer)) {
            seq.inputShape = layer.trace.input;
            seq.inputOrigin = 'code';
            return null;
          }
          if (seq.layers.length >= this.limits.maxLayers) throw new LimitError('too many layers', this.loc(node));
          seq.layers.push(layer);
          return null;
        });
      case 'build':
        return new Builtin(name, ([, shape]) => {
          const dims = shapeDims(shape ?? null);
          if (dims && dims.length === 4) {
            seq.inputShape = dims.slice(1);
            seq.inputOrigin = 'code';
          }
          return null;
        });
      case 'layers':
        return new PyList([...seq.layers]);
      case 'summary':
      case 'compile':
      case 'fit':
      case 'predict':
      case 'evaluate':
        return new Builtin(name, (_a, _k, node) => {
          this.state.runs.push({ model: seq, dims: null, node });
          return new Unknown(name);
        });
      default:
        return new Unknown(`.${name}`);
    }
  }

  private functionalMethod(model: KerasFunctional, name: string): Value {
    if (['summary', 'compile', 'fit', 'predict', 'evaluate'].includes(name)) {
      return new Builtin(name, (_a, _k, node) => {
        this.state.runs.push({ model, dims: null, node });
        return new Unknown(name);
      });
    }
    if (name === 'output') return model.outputs[0] ?? new Unknown('output');
    return new Unknown(`.${name}`);
  }

  // -------------------------------------------------------------------------------------------- builtins

  private builtin(name: string): Value | undefined {
    const b = BUILTINS.get(name);
    if (b) return new Builtin(name, (args, kwargs, node) => b(this, args, kwargs, node));
    if (name === 'super') return new Builtin('super', () => new Unknown('super'));
    return undefined;
  }

  iterate(v: Value, node: SyntaxNode): Value[] | null {
    if ((v instanceof PyList || v instanceof PyDict) && v.tainted) return null;
    if (isSeq(v)) return [...v.items];
    if (v instanceof PyDict) return [...v.map.keys()];
    if (typeof v === 'string') return [...v];
    if (v instanceof TorchContainer) return [...v.children.values()];
    if (v instanceof KerasSequential) return [...v.layers];
    void node;
    return null;
  }

  // -------------------------------------------------------------------------------------------- tensors and layers

  /** A tensor passed through something the reader cannot translate: an unsupported layer, shapes unknown after it. */
  opaque(tensor: TensorRef, what: string, node: SyntaxNode): TensorRef {
    const text = this.text(node).replace(/\s+/g, ' ');
    const short = text.length > 60 ? `${text.slice(0, 57)}…` : text;
    this.report('info', 'unsupported', `${what} (${short}) is not translated; shapes after it are unknown`, node);
    const name = this.scopedName(shortName(node, this.source));
    return tensor.trace.emit(
      { name, sourceType: short, source: this.loc(node) },
      { parts: [{ type: `unsupported: ${short}`, args: {} }], rank: null, channels: null },
      [tensor],
    );
  }

  private scopedName(base: string): string {
    const prefix = this.frame?.modulePath;
    return prefix ? `${prefix}.${base}` : base;
  }

  private tensorBinary(op: string, a: Value, b: Value, node: SyntaxNode): Value {
    if (isTensor(a) && isTensor(b)) {
      const type = op === '+' ? 'Add' : op === '*' ? 'Multiply' : op === '-' ? null : null;
      if (type === null) return this.opaque(a, `tensor ${op} tensor`, node);
      if (a.trace !== b.trace) return new Unknown('tensors of different models');
      const name = this.scopedName(a.trace.framework === 'pytorch' ? (type === 'Add' ? 'add' : 'mul') : a.trace.autoName(type === 'Add' ? 'add' : 'multiply'));
      return a.trace.emit(
        { name, sourceType: op, source: this.loc(node) },
        { parts: [{ type, args: {}, merge: true }], rank: a.rank ?? b.rank, channels: a.channels ?? b.channels },
        [a, b],
      );
    }
    // tensor ⊕ number keeps the shape and adds no layer.
    const t = (isTensor(a) ? a : b) as TensorRef;
    const other = isTensor(a) ? b : a;
    if (typeof other === 'number' || typeof other === 'boolean') return t;
    return this.opaque(t, `tensor ${op} a value the reader could not evaluate`, node);
  }

  private tensorAttr(t: TensorRef, name: string, node: SyntaxNode): Value {
    const pytorch = t.trace.framework === 'pytorch';
    switch (name) {
      case 'shape':
        return new ShapeValue();
      case 'size':
        return new Builtin(name, ([, dim]) => (dim === 0 || dim === -4 ? new BatchDim() : dim === undefined ? new ShapeValue() : new Unknown('a tensor size')));
      case 'view':
      case 'reshape':
        return new Builtin(name, ([, ...dims]) => this.reshape(t, dims, node));
      case 'flatten':
        return new Builtin(name, ([, start, end], kw) =>
          this.applyTorchFunction('flatten', t, { positional: [toPlain(start ?? kw.get('start_dim') ?? 0), toPlain(end ?? kw.get('end_dim') ?? -1)], keywords: new Map() }, node),
        );
      case 'relu':
      case 'relu_':
      case 'sigmoid':
      case 'tanh':
      case 'softmax':
      case 'log_softmax':
        return new Builtin(name, () => this.applyTorchFunction(name, t, { positional: [], keywords: new Map() }, node));
      case 'mean':
        return new Builtin(name, ([, dims], kw) => this.meanOver(t, dims ?? kw.get('dim') ?? null, kw.get('keepdim') ?? false, node));
      case 'contiguous':
      case 'clone':
      case 'detach':
      case 'to':
      case 'cuda':
      case 'cpu':
      case 'float':
      case 'double':
      case 'half':
      case 'type_as':
        return new Builtin(name, () => t);
      case 'dim':
        return new Builtin(name, () => (t.rank === null ? new Unknown('rank') : t.rank + 1));
      default:
        void pytorch;
        return new Builtin(name, () => this.opaque(t, `tensor.${name}()`, node));
    }
  }

  private reshape(t: TensorRef, dims: Value[], node: SyntaxNode): Value {
    let list = dims;
    if (list.length === 1 && isSeq(list[0]!)) list = (list[0] as PyList).items;
    const head = list[0];
    const batchFirst = head instanceof BatchDim || head === -1;
    const rest = list.slice(1);
    if (batchFirst && rest.length === 1 && rest[0] === -1) return this.applyTorchFunction('flatten', t, { positional: [1, -1], keywords: new Map() }, node);
    if (batchFirst && rest.every((d) => typeof d === 'number' && d > 0)) {
      const r = rest as number[];
      const target = r.length === 3 ? [r[1]!, r[2]!, r[0]!] : r; // C,H,W → H,W,C
      const name = this.scopedName(t.trace.framework === 'pytorch' ? 'view' : t.trace.autoName('reshape'));
      return t.trace.emit(
        { name, sourceType: 'view', source: this.loc(node) },
        { parts: [{ type: 'Reshape', args: { targetShape: target } }], rank: target.length, channels: target[target.length - 1] ?? null },
        [t],
      );
    }
    return this.opaque(t, 'a reshape the reader could not evaluate', node);
  }

  private meanOver(t: TensorRef, dims: Value, keepdim: Value, node: SyntaxNode): Value {
    const d = isSeq(dims) ? dims.items : null;
    if (t.rank === 3 && d && d.length === 2 && ((d[0] === 2 && d[1] === 3) || (d[0] === -2 && d[1] === -1))) {
      const r = translateTorchFunction('adaptive_avg_pool2d', { positional: [1], keywords: new Map() }, [t]);
      if (r && !('unsupported' in r)) {
        const tr: Translation = keepdim === true ? r : { parts: r.parts.filter((p) => p.type !== 'Reshape'), rank: 1, channels: t.channels };
        return t.trace.emit({ name: this.scopedName('mean'), sourceType: 'mean', source: this.loc(node) }, tr, [t]);
      }
    }
    return this.opaque(t, 'a mean over these axes', node);
  }

  private applyTorchFunction(fn: string, t: TensorRef, args: Args, node: SyntaxNode): Value {
    const r = translateTorchFunction(fn, args, [t]);
    if (r === null) return this.opaque(t, `${fn}()`, node);
    if ('unsupported' in r) return this.opaque(t, r.unsupported, node);
    return t.trace.emit({ name: this.scopedName(fn.replace(/_$/, '')), sourceType: fn, source: this.loc(node) }, r, [t]);
  }

  /** A framework function or class called from Python. */
  private callExtern(path: string, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
    const parts = path.split('.');
    const last = parts[parts.length - 1]!;
    const owner = parts.slice(0, -1).join('.');
    if (last === 'image_data_format' && owner.startsWith('keras')) return 'channels_last';
    if (path === 'typing.cast') return args[1] ?? null;
    if (path === 'torch.jit.is_scripting' || path === 'torch.jit.is_tracing' || path === 'torch.onnx.is_in_onnx_export') return false;
    if (path === 'collections.OrderedDict') return BUILTINS.get('dict')!(this, args, kwargs, node);
    if (owner === 'math') {
      const n = numArgs(args);
      const f = n ? MATH[last] : undefined;
      if (f && n) return f(...n);
      if (last === 'pi') return Math.PI;
      return new Unknown(path);
    }
    if (path === 'functools.partial') {
      const [fn, ...bound] = args;
      if (fn === undefined) return new Unknown('partial');
      return new Builtin('partial', (more, kw, n) => this.callValue(fn, [...bound, ...more], new Map([...kwargs, ...kw]), n));
    }
    // ---- PyTorch
    if (owner === 'torch.nn') {
      if (last === 'Sequential') return this.torchSequential(args, node);
      if (last === 'ModuleList') return new TorchContainer('ModuleList', new Map((this.iterate(args[0] ?? new PyList([]), node) ?? []).map((v, i) => [String(i), v])), this.loc(node));
      if (last === 'ModuleDict') {
        const d = args[0];
        const m = new Map<string, Value>();
        if (d instanceof PyDict) for (const [k, v] of d.map) m.set(String(k), v);
        return new TorchContainer('ModuleDict', m, this.loc(node));
      }
      if (last === 'Module') return new Unknown('nn.Module()');
      if (/^[A-Z]/.test(last)) return new LayerObj('pytorch', last, toArgs(args, kwargs), this.loc(node), null);
    }
    if (owner === 'torch.nn.functional' || owner === 'torch' || path === 'torch.nn.functional') {
      const t = args[0] ?? null;
      if (isTensor(t)) return this.torchFunction(last, t, args.slice(1), kwargs, node);
      if (owner === 'torch' && ['randn', 'rand', 'zeros', 'ones', 'empty', 'randint', 'full', 'normal'].includes(last)) {
        const dims = shapeDims(args.length === 1 ? args[0]! : new PyTuple(last === 'randint' ? args.slice(2) : args)) ?? shapeDims(kwargs.get('size') ?? null);
        return new ExampleInput(dims ?? [], 'pytorch');
      }
      if (owner === 'torch' && (last === 'cat' || last === 'concat' || last === 'stack' || last === 'add' || last === 'mul')) {
        if (last === 'add' || last === 'mul') return this.binary(last === 'add' ? '+' : '*', args[0] ?? null, args[1] ?? null, node);
        return this.torchCat(last, args, kwargs, node);
      }
      if (owner === 'torch' && last === 'device') return new Unknown('device');
      if (args.some(isTensor)) return this.opaque(args.find(isTensor)!, `${path}()`, node);
      return new Unknown(`${path}()`);
    }
    if (path === 'torchinfo.summary' || path === 'torchsummary.summary' || path === 'torchstat.stat' || path === 'thop.profile' || path === 'ptflops.get_model_complexity_info') {
      const model = args[0] ?? kwargs.get('model') ?? null;
      const size = kwargs.get('input_size') ?? kwargs.get('inputs') ?? args[1] ?? null;
      const dims = size instanceof ExampleInput ? size.dims : shapeDims(size);
      if (model !== null) this.state.runs.push({ model, dims, node });
      return new Unknown('summary');
    }
    // ---- TensorFlow / Keras functions on tensors
    if (['tensorflow.nn', 'tensorflow.math', 'keras.activations', 'keras.ops', 'keras.backend'].includes(owner)) {
      const t = args[0] ?? null;
      if (isTensor(t)) {
        const act = TF_ACTIVATIONS[last];
        if (act) {
          return t.trace.emit(
            { name: this.scopedName(t.trace.autoName(last)), sourceType: path.replace(/^tensorflow\./, 'tf.'), source: this.loc(node) },
            { parts: [{ type: 'Activation', args: { activation: act } }], rank: t.rank, channels: t.channels },
            [t],
          );
        }
      }
    }
    if (path === 'tensorflow.concat' || path === 'keras.ops.concatenate' || path === 'tensorflow.add' || path === 'keras.ops.add') {
      const list = path.endsWith('add') ? new PyList([args[0] ?? null, args[1] ?? null]) : (args[0] ?? null);
      const tensors = isSeq(list) ? list.items.filter(isTensor) : [];
      if (tensors.length >= 2 && tensors.every((t) => t.trace === tensors[0]!.trace)) {
        const layer = new LayerObj('keras', path.endsWith('add') ? 'Add' : 'Concatenate', toArgs([], new Map(path.endsWith('add') ? [] : [['axis', kwargs.get('axis') ?? args[1] ?? -1]])), this.loc(node), null);
        return this.applyLayer(layer, [new PyList(tensors)], new Map(), node);
      }
    }
    // ---- Keras
    if (path === 'keras.Input' || path === 'keras.layers.Input') return this.kerasInput(args, kwargs, node);
    if (path === 'keras.Sequential') return this.kerasSequential(args, kwargs, node);
    if (path === 'keras.Model') return this.kerasModel(args, kwargs, node);
    if (owner === 'keras.layers') {
      if (last === 'InputLayer') return this.kerasInput([], new Map([['shape', kwargs.get('input_shape') ?? kwargs.get('shape') ?? null]]), node);
      if (KERAS_MERGE_FUNCTIONS[last]) {
        const layer = new LayerObj('keras', KERAS_MERGE_FUNCTIONS[last]!, toArgs([], kwargs), this.loc(node), strOrNull(kwargs.get('name')));
        return this.applyLayer(layer, args.slice(0, 1), new Map(), node);
      }
      if (/^[A-Z]/.test(last)) {
        const name = kwargs.get('name');
        return new LayerObj('keras', last, toArgs(args, kwargs), this.loc(node), typeof name === 'string' ? name : null);
      }
    }
    if (['tensorflow.zeros', 'tensorflow.ones', 'tensorflow.random.normal', 'tensorflow.random.uniform', 'numpy.zeros', 'numpy.ones', 'numpy.random.rand', 'numpy.random.randn'].includes(path)) {
      const dims = shapeDims(args.length === 1 ? args[0]! : new PyTuple(args));
      return new ExampleInput(dims ?? [], 'keras');
    }
    if (path.startsWith('keras.applications.') || path.startsWith('torchvision.models.') || path.startsWith('timm.')) {
      this.report('info', 'unsupported', `${path}() builds a library model the reader does not expand; run it in Python or use the model zoo`, node);
      return new Unknown(path);
    }
    const tensor = args.find(isTensor);
    if (tensor) return this.opaque(tensor, `${path}()`, node);
    return new Unknown(`${path}()`);
  }

  private torchFunction(fn: string, t: TensorRef, rest: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
    if (fn === 'cat' || fn === 'concat' || fn === 'stack') return this.torchCat(fn, [t, ...rest], kwargs, node);
    if (fn === 'add') return this.binary('+', t, rest[0] ?? null, node);
    if (fn === 'mul') return this.binary('*', t, rest[0] ?? null, node);
    if (fn === 'mean') return this.meanOver(t, rest[0] ?? kwargs.get('dim') ?? null, kwargs.get('keepdim') ?? false, node);
    if (fn === 'reshape') return this.reshape(t, rest, node);
    return this.applyTorchFunction(fn, t, toArgs(rest, kwargs), node);
  }

  private torchCat(fn: string, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
    const list = args[0];
    const tensors = isSeq(list ?? null) ? (list as PyList).items : [];
    const dim = args[1] ?? kwargs.get('dim') ?? 0;
    const ts = tensors.filter(isTensor);
    if (ts.length === 0) return new Unknown('cat');
    if (fn === 'stack' || ts.length !== tensors.length || typeof dim !== 'number') return this.opaque(ts[0]!, `torch.${fn}`, node);
    if (ts.length === 1) return ts[0]!; // torch.cat of one tensor is that tensor
    const axis = torchDimToAxis(dim, ts[0]!.rank);
    if (axis === null) return this.opaque(ts[0]!, `torch.${fn} along dim ${dim}`, node);
    const channels = axis === -1 || axis === ts[0]!.rank ? ts.map((t) => t.channels) : null;
    return ts[0]!.trace.emit(
      { name: this.scopedName('cat'), sourceType: `torch.${fn}`, source: this.loc(node) },
      {
        parts: [{ type: 'Concatenate', args: { axis }, merge: true }],
        rank: ts[0]!.rank,
        channels: channels && channels.every((c): c is number => c !== null) ? channels.reduce((a, b) => a + b, 0) : axis === -1 || axis === ts[0]!.rank ? null : ts[0]!.channels,
      },
      ts,
    );
  }

  private torchSequential(args: Value[], node: SyntaxNode): Value {
    const children = new Map<string, Value>();
    if (args.length === 1 && args[0] instanceof Unknown) {
      throw new Unsupported(`nn.Sequential of values the reader could not evaluate`);
    }
    const first = args[0];
    if (args.length === 1 && first instanceof PyDict) {
      for (const [k, v] of first.map) children.set(String(k), v);
    } else if (args.length === 1 && isSeq(first ?? null) && (first as PyList).items.every((i) => i instanceof PyTuple && i.items.length === 2 && typeof i.items[0] === 'string')) {
      // nn.Sequential(OrderedDict([('conv', ...), ...]))
      for (const i of (first as PyList).items) children.set((i as PyTuple).items[0] as string, (i as PyTuple).items[1]!);
    } else {
      args.forEach((a, i) => children.set(String(i), a));
    }
    return new TorchContainer('Sequential', children, this.loc(node));
  }

  private kerasInput(args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
    const shapeValue = kwargs.get('shape') ?? args[0] ?? null;
    const batchShape = kwargs.get('batch_shape') ?? kwargs.get('batch_input_shape');
    let dims: (number | null)[] | null = null;
    const raw = batchShape ?? shapeValue;
    if (isSeq(raw)) dims = raw.items.map((d) => (typeof d === 'number' ? d : null));
    if (dims && batchShape) dims = dims.slice(1);
    if (!dims) throw new Unsupported(`could not evaluate the input shape ${this.text(node)}`);
    if (dims.length !== 3) {
      this.report('info', 'unsupported', `input shape (${dims.join(', ')}) is not an image (height, width, channels); only image models are analysed`, node);
    }
    const known = dims.length === 3 && dims.every((d) => d !== null) ? (dims as number[]) : null;
    const trace = new Trace('keras', known, known ? 'code' : null, this.limits.maxLayers, this.loc(node));
    return trace.inputTensor;
  }

  private kerasSequential(args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
    const layersValue = kwargs.get('layers') ?? args[0] ?? null;
    const items = layersValue === null ? [] : this.iterate(layersValue, node) ?? [new Unknown('layers')];
    const seq = new KerasSequential([], strOrNull(kwargs.get('name') ?? args[1] ?? null), this.loc(node));
    for (const item of items) {
      if (seq.layers.length === 0 && seq.inputShape === null && isTensor(item)) {
        seq.inputShape = item.trace.input;
        seq.inputOrigin = 'code';
        continue;
      }
      seq.layers.push(item);
    }
    return seq;
  }

  private kerasModel(args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
    const inputs = kwargs.get('inputs') ?? args[0] ?? null;
    const outputs = kwargs.get('outputs') ?? args[1] ?? null;
    const ins = isTensor(inputs) ? [inputs] : isSeq(inputs) ? inputs.items : inputs instanceof PyDict ? [...inputs.map.values()] : [];
    const outs = isTensor(outputs) ? [outputs] : isSeq(outputs) ? outputs.items : outputs instanceof PyDict ? [...outputs.map.values()] : [];
    const inTensors = ins.filter(isTensor);
    const outTensors = outs.filter(isTensor);
    if (inTensors.length === 0 || outTensors.length === 0) {
      throw new Unsupported('keras.Model(...) whose inputs/outputs the reader could not follow');
    }
    if (inTensors.length > 1) this.report('info', 'unsupported', 'models with several inputs are not analysed; the first input is used', node);
    const trace = inTensors[0]!.trace;
    return new KerasFunctional(trace, outTensors.filter((t) => t.trace === trace), strOrNull(kwargs.get('name') ?? null), this.loc(node));
  }

  /** Calls a layer object on tensors. */
  applyLayer(layer: LayerObj, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
    const x = args[0] ?? kwargs.get('inputs') ?? kwargs.get('input') ?? null;
    const inputs = isTensor(x) ? [x] : isSeq(x) ? x.items.filter(isTensor) : [];
    if (x instanceof ExampleInput) return new Unknown('layer on example input');
    if (inputs.length === 0) return new Unknown(`${layer.cls} applied to a value the reader could not follow`);
    const trace = inputs[0]!.trace;
    const use = layer.uses.get(trace);
    const count = (use?.count ?? 0) + 1;
    let translated: Translated;
    if (layer.framework === 'pytorch') {
      const t = TORCH_MODULES[layer.cls];
      translated = t ? t(layer.args, inputs) : { unsupported: `nn.${layer.cls}` };
    } else {
      translated = translateKeras(layer.cls, layer.args, inputs, 'keras');
    }
    let base: string;
    if (layer.framework === 'pytorch') base = layer.path ?? this.scopedName(kerasSnake(layer.cls));
    else base = use?.first ?? layer.explicitName ?? layer.path ?? trace.autoName(kerasSnake(layer.cls));
    const sourceType = layer.framework === 'pytorch' ? `nn.${layer.cls}` : layer.cls;
    if ('unsupported' in translated) {
      this.report('info', 'unsupported', `${translated.unsupported} is not supported yet; shapes after it are unknown`, layer.source);
      translated = { parts: [{ type: sourceType, args: {} }], rank: null, channels: null };
    }
    const hasWeights = translated.parts.some((p) => WEIGHTED.has(p.type));
    const out = trace.emit(
      { name: count === 1 ? base : base, sourceType, source: layer.source, use: count, sharesWeightsWith: count > 1 && hasWeights ? (use?.first ?? null) : null },
      translated,
      inputs,
    );
    if (!use) layer.uses.set(trace, { count: 1, first: trace.calls[trace.calls.length - 1]!.name });
    else use.count = count;
    return out;
  }

  private applyContainer(c: TorchContainer, args: Value[], node: SyntaxNode): Value {
    if (c.kind !== 'Sequential') return new Unknown(`calling an nn.${c.kind}`);
    let x: Value = args[0] ?? null;
    if (x instanceof ExampleInput) {
      this.state.runs.push({ model: c, dims: x.dims, node });
      return new Unknown('example output');
    }
    for (const child of c.children.values()) x = this.callValue(child, [x], new Map(), node);
    return x;
  }

  private callObject(obj: PyObj, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
    const example = args.find((a): a is ExampleInput => a instanceof ExampleInput);
    if (example && (obj.cls.kind !== 'plain')) {
      this.state.runs.push({ model: obj, dims: example.dims, node });
      return new Unknown('example output');
    }
    const method = obj.cls.kind === 'keras' ? (this.lookupClassAttr(obj.cls, 'call') ?? this.lookupClassAttr(obj.cls, 'forward')) : (this.lookupClassAttr(obj.cls, 'forward') ?? this.lookupClassAttr(obj.cls, '__call__'));
    if (!(method instanceof PyFunc) && inheritsExtern(obj.cls, /^torch\.nn\.Sequential$/)) {
      const children = [...obj.attrs.values()].filter(isModuleLike);
      const run = (): Value => {
        let x: Value = args[0] ?? null;
        for (const child of children) x = this.callValue(child, [x], new Map(), node);
        return x;
      };
      const t = args.find(isTensor);
      return t && obj.path ? t.trace.withBlock({ name: obj.path, type: blockType(obj.cls.name, obj.cls.node, this.source) }, run) : run();
    }
    if (!(method instanceof PyFunc)) {
      const t = args.find(isTensor);
      return t ? this.opaque(t, `${obj.cls.name} has no forward() the reader can follow`, node) : new Unknown(`${obj.cls.name}()`);
    }
    const tensor = args.find(isTensor);
    const run = (): Value => {
      const frame: Frame = { cls: obj.cls, self: obj, modulePath: obj.path };
      // The method's own frame is pushed by callFunction; modulePath is inherited from this one.
      this.frames.push(frame);
      try {
        return this.callFunction(method, [obj, ...args], kwargs, node, obj);
      } finally {
        this.frames.pop();
      }
    };
    if (tensor && obj.path) return tensor.trace.withBlock({ name: obj.path, type: blockType(obj.cls.name, obj.cls.node, this.source) }, run);
    return run();
  }

  private applyKerasSequential(seq: KerasSequential, args: Value[], node: SyntaxNode): Value {
    const x = args[0] ?? null;
    if (x instanceof ExampleInput) {
      this.state.runs.push({ model: seq, dims: x.dims, node });
      return new Unknown('example output');
    }
    if (!isTensor(x)) return new Unknown('model applied to a value the reader could not follow');
    const run = (): Value => {
      let y: Value = x;
      for (const layer of seq.layers) y = this.callValue(layer, [y], new Map(), node);
      return y;
    };
    return seq.name ? x.trace.withBlock({ name: seq.name, type: 'model' }, run) : run();
  }

  private applyKerasFunctional(model: KerasFunctional, args: Value[], node: SyntaxNode): Value {
    const x = args[0] ?? null;
    if (x instanceof ExampleInput) {
      this.state.runs.push({ model, dims: x.dims, node });
      return new Unknown('example output');
    }
    if (!isTensor(x)) return new Unknown('model applied to a value the reader could not follow');
    // Re-emit the nested model's layers into this trace, renamed under the model's name.
    const prefix = model.name ?? 'model';
    const { spec, calls } = model.trace.toSpec(prefix, model.trace.input ?? [1, 1, 1], model.outputs.map((o) => o.name), null);
    const map = new Map<string, string>([['input', x.name]]);
    let last: TensorRef = x;
    x.trace.withBlock({ name: prefix, type: 'model' }, () => {
      for (const l of spec.layers) {
        const call = calls.find((c) => c.layers.includes(l.name));
        const out = x.trace.emit(
          { name: `${prefix}/${l.name}`, sourceType: call?.sourceType ?? l.type, source: l.source ?? this.loc(node) },
          { parts: [{ type: l.type, args: { ...l.args }, merge: l.inputs.length > 1 }], rank: null, channels: null },
          l.inputs.map((i) => ({ ...x, name: map.get(i) ?? x.name })),
        );
        map.set(l.name, out.name);
        last = out;
      }
    });
    const outName = map.get(model.outputs[0]!.name);
    return outName ? { ...last, name: outName, rank: model.outputs[0]!.rank, channels: model.outputs[0]!.channels } : last;
  }

  /** Gives every module in a PyTorch model tree its attribute path, as named_modules() would. */
  assignPaths(root: Value): void {
    const seen = new Set<Value>();
    const visit = (v: Value, path: string): void => {
      if (seen.has(v)) return;
      if (v instanceof PyObj && v.cls.kind !== 'plain') {
        seen.add(v);
        v.path = path || null;
        for (const [k, c] of v.attrs) visit(c, path ? `${path}.${k}` : k);
      } else if (v instanceof TorchContainer) {
        seen.add(v);
        v.path = path || null;
        for (const [k, c] of v.children) visit(c, path ? `${path}.${k}` : k);
      } else if (v instanceof LayerObj) {
        seen.add(v);
        v.path = path || null;
      } else if (isSeq(v) && v instanceof PyList === false) {
        // Tuples of modules are not registered by PyTorch.
      }
    };
    visit(root, '');
  }
}

function isModuleLike(v: Value): boolean {
  return v instanceof LayerObj || v instanceof TorchContainer || (v instanceof PyObj && v.cls.kind === 'torch');
}

/** True when a base class, at any depth, is a framework class matching `pattern` (torch.nn.Sequential). */
function inheritsExtern(cls: PyClass, pattern: RegExp): boolean {
  return cls.bases.some((b) => (b instanceof Extern && pattern.test(b.path)) || (b instanceof PyClass && inheritsExtern(b, pattern)));
}

class ShapeValue extends Unknown {
  constructor() {
    super('a tensor shape');
  }
}

const TF_ACTIVATIONS: Record<string, string> = {
  relu: 'relu',
  relu6: 'relu6',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  swish: 'swish',
  silu: 'swish',
  gelu: 'gelu',
  elu: 'elu',
  selu: 'selu',
  softmax: 'softmax',
  softplus: 'softplus',
  leaky_relu: 'linear',
  hard_swish: 'linear',
  hard_sigmoid: 'hardSigmoid',
  mish: 'mish',
};

const WEIGHTED = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'Conv2DTranspose', 'Dense', 'BatchNormalization', 'LayerNormalization', 'PReLU']);

export function blockType(name: string, node: SyntaxNode, source: ParsedSource): string {
  const n = name.toLowerCase();
  if (n.includes('incep') || n.includes('mixed')) return 'inception';
  if (n.includes('bottleneck')) return 'bottleneck';
  if (n.includes('identity') || n.includes('residual') || n.includes('res') || n.includes('basicblock')) return 'residual';
  const body = textOf(source, node);
  if (/torch\.cat|concatenate|Concatenate/.test(body)) return 'inception';
  if (/\+=|\badd\(|Add\(\)|\+ *(identity|shortcut|residual|x\b)/.test(body)) return 'residual';
  return n;
}

function shortName(node: SyntaxNode, source: ParsedSource): string {
  if (node.type === 'call') {
    const fn = field(node, 'function');
    if (fn) {
      const t = textOf(source, fn);
      return t.split('.').pop()!.replace(/[^A-Za-z0-9_]/g, '') || 'op';
    }
  }
  return 'op';
}

function isKey(v: Value): v is string | number | boolean | null {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function eq(a: Value, b: Value): boolean | null {
  if (isKey(a) && isKey(b)) return (typeof a === 'boolean' ? Number(a) : a) === (typeof b === 'boolean' ? Number(b) : b);
  if (isSeq(a) && isSeq(b)) {
    if (a.items.length !== b.items.length) return false;
    for (let i = 0; i < a.items.length; i++) {
      const r = eq(a.items[i]!, b.items[i]!);
      if (r !== true) return r;
    }
    return true;
  }
  if (a instanceof Unknown || b instanceof Unknown || a instanceof BatchDim || b instanceof BatchDim) return null;
  if (isKey(a) || isKey(b)) return false;
  return a === b;
}

function repeat(v: PyList | PyTuple | string, n: number, cap: number): Value {
  if (n * (typeof v === 'string' ? 1 : v.items.length) > cap) throw new LimitError('a repeated list is too long');
  if (typeof v === 'string') return v.repeat(Math.max(0, n));
  const items: Value[] = [];
  for (let i = 0; i < n; i++) items.push(...v.items);
  return v instanceof PyTuple ? new PyTuple(items) : new PyList(items);
}

function slice(items: Value[], start: Value | undefined, stop: Value | undefined, step: Value | undefined): Value[] | null {
  const n = items.length;
  const st = step === undefined || step === null ? 1 : step;
  if (typeof st !== 'number' || st === 0) return null;
  const norm = (v: Value | undefined, dflt: number): number | null => {
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'number') return null;
    return v < 0 ? Math.max(n + v, st > 0 ? 0 : -1) : Math.min(v, st > 0 ? n : n - 1);
  };
  const a = norm(start, st > 0 ? 0 : n - 1);
  const b = norm(stop, st > 0 ? n : -1);
  if (a === null || b === null) return null;
  const out: Value[] = [];
  for (let i = a; st > 0 ? i < b : i > b; i += st) out.push(items[i]!);
  return out;
}

function unescape(s: string): string {
  return s.replace(/\\(n|t|r|\\|'|"|0)/g, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' })[c] ?? c);
}

function pyFloat(v: number): string {
  if (Number.isInteger(v)) return `${v}.0`;
  return String(v);
}

function strOrNull(v: Value | undefined): string | null {
  return typeof v === 'string' ? v : null;
}

/** Python value → plain argument data for the layer tables. */
export function toPlain(v: Value): Plain {
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (isSeq(v)) return v.items.map(toPlain);
  if (v instanceof Extern) return { ref: v.path };
  if (v instanceof Unknown) return { unknown: v.reason };
  if (v instanceof LayerObj) return { ref: `layer:${v.cls}` };
  return { unknown: 'a value the reader cannot pass to a layer' };
}

function fromPlain(p: Plain): Value {
  if (p === null || typeof p === 'number' || typeof p === 'string' || typeof p === 'boolean') return p;
  if (Array.isArray(p)) return new PyTuple(p.map(fromPlain));
  if ('ref' in p) return new Extern(p.ref);
  return new Unknown(p.unknown);
}

function toArgs(args: Value[], kwargs: Map<string, Value>): Args {
  const keywords = new Map<string, Plain>();
  for (const [k, v] of kwargs) keywords.set(k, k === 'activation' ? (activationName(toPlain(v)) ?? null) : toPlain(v));
  return { positional: args.map(toPlain), keywords };
}

/** Literal sizes of an example input: (1, 3, 224, 224), [1, 3, 224, 224], torch.Size(...). */
export function shapeDims(v: Value): number[] | null {
  if (v instanceof ExampleInput) return v.dims;
  if (typeof v === 'number') return [v];
  if (!isSeq(v)) return null;
  const items = v.items.length === 1 && isSeq(v.items[0]!) ? (v.items[0] as PyList).items : v.items;
  if (!items.every((d) => typeof d === 'number' || d === null)) return null;
  return items.map((d) => (d === null ? 1 : (d as number)));
}

// ------------------------------------------------------------------------------------------------ builtins

type BuiltinFn = (it: PythonInterpreter, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode) => Value;

const MATH: Record<string, (...v: number[]) => number> = {
  ceil: Math.ceil,
  floor: Math.floor,
  sqrt: Math.sqrt,
  log: Math.log,
  log2: Math.log2,
  exp: Math.exp,
  pow: Math.pow,
  trunc: Math.trunc,
  prod: (...v) => v.reduce((a, b) => a * b, 1),
};

const numArgs = (args: Value[]): number[] | null => (args.every((a) => typeof a === 'number' || typeof a === 'boolean') ? args.map(Number) : null);

const BUILTINS: Map<string, BuiltinFn> = new Map<string, BuiltinFn>([
  [
    'range',
    (it, args, _k, node) => {
      const n = numArgs(args);
      if (!n || n.length === 0) return new Unknown('range of values the reader could not evaluate');
      const [start, stop, step] = n.length === 1 ? [0, n[0]!, 1] : [n[0]!, n[1]!, n[2] ?? 1];
      if (step === 0) return new Unknown('range step 0');
      const count = Math.max(0, Math.ceil((stop - start) / step));
      if (count > 100_000) throw new LimitError(`range(${n.join(', ')}) is too long to unroll`, it.loc(node));
      const items: Value[] = [];
      for (let i = 0; i < count; i++) items.push(start + i * step);
      return new PyList(items);
    },
  ],
  [
    'len',
    (_it, [v]) => {
      if (v instanceof PyList || v instanceof PyTuple) return v.items.length;
      if (typeof v === 'string') return v.length;
      if (v instanceof PyDict) return v.map.size;
      if (v instanceof TorchContainer) return v.children.size;
      if (v instanceof KerasSequential) return v.layers.length;
      return new Unknown('len');
    },
  ],
  ['int', (_it, [v]) => (typeof v === 'number' || typeof v === 'boolean' ? Math.trunc(Number(v)) : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? parseInt(v, 10) : v instanceof BatchDim ? v : new Unknown('int'))],
  ['float', (_it, [v]) => (typeof v === 'number' || typeof v === 'boolean' ? Number(v) : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : new Unknown('float'))],
  ['bool', (it, [v]) => (v === undefined ? false : (it.truthy(v) ?? new Unknown('bool')))],
  ['str', (it, [v]) => (v === undefined ? '' : (it.str(v) ?? new Unknown('str')))],
  ['abs', (_it, [v]) => (typeof v === 'number' ? Math.abs(v) : new Unknown('abs'))],
  [
    'round',
    (_it, [v, d]) => {
      if (typeof v !== 'number') return new Unknown('round');
      if (typeof d === 'number') return Math.round(v * 10 ** d) / 10 ** d;
      const r = Math.round(v);
      return Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : r; // banker's rounding, as Python
    },
  ],
  ['min', (it, args, _k, node) => minMax(it, args, node, Math.min)],
  ['max', (it, args, _k, node) => minMax(it, args, node, Math.max)],
  [
    'sum',
    (it, [v, start], _k, node) => {
      const items = v === undefined ? null : it.iterate(v, node);
      const n = items ? numArgs(items) : null;
      return n ? n.reduce((a, b) => a + b, typeof start === 'number' ? start : 0) : new Unknown('sum');
    },
  ],
  ['list', (it, [v], _k, node) => (v === undefined ? new PyList([]) : (it.iterate(v, node) ?? null) === null ? new Unknown('list') : new PyList(it.iterate(v, node)!))],
  ['tuple', (it, [v], _k, node) => (v === undefined ? new PyTuple([]) : (it.iterate(v, node) ?? null) === null ? new Unknown('tuple') : new PyTuple(it.iterate(v, node)!))],
  [
    'dict',
    (it, [v], kwargs, node) => {
      const d = new PyDict();
      if (v instanceof PyDict) for (const [k, x] of v.map) d.map.set(k, x);
      else if (v !== undefined) {
        for (const pair of it.iterate(v, node) ?? []) {
          if (isSeq(pair) && pair.items.length === 2 && isKey(pair.items[0]!)) d.map.set(pair.items[0] as string, pair.items[1]!);
        }
      }
      for (const [k, x] of kwargs) d.map.set(k, x);
      return d;
    },
  ],
  [
    'enumerate',
    (it, [v, start], _k, node) => {
      const items = v === undefined ? null : it.iterate(v, node);
      if (!items) return new Unknown('enumerate');
      const s = typeof start === 'number' ? start : 0;
      return new PyList(items.map((x, i) => new PyTuple([s + i, x])));
    },
  ],
  [
    'zip',
    (it, args, _k, node) => {
      const lists = args.map((a) => it.iterate(a, node));
      if (lists.some((l) => l === null)) return new Unknown('zip');
      const n = Math.min(...lists.map((l) => l!.length));
      const out: Value[] = [];
      for (let i = 0; i < n; i++) out.push(new PyTuple(lists.map((l) => l![i]!)));
      return new PyList(out);
    },
  ],
  ['reversed', (it, [v], _k, node) => { const items = v === undefined ? null : it.iterate(v, node); return items ? new PyList(items.reverse()) : new Unknown('reversed'); }],
  [
    'sorted',
    (it, [v], _k, node) => {
      const items = v === undefined ? null : it.iterate(v, node);
      if (!items) return new Unknown('sorted');
      const n = numArgs(items);
      if (n) return new PyList(n.sort((a, b) => a - b));
      if (items.every((x) => typeof x === 'string')) return new PyList([...(items as string[])].sort());
      return new Unknown('sorted');
    },
  ],
  ['any', (it, [v], _k, node) => { const items = v === undefined ? null : it.iterate(v, node); if (!items) return new Unknown('any'); const t = items.map((x) => it.truthy(x)); return t.some((x) => x === true) ? true : t.some((x) => x === null) ? new Unknown('any') : false; }],
  ['all', (it, [v], _k, node) => { const items = v === undefined ? null : it.iterate(v, node); if (!items) return new Unknown('all'); const t = items.map((x) => it.truthy(x)); return t.some((x) => x === false) ? false : t.some((x) => x === null) ? new Unknown('all') : true; }],
  [
    'isinstance',
    (_it, [v, cls]) => {
      const classes = cls instanceof PyTuple ? cls.items : [cls];
      for (const c of classes) {
        if (c instanceof PyClass && v instanceof PyObj) {
          for (let k: PyClass | undefined = v.cls; k; k = k.bases.find((b): b is PyClass => b instanceof PyClass)) if (k === c) return true;
        }
        if (c instanceof Extern) {
          const name = c.path.split('.').pop()!;
          if (v instanceof LayerObj && v.cls === name) return true;
          if (name === 'int' && typeof v === 'number' && Number.isInteger(v)) return true;
        }
        if (c instanceof Builtin) {
          if (c.name === 'int' && typeof v === 'number' && Number.isInteger(v)) return true;
          if (c.name === 'float' && typeof v === 'number') return true;
          if (c.name === 'str' && typeof v === 'string') return true;
          if ((c.name === 'list' && v instanceof PyList) || (c.name === 'tuple' && v instanceof PyTuple) || (c.name === 'dict' && v instanceof PyDict)) return true;
          if (c.name === 'bool' && typeof v === 'boolean') return true;
        }
      }
      if (v instanceof Unknown) return new Unknown('isinstance');
      return false;
    },
  ],
  ['print', () => null],
  ['hasattr', (_it, [o, n]) => (o instanceof PyObj && typeof n === 'string' ? o.attrs.has(n) || o.cls.attrs.has(n) : new Unknown('hasattr'))],
  ['getattr', (it, [o, n, d], _k, node) => (typeof n === 'string' && o !== undefined ? (() => { const v = it.getAttr(o, n, node); return v instanceof Unknown && d !== undefined ? d : v; })() : new Unknown('getattr'))],
  [
    'setattr',
    (_it, [o, n, v]) => {
      if (o instanceof PyObj && typeof n === 'string' && v !== undefined) o.attrs.set(n, v);
      return null;
    },
  ],
  ['type', (_it, [v]) => (v instanceof PyObj ? v.cls : new Unknown('type'))],
  ['id', () => new Unknown('id')],
  ['open', () => new Unknown('open')],
  ['OrderedDict', (it, args, kwargs, node): Value => BUILTINS.get('dict')!(it, args, kwargs, node)],
]);

function minMax(it: PythonInterpreter, args: Value[], node: SyntaxNode, f: (...v: number[]) => number): Value {
  const items = args.length === 1 ? it.iterate(args[0]!, node) : args;
  const n = items ? numArgs(items) : null;
  return n && n.length > 0 ? f(...n) : new Unknown('min/max');
}

export { Scope };
export type { Framework };
