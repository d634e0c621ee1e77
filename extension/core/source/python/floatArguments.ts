/**
 * A layer made with a float where its framework takes an int (`nn.Linear(10.0, 3)`, `nn.Conv2d(3, 64 / 2, 3)`,
 * `layers.Dense(64 / 2)`): the framework refuses it, so the reader does too, in the framework's words
 * (layerKnowledge/integerArguments.ts), instead of counting it as the int.
 */
import { kerasClass } from '../../layerKnowledge/index';
import { KERAS_INTEGER_ARGUMENTS, TORCH_INTEGER_ARGUMENTS, UNRECORDED } from '../../layerKnowledge/integerArguments';
import { floatText, pythonStr } from './conversions';
import { isSeq, numeric, type Value } from './values';

/** Why the framework refuses a layer's arguments, and whether only its forward pass does (PyTorch's F.max_pool2d). */
export interface Refusal {
  message: string;
  atForward: boolean;
}

/**
 * Why the framework refuses the constructor's arguments for a float; null when it takes them. `table` is the
 * class's int arguments (a Keras alias's are its kind's: MaxPool2D is a MaxPooling2D), or a PyTorch function's.
 */
export function floatArgument(
  framework: 'pytorch' | 'keras',
  cls: string,
  args: Value[],
  kwargs: Map<string, Value>,
  table = framework === 'pytorch' ? TORCH_INTEGER_ARGUMENTS[cls] : KERAS_INTEGER_ARGUMENTS[kerasClass(cls)?.type ?? cls],
): Refusal | null {
  if (!table) return null;
  // for…in, not Object.entries: the same keys in the same order, without an array of pairs per constructor call.
  for (const name in table) {
    const spec = table[name]!;
    const position = framework === 'keras' ? (kerasClass(cls)?.positional.indexOf(name) ?? -1) : (spec.position ?? -1);
    const v = kwargs.has(name) ? kwargs.get(name) : position >= 0 ? args[position] : undefined;
    const found = v === undefined ? null : firstFloat(v);
    if (!found) continue;
    // Made only for a float found (rare), not for every constructor call.
    const flag = (flagName: string, flagPosition: number, fallback: boolean): boolean | null => {
      const f = kwargs.has(flagName) ? kwargs.get(flagName) : args[flagPosition];
      return f === undefined ? fallback : typeof f === 'boolean' ? f : null;
    };
    // A float in a tuple of tuples (Keras' ((1, 1.0), (1, 1)) padding) is refused in words not recorded.
    const refusal = found.nested ? UNRECORDED : spec.refusal(floatText(found.value), found.element, flag);
    if (refusal === null) continue;
    const message = refusal === UNRECORDED ? `${name}=${pythonStr(v!) ?? '…'} holds a float, which ${framework === 'pytorch' ? 'PyTorch refuses with a TypeError' : 'Keras refuses with a ValueError'}` : refusal;
    return { message, atForward: spec.atForward === true };
  }
  return null;
}

/** The first float of an int-or-tuple argument, its index in the tuple (null for the argument itself), and whether it sits in an inner tuple. */
function firstFloat(v: Value, depth = 0): { value: number; element: number | null; nested: boolean } | null {
  const n = numeric(v);
  if (n) return n.float ? { value: n.value, element: null, nested: depth > 1 } : null;
  if (!isSeq(v) || depth > 1) return null;
  for (const [i, item] of v.items.entries()) {
    const found = firstFloat(item, depth + 1);
    if (found) return { ...found, element: found.element ?? i };
  }
  return null;
}
