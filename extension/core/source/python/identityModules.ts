/**
 * A user nn.Module that holds only plain settings (no submodules, no parameters) and whose forward() returns
 * its input unchanged, as torchvision's StochasticDepth does in eval mode: PyTorch's hooks still see it run, so
 * it is one row of its own class, with its input's shape.
 */
import type { SourceLocation } from '../../spec';
import type { PythonInterpreter } from './interpreter';
import type { SyntaxNode } from '../syntax';
import { Builtin, isTensor, type PyObj, type Value } from './values';

const madeAt = new WeakMap<PyObj, SourceLocation>();

/**
 * super().__init__() reaching nn.Module: where PyTorch's tools place the module (the innermost frame outside
 * torch), so a module is listed at its own class's super().__init__() line, as the corpus expectations record.
 */
export function moduleInit(obj: PyObj, loc: (node: SyntaxNode) => SourceLocation): Builtin {
  return new Builtin('super().__init__', (_args, _kwargs, node) => {
    if (obj.cls.kind === 'torch') madeAt.set(obj, loc(node));
    return null;
  });
}

/**
 * `result` as forward() returned it, or, when the module is such a leaf, its row: with its input's shape when it
 * returned its input, else with its result's. A leaf that computes with tensor functions (timm's own `Sigmoid`:
 * `x.sigmoid()`, `Swish`, `HardSigmoid`) is one module to PyTorch's hooks too; the functions stay its parts.
 */
export function identityLeaf(it: PythonInterpreter, obj: PyObj, input: Value, result: Value): Value {
  const at = madeAt.get(obj);
  if (!at || !isTensor(input) || !isTensor(result) || result.trace !== input.trace) return result;
  const plain = [...obj.attrs.values()].every((v) => v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean');
  if (!plain) return result;
  const name = obj.path ?? it.scopedName(obj.cls.name.toLowerCase());
  return result.trace.emit({ name, sourceType: obj.cls.name, source: at }, { parts: [] }, [result]);
}
