/**
 * A small abstract interpreter for Python model code (Keras and PyTorch). It never runs user code: it walks
 * the syntax tree, evaluates constants and simple arithmetic, binds parameters, unrolls loops over literal
 * ranges and lists, inlines function calls and class instantiations, and records every layer call on a
 * symbolic tensor into a Trace. Anything it cannot evaluate becomes an Unknown value; a tensor passed through
 * something unknown becomes the output of an "unsupported" layer, so shapes downstream are unknown, not guessed.
 *
 * This class holds the state of one read (globals, budget, call frames, diagnostics). The evaluation itself
 * lives in the per-topic modules next to it, which call back through the methods below so that no two of
 * them import each other.
 */
import type { SourceLocation } from '../../spec';
import { textOf, type ParsedSource, type SyntaxNode } from '../syntax';
import { diagnosticKey, locate } from '../common';
import type { Shape } from '../../shape';
import type { Framework } from '../../spec';
import type { TfModule } from '../../tfjs/loadTf';
import { LimitError, Trace, type TensorRef } from '../trace';
import type { DiagnosticCode, DiagnosticSeverity, ReaderLimits, SourceDiagnostic } from '../types';
import { BreakSignal, ContinueSignal, ReturnSignal, Scope, type Frame } from './scope';
import { lookupClassAttr, type LayerObj, type PyClass, type PyFunc, type PyModule, type Value } from './values';
import type { ModuleFiles } from '../moduleFiles';
import { iterate, pythonStrWithin, TOO_LARGE, truthy } from './conversions';
import { assign, bindUnknownTargets, execBlock, execStatement } from './statements';
import { makeFunction, safeEval } from './definitions';
import { evaluate } from './expressions';
import { binary } from './operators';
import { callFunction, callValue } from './calls';
import { getAttr } from './attributes';
import { opaque, scopedName } from './tensors';
import { applyLayer } from './layerCalls';
import { assignPaths } from './modelMethods';

export interface ModelRun {
  model: Value;
  /** Example input dims in the framework's order (NCHW / NHWC, or CHW for torchsummary). */
  dims: number[] | null;
  node: SyntaxNode;
  /** The example call's other arguments (net(a, b), model(x, labels)): forward() gets them too. */
  rest?: { args: Value[]; kwargs: Map<string, Value> };
}

export interface ProgramState {
  globals: Scope;
  /** Models the example code runs or summarises, in order. */
  runs: ModelRun[];
  /** Statement-level assignments at module level (and in __main__) of model values: variable → statement. */
  assignments: { name: string; value: Value; node: SyntaxNode }[];
  /** Top-level function and class definitions in order. */
  definitions: { name: string; node: SyntaxNode; value: PyFunc | PyClass; decorators?: string[] }[];
  /** Model values returned by a top-level function called with no arguments: value → function name. */
  factoryResults: WeakMap<object, string>;
  /** Module instances made with no constructor arguments. */
  noArgInstances: WeakSet<object>;
}

export class PythonInterpreter {
  private steps = 0;
  /** Nesting of user function calls, against limits.maxCallDepth. */
  depth = 0;
  diagnostics: SourceDiagnostic[] = [];
  private readonly seen = new Set<string>();
  readonly frames: Frame[] = [];
  /** What the module's top level leaves for the reader: globals, definitions, model assignments and runs. */
  readonly state: ProgramState;
  /** Called with each user class instantiated and each user function called (to find models used by others). */
  onUse: ((what: PyClass | PyFunc) => void) | null = null;
  atTopLevel = true;
  /** Modules read for imports in this read, by file (Python's sys.modules), and how deep imports nest now. */
  readonly importedModules = new Map<string, PyModule>();
  importDepth = 0;
  /** Every trace made by this read, so their tfjs layers can be freed together. */

  /**
   * True once the code has asked for the given input (`givenInput()`): until then this read is the same as a read
   * at any other input, or at none (the reader lists a file's models from a read at the given input only then).
   */
  private askedForInput = false;

  /**
   * `inputOverride` (engine order, no batch, same rank) replaces the shape of the model inputs the code declares (keras.Input):
   * a read at another input size reads the code again at that size.
   */
  constructor(
    readonly source: ParsedSource,
    private readonly file: string,
    readonly limits: ReaderLimits,
    readonly tf: TfModule,
    private readonly inputOverride: Shape | null = null,
    /** The other files imports may read; null: imports are not followed. */
    readonly modules: ModuleFiles | null = null,
  ) {
    const globals = new Scope(null, 'module');
    globals.vars.set('__name__', '__main__');
    this.state = { globals, runs: [], assignments: [], definitions: [], factoryResults: new WeakMap(), noArgInstances: new WeakSet() };
  }

  /** A new graph: a model's input (`example` null) or a dummy tensor the code makes (torch.zeros(1, 3, 32, 32)). */
  newTrace(framework: Framework, input: Shape | null, example: number[] | null = null): Trace {
    const trace = new Trace(framework, input, this.limits.maxLayers, this.tf, example);
    return trace;
  }

  /** The given input, for code that declares a model input (keras.Input); the only way the code reads it. */
  givenInput(): Shape | null {
    this.askedForInput = true;
    return this.inputOverride;
  }

  /** Whether anything read so far depended on the given input (see `askedForInput`). */
  get dependsOnInput(): boolean {
    return this.askedForInput;
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

  // -------------------------------------------------------------------------------------------- helpers

  loc(node: SyntaxNode): SourceLocation {
    return locate(node, this.file);
  }

  text(node: SyntaxNode): string {
    return textOf(this.source, node);
  }

  report(severity: DiagnosticSeverity, code: DiagnosticCode, message: string, node: SyntaxNode | SourceLocation): void {
    const diagnostic: SourceDiagnostic = { severity, code, message, source: 'type' in node ? this.loc(node) : node };
    const key = diagnosticKey(diagnostic);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.diagnostics.push(diagnostic);
  }

  tick(node: SyntaxNode): void {
    if (++this.steps > this.limits.maxSteps) {
      throw new LimitError(`stopped reading after ${this.limits.maxSteps} evaluation steps (the code loops or recurses too much)`, this.loc(node));
    }
  }

  /** Work proportional to a value's size (sorting, joining) counts against the step budget. */
  charge(steps: number, node: SyntaxNode | null): void {
    this.steps += steps;
    if (this.steps > this.limits.maxSteps) {
      throw new LimitError(`stopped reading after ${this.limits.maxSteps} evaluation steps (the code loops or recurses too much)`, node ? this.loc(node) : null);
    }
  }

  /** Refuses a list, tuple, dict or string before it grows past the size cap. */
  checkSize(size: number, node: SyntaxNode | null): void {
    if (size > this.limits.maxValueSize) {
      throw new LimitError(`a value would grow to ${size} elements, past the limit of ${this.limits.maxValueSize}; gave up here`, node ? this.loc(node) : null);
    }
  }

  get frame(): Frame | undefined {
    return this.frames[this.frames.length - 1];
  }

  // -------------------------------------------------------------------------------------------- program

  /** Runs the module's top level: imports, definitions, constants and the example code. */
  runModule(root: SyntaxNode): void {
    this.atTopLevel = true;
    try {
      for (const stmt of root.children) {
        try {
          this.execBlock([stmt], this.state.globals, true);
        } catch (error) {
          // V8's own stack running out (20,000 nested unary minuses) is a cap like ours, caught once unwound to here.
          const overflow = error instanceof RangeError && /call stack|Invalid (string|array) length/i.test(error.message);
          if (!(error instanceof LimitError) && !overflow) throw error;
          const message = !overflow
            ? (error as LimitError).message
            : /call stack/i.test(error.message)
              ? 'the code nests deeper than CNN Inspector follows; gave up here'
              : 'a value grew larger than CNN Inspector holds; gave up here';
          // A cap stops only the module-level statement that hit it: the definitions and models after it are read.
          this.report('warning', 'limit', message, (error as LimitError).source ?? this.loc(stmt));
          this.resetBudget();
          bindUnknownTargets(this, stmt, this.state.globals, message);
        }
      }
    } catch (signal) {
      // A module-level raise (or a stray return/break) ends the module, as it would in Python.
      if (!(signal instanceof ReturnSignal || signal instanceof BreakSignal || signal instanceof ContinueSignal)) throw signal;
    }
  }

  /** Gives every module in a PyTorch model tree its attribute path, as named_modules() would. */
  assignPaths(root: Value): void {
    assignPaths(root);
  }

  // -------------------------------------------------------------------------------------------- entry points for the topic modules

  execBlock(statements: readonly SyntaxNode[], scope: Scope, topLevel = false): void {
    execBlock(this, statements, scope, topLevel);
  }

  execStatement(stmt: SyntaxNode, scope: Scope, topLevel: boolean): void {
    execStatement(this, stmt, scope, topLevel);
  }

  assign(target: SyntaxNode, value: Value, scope: Scope): void {
    assign(this, target, value, scope);
  }

  makeFunction(node: SyntaxNode, scope: Scope, owner: PyClass | null): PyFunc {
    return makeFunction(this, node, scope, owner);
  }

  /** Evaluates, turning a construct the reader does not translate into Unknown instead of an error. */
  safeEval(node: SyntaxNode, scope: Scope): Value {
    return safeEval(this, node, scope);
  }

  eval(node: SyntaxNode, scope: Scope): Value {
    return evaluate(this, node, scope);
  }

  binary(op: string, a: Value, b: Value, node: SyntaxNode): Value {
    return binary(this, op, a, b, node);
  }

  truthy(v: Value): boolean | null {
    return truthy(v);
  }

  /** str(v); a string past the value-size cap stops the statement (a LimitError), as Python would run out of memory. */
  str(v: Value): string | null {
    const out = pythonStrWithin(v, this.limits.maxValueSize);
    if (out === TOO_LARGE) throw new LimitError(`str() of a value longer than ${this.limits.maxValueSize} characters; gave up here`);
    return out;
  }

  iterate(v: Value): Value[] | null {
    return iterate(v);
  }

  callValue(callee: Value, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
    return callValue(this, callee, args, kwargs, node);
  }

  callFunction(fn: PyFunc, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode, self: Value | undefined): Value {
    return callFunction(this, fn, args, kwargs, node, self);
  }

  lookupClassAttr(cls: PyClass, name: string): Value | undefined {
    return lookupClassAttr(cls, name);
  }

  getAttr(obj: Value, name: string, node: SyntaxNode): Value {
    return getAttr(this, obj, name, node);
  }

  /** A tensor passed through something the reader cannot translate: an unsupported layer, shapes unknown after it. */
  opaque(tensor: TensorRef, what: string, node: SyntaxNode, others: readonly TensorRef[] = []): TensorRef {
    return opaque(this, tensor, what, node, others);
  }

  /** A layer name under the module whose forward() is running (features.0.relu), as PyTorch names it. */
  scopedName(base: string): string {
    return scopedName(this, base);
  }

  /** Calls a layer object on tensors. */
  applyLayer(layer: LayerObj, args: Value[], kwargs: Map<string, Value>): Value {
    return applyLayer(this, layer, args, kwargs);
  }
}
