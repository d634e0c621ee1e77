/**
 * Stand-ins for the few pure helpers Keras Applications call to shape a model, written from
 * keras/src/applications/imagenet_utils.py (Keras 3.15): they compute sizes only, so the reader evaluates
 * them instead of following library code it does not read.
 */
import type { SyntaxNode } from '../syntax';
import type { PythonInterpreter } from './interpreter';
import { sizeAt } from './shapes';
import { Extern, isSeq, isTensor, PyDict, PyTuple, Unknown, type Value } from './values';

const IMAGENET_UTILS = 'keras.applications.imagenet_utils.';
// keras-applications 1.0.8 (the standalone package Keras 2.2–2.3 used): `from . import get_submodules_from_kwargs`,
// `from .imagenet_utils import _obtain_input_shape`, imported relatively or as keras_applications.
const LEGACY_SUBMODULES = /^(\.+|keras_applications\.)get_submodules_from_kwargs$/;
const LEGACY_IMAGENET_UTILS = /^(?:\.+|keras_applications\.)imagenet_utils\.(\w+)$/;
// keras_applications/__init__.py: correct_pad(backend, inputs, kernel_size), Keras 3's correct_pad with the backend first.
const LEGACY_CORRECT_PAD = /^(\.+|keras_applications\.)correct_pad$/;

/**
 * get_submodules_from_kwargs(kwargs) (keras_applications/__init__.py): the backend, layers, models and utils
 * modules passed in kwargs, else the package defaults that Keras installs — Keras's own modules.
 */
function legacySubmodules(kwargs: Value | undefined): Value {
  if (kwargs instanceof PyDict && !kwargs.tainted) {
    const given = ['backend', 'layers', 'models', 'utils'].filter((k) => kwargs.map.has(k));
    if (given.length > 0) return new Unknown(`get_submodules_from_kwargs with ${given.join(', ')} given by the caller`);
  } else if (kwargs !== undefined) return new Unknown('get_submodules_from_kwargs of kwargs the reader could not evaluate');
  return new PyTuple([new Extern('keras.backend'), new Extern('keras.layers'), new Extern('keras'), new Extern('keras.utils')]);
}

/** The helper's result, or undefined when `path` is not one of them. */
export function callKerasApplicationHelper(it: PythonInterpreter, path: string, args: Value[], kwargs: Map<string, Value>, _node: SyntaxNode): Value | undefined {
  if (LEGACY_SUBMODULES.test(path)) return legacySubmodules(args[0] ?? kwargs.get('kwargs'));
  if (LEGACY_CORRECT_PAD.test(path)) return correctPad(kwargs.get('inputs') ?? args[1], kwargs.get('kernel_size') ?? args[2]);
  const legacy = LEGACY_IMAGENET_UTILS.exec(path);
  if (!path.startsWith(IMAGENET_UTILS) && !legacy) return undefined;
  // keras-applications 1.0.8 spells the helpers with a leading underscore (_obtain_input_shape).
  const name = legacy ? legacy[1]!.replace(/^_/, '') : path.slice(IMAGENET_UTILS.length);
  const get = (key: string, position: number): Value | undefined => (kwargs.has(key) ? kwargs.get(key) : args[position]);
  switch (name) {
    case 'obtain_input_shape':
      return obtainInputShape(get('input_shape', 0) ?? null, get('default_size', 1), get('min_size', 2), get('data_format', 3), get('require_flatten', 4), get('weights', 5) ?? null);
    case 'correct_pad':
      return correctPad(get('inputs', 0), get('kernel_size', 1));
    case 'validate_activation':
      return null; // raises for a wrong activation with weights; shapes nothing
    case 'preprocess_input': {
      // Scales, shifts (and for 'caffe' flips) the channels, element by element, with no weights: the shape
      // and the counts are the input's (the tutorials' `x = preprocess_input(x)` before a frozen base model).
      const x = get('x', 0);
      return x !== undefined && isTensor(x) ? x : undefined;
    }
    default:
      void it;
      return undefined;
  }
}

/** obtain_input_shape: the input's (H, W, C) from the arguments, channels_last. */
function obtainInputShape(input: Value, defaultSize: Value | undefined, minSize: Value | undefined, dataFormat: Value | undefined, requireFlatten: Value | undefined, weights: Value): Value {
  if (typeof defaultSize !== 'number' || typeof requireFlatten !== 'boolean' || (dataFormat !== undefined && dataFormat !== 'channels_last')) {
    return new Unknown('obtain_input_shape with arguments the reader could not evaluate');
  }
  const given = input === null ? null : isSeq(input) ? input.items : undefined;
  if (given === undefined || (given !== null && !given.every((d) => d === null || typeof d === 'number'))) return new Unknown('obtain_input_shape of an input shape the reader could not evaluate');
  const defaultShape = [defaultSize, defaultSize, weights !== 'imagenet' && given && given.length === 3 ? given[2]! : 3];
  if (weights === 'imagenet' && requireFlatten) {
    if (given !== null && JSON.stringify(given) !== JSON.stringify(defaultShape)) return new Unknown(`obtain_input_shape raises: with imagenet weights and the top, the input must be ${defaultShape.join('×')}`);
    return new PyTuple(defaultShape);
  }
  if (given !== null) {
    if (given.length !== 3) return new Unknown('obtain_input_shape raises: the input shape must have 3 entries');
    const min = typeof minSize === 'number' ? minSize : 0;
    if (given.slice(0, 2).some((d) => typeof d === 'number' && d < min)) return new Unknown(`obtain_input_shape raises: the input must be at least ${min}×${min}`);
    return new PyTuple([...given]);
  }
  return new PyTuple(requireFlatten ? defaultShape : [null, null, 3]);
}

/** correct_pad: the ZeroPadding2D that makes a strided 'valid' convolution act like 'same' on this input. */
function correctPad(inputs: Value | undefined, kernel: Value | undefined): Value {
  if (inputs === undefined || !isTensor(inputs)) return new Unknown('correct_pad of a value that is not a tensor');
  const k = typeof kernel === 'number' ? [kernel, kernel] : isSeq(kernel ?? null) ? (kernel as PyTuple).items : null;
  if (!k || !k.every((d) => typeof d === 'number')) return new Unknown('correct_pad with a kernel size the reader could not evaluate');
  const h = sizeAt(inputs, 1);
  const w = sizeAt(inputs, 2);
  const adjust = h === null || w === null ? [1, 1] : typeof h === 'number' && typeof w === 'number' ? [1 - (h % 2), 1 - (w % 2)] : null;
  if (!adjust) return new Unknown('correct_pad on a tensor whose size is unknown');
  const correct = [Math.floor((k[0] as number) / 2), Math.floor((k[1] as number) / 2)];
  return new PyTuple([new PyTuple([correct[0]! - adjust[0]!, correct[0]!]), new PyTuple([correct[1]! - adjust[1]!, correct[1]!])]);
}
