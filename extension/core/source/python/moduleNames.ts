/**
 * `dir(torch.nn.functional)`: the reader cannot list a library module's names, but it knows some are there
 * (timm picks `F.silu if 'silu' in dir(F) else swish`). The result is unknown except that `'name' in` it is
 * True for the names listed here, each present in every PyTorch the project reads for (Debian's 1.13, the
 * venv's 2.13: checked with `dir(torch.nn.functional)` in both). Any other name stays unknown, never False.
 */
import { Unknown, type Value } from './values';

const PRESENT: Record<string, ReadonlySet<string>> = {
  'torch.nn.functional': new Set(['silu', 'hardswish', 'hardsigmoid', 'mish', 'relu', 'relu6', 'gelu', 'elu', 'selu', 'celu', 'leaky_relu', 'sigmoid', 'tanh', 'softmax', 'batch_norm', 'conv2d', 'linear', 'dropout']),
};

export class PartlyKnownNames extends Unknown {
  constructor(
    readonly module: string,
    readonly present: ReadonlySet<string>,
  ) {
    super(`dir(${module})`);
  }
}

/** dir(module) for a library module path; a plain Unknown when nothing is known of it. */
export function dirOf(path: string | null): Value {
  const present = path === null ? undefined : PRESENT[path];
  return present ? new PartlyKnownNames(path!, present) : new Unknown('dir()');
}

/** `name in dir(module)`: true when listed, else null (unknown). */
export function inDir(name: Value, names: Value): boolean | null | undefined {
  if (!(names instanceof PartlyKnownNames)) return undefined;
  return typeof name === 'string' && names.present.has(name) ? true : null;
}
