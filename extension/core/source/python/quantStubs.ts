/**
 * PyTorch's eager-mode quantization modules, as an unquantized (float) model runs them (torchvision's
 * quantization/resnet.py without quantize=True):
 *   QuantStub() / DeQuantStub()   identity modules without parameters (torch/ao/quantization/stubs.py)
 *   FloatFunctional()             a module whose add / add_relu / mul / cat compute the op, then run its child
 *                                 `activation_post_process`, an nn.Identity (torch/ao/nn/quantized/modules/
 *                                 functional_modules.py): one Identity call per op, named <module>.activation_post_process
 */
import type { SyntaxNode } from '../syntax';
import type { PythonInterpreter } from './interpreter';
import { toArgs } from './conversions';
import { Builtin, Extern, LayerObj, TorchContainer, type Value } from './values';

const STUB = /^torch\.(ao\.)?quantization\.(stubs\.)?(QuantStub|DeQuantStub)$/;
const FLOAT_FUNCTIONAL = /^torch\.(ao\.)?nn\.quantized\.(modules\.functional_modules\.)?FloatFunctional$/;

const floatFunctionals = new WeakSet<TorchContainer>();

/** The module for a quantization class, or undefined when `path` is not one. */
export function callQuantizationExtern(it: PythonInterpreter, path: string, node: SyntaxNode): Value | undefined {
  const stub = STUB.exec(path);
  // qconfig changes quantized runs only; in float the stubs pass the tensor through.
  if (stub) return new LayerObj('pytorch', stub[3]!, toArgs([], new Map()), it.loc(node), null);
  if (FLOAT_FUNCTIONAL.test(path)) {
    const identity = new LayerObj('pytorch', 'Identity', toArgs([], new Map()), it.loc(node), null);
    const module = new TorchContainer('ModuleDict', new Map([['activation_post_process', identity]]), it.loc(node));
    floatFunctionals.add(module);
    return module;
  }
  return undefined;
}

/** add / add_relu / mul / cat of a FloatFunctional (bound: the module comes first); undefined otherwise. */
export function floatFunctionalMethod(it: PythonInterpreter, module: TorchContainer, name: string): Value | undefined {
  if (!floatFunctionals.has(module)) return undefined;
  const post = (v: Value, node: SyntaxNode): Value => it.callValue(module.children.get('activation_post_process')!, [v], new Map(), node);
  switch (name) {
    case 'add':
      return new Builtin(name, ([, a, b], _k, node) => post(it.binary('+', a ?? null, b ?? null, node), node));
    case 'mul':
      return new Builtin(name, ([, a, b], _k, node) => post(it.binary('*', a ?? null, b ?? null, node), node));
    case 'add_relu':
      return new Builtin(name, ([, a, b], _k, node) => post(it.callValue(new Extern('torch.nn.functional.relu'), [it.binary('+', a ?? null, b ?? null, node)], new Map(), node), node));
    case 'cat':
      return new Builtin(name, ([, ...args], kwargs, node) => post(it.callValue(new Extern('torch.cat'), args, kwargs, node), node));
    default:
      return undefined;
  }
}
