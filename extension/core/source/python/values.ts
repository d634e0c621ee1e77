/**
 * The values the Python interpreter works with: Python's own (lists, dicts, functions, classes, objects),
 * stand-ins for what it cannot see (Unknown, Extern) and the framework objects it builds (layers, containers,
 * Keras models). Tensors are the Trace's TensorRef.
 */
import type { Shape } from '../../shape';
import type { SourceLocation } from '../../spec';
import type { SyntaxNode } from '../syntax';
import type { Trace, TensorRef } from '../trace';
import type { Args } from '../layers';
import type { Scope } from './scope';
import type { ConstTensor } from './constTensors';
import type { Refusal } from './floatArguments';

export class Unknown {
  constructor(readonly reason: string) {}
}
/**
 * A tensor of known sizes whose values the code leaves random or uninitialised (`torch.empty(dim)`, timm's
 * LayerScale gamma before its init): unknown as a value, but nn.Parameter(...) of it has these sizes.
 */
export class UnknownValues extends Unknown {
  constructor(readonly dims: readonly number[]) {
    super(`the values of a (${dims.join(', ')}) tensor the code leaves random or uninitialised`);
  }
}
/**
 * A name Keras makes itself from a prefix and a session-wide counter (`input_layer`, `input_layer_3`): which one is
 * unknown, but a string of another form is certainly not it (`layer.name == 'block5_conv1'` is False).
 */
export class AutoName extends Unknown {
  constructor(readonly prefix: string) {
    super(`the name Keras gives it (${prefix} or ${prefix}_<n>)`);
  }

  couldBe(s: string): boolean {
    return s === this.prefix || (s.startsWith(`${this.prefix}_`) && /^\d+$/.test(s.slice(this.prefix.length + 1)));
  }
}
/**
 * A Python float whose value is whole (2.0, 64 / 2, float(3)): as a bare JS number it would pass for the int.
 * Ints and fractional floats stay JS numbers (a fraction is never mistaken for an int). Code that does not
 * know this class meets an object it cannot read, and so answers Unknown rather than a wrong number.
 */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** A computed float as a Value: wrapped when whole, so it stays a float. */
export function pyFloat(x: number): number | PyFloat {
  return Number.isInteger(x) ? new PyFloat(x) : x;
}

/** An int, float or bool as its number and whether Python holds it as a float; null for any other value. */
export function numeric(v: Value | undefined): { value: number; float: boolean } | null {
  if (typeof v === 'number') return { value: v, float: !Number.isInteger(v) };
  if (typeof v === 'boolean') return { value: Number(v), float: false };
  if (v instanceof PyFloat) return { value: v.value, float: true };
  return null;
}

/** The numbers of int, float and bool values, with whether any is a float; null when one is another value. */
export function numArgs(args: Value[]): { values: number[]; float: boolean } | null {
  const n = args.map(numeric);
  if (!n.every((x) => x !== null)) return null;
  return { values: n.map((x) => x!.value), float: n.some((x) => x!.float) };
}

/** A number result of Python arithmetic: a float when `float` (wrapped if whole), else the int itself. */
export function pyNumber(value: number, float: boolean): number | PyFloat {
  return float ? pyFloat(value) : value;
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
export class BatchDim {
  /** Computed from the batch size (`x.size(0) * heads`): no longer the batch itself, whatever its value. */
  constructor(readonly derived = false) {}
}
/** A module of the user's code read for an import: its top-level names (partial while it is being read). */
export class PyModule {
  loading = true;
  /** A plain `import M` reads M when the code first uses it (imports.ts); this reads it. */
  pending: (() => void) | null = null;
  /** Why a module read when first used could not be read. */
  unreadable: string | null = null;
  /** For a package that only re-exports its submodules, its names read one at a time (lazyPackage.ts). */
  lazy: { resolve(name: string): Value | undefined; readAll(): void } | null = null;
  constructor(
    readonly name: string,
    /** The file on disk; null for a namespace package. */
    readonly file: string | null,
    readonly scope: Scope,
  ) {}
}
export class Builtin {
  constructor(
    readonly name: string,
    readonly fn: (args: Value[], kwargs: Map<string, Value>, node: SyntaxNode) => Value,
  ) {}
}
export interface Param {
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
  /** Where it may have got attributes the reader does not know (setattr or add_module by a name it could not evaluate). */
  unknownAttrs: { reason: string; source: SourceLocation } | null = null;
  constructor(readonly cls: PyClass) {}
}
export class Bound {
  constructor(
    readonly self: Value,
    readonly fn: PyFunc | Builtin,
  ) {}
}
export class SuperProxy {
  constructor(
    readonly cls: PyClass,
    readonly self: Value,
  ) {}
}
/** A framework layer object: a PyTorch nn.* module or a Keras layer, with its evaluated arguments. */
export class LayerObj {
  path: string | null = null;
  /** Why the module is not what its constructor made (`conv.bias = None`, a tied `fc2.weight = fc1.weight`): unknown when called. */
  changed: string | null = null;
  /** Per trace: how many times called and the first call's name. */
  readonly uses = new WeakMap<Trace, { count: number; first: string }>();
  /** How many times called, in every trace (Keras' `layer.output` exists only for a layer called once). */
  calls = 0;
  constructor(
    readonly framework: 'pytorch' | 'keras',
    readonly cls: string,
    readonly args: Args,
    readonly source: SourceLocation,
    readonly explicitName: string | null,
    /** Why the framework refuses the arguments (a float where it takes an int); null when it takes them. */
    readonly refused: Refusal | null = null,
  ) {}
}
/** nn.Sequential / nn.ModuleList / nn.ModuleDict. */
export class TorchContainer {
  path: string | null = null;
  /** Why the reader cannot list its children (extend() of an unknown value): every use of it is then unknown, never short. */
  unlisted: string | null = null;
  constructor(
    readonly kind: 'Sequential' | 'ModuleList' | 'ModuleDict',
    readonly children: Map<string, Value>,
    readonly source: SourceLocation,
  ) {}
}
export class KerasSequential {
  /** Set by the code (a leading keras.Input, model.build(shape)). */
  inputShape: Shape | null = null;
  /** `model.trainable = False` on it: as the model analysed, none of its weights train (Keras' trainable_weights is empty). */
  trainable = true;
  /** Why what follows its layers is unknown (a method the reader does not model was called on it), and where. */
  unknownAfter: { reason: string; node: SyntaxNode } | null = null;
  constructor(
    readonly layers: Value[],
    readonly name: string | null,
    readonly source: SourceLocation,
  ) {}
}
export class KerasFunctional {
  /** `model.trainable = False` (a frozen base model): its weights count as non-trainable where it is applied. */
  trainable = true;
  constructor(
    readonly trace: Trace,
    readonly outputs: TensorRef[],
    readonly name: string | null,
    readonly source: SourceLocation,
  ) {}
}

/**
 * A weight a user Keras layer made with add_weight: its shape (null when the reader could not evaluate it)
 * and whether it trains. In call() it stands for a constant tensor of that shape.
 */
export class KerasWeight {
  constructor(
    readonly shape: number[] | null,
    readonly trainable: boolean,
    readonly name: string,
  ) {}
}

/**
 * A PyTorch tensor viewed as (N, groups, C/groups, H, W) on the way to a channel shuffle (ShuffleNet's
 * view → transpose/permute → view); `swapped` once the two group axes have been exchanged.
 */
export class ChannelGroups {
  constructor(
    readonly tensor: TensorRef,
    readonly groups: number,
    readonly swapped: boolean,
    /** Where the code made the view (its 5-D tensor's row, when something needs it as one, sits there). */
    readonly viewedAt: SourceLocation | null = null,
  ) {}
}

export type Value =
  | ConstTensor
  | ChannelGroups
  | KerasWeight
  | number
  | PyFloat
  | string
  | boolean
  | null
  | Unknown
  | PyList
  | PyTuple
  | PyDict
  | Extern
  | BatchDim
  | PyModule
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

export const isTensor = (v: Value): v is TensorRef => typeof v === 'object' && v !== null && (v as TensorRef).kind === 'tensor';
export const isSeq = (v: Value): v is PyList | PyTuple => v instanceof PyList || v instanceof PyTuple;

/** Model-like values the reader can turn into a spec. */
export type ModelValue = PyObj | TorchContainer | KerasSequential | KerasFunctional;
export function isModelValue(v: Value): v is ModelValue {
  return (v instanceof PyObj && v.cls.kind !== 'plain') || v instanceof TorchContainer || v instanceof KerasSequential || v instanceof KerasFunctional;
}

/** Values usable as dict keys (and compared by value). */
export function isKey(v: Value): v is string | number | boolean | null {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** v as a dict key: a whole float is the int's key (Python's hash(2.0) == hash(2)); undefined when v is no key. */
export function keyOf(v: Value): string | number | boolean | null | undefined {
  if (v instanceof PyFloat) return v.value;
  return isKey(v) ? v : undefined;
}

export function isModuleLike(v: Value): boolean {
  return v instanceof LayerObj || v instanceof TorchContainer || (v instanceof PyObj && v.cls.kind === 'torch');
}

/** True when a base class, at any depth, is a framework class matching `pattern` (torch.nn.Sequential). */
export function inheritsExtern(cls: PyClass, pattern: RegExp): boolean {
  return cls.bases.some((b) => (b instanceof Extern && pattern.test(b.path)) || (b instanceof PyClass && inheritsExtern(b, pattern)));
}

/** An attribute of a class or, failing that, of its bases (depth first, as single inheritance resolves). */
export function lookupClassAttr(cls: PyClass, name: string): Value | undefined {
  if (cls.attrs.has(name)) return cls.attrs.get(name);
  for (const b of cls.bases) {
    if (b instanceof PyClass) {
      const v = lookupClassAttr(b, name);
      if (v !== undefined) return v;
    }
  }
  return undefined;
}
