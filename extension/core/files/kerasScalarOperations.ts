/**
 * Keras 3 operations applied to a tensor and a Python number in a functional model (MobileNetV3's hard_sigmoid
 * `x + 3.0`, `* (1/6)`): Keras saves each as an operation layer (keras.src.ops.numpy Add / Multiply, config
 * `{name}` only) whose inbound node is `[tensor, 3.0]`. A number broadcasts into any tensor without changing
 * its shape and the operation has no weights, so the output is the input's shape, exactly. A constant of any
 * other kind (a NumPy array, which may broadcast the tensor to a larger shape) is not read: its shape is not
 * guessed.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Elementwise binary operations of keras.ops whose result has the broadcast shape of the operands. */
const ELEMENTWISE_BINARY = new Set(['Add', 'Subtract', 'Multiply', 'Divide', 'TrueDivide', 'FloorDivide', 'Power', 'Maximum', 'Minimum', 'Mod']);

export type ScalarOperation =
  | { kind: 'keeps-shape'; constant: number }
  | { kind: 'unread-constant'; message: string }
  | null;

const isTensorArg = (v: Json | undefined): boolean =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && v.class_name === '__keras_tensor__';

/**
 * What a layer's first inbound node says when the layer is an elementwise operation on one tensor and a
 * constant; null when it is not (a merge layer called on a list of tensors, any other layer).
 */
export function scalarOperation(className: string, inboundNodes: Json | undefined): ScalarOperation {
  if (!ELEMENTWISE_BINARY.has(className) || !Array.isArray(inboundNodes)) return null;
  const node = inboundNodes[0];
  if (typeof node !== 'object' || node === null || Array.isArray(node) || !Array.isArray(node.args)) return null;
  const args = node.args;
  // A merge layer (keras.layers.Add) is called on one list of tensors; an operation on its operands.
  if (args.length !== 2 || args.filter(isTensorArg).length !== 1) return null;
  const constant = args.find((a) => !isTensorArg(a));
  const kwargs = node.kwargs;
  const noKeywords = kwargs === undefined || (typeof kwargs === 'object' && kwargs !== null && !Array.isArray(kwargs) && Object.keys(kwargs).length === 0);
  if (typeof constant === 'number' && noKeywords) return { kind: 'keeps-shape', constant };
  const what = typeof constant === 'object' && constant !== null && !Array.isArray(constant) && typeof constant.class_name === 'string' ? constant.class_name : Array.isArray(constant) ? 'a list' : typeof constant;
  return { kind: 'unread-constant', message: `${className} of a tensor and a constant (${what}) that is not a number: the constant may broadcast the tensor to another shape, which is not read yet; shapes after it are unknown` };
}
