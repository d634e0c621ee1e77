/**
 * PyTorch's eager-mode quantization modules in a model that is not quantized (torchvision's
 * `quantization/*.py` with `quantize=False`), as torch 2.13 defines them: QuantStub and DeQuantStub return their
 * input (torch/ao/quantization/stubs.py); FloatFunctional's add/add_relu/mul/cat are the plain tensor ops
 * followed by its `activation_post_process`, an nn.Identity registered when it is made
 * (torch/ao/nn/quantized/modules/functional_modules.py).
 */
import type { SyntaxNode } from '../syntax';
import type { PythonInterpreter } from './interpreter';
import { Builtin, Extern, isTensor, LayerObj, PyClass, PyObj, type Value } from './values';
import { toArgs } from './conversions';

const STUBS = /^torch\.(ao\.)?quantization(\.stubs)?\.(QuantStub|DeQuantStub)$/;
const FLOAT_FUNCTIONAL = /^torch\.(ao\.)?nn\.quantized(\.modules(\.functional_modules)?)?\.FloatFunctional$/;

/** The module `path` makes, or undefined when it is none of them. */
export function callQuantizationExtern(it: PythonInterpreter, path: string, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value | undefined {
  const stub = STUBS.exec(path);
  if (stub) return new LayerObj('pytorch', stub[3]!, toArgs(args, kwargs), it.loc(node), null);
  if (FLOAT_FUNCTIONAL.test(path)) return floatFunctional(it, node);
  return undefined;
}

function floatFunctional(it: PythonInterpreter, node: SyntaxNode): PyObj {
  const cls = new PyClass('FloatFunctional', node, [new Extern('torch.nn.Module')], new Map(), 'torch');
  const obj = new PyObj(cls);
  const post = new LayerObj('pytorch', 'Identity', toArgs([], new Map()), it.loc(node), null);
  obj.attrs.set('activation_post_process', post);
  const op = (combine: (args: Value[], n: SyntaxNode) => Value, relu: boolean) =>
    new Builtin('FloatFunctional', (args, _kwargs, n) => {
      let r = combine(args, n);
      if (relu && isTensor(r)) r = it.callValue(new Extern('torch.nn.functional.relu'), [r], new Map(), n);
      return isTensor(r) ? it.callValue(post, [r], new Map(), n) : r;
    });
  const add = (args: Value[], n: SyntaxNode): Value => it.binary('+', args[0] ?? null, args[1] ?? null, n);
  cls.attrs.set('add', op(add, false));
  cls.attrs.set('add_relu', op(add, true));
  cls.attrs.set('mul', op((args, n) => it.binary('*', args[0] ?? null, args[1] ?? null, n), false));
  cls.attrs.set('cat', op((args, n) => it.callValue(new Extern('torch.cat'), args, new Map(), n), false));
  return obj;
}
