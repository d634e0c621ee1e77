/**
 * Execution of Python statements: assignments, if/for/while (loops unrolled), with/try bodies, and
 * return/break/continue as signals.
 */
import { tensorTruthReason } from './conversions';
import { setNamedTupleAttr } from './namedTuples';
import { withLayerwiseLoop } from './layerwiseRuns';
import { field, namedChildren, type SyntaxNode } from '../syntax';
import { LimitError } from '../trace';
import type { PythonInterpreter } from './interpreter';
import { BreakSignal, ContinueSignal, ReturnSignal, type Scope, Unsupported } from './scope';
import { isDataclassDecorator, makeDataclass } from './dataclasses';
import { Extern, isModelValue, keyOf, KerasFunctional, KerasSequential, KerasWeight, LayerObj, PyClass, PyDict, PyList, PyObj, TorchContainer, Unknown, type Value } from './values';
import { execImport, makeClass } from './definitions';
import { markFreezingUnknown, PARAMETER_TEXT, ParameterHandle, ParameterRef, setHandleRequiresGrad, setKerasTrainable, setRefRequiresGrad } from './freezing';
import { skipUnknownRegion } from './unknownRegion';
import { setModuleItem } from './moduleItems';
import { execDelete } from './deleteStatement';
import { UNKNOWN_WORDING } from '../unknownRegion';
import { shortText } from '../common';
import { setLayerState } from './layerStateChange';
import { subclassLayer } from './layerSubclass';

const COMPOUND = new Set(['for_statement', 'while_statement', 'if_statement', 'with_statement', 'try_statement']);

export function execBlock(it: PythonInterpreter, statements: readonly SyntaxNode[], scope: Scope, topLevel = false): void {
  for (const stmt of statements) {
    if (!stmt.named || stmt.type === 'comment') continue;
    if (stmt.type === 'ERROR') continue; // reported once by the reader from the syntax tree
    try {
      it.execStatement(stmt, scope, topLevel);
    } catch (error) {
      if (error instanceof Unsupported) {
        it.report('info', 'unsupported', error.message, stmt);
        // A return the reader cannot evaluate still returns: what it returns is unknown, never what the code
        // after it (or falling off the end, None) would give.
        if (stmt.type === 'return_statement') throw new ReturnSignal(new Unknown(error.message));
        bindUnknownTargets(it, stmt, scope, error.message);
      } else throw error;
    }
  }
}

export function bindUnknownTargets(it: PythonInterpreter, stmt: SyntaxNode, scope: Scope, why: string): void {
  // A loop or branch that stopped part-way (its iterable, a condition or a call in it could not be read) ran
  // an unknown number of times: what it assigns or appends to is unknown, never what it was before the loop.
  if (COMPOUND.has(stmt.type)) {
    skipUnknownRegion(it, [[stmt]], scope, stmt, `${stmt.type.replace(/_statement$/, '')} at line ${it.loc(stmt).line}`, why);
    return;
  }
  const inner = stmt.type === 'expression_statement' ? namedChildren(stmt)[0] : stmt;
  if (inner && (inner.type === 'assignment' || inner.type === 'augmented_assignment')) {
    const left = field(inner, 'left');
    if (left) {
      try {
        it.assign(left, new Unknown(why), scope);
      } catch {
        // Leave the target unbound.
      }
    }
  }
}

export function execStatement(it: PythonInterpreter, stmt: SyntaxNode, scope: Scope, topLevel: boolean): void {
  it.tick(stmt);
  switch (stmt.type) {
    case 'expression_statement': {
      for (const expr of namedChildren(stmt)) {
        if (expr.type === 'assignment') execAssignment(it, expr, scope, topLevel, stmt);
        else if (expr.type === 'augmented_assignment') execAugmented(it, expr, scope);
        else it.eval(expr, scope);
      }
      return;
    }
    case 'import_statement':
    case 'import_from_statement':
    case 'future_import_statement':
      execImport(it, stmt, scope);
      return;
    case 'function_definition': {
      const fn = it.makeFunction(stmt, scope, null);
      scope.vars.set(fn.name, fn);
      if (topLevel) it.state.definitions.push({ name: fn.name, node: stmt, value: fn });
      return;
    }
    case 'class_definition': {
      const cls = makeClass(it, stmt, scope);
      scope.vars.set(cls.name, cls);
      if (topLevel) it.state.definitions.push({ name: cls.name, node: stmt, value: cls });
      return;
    }
    case 'decorated_definition': {
      const def = field(stmt, 'definition');
      if (def) it.execStatement(def, scope, topLevel);
      const entry = topLevel ? it.state.definitions.find((d) => d.node === def) : undefined;
      const decorators = stmt.children.filter((c) => c.type === 'decorator').map((d) => it.text(d));
      if (entry) entry.decorators = decorators;
      if (def?.type === 'class_definition' && decorators.some(isDataclassDecorator)) {
        const cls = scope.vars.get(it.text(field(def, 'name')!));
        if (cls instanceof PyClass) makeDataclass(it, cls);
      }
      return;
    }
    case 'if_statement':
      execIf(it, stmt, scope, topLevel);
      return;
    case 'for_statement':
      execFor(it, stmt, scope, topLevel);
      return;
    case 'while_statement':
      execWhile(it, stmt, scope, topLevel);
      return;
    case 'return_statement': {
      const value = namedChildren(stmt)[0];
      throw new ReturnSignal(value ? it.eval(value, scope) : null);
    }
    case 'global_statement':
      for (const n of namedChildren(stmt)) scope.globals.add(it.text(n));
      return;
    case 'pass_statement':
    case 'assert_statement':
    case 'nonlocal_statement':
    case 'print_statement':
    case 'type_alias_statement':
      return;
    case 'delete_statement':
      execDelete(it, stmt, scope);
      return;
    case 'break_statement':
      throw new BreakSignal();
    case 'continue_statement':
      throw new ContinueSignal();
    case 'with_statement': {
      const body = field(stmt, 'body');
      if (body) it.execBlock(body.children, scope, topLevel);
      return;
    }
    case 'try_statement': {
      const body = field(stmt, 'body');
      if (body) it.execBlock(body.children, scope, topLevel);
      for (const c of stmt.children) if (c.type === 'finally_clause') it.execBlock(namedChildren(c).at(-1)?.children ?? [], scope, topLevel);
      return;
    }
    case 'raise_statement': {
      // Reached for certain (an unknown branch is never entered): say where, since what the function or
      // constructor was building is unknown from here (MobileNetV3's argument check raised with no word).
      const why = UNKNOWN_WORDING.raises(shortText(it.text(stmt)));
      it.report('warning', 'unknown', why, stmt);
      throw new ReturnSignal(new Unknown(why));
    }
    case 'block':
      it.execBlock(stmt.children, scope, topLevel);
      return;
    default:
      throw new Unsupported(`${stmt.type.replace(/_/g, ' ')} is not read; ignored`);
  }
}

function execAssignment(it: PythonInterpreter, node: SyntaxNode, scope: Scope, topLevel: boolean, stmt: SyntaxNode): void {
  const right = field(node, 'right');
  const left = field(node, 'left');
  if (!left || !right) return; // annotation without value
  // Chained a = b = value: the right side is itself an assignment.
  if (right.type === 'assignment') {
    execAssignment(it, right, scope, topLevel, stmt);
    const value = it.eval(field(right, 'left')!, scope);
    it.assign(left, value, scope);
    return;
  }
  const value = it.eval(right, scope);
  it.assign(left, value, scope);
  if (topLevel && left.type === 'identifier' && isModelValue(value)) {
    it.state.assignments.push({ name: it.text(left), value, node: stmt });
  }
}

function execAugmented(it: PythonInterpreter, node: SyntaxNode, scope: Scope): void {
  const left = field(node, 'left')!;
  const right = field(node, 'right')!;
  const op = it.text(field(node, 'operator')!).slice(0, -1);
  const current = it.eval(left, scope);
  const value = it.binary(op, current, it.eval(right, scope), node);
  it.assign(left, value, scope);
}

export function assign(it: PythonInterpreter, target: SyntaxNode, value: Value, scope: Scope): void {
  switch (target.type) {
    case 'identifier': {
      const name = it.text(target);
      if (scope.globals.has(name)) moduleScope(scope, it.state.globals).vars.set(name, value);
      else scope.vars.set(name, value);
      return;
    }
    case 'attribute': {
      const obj = it.eval(field(target, 'object')!, scope);
      setAttr(it, obj, it.text(field(target, 'attribute')!), value, target);
      return;
    }
    case 'subscript': {
      if (assignRegisteredModule(it, target, value, scope)) return;
      const obj = it.eval(field(target, 'value')!, scope);
      const index = it.eval(field(target, 'subscript')!, scope);
      if (obj instanceof PyList && typeof index === 'number') {
        const i = index < 0 ? obj.items.length + index : index;
        if (i >= 0 && i < obj.items.length) obj.items[i] = value;
      } else if (obj instanceof PyDict && keyOf(index) !== undefined) obj.map.set(keyOf(index)!, value);
      else if (!setModuleItem(obj, index, value, it.loc(target)) && obj instanceof PyObj && obj.cls.kind === 'torch') {
        // Some other module's __setitem__: what it registers is unknown, never the module left as it was.
        throw new Unsupported(`${it.text(target)} = … on a ${obj.cls.name} is not read`);
      }
      return;
    }
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'tuple':
    case 'list': {
      const targets = namedChildren(target);
      const items = it.iterate(value);
      if (items === null) {
        for (const t of targets) it.assign(t, new Unknown('could not unpack'), scope);
        return;
      }
      const star = targets.findIndex((t) => t.type === 'list_splat_pattern');
      if (star < 0) {
        // `i < length`, not `??`: a None among the values (`return layers, None`) is a value like any other.
        targets.forEach((t, i) => it.assign(t, i < items.length ? items[i]! : new Unknown('too few values to unpack'), scope));
      } else {
        const after = targets.length - star - 1;
        targets.forEach((t, i) => {
          if (i < star) it.assign(t, i < items.length ? items[i]! : new Unknown('unpack'), scope);
          else if (i === star) it.assign(namedChildren(t)[0]!, new PyList(items.slice(star, items.length - after)), scope);
          else it.assign(t, items.length - (targets.length - i) >= star ? items[items.length - (targets.length - i)]! : new Unknown('unpack'), scope);
        });
      }
      return;
    }
    case 'parenthesized_expression':
      it.assign(namedChildren(target)[0]!, value, scope);
      return;
    default:
      throw new Unsupported(`assignment to ${target.type} is not read`);
  }
}

/**
 * `module._modules[name] = new` (torchvision's quantization `_replace_relu`): nn.Module's registry of its
 * children, so the child `name` is replaced, as `setattr(module, name, new)` would.
 */
function assignRegisteredModule(it: PythonInterpreter, target: SyntaxNode, value: Value, scope: Scope): boolean {
  const registry = field(target, 'value')!;
  if (registry.type !== 'attribute' || it.text(field(registry, 'attribute')!) !== '_modules') return false;
  const owner = it.eval(field(registry, 'object')!, scope);
  if (!((owner instanceof PyObj && owner.cls.kind === 'torch') || owner instanceof TorchContainer)) return false;
  const key = it.eval(field(target, 'subscript')!, scope);
  if (typeof key !== 'string') throw new Unsupported(`${it.text(target)} with a key the reader could not evaluate`);
  if (owner instanceof TorchContainer) owner.children.set(key, value);
  else owner.attrs.set(key, value);
  return true;
}

function setAttr(it: PythonInterpreter, obj: Value, name: string, value: Value, node: SyntaxNode): void {
  if (setNamedTupleAttr(it, obj, name, value)) return;
  if (obj instanceof ParameterHandle) {
    if (name === 'requires_grad' && setHandleRequiresGrad(obj, value)) return;
    markFreezingUnknown(it.state, `${it.text(node)}: a requires_grad the reader could not evaluate`, it.loc(node));
    throw new Unsupported(`setting .${name} of a parameter to this value is not read; which parameters are trainable is unknown (${it.text(node)})`);
  }
  if (obj instanceof ParameterRef && name === 'requires_grad') {
    if (!setRefRequiresGrad(obj, value)) markFreezingUnknown(it.state, `${it.text(node)}: a requires_grad the reader could not evaluate`, it.loc(node));
    return;
  }
  // A value the reader could not evaluate, or another framework object: what it freezes is unknown.
  // (requires_grad on a value whose code names no parameter or layer is an input tensor's: `data.requires_grad = True`.)
  const reachesParameters = PARAMETER_TEXT.test(it.text(node));
  if ((name === 'trainable' || (name === 'requires_grad' && reachesParameters)) && (obj instanceof Unknown || obj instanceof KerasWeight || obj instanceof Extern)) {
    markFreezingUnknown(it.state, `${it.text(node)}: ${name} of ${obj instanceof Unknown ? 'a value the reader could not evaluate' : 'this value'} is not read`, it.loc(node));
  }
  if (name === 'trainable' && ((obj instanceof LayerObj && obj.framework === 'keras') || obj instanceof KerasSequential || obj instanceof KerasFunctional)) {
    setKerasTrainable(it.state, obj, value, it.loc(node));
    return;
  }
  if (name === 'trainable' && obj instanceof PyObj && obj.cls.kind === 'keras') setKerasTrainable(it.state, obj, value, it.loc(node));
  // A torch.nn layer's attribute set after construction (see layerStateChange.ts).
  if (obj instanceof LayerObj && obj.framework === 'pytorch' && setLayerState(obj, name, value, it.text(node), false)) return;
  const ownLayer = obj instanceof PyObj && obj.cls.kind === 'torch' ? subclassLayer(obj) : undefined;
  if (ownLayer) setLayerState(ownLayer, name, value, it.text(node), true);
  if (obj instanceof PyObj) obj.attrs.set(name, value);
  else if (obj instanceof PyClass) obj.attrs.set(name, value);
  else if (obj instanceof Unknown || obj instanceof Extern) return;
  else if (obj instanceof KerasSequential || obj instanceof KerasFunctional || obj instanceof LayerObj || obj instanceof TorchContainer) return;
  else throw new Unsupported(`setting .${name} on this value is not read (${it.text(node)})`);
}

function execIf(it: PythonInterpreter, stmt: SyntaxNode, scope: Scope, topLevel: boolean): void {
  const branches: { condition: SyntaxNode | null; body: readonly SyntaxNode[] }[] = [{ condition: field(stmt, 'condition')!, body: field(stmt, 'consequence')?.children ?? [] }];
  for (const alt of stmt.children) {
    if (alt.type === 'elif_clause') branches.push({ condition: field(alt, 'condition')!, body: field(alt, 'consequence')?.children ?? [] });
    else if (alt.type === 'else_clause') branches.push({ condition: null, body: field(alt, 'body')?.children ?? [] });
  }
  for (const [i, branch] of branches.entries()) {
    if (branch.condition === null) {
      it.execBlock(branch.body, scope, topLevel);
      return;
    }
    const value = it.eval(branch.condition, scope);
    const truth = it.truthy(value);
    if (truth === true) {
      it.execBlock(branch.body, scope, topLevel);
      return;
    }
    if (truth === null) {
      // Never a guess: this branch and every one after it may or may not run.
      const text = it.text(branch.condition);
      const why = UNKNOWN_WORDING.branch(shortText(text), unknownReason(value));
      it.report('warning', 'unknown', why, branch.condition);
      skipUnknownRegion(it, branches.slice(i).map((b) => b.body), scope, branch.condition, `if ${shortText(text)}`, why);
      return;
    }
  }
}

/** "is unknown because …" from an Unknown's reason. */
function unknownReason(v: Value): string {
  if (v instanceof Unknown) return /because/.test(v.reason) ? `is unknown: ${v.reason}` : `is unknown (${v.reason})`;
  const tensor = tensorTruthReason(v);
  if (tensor) return `is a tensor: ${tensor}`;
  return 'has a truth value the reader cannot tell';
}

function execFor(it: PythonInterpreter, stmt: SyntaxNode, scope: Scope, topLevel: boolean): void {
  const iterable = it.eval(field(stmt, 'right')!, scope);
  const items = it.iterate(iterable);
  const body = field(stmt, 'body')?.children ?? [];
  if (items === null) {
    const raised = iterable instanceof Unknown && iterable.reason.startsWith('Python raises') ? `: ${iterable.reason}` : '';
    const why = UNKNOWN_WORDING.iterates(shortText(it.text(field(stmt, 'right')!))) + raised;
    it.report('warning', 'unknown', why, field(stmt, 'right')!);
    skipUnknownRegion(it, [body], scope, field(stmt, 'right')!, `for … in ${shortText(it.text(field(stmt, 'right')!))}`, why);
    return;
  }
  if (items.length > it.limits.maxLoopIterations) {
    throw new LimitError(`a loop of ${items.length} iterations exceeds the limit of ${it.limits.maxLoopIterations}`, it.loc(stmt));
  }
  const broke = withLayerwiseLoop(it, iterable, items, topLevel, () => {
    for (const item of items) {
      it.tick(stmt);
      it.assign(field(stmt, 'left')!, item, scope);
      if (loopBody(it, body, scope, topLevel)) return true;
    }
    return false;
  });
  if (broke) return;
  const alt = stmt.children.find((c) => c.type === 'else_clause');
  if (alt) it.execBlock(field(alt, 'body')?.children ?? [], scope, topLevel);
}

function execWhile(it: PythonInterpreter, stmt: SyntaxNode, scope: Scope, topLevel: boolean): void {
  for (let i = 0; ; i++) {
    if (i >= it.limits.maxLoopIterations) throw new LimitError(`a while loop ran more than ${it.limits.maxLoopIterations} iterations`, it.loc(stmt));
    const c = it.truthy(it.eval(field(stmt, 'condition')!, scope));
    if (c === null) {
      const why = UNKNOWN_WORDING.loopAgain(shortText(it.text(field(stmt, 'condition')!)));
      it.report('warning', 'unknown', why, field(stmt, 'condition')!);
      skipUnknownRegion(it, [field(stmt, 'body')?.children ?? []], scope, field(stmt, 'condition')!, `while ${shortText(it.text(field(stmt, 'condition')!))}`, why);
      return;
    }
    if (!c) return;
    if (loopBody(it, field(stmt, 'body')?.children ?? [], scope, topLevel)) return;
  }
}

/** Runs one iteration of a loop body; true when it breaks out of the loop. */
function loopBody(it: PythonInterpreter, body: readonly SyntaxNode[], scope: Scope, topLevel: boolean): boolean {
  try {
    it.execBlock(body, scope, topLevel);
  } catch (signal) {
    if (signal instanceof BreakSignal) return true;
    if (!(signal instanceof ContinueSignal)) throw signal;
  }
  return false;
}

/** The module scope a function's `global` names live in: its own module's (an imported file's), not the read file's. */
function moduleScope(scope: Scope, fallback: Scope): Scope {
  for (let s: Scope | null = scope; s; s = s.parent) if (s.kind === 'module') return s;
  return fallback;
}
