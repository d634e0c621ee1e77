/**
 * Which PyTorch modules a model registers (model.modules()): only those are hooked and counted by
 * model.parameters(). A module made inside forward() and called at once (`nn.ReLU(inplace=True)(a + b)`) is not
 * one of them: PyTorch runs it as the function it wraps, so a parameter-free one is reported as that function.
 */
import type { Trace } from '../trace';
import type { LayerObj } from './values';

const REGISTERED = new WeakMap<Trace, ReadonlySet<LayerObj>>();

/** The functional form of parameter-free modules (what their forward() calls). */
const FUNCTIONAL: Record<string, string> = {
  ReLU: 'F.relu', ReLU6: 'F.relu6', LeakyReLU: 'F.leaky_relu', ELU: 'F.elu', SELU: 'F.selu', GELU: 'F.gelu', SiLU: 'F.silu',
  Mish: 'F.mish', Sigmoid: 'torch.sigmoid', Tanh: 'torch.tanh', Softmax: 'F.softmax', LogSoftmax: 'F.log_softmax',
  Hardswish: 'F.hardswish', Hardsigmoid: 'F.hardsigmoid', Softplus: 'F.softplus', Dropout: 'F.dropout', Dropout2d: 'F.dropout2d',
  Flatten: 'torch.flatten', MaxPool2d: 'F.max_pool2d', AvgPool2d: 'F.avg_pool2d', AdaptiveAvgPool2d: 'F.adaptive_avg_pool2d',
  AdaptiveMaxPool2d: 'F.adaptive_max_pool2d', Identity: 'identity',
};

/** Records the leaf modules the model being built registers (set once per build trace). */
export function setRegisteredModules(trace: Trace, modules: Iterable<LayerObj>): void {
  REGISTERED.set(trace, new Set(modules));
}

/** The function a module call is, when the module is not registered in the model being built; else null. */
export function unregisteredCall(trace: Trace, layer: LayerObj): string | null {
  const registered = REGISTERED.get(trace);
  if (!registered || registered.has(layer)) return null;
  return FUNCTIONAL[layer.cls] ?? null;
}
