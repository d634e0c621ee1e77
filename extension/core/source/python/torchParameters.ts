/**
 * A module's own nn.Parameter (ConvNeXt's `self.layer_scale = nn.Parameter(torch.ones(dim, 1, 1) * s)`): it
 * counts in model.parameters() though no leaf module holds it, so forward()'s arithmetic with it is a
 * shape-only engine step that carries the parameter's weights (the first time the model uses it; once, as
 * model.parameters() counts it). The tensor's shape stays when the parameter broadcasts into it (PyTorch's
 * rule, in PyTorch's order); anything else is left untranslated with the reason.
 */
import { isFrozen } from './freezing';
import type { SyntaxNode } from '../syntax';
import type { SourceLocation } from '../../spec';
import type { Trace, TensorRef } from '../trace';
import { USER_LAYER } from '../../tfjs/userLayer';
import { toFrameworkShape } from '../../report/shapes';
import { linear } from '../torch2d';
import type { PythonInterpreter } from './interpreter';
import { frameworkSizes, reshapeSizes } from './shapes';
import { ConstTensor } from './constTensors';
import { Builtin, isTensor, KerasWeight, PyList, PyObj, PyTuple, TorchContainer, Unknown, UnknownValues, type Value } from './values';

/** An nn.Parameter; `shape` in PyTorch's order (no batch: a parameter has none). */
export class TorchParameter extends KerasWeight {
  source: SourceLocation | null = null;
  /** The parameter itself, for a view of it (`self.gamma.reshape(1, -1, 1, 1)`, `self.gamma[:, None, None]`). */
  get base(): TorchParameter {
    return this;
  }
}

/** A reshaped view of a parameter: the same weights (counted once, as the parameter), another shape. */
class ParameterView extends TorchParameter {
  constructor(
    private readonly of: TorchParameter,
    shape: number[],
  ) {
    super(shape, of.trainable, of.name);
    this.source = of.source;
  }
  override get base(): TorchParameter {
    return this.of.base;
  }
}

const elements = (shape: readonly number[]): number => shape.reduce((a, d) => a * d, 1);

/** p.reshape(…)/view(…) sizes, one of them possibly -1; null when they do not fit p's elements. */
function reshaped(p: TorchParameter, sizes: Value[]): number[] | null {
  const dims = sizes.length === 1 && (sizes[0] instanceof PyTuple || sizes[0] instanceof PyList) ? sizes[0].items : sizes;
  const out = reshapeSizes(elements(p.shape!), dims);
  return Array.isArray(out) ? out : null;
}

/**
 * `p.reshape(1, -1, 1, 1)`, `p.view(-1)`, `p.unsqueeze(-1)`, `p.squeeze(dim=0)`: a view of the parameter, which is
 * the parameter where it is used (methods get p first, as getAttr binds them); its sizes and other methods are a
 * module weight's (functionalConv.ts).
 */
export function parameterAttr(it: PythonInterpreter, p: TorchParameter, name: string): Value | undefined {
  const shape = p.shape;
  if (shape === null) return undefined;
  const view = (dims: number[] | null, what: string): Value => (dims === null ? new Unknown(`${what} of an nn.Parameter of shape (${shape.join(', ')})`) : new ParameterView(p, dims));
  switch (name) {
    case 'reshape':
    case 'view':
      return new Builtin(name, ([, ...args]) => view(reshaped(p, args), name));
    case 'unsqueeze':
      return new Builtin(name, ([, given], kwargs) => {
        const d = given ?? kwargs.get('dim');
        const at = typeof d === 'number' && Number.isInteger(d) && d >= -shape.length - 1 && d <= shape.length ? (d < 0 ? d + shape.length + 1 : d) : null;
        return view(at === null ? null : [...shape.slice(0, at), 1, ...shape.slice(at)], name);
      });
    case 'squeeze':
      return new Builtin(name, ([, given], kwargs) => {
        const d = given ?? kwargs.get('dim');
        if (d === undefined) return view(shape.filter((x) => x !== 1), name);
        const at = typeof d === 'number' && Number.isInteger(d) && d >= -shape.length && d < shape.length ? (d < 0 ? d + shape.length : d) : null;
        return view(at === null ? null : shape[at] === 1 ? shape.filter((_, i) => i !== at) : [...shape], name);
      });
    default:
      return undefined;
  }
}

/** `p[:, None, None]` / `p[None, ..., None]`: full slices keep an axis, None adds one of size 1. */
export function indexParameter(p: TorchParameter, subs: readonly ('all' | 'new' | 'rest' | 'other')[]): Value {
  const shape = p.shape;
  if (shape === null || subs.includes('other') || subs.filter((s) => s === 'rest').length > 1) return new Unknown('indexing of an nn.Parameter');
  const kept = subs.filter((s) => s === 'all').length;
  if (kept > shape.length) return new Unknown('indexing of an nn.Parameter with more axes than it has');
  const out: number[] = [];
  let axis = 0;
  for (const s of subs) {
    if (s === 'new') out.push(1);
    else if (s === 'all') out.push(shape[axis++]!);
    // The Ellipsis stands for every axis no slice names.
    else for (let i = 0; i < shape.length - kept; i++) out.push(shape[axis++]!);
  }
  while (axis < shape.length) out.push(shape[axis++]!);
  return new ParameterView(p, out);
}

/** An nn.Parameter whose sizes the reader could not evaluate: it still counts in model.parameters(), by an unknown amount. */
export class UnknownParameter extends Unknown {
  constructor(
    reason: string,
    readonly source: SourceLocation,
    /** An attribute set where the reader could not tell what runs: it may be a module, a parameter or neither. */
    readonly maybe = false,
  ) {
    super(reason);
  }
}

/** nn.Parameter(data, requires_grad=True) of a tensor the code made (torch.ones(96, 1, 1) * 1e-6). */
export function torchParameter(args: Value[], kwargs: Map<string, Value>, source: SourceLocation): Value {
  const data = args[0] ?? kwargs.get('data') ?? null;
  const made = (shape: number[]): TorchParameter => Object.assign(new TorchParameter(shape, true, 'parameter'), { source });
  if (data instanceof ConstTensor) return made(data.dims);
  if (data instanceof UnknownValues) return made([...data.dims]);
  // Only a tensor the code made itself has sizes that are all numbers (its first size is its own, no batch).
  const sizes = isTensor(data) && data.trace.example !== null ? frameworkSizes(data) : null;
  if (!sizes || !sizes.every((d): d is number => typeof d === 'number')) return new UnknownParameter('an nn.Parameter of a tensor whose sizes the reader could not evaluate', source);
  // requires_grad=False still counts in model.parameters().
  return made(sizes);
}

/**
 * PyTorch's model.parameters() counts a module's own nn.Parameter whether or not forward() uses it: each one
 * the forward pass did not use is added as a "not called" layer with its size, and one whose size the reader
 * could not evaluate as one with unknown parameters (the total is then at least what is shown, never exact).
 * A buffer (register_buffer, a plain tensor attribute) is no parameter and is not counted.
 */
export function addParametersNotUsed(it: PythonInterpreter, model: Value, trace: Trace): void {
  visitParameters({ it, trace, seen: new Set<Value>(), usedHere: used.get(trace) }, model, '');
}

interface ParameterWalk {
  it: PythonInterpreter;
  trace: Trace;
  seen: Set<Value>;
  usedHere: WeakSet<TorchParameter> | undefined;
}

/** One value of the module tree (a module-level function: no closures per module; plain values have nothing to count). */
function visitParameters(walk: ParameterWalk, v: Value, path: string): void {
  if (typeof v !== 'object' || v === null || walk.seen.has(v)) return;
  walk.seen.add(v);
  const { it, trace } = walk;
  const child = (key: string): string => (path === '' ? key : `${path}.${key}`);
  if (v instanceof PyObj && v.unknownAttrs) {
    // Modules or parameters registered by a name the reader could not evaluate: counted, by an unknown amount.
    trace.notCalled({ name: child('?'), sourceType: v.unknownAttrs.reason, source: v.unknownAttrs.source }, 'Unknown', undefined);
  }
  if (v instanceof PyObj && v.cls.kind !== 'plain') {
    for (const [k, c] of v.attrs) if (typeof c === 'object' && c !== null) visitParameters(walk, c, child(k));
  } else if (v instanceof TorchContainer) {
    for (const [k, c] of v.children) if (typeof c === 'object' && c !== null) visitParameters(walk, c, child(k));
  }
  // A view of a parameter held as an attribute is no parameter of its own (PyTorch registers only the parameter).
  else if (v instanceof TorchParameter && v.base === v && v.source !== null && !walk.usedHere?.has(v)) {
    const params = (v.shape ?? []).reduce((a, d) => a * d, 1);
    trace.notCalled({ name: path, sourceType: 'nn.Parameter', source: v.source }, 'Parameter', params);
  } else if (v instanceof UnknownParameter) {
    trace.notCalled({ name: path, sourceType: v.maybe ? 'attribute' : 'nn.Parameter', source: v.source }, v.maybe ? 'Unknown' : 'Parameter', undefined);
    const counted = v.maybe ? 'it may hold a module or parameter model.parameters() counts' : 'model.parameters() counts it';
    it.report('warning', 'unknown', `${path}: ${v.reason}; ${counted}, so the total is at least what is shown`, v.source);
  }
}

const used = new WeakMap<Trace, WeakSet<TorchParameter>>();

/** True the first time the model uses `p` (it carries its weights then, once); marks it used. */
export function firstUseOfParameter(trace: Trace, p: TorchParameter): boolean {
  const seen = used.get(trace) ?? new WeakSet<TorchParameter>();
  used.set(trace, seen);
  const first = !seen.has(p);
  seen.add(p);
  return first;
}

/** `t op p` / `p op t` for a parameter p; undefined when `other` is not a parameter. */
export function tensorWithParameter(it: PythonInterpreter, op: string, t: TensorRef, other: Value, node: SyntaxNode): Value | undefined {
  if (!(other instanceof TorchParameter)) return undefined;
  const p = other.shape!;
  // x @ W for a (in, out) parameter (a Linear written by hand, d2l's from-scratch models): an nn.Linear without
  // bias, its in_features checked against x's last dim as PyTorch checks it; the weight counts once.
  if (op === '@' && p.length === 2) {
    const param = other.base;
    const first = firstUseOfParameter(t.trace, param);
    const translated = linear({ positional: [p[0]!, p[1]!, false], keywords: new Map() }, [t]);
    if ('unsupported' in translated) return it.opaque(t, `tensor @ an nn.Parameter of shape (${p.join(', ')}): ${translated.unsupported}`, node);
    const frozen = first && isFrozen(param) === true;
    const parts = frozen ? translated.parts.map((part) => ({ ...part, frozen: true })) : translated.parts;
    return t.trace.emit({ name: it.scopedName('matmul'), sourceType: '@ parameter', source: it.loc(node) }, { ...translated, parts, params: first ? translated.params : 0 }, [t]);
  }
  const full = toFrameworkShape('pytorch', t.shape);
  if (full !== null && !broadcastsInto(p, full)) return it.opaque(t, `tensor ${op} an nn.Parameter of shape (${p.join(', ')}) that does not broadcast into it`, node);
  // A view of the parameter is the parameter: its weights count once, in the parameter's own shape.
  const param = other.base;
  const first = firstUseOfParameter(t.trace, param);
  const weights = first ? [{ name: 'parameter', shape: param.shape!.length === 0 ? [1] : param.shape!, trainable: true }] : [];
  return t.trace.emit(
    { name: it.scopedName('parameter_op'), sourceType: `${op} parameter`, source: it.loc(node) },
    { parts: [{ type: USER_LAYER, args: { outputShape: t.shape, weights, macs: 0, reason: 'the shape of the tensor it is applied to is unknown' }, ...(first && isFrozen(param) === true ? { frozen: true } : {}) }] },
    [t],
  );
}

/** NumPy's rule: the parameter's sizes, aligned at the end, are 1 or the tensor's (the batch is not known, so only 1 against it). */
export function broadcastsInto(p: readonly number[], full: readonly (number | null)[]): boolean {
  if (p.length > full.length) return false;
  return p.every((d, i) => {
    const against = full[full.length - p.length + i];
    return d === 1 || (against !== null && against !== undefined && d === against);
  });
}

/**
 * `setattr(self, name, value)` / `self.add_module(name, m)` with a name the reader could not evaluate: the object
 * may now hold a module or parameter it cannot see, so hasattr/getattr on it are unknown and model.parameters()
 * may count more than is shown (the total is at least what is shown).
 */
export function unknownAttribute(it: PythonInterpreter, obj: PyObj, what: string, node: SyntaxNode): void {
  const source = it.loc(node);
  obj.unknownAttrs ??= { reason: `${what}() by a name the reader could not evaluate`, source };
  it.report('warning', 'unknown', `${what}() with a name the reader could not evaluate: what it adds to the module is unknown, so the parameter total is at least what is shown`, node);
}
