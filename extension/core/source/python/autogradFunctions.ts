/**
 * `torch.autograd.Function` subclasses (EfficientNet-PyTorch's SwishImplementation, custom activations and
 * straight-through estimators): `Fn.apply(x, ...)` runs the class's static `forward(ctx, x, ...)` and gives what
 * it returns; backward() never runs in a forward pass. The context object keeps what forward stores on it and
 * takes the calls forward makes on it (`ctx.save_for_backward(...)`, `ctx.mark_dirty(...)`), which return None.
 */
import type { SyntaxNode } from '../syntax';
import type { PythonInterpreter } from './interpreter';
import { Builtin, inheritsExtern, PyClass, PyObj, Unknown, type Value } from './values';

const FUNCTION_BASE = /^torch\.autograd\.(function\.)?Function$/;

/** The context methods forward may call: they record for backward and return None. */
const CTX_METHODS = ['save_for_backward', 'save_for_forward', 'mark_dirty', 'mark_non_differentiable', 'set_materialize_grads'];

/** `Fn.apply` of an autograd Function class; undefined for any other class or name. */
export function autogradApply(it: PythonInterpreter, cls: PyClass, name: string): Value | undefined {
  if (name !== 'apply' || !inheritsExtern(cls, FUNCTION_BASE)) return undefined;
  return new Builtin('apply', (args, kwargs, node: SyntaxNode) => {
    const forward = it.lookupClassAttr(cls, 'forward');
    if (forward === undefined) return new Unknown(`${cls.name} has no forward() the reader can see`);
    const ctxClass = new PyClass('FunctionCtx', cls.node, [], new Map(CTX_METHODS.map((m) => [m, new Builtin(m, () => null)])), 'plain');
    // PyTorch 2.x binds keywords to forward's parameters too.
    return it.callValue(forward, [new PyObj(ctxClass), ...args], kwargs, node);
  });
}
