/**
 * A module's own nn.Parameter (ConvNeXt's `self.layer_scale = nn.Parameter(torch.ones(dim, 1, 1) * s)`): it
 * counts in model.parameters() though no leaf module holds it, so forward()'s arithmetic with it is a
 * shape-only engine step that carries the parameter's weights (the first time the model uses it; once, as
 * model.parameters() counts it). The tensor's shape stays when the parameter broadcasts into it (PyTorch's
 * rule, in PyTorch's order); anything else is left untranslated with the reason.
 */
import type { SyntaxNode } from '../syntax';
import type { SourceLocation } from '../../spec';
import type { Trace, TensorRef } from '../trace';
import { USER_LAYER } from '../../tfjs/userLayer';
import { toFrameworkShape } from '../../report/shapes';
import type { PythonInterpreter } from './interpreter';
import { frameworkSizes } from './shapes';
import { ConstTensor } from './constTensors';
import { isTensor, KerasWeight, PyObj, TorchContainer, Unknown, type Value } from './values';

/** An nn.Parameter; `shape` in PyTorch's order (no batch: a parameter has none). */
export class TorchParameter extends KerasWeight {
  source: SourceLocation | null = null;
}

/** An nn.Parameter whose sizes the reader could not evaluate: it still counts in model.parameters(), by an unknown amount. */
export class UnknownParameter extends Unknown {
  constructor(
    reason: string,
    readonly source: SourceLocation,
  ) {
    super(reason);
  }
}

/** nn.Parameter(data, requires_grad=True) of a tensor the code made (torch.ones(96, 1, 1) * 1e-6). */
export function torchParameter(args: Value[], kwargs: Map<string, Value>, source: SourceLocation): Value {
  const data = args[0] ?? kwargs.get('data') ?? null;
  const made = (shape: number[]): TorchParameter => Object.assign(new TorchParameter(shape, true, 'parameter'), { source });
  if (data instanceof ConstTensor) return made([data.values.length]);
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
  const seen = new Set<Value>();
  const usedHere = used.get(trace);
  const visit = (v: Value, path: string): void => {
    if (seen.has(v)) return;
    seen.add(v);
    const child = (key: string): string => (path === '' ? key : `${path}.${key}`);
    if (v instanceof PyObj && v.cls.kind !== 'plain') for (const [k, c] of v.attrs) visit(c, child(k));
    else if (v instanceof TorchContainer) for (const [k, c] of v.children) visit(c, child(k));
    else if (v instanceof TorchParameter && v.source !== null && !usedHere?.has(v)) {
      const params = (v.shape ?? []).reduce((a, d) => a * d, 1);
      trace.notCalled({ name: path, sourceType: 'nn.Parameter', source: v.source }, 'Parameter', params);
    } else if (v instanceof UnknownParameter) {
      trace.notCalled({ name: path, sourceType: 'nn.Parameter', source: v.source }, 'Parameter', undefined);
      it.report('warning', 'unknown', `${path}: ${v.reason}; model.parameters() counts it, so the total is at least what is shown`, v.source);
    }
  };
  visit(model, '');
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
  const full = toFrameworkShape('pytorch', t.shape, null, t.keepDims ?? false);
  if (full !== null && !broadcastsInto(p, full)) return it.opaque(t, `tensor ${op} an nn.Parameter of shape (${p.join(', ')}) that does not broadcast into it`, node);
  const seen = used.get(t.trace) ?? new WeakSet<TorchParameter>();
  used.set(t.trace, seen);
  const first = !seen.has(other);
  seen.add(other);
  const weights = first ? [{ name: 'parameter', shape: p.length === 0 ? [1] : p, trainable: true }] : [];
  return t.trace.emit(
    { name: it.scopedName('parameter_op'), sourceType: `${op} parameter`, source: it.loc(node) },
    { parts: [{ type: USER_LAYER, args: { outputShape: t.shape, weights, macs: 0, reason: 'the shape of the tensor it is applied to is unknown' } }] },
    [t],
  );
}

/** NumPy's rule: the parameter's sizes, aligned at the end, are 1 or the tensor's (the batch is not known, so only 1 against it). */
function broadcastsInto(p: readonly number[], full: readonly (number | null)[]): boolean {
  if (p.length > full.length) return false;
  return p.every((d, i) => {
    const against = full[full.length - p.length + i];
    return d === 1 || (against !== null && against !== undefined && d === against);
  });
}
