/**
 * Code the reader cannot tell will run (an `if` whose condition is unknown, a loop over something it cannot
 * enumerate) is never guessed at: neither branch is taken. What the region could change becomes unknown from
 * there: a tensor it reads or assigns becomes the output of one "unknown" layer (so every layer after it is
 * still listed, with unknown shapes, and the model is incomplete), other variables and `self.` attributes it
 * assigns become Unknown, and a `return` inside it makes the function's result unknown.
 */
import { field, namedChildren, type SyntaxNode } from '../syntax';
import { UNKNOWN_LAYER, type TensorRef } from '../trace';
import type { PythonInterpreter } from './interpreter';
import { ReturnSignal, type Scope } from './scope';
import { isTensor, PyDict, PyList, PyObj, Unknown, type Value } from './values';

const MUTATORS = /^(append|extend|insert|update|add|add_module|pop|remove|setdefault|clear)$/;

interface RegionEffects {
  names: Set<string>;
  selfAttrs: Set<string>;
  mutated: Set<string>;
  read: Set<string>;
  /** Names passed to calls: containers among them may be changed. */
  maybeChanged: Set<string>;
  returns: boolean;
}

function effectsOf(it: PythonInterpreter, bodies: readonly (readonly SyntaxNode[])[]): RegionEffects {
  const fx: RegionEffects = { names: new Set(), selfAttrs: new Set(), mutated: new Set(), read: new Set(), maybeChanged: new Set(), returns: false };
  const targets = (left: SyntaxNode): void => {
    if (left.type === 'identifier') fx.names.add(it.text(left));
    else if (left.type === 'attribute') {
      const obj = field(left, 'object');
      if (obj?.type === 'identifier' && it.text(obj) === 'self') fx.selfAttrs.add(it.text(field(left, 'attribute')!));
    } else for (const c of namedChildren(left)) targets(c);
  };
  const stack: SyntaxNode[] = bodies.flatMap((b) => [...b]);
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'function_definition' || n.type === 'class_definition') {
      const name = field(n, 'name');
      if (name) fx.names.add(it.text(name));
      continue;
    }
    if (n.type === 'return_statement') fx.returns = true;
    if (n.type === 'identifier') fx.read.add(it.text(n));
    if (n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'for_statement') {
      const left = field(n, 'left');
      if (left) targets(left);
    }
    if (n.type === 'call') {
      const fn = field(n, 'function');
      const obj = fn?.type === 'attribute' ? field(fn, 'object') : null;
      if (obj?.type === 'identifier' && it.text(obj) !== 'self' && MUTATORS.test(it.text(field(fn!, 'attribute')!))) fx.mutated.add(it.text(obj));
      // A list or dict passed to a call may be changed by it (torchvision's _ovewrite_named_param(kwargs, ...)).
      for (const a of namedChildren(field(n, 'arguments') ?? n)) if (a.type === 'identifier') fx.maybeChanged.add(it.text(a));
    }
    for (const c of n.children) stack.push(c);
  }
  return fx;
}

/**
 * Marks a region that may or may not run as unknown (see the file comment). `why` is the located reason, as
 * reported; `label` names the layer that stands for the region ("the branch at line 33").
 */
export function skipUnknownRegion(it: PythonInterpreter, bodies: readonly (readonly SyntaxNode[])[], scope: Scope, node: SyntaxNode, label: string, why: string): void {
  const fx = effectsOf(it, bodies);
  // Tensors the region reads or assigns: the region's unknown output depends on all of them.
  const tensors: TensorRef[] = [];
  for (const name of new Set([...fx.read, ...fx.names])) {
    const v = scope.lookup(name);
    if (v !== undefined && isTensor(v) && !tensors.includes(v)) tensors.push(v);
  }
  const trace = tensors[0]?.trace;
  const inputs = tensors.filter((t) => t.trace === trace);
  let out: Value = new Unknown(why);
  if (trace && inputs.length > 0) {
    const line = it.loc(node).line;
    out = trace.emit(
      { name: it.scopedName(trace.uniqueName(`unknown_${line}`)), sourceType: label, source: it.loc(node) },
      { parts: [{ type: UNKNOWN_LAYER, args: { reason: why }, merge: inputs.length > 1 }] },
      inputs,
    );
  }
  for (const name of fx.names) {
    const current = scope.lookup(name);
    // A name bound to a tensor, or bound for the first time here, is taken to hold the region's tensor.
    scope.vars.set(name, isTensor(out) && (current === undefined || isTensor(current)) ? out : new Unknown(why));
  }
  for (const name of fx.mutated) scope.vars.set(name, new Unknown(why));
  for (const name of fx.maybeChanged) {
    const v = scope.lookup(name);
    if (v instanceof PyList || v instanceof PyDict) scope.vars.set(name, new Unknown(why));
  }
  const self = it.frame?.self;
  if (self instanceof PyObj) for (const a of fx.selfAttrs) self.attrs.set(a, new Unknown(why));
  if (fx.returns) throw new ReturnSignal(out);
}
