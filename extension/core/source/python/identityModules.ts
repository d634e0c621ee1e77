/**
 * User nn.Modules that are leaves (no submodules): PyTorch's hooks see each call of one as one row of its own
 * class with the output its forward() returns, whatever that forward does inside. torchvision's
 * StochasticDepth returns its input in eval mode (a row with its input's shape); its Permute returns
 * `torch.permute(x, self.dims)`; ConvNeXt's LayerNorm2d (an nn.LayerNorm subclass) permutes, calls
 * F.layer_norm on its own weights and permutes back. The functions inside add no rows; the module's row is
 * the one its own layer function made (re-pointed at the returned tensor), or a row of no layers of its own.
 */
import type { SourceLocation } from '../../spec';
import type { PythonInterpreter } from './interpreter';
import type { SyntaxNode } from '../syntax';
import { Builtin, isModuleLike, isSeq, isTensor, PyDict, type PyObj, PyTuple, type Value } from './values';
import { subclassLayer } from './layerSubclass';

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

/** True when a value holds a module anywhere (a list or dict of modules too: such a module is no leaf we can vouch for). */
function holdsModule(v: Value): boolean {
  if (isModuleLike(v)) return true;
  if (isSeq(v)) return v.items.some(holdsModule);
  if (v instanceof PyDict) return [...v.map.values()].some(holdsModule);
  return false;
}

/**
 * `result` as forward() returned it, with the leaf module's row: `callsBefore` is how many calls the trace
 * had when the forward began.
 */
export function leafModuleResult(it: PythonInterpreter, obj: PyObj, input: Value, result: Value, callsBefore: number): Value {
  // A forward returning a tuple (pytorch-cifar's SplitBlock: two channel slices): PyTorch's hooks see one call,
  // and the tools that list it (torchinfo, make_expected.py) show the first tensor's shape.
  if (result instanceof PyTuple && result.items.length > 0 && isTensor(result.items[0]!)) {
    const first = leafModuleResult(it, obj, input, result.items[0]!, callsBefore);
    return first === result.items[0] ? result : new PyTuple([first, ...result.items.slice(1)]);
  }
  // The input: a tensor, or a list/tuple of tensors of one trace (timm's SelectSeq picks one of a list).
  const inputs = isTensor(input) ? [input] : isSeq(input) && input.items.length > 0 && input.items.every(isTensor) ? input.items : [];
  if (inputs.length === 0 || !isTensor(result) || inputs.some((t) => t.trace !== result.trace)) return result;
  if ([...obj.attrs.values()].some(holdsModule)) return result;
  const trace = result.trace;
  const made = madeAt.get(obj);
  const own = trace.calls.map((c, i) => ({ c, i })).filter(({ c, i }) => i >= callsBefore && c.sourceType === obj.cls.name);
  if (own.length === 1) {
    // The module's own layer function (F.layer_norm on its weights, BlurPool2d's F.conv2d on its buffer) made its
    // row: the row's output is what forward returns, and its line the module's own (its super().__init__()).
    const { c, i } = own[0]!;
    const source = made ?? c.source;
    if (c.output !== result.name || source !== c.source) trace.calls[i] = { ...c, output: result.name, source };
    return result;
  }
  if (own.length > 1) return result;
  const inner = trace.calls.length - callsBefore === 1 ? trace.calls[callsBefore]! : null;
  if (own.length === 0 && inner && inner.sourceType.endsWith(' parameter') && inner.output === result.name) {
    // A forward that only scales by the module's own parameter (timm's LayerScale: x * self.gamma): PyTorch's
    // hooks list the module, holding it, so the row is the module's.
    trace.calls[callsBefore] = { ...inner, name: obj.path ?? it.scopedName(obj.cls.name.toLowerCase()), sourceType: obj.cls.name, source: made ?? inner.source };
    return result;
  }
  const layer = subclassLayer(obj);
  const at = made ?? layer?.source;
  if (!at) return result;
  const name = obj.path ?? it.scopedName(obj.cls.name.toLowerCase());
  return trace.emit({ name, sourceType: obj.cls.name, source: at }, { parts: [] }, [result]);
}
