/**
 * Freezing in PyTorch code (the transfer-learning tutorial's `for param in model.parameters():
 * param.requires_grad = False`, `for name, p in model.named_parameters(): if not name.startswith('fc'): ...`,
 * `model.requires_grad_(False)`): PyTorch's trainable count (torchinfo's "Trainable params") is the parameters with
 * requires_grad set when the model is counted. `parameters()` / `named_parameters()` give one handle per parameter
 * the module holds at that moment (conv.weight, conv.bias, an nn.Parameter), so a module assigned afterwards (the new
 * `fc`) stays trainable; setting `requires_grad` on a handle freezes or thaws that parameter, and a layer built from
 * a frozen module carries non-trainable weights. What the reader cannot read (a flag it cannot evaluate, freezing in
 * a branch it cannot decide, a module frozen in part) makes the split unknown, never the split as if unfrozen.
 */
import type { SourceLocation } from '../../spec';
import type { SyntaxNode } from '../syntax';
import type { Trace } from '../trace';
import { isUnknown, type Plain } from '../layerArgs';
import { TORCH_PARAMETER_FREE, TORCH_PARAMETER_SLOTS } from '../../layerKnowledge/torchParameterNames';
import { TorchParameter } from './torchParameters';
import { Builtin, Extern, KerasFunctional, KerasSequential, LayerObj, PyClass, PyDict, PyList, PyObj, PyTuple, TorchContainer, Unknown, type Value } from './values';
import { hasOwnWeights } from './kerasLayerSubclass';

type Owner = LayerObj | TorchParameter;

/** What `for p in model.parameters()` yields: one parameter of a leaf module (`slot` weight, bias), or an nn.Parameter. */
export class ParameterHandle extends PyObj {
  constructor(
    readonly owner: Owner,
    /** The parameter's name in its module; null for an nn.Parameter, or for a module whose names are unknown (all of it). */
    readonly slot: string | null,
    node: SyntaxNode,
    read: object,
    at: SourceLocation,
  ) {
    super(new PyClass('Parameter', node, [], new Map(), 'plain'));
    // p.requires_grad_(False), as the attribute is set; a flag the reader cannot read makes the split unknown.
    this.attrs.set('requires_grad_', new Builtin('requires_grad_', ([flag], kwargs) => {
      if (setHandleRequiresGrad(this, flag ?? kwargs.get('requires_grad') ?? true)) return this;
      markFreezingUnknown(read, 'requires_grad_() of a parameter with a value the reader could not evaluate', at);
      return new Unknown('requires_grad_() of a value the reader could not evaluate');
    }));
  }
}

/**
 * `module.weight` / `module.bias` of a torch.nn layer: the framework's Parameter (an Extern to everything else the
 * code does with it: `.data`, `nn.init.*`), which `requires_grad = flag` / `requires_grad_(flag)` freeze or thaw.
 */
export class ParameterRef extends Extern {
  constructor(
    readonly owner: LayerObj,
    readonly slot: string,
  ) {
    super('torch.nn.Parameter');
  }
}

/** `ref.requires_grad = flag` / `ref.requires_grad_(flag)`; false when the flag is not a bool. */
export function setRefRequiresGrad(ref: ParameterRef, flag: Value): boolean {
  if (typeof flag !== 'boolean') return false;
  setFrozen(ref.owner, flag, ref.slot);
  return true;
}

/** Whole modules and parameters frozen by the code (requires_grad False). */
const frozen = new WeakSet<Owner>();
/** Single parameters of a module frozen or thawed since (conv.bias alone). */
const frozenSlots = new WeakMap<Owner, Map<string, boolean>>();

const keyOf = (owner: Owner): Owner => (owner instanceof TorchParameter ? owner.base : owner);

/** True when all of its parameters are frozen, false when none is, 'partly' when some are. */
export function isFrozen(owner: Owner): boolean | 'partly' {
  const key = keyOf(owner);
  const whole = frozen.has(key);
  const slots = frozenSlots.get(key);
  if (!slots || !(key instanceof LayerObj)) return whole;
  const states = (slotsOf(key) ?? [...slots.keys()]).map((s) => slots.get(s) ?? whole);
  return states.every((s) => s) ? true : states.some((s) => s) ? 'partly' : false;
}

function setFrozen(owner: Owner, requiresGrad: boolean, slot: string | null = null): void {
  const key = keyOf(owner);
  if (slot !== null) {
    const slots = frozenSlots.get(key) ?? new Map<string, boolean>();
    slots.set(slot, !requiresGrad);
    frozenSlots.set(key, slots);
    return;
  }
  frozenSlots.delete(key);
  if (requiresGrad) frozen.delete(key);
  else frozen.add(key);
}

/** Positions of the flags in PyTorch's constructors, for flags passed positionally. */
const FLAG_POSITIONS: Record<string, Partial<Record<string, number>>> = {
  Linear: { bias: 2 }, Bilinear: { bias: 3 },
  Conv1d: { bias: 7 }, Conv2d: { bias: 7 }, Conv3d: { bias: 7 }, ConvTranspose1d: { bias: 7 }, ConvTranspose2d: { bias: 7 }, ConvTranspose3d: { bias: 7 },
  BatchNorm1d: { affine: 3 }, BatchNorm2d: { affine: 3 }, BatchNorm3d: { affine: 3 }, SyncBatchNorm: { affine: 3 },
  InstanceNorm1d: { affine: 3 }, InstanceNorm2d: { affine: 3 }, InstanceNorm3d: { affine: 3 }, GroupNorm: { affine: 3 },
  LayerNorm: { elementwise_affine: 2, bias: 3 }, RMSNorm: { elementwise_affine: 2 },
};

/** The parameter names `named_parameters()` gives a leaf module as written; null when the reader does not know them. */
export function slotsOf(layer: LayerObj): string[] | null {
  if (TORCH_PARAMETER_FREE.has(layer.cls)) return [];
  const known = TORCH_PARAMETER_SLOTS[layer.cls];
  if (!known) return null;
  const flag = (name: 'bias' | 'affine' | 'elementwise_affine'): boolean | null => {
    const at = FLAG_POSITIONS[layer.cls]?.[name];
    const given: Plain | undefined = layer.args.keywords.get(name) ?? (at === undefined ? undefined : layer.args.positional[at]);
    if (given === undefined) return known.flags?.[name] ?? true;
    return typeof given === 'boolean' ? given : isUnknown(given) || given === null ? null : Boolean(given);
  };
  let names = [...known.names];
  for (const name of ['affine', 'elementwise_affine', 'bias'] as const) {
    if (known.flags?.[name] === undefined) continue;
    const on = flag(name);
    if (on === null) return null;
    if (!on) names = name === 'bias' ? names.filter((n) => n !== 'bias') : [];
  }
  return names;
}

interface NamedOwner {
  name: string;
  owner: Owner;
  slot: string | null;
}

/**
 * The parameters of a module tree, each once, in registration order, with the names PyTorch gives them; a string
 * (why) when a leaf's parameter names are unknown to the reader.
 */
function namedOwnersOf(root: Value, slotsUnknown: 'whole' | 'fail'): NamedOwner[] | string {
  const seen = new Set<Value>();
  const out: NamedOwner[] = [];
  let why: string | null = null;
  const visit = (v: Value, prefix: string): void => {
    if (seen.has(v) || why !== null) return;
    seen.add(v);
    const child = (k: string): string => (prefix === '' ? k : `${prefix}.${k}`);
    if (v instanceof PyObj && !(v instanceof ParameterHandle) && v.cls.kind !== 'plain') {
      // PyTorch lists a module's own parameters before its submodules'.
      const entries = [...v.attrs];
      for (const [k, c] of entries) if (c instanceof TorchParameter) visit(c, child(k));
      for (const [k, c] of entries) if (!(c instanceof TorchParameter)) visit(c, child(k));
    } else if (v instanceof TorchContainer) for (const [k, c] of v.children) visit(c, child(k));
    else if (v instanceof LayerObj && v.framework === 'pytorch') {
      const slots = slotsOf(v);
      if (slots === null && slotsUnknown === 'fail') why = `the names of nn.${v.cls}'s parameters (${prefix}) are not known to the reader`;
      else if (slots === null) out.push({ name: prefix, owner: v, slot: null });
      else for (const s of slots) out.push({ name: child(s), owner: v, slot: s });
    } else if (v instanceof TorchParameter && v.base === v) out.push({ name: prefix, owner: v, slot: null });
  };
  visit(root, '');
  return why ?? out;
}

/** The leaf modules and nn.Parameters of a module tree, each once (requires_grad_ on the whole tree). */
function ownersOf(root: Value): Owner[] {
  const owners = namedOwnersOf(root, 'whole') as NamedOwner[];
  return [...new Set(owners.map((o) => o.owner))];
}

/** `module.parameters()`: a handle for each parameter it holds now (a whole module where its names are unknown). */
export function parametersOf(root: Value, node: SyntaxNode, read: object, at: SourceLocation): PyList {
  const owners = namedOwnersOf(root, 'whole') as NamedOwner[];
  return new PyList(owners.map((o) => new ParameterHandle(o.owner, o.slot, node, read, at)));
}

/** `module.named_parameters()`: (name, handle) for each parameter, as PyTorch names them; unknown where a name is. */
export function namedParametersOf(root: Value, node: SyntaxNode, read: object, at: SourceLocation): Value {
  const owners = namedOwnersOf(root, 'fail');
  if (typeof owners === 'string') return new Unknown(`named_parameters(): ${owners}`);
  return new PyList(owners.map((o) => new PyTuple([o.name, new ParameterHandle(o.owner, o.slot, node, read, at)])));
}

/** `module.requires_grad_(flag)` (flag True when not given); false when the flag is not a bool. */
export function requiresGrad(root: Value, flag: Value | undefined): boolean {
  const value = flag ?? true;
  if (typeof value !== 'boolean') return false;
  for (const owner of ownersOf(root)) setFrozen(owner, value);
  return true;
}

/** `p.requires_grad = flag` on a handle; false when the flag is not a bool. */
export function setHandleRequiresGrad(handle: ParameterHandle, flag: Value): boolean {
  if (typeof flag !== 'boolean') return false;
  setFrozen(handle.owner, flag, handle.slot);
  return true;
}

/** Names in code that reach parameters or layers (a loop over model.parameters(), conv.weight, model.layers[i]). */
export const PARAMETER_TEXT = /\b(weight|bias|parameters|named_parameters|modules|named_modules|children|named_children|layers|get_layer|param\w*)\b/;

/**
 * Why the code's freezing cannot be read (requires_grad set in a branch or loop the reader cannot decide, or on a
 * value it could not evaluate, or on part of a module), per read: every PyTorch model of that read then has its
 * trainable split unknown, never the split as if nothing were frozen. The first reason only.
 */
const undecided = new WeakMap<object, { message: string; source: SourceLocation }>();

export function markFreezingUnknown(read: object, message: string, source: SourceLocation): void {
  if (!undecided.has(read)) undecided.set(read, { message, source });
}

export function freezingUnknown(read: object): { message: string; source: SourceLocation } | null {
  return undecided.get(read) ?? null;
}

/**
 * Keras reads `trainable` when it counts (summary(), count_params()), not when a layer is called: which Keras
 * layer object (and which functional models around it) each engine layer of a trace came from, so the flags the
 * code leaves at the end decide. A model's setter sets every layer it holds, as Keras' does; a model whose own
 * flag is False holds no trainable weights.
 */
interface KerasOwner {
  layer: LayerObj | null;
  models: readonly KerasFunctional[];
}
const kerasOwners = new WeakMap<Trace, Map<string, KerasOwner>>();

function ownersIn(trace: Trace): Map<string, KerasOwner> {
  let owners = kerasOwners.get(trace);
  if (!owners) kerasOwners.set(trace, (owners = new Map()));
  return owners;
}

/** The engine layers `names` of `trace` hold the weights of Keras layer `layer`. */
export function recordKerasLayer(trace: Trace, names: readonly string[], layer: LayerObj): void {
  const owners = ownersIn(trace);
  for (const n of names) owners.set(n, { layer, models: [] });
}

/** `outer` re-emitted `inner`'s layer `innerName` of functional model `model` as `outerName`. */
export function recordNestedLayer(outer: Trace, outerName: string, inner: Trace, innerName: string, model: KerasFunctional): void {
  const of = kerasOwners.get(inner)?.get(innerName);
  ownersIn(outer).set(outerName, { layer: of?.layer ?? null, models: [model, ...(of?.models ?? [])] });
}

/** The Keras layer object whose weights engine layer `name` of `trace` holds, if a Keras layer made it. */
export function kerasLayerOf(trace: Trace, name: string): LayerObj | null {
  return kerasOwners.get(trace)?.get(name)?.layer ?? null;
}

/** Whether engine layer `name` of `trace` trains, by the flags as the code left them; null when no Keras layer made it. */
export function kerasTrainable(trace: Trace, name: string): boolean | null {
  const of = kerasOwners.get(trace)?.get(name);
  if (!of) return null;
  return of.layer?.args.keywords.get('trainable') !== false && of.models.every((m) => m.trainable);
}

/**
 * `layer.trainable = flag` / `model.trainable = flag` in Keras code: a layer's own flag, a Sequential's layers each,
 * a functional model's own flag and every layer it holds, a layer or model of the file's own classes every layer it
 * tracks (Keras' setter walks `_layers`: attributes, lists, dicts). A flag the reader cannot evaluate, or one set on
 * a layer whose add_weight() weights were already counted, leaves the split unknown (located).
 */
export function setKerasTrainable(read: object, target: LayerObj | KerasSequential | KerasFunctional | PyObj, flag: Value, at: SourceLocation): void {
  if (typeof flag !== 'boolean') {
    markFreezingUnknown(read, 'trainable set to a value the reader could not evaluate', at);
    return;
  }
  const seen = new Set<Value>();
  const visit = (v: Value): void => {
    if (seen.has(v)) return;
    seen.add(v);
    if (v instanceof LayerObj && v.framework === 'keras') v.args.keywords.set('trainable', flag);
    else if (v instanceof KerasSequential) {
      v.trainable = flag;
      for (const l of v.layers) visit(l);
    }
    else if (v instanceof KerasFunctional) {
      v.trainable = flag;
      for (const owner of kerasOwners.get(v.trace)?.values() ?? []) {
        if (owner.layer) visit(owner.layer);
        for (const m of owner.models) m.trainable = flag;
      }
    }
    else if (v instanceof PyObj && v.cls.kind === 'keras') {
      if (hasOwnWeights(v)) markFreezingUnknown(read, `trainable of ${v.cls.name}, whose add_weight() weights the reader counts as made, is not read`, at);
      for (const a of v.attrs.values()) visit(a);
    }
    else if (v instanceof PyList || v instanceof PyTuple) for (const i of v.items) visit(i);
    else if (v instanceof PyDict) for (const i of v.map.values()) visit(i);
  };
  visit(target);
}
