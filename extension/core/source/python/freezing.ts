/**
 * Freezing in PyTorch code (the transfer-learning tutorial's `for param in model.parameters():
 * param.requires_grad = False`, `model.requires_grad_(False)`): PyTorch's trainable count (torchinfo's "Trainable
 * params") is the parameters with requires_grad set when the model is counted. `parameters()` gives one handle per
 * leaf module and per nn.Parameter the module holds at that moment, so a module assigned afterwards (the new `fc`)
 * stays trainable; setting `requires_grad` on a handle freezes or thaws what it stands for, and a layer built from a
 * frozen module carries non-trainable weights. A value the reader cannot evaluate leaves requires_grad unread.
 */
import type { SyntaxNode } from '../syntax';
import { TorchParameter } from './torchParameters';
import { Builtin, LayerObj, PyClass, PyList, PyObj, TorchContainer, Unknown, type Value } from './values';

/** What `for p in model.parameters()` yields: a leaf module's parameters, or one nn.Parameter. */
export class ParameterHandle extends PyObj {
  constructor(
    readonly owner: LayerObj | TorchParameter,
    node: SyntaxNode,
  ) {
    super(new PyClass('Parameter', node, [], new Map(), 'plain'));
    // p.requires_grad_(False), as the attribute is set; a flag the reader cannot read leaves it unknown.
    this.attrs.set('requires_grad_', new Builtin('requires_grad_', ([flag], kwargs) => (setHandleRequiresGrad(this, flag ?? kwargs.get('requires_grad') ?? true) ? this : new Unknown('requires_grad_() of a value the reader could not evaluate'))));
  }
}

/** Modules and parameters frozen by the code (requires_grad False). */
const frozen = new WeakSet<LayerObj | TorchParameter>();

export function isFrozen(owner: LayerObj | TorchParameter): boolean {
  return frozen.has(owner instanceof TorchParameter ? owner.base : owner);
}

function setFrozen(owner: LayerObj | TorchParameter, requiresGrad: boolean): void {
  const key = owner instanceof TorchParameter ? owner.base : owner;
  if (requiresGrad) frozen.delete(key);
  else frozen.add(key);
}

/** The leaf modules and nn.Parameters of a module tree, each once, in registration order. */
function ownersOf(root: Value): (LayerObj | TorchParameter)[] {
  const seen = new Set<Value>();
  const out: (LayerObj | TorchParameter)[] = [];
  const visit = (v: Value): void => {
    if (seen.has(v)) return;
    seen.add(v);
    if (v instanceof PyObj && !(v instanceof ParameterHandle) && v.cls.kind !== 'plain') for (const c of v.attrs.values()) visit(c);
    else if (v instanceof TorchContainer) for (const c of v.children.values()) visit(c);
    else if (v instanceof LayerObj && v.framework === 'pytorch') out.push(v);
    else if (v instanceof TorchParameter && v.base === v) out.push(v);
  };
  visit(root);
  return out;
}

/** `module.parameters()`: a handle for each leaf module and nn.Parameter it holds now. */
export function parametersOf(root: Value, node: SyntaxNode): PyList {
  return new PyList(ownersOf(root).map((o) => new ParameterHandle(o, node)));
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
  setFrozen(handle.owner, flag);
  return true;
}
