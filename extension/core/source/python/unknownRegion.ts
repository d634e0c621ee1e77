/**
 * Python's side of the rule in ../unknownRegion.ts (code the reader cannot tell will run is never guessed
 * at): what a Python region can touch, found in its syntax, and what only Python has — `self.` attributes it
 * assigns, containers it mutates or passes to a call — made unknown too.
 */
import { markFreezingUnknown, PARAMETER_TEXT, ParameterHandle, ParameterRef } from './freezing';
import { UnknownParameter } from './torchParameters';
import { field, namedChildren, type SyntaxNode } from '../syntax';
import type { TensorRef } from '../trace';
import { markRegionUnknown, type RegionHost } from '../unknownRegion';
import type { PythonInterpreter } from './interpreter';
import { ReturnSignal, type Scope } from './scope';
import { isModuleLike, isTensor, PyDict, PyList, PyObj, Unknown, type Value } from './values';

const MUTATORS = /^(append|extend|insert|update|add|add_module|pop|remove|setdefault|clear)$/;

interface RegionEffects {
  names: Set<string>;
  selfAttrs: Set<string>;
  mutated: Set<string>;
  read: Set<string>;
  /** Names passed to calls: containers among them may be changed. */
  maybeChanged: Set<string>;
  returns: boolean;
  /**
   * What the region sets requires_grad or trainable on (`p.requires_grad = False`, `m.requires_grad_(False)`), as
   * written: when that may be a parameter or a layer, what is frozen is unknown.
   */
  freezes: { target: string; keras: boolean }[];
}

function effectsOf(it: PythonInterpreter, bodies: readonly (readonly SyntaxNode[])[]): RegionEffects {
  const fx: RegionEffects = { names: new Set(), selfAttrs: new Set(), mutated: new Set(), read: new Set(), maybeChanged: new Set(), returns: false, freezes: [] };
  const targets = (left: SyntaxNode): void => {
    if (left.type === 'identifier') fx.names.add(it.text(left));
    else if (left.type === 'attribute') {
      const obj = field(left, 'object');
      if (obj?.type === 'identifier' && it.text(obj) === 'self') fx.selfAttrs.add(it.text(field(left, 'attribute')!));
      const attr = it.text(field(left, 'attribute')!);
      if (attr === 'requires_grad' || attr === 'trainable') fx.freezes.push({ target: it.text(obj!), keras: attr === 'trainable' });
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
      if (fn?.type === 'attribute' && it.text(field(fn, 'attribute')!) === 'requires_grad_') fx.freezes.push({ target: it.text(obj!), keras: false });
      if (obj?.type === 'identifier' && it.text(obj) !== 'self' && MUTATORS.test(it.text(field(fn!, 'attribute')!))) fx.mutated.add(it.text(obj));
      // A list or dict passed to a call may be changed by it (torchvision's _ovewrite_named_param(kwargs, ...)).
      for (const a of namedChildren(field(n, 'arguments') ?? n)) if (a.type === 'identifier') fx.maybeChanged.add(it.text(a));
    }
    for (const c of n.children) stack.push(c);
  }
  return fx;
}

/**
 * Whether `target.requires_grad = …` in a region may freeze parameters: Keras' trainable always; requires_grad when
 * the target is a parameter or module the reader holds, or the code around it names parameters or layers; an input
 * tensor (`data.requires_grad = True` in an adversarial-example loop) does not.
 */
function mayFreezeParameters(f: { target: string; keras: boolean }, scope: Scope, label: string): boolean {
  if (f.keras || PARAMETER_TEXT.test(f.target) || PARAMETER_TEXT.test(label)) return true;
  const base = /^[A-Za-z_]\w*/.exec(f.target)?.[0];
  const v = base === undefined ? undefined : scope.lookup(base);
  return v instanceof ParameterHandle || v instanceof ParameterRef || isModuleLike(v ?? null);
}

/**
 * Marks a region that may or may not run as unknown (see the file comment). `why` is the located reason, as
 * reported; `label` names the layer that stands for the region ("the branch at line 33").
 */
export function skipUnknownRegion(it: PythonInterpreter, bodies: readonly (readonly SyntaxNode[])[], scope: Scope, node: SyntaxNode, label: string, why: string): void {
  const fx = effectsOf(it, bodies);
  const host: RegionHost<Value> = {
    lookup: (name) => {
      const value = scope.lookup(name);
      return value === undefined ? undefined : { value };
    },
    isTensor: (v): v is Value & TensorRef => v !== undefined && isTensor(v),
    unknown: (reason) => new Unknown(reason),
    bind: (name, value) => scope.vars.set(name, value),
    layerName: (base) => it.scopedName(base),
  };
  if (fx.freezes.some((f) => mayFreezeParameters(f, scope, label))) markFreezingUnknown(it.state, `requires_grad or trainable is set in code the reader could not follow (${why})`, it.loc(node));
  const out = markRegionUnknown(host, { read: fx.read, assigned: fx.names }, label, it.loc(node), why);
  for (const name of fx.mutated) scope.vars.set(name, new Unknown(why));
  for (const name of fx.maybeChanged) {
    const v = scope.lookup(name);
    if (v instanceof PyList || v instanceof PyDict) scope.vars.set(name, new Unknown(why));
  }
  const self = it.frame?.self;
  // On a torch module the attribute may be a module or parameter (if WIDE: self.fc = nn.Linear(10, 20)): what
  // model.parameters() counts is then unknown, never the other branch's or none.
  if (self instanceof PyObj) for (const a of fx.selfAttrs) self.attrs.set(a, self.cls.kind === 'torch' ? new UnknownParameter(why, it.loc(node), true) : new Unknown(why));
  if (fx.returns) throw new ReturnSignal(out);
}
