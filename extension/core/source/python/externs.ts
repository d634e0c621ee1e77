/**
 * Calls of names imported from libraries (Extern values): a few standard-library helpers here, PyTorch and
 * Keras/TensorFlow in their own modules, and an unsupported layer for anything else that gets a tensor.
 */
import type { SyntaxNode } from '../syntax';
import type { PythonInterpreter } from './interpreter';
import { Builtin, isTensor, numArgs, PyDict, pyFloat, PyList, pyNumber, PyObj, PyTuple, Unknown, type Value } from './values';
import { BUILTINS, MATH } from './builtins';
import { callKerasExtern } from './keras';
import { callTorchExtern } from './torch';
import { callRunWrapper } from './runWrappers';
import { callKerasApplicationHelper } from './kerasApplications';
import { callTorchvisionHelper } from './torchvisionHelpers';
import { callQuantizationExtern } from './quantization';
import { callCopy } from './stdlibCopy';
import { callItertools } from './itertoolsHelpers';
import { makePartial } from './functoolsPartial';
import { callOwnLayerFunction, callOwnPoolFunction } from './layerSubclassForward';
import { callOnWeights } from './functionalConv';
import { callNumpy } from './numpyHelpers';
import { callNumpyArray } from './numpyArrays';
import { kerasLambda } from './kerasLambda';
import { matmulByWeight } from './weightOps';
import { callDataLoading } from './dataLoading';
import { callKerasData } from './kerasData';
import { callRe } from './stdlibRe';
import { callDataclasses } from './dataclasses';
import { callNamedTuple } from './namedTuples';
import { callConstantTensor } from './constantTensors';
import { callInstalledLibrary, notFoundReason } from './installedLibraries';

/** A framework function or class called from Python. */
export function callExtern(it: PythonInterpreter, path: string, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
  const dot = path.lastIndexOf('.');
  const last = path.slice(dot + 1);
  const owner = dot < 0 ? '' : path.slice(0, dot);
  if (last === 'image_data_format' && owner.startsWith('keras')) return 'channels_last';
  // Keras Applications given input_tensor= (DeepLabV3+'s ResNet50 on preprocessed inputs): a tensor of the code's
  // graph is a Keras tensor, and the inputs it comes from are the graph's input (the reader follows one input).
  const first = args[0] ?? null;
  if (last === 'is_keras_tensor' && owner.startsWith('keras') && isTensor(first)) return true;
  if (last === 'get_source_inputs' && owner.startsWith('keras') && isTensor(first)) return new PyList([first.trace.inputTensor]);
  if (path === 'typing.cast') return args[1] ?? null;
  if (path === 'torch.jit.is_scripting' || path === 'torch.jit.is_tracing' || path === 'torch.onnx.is_in_onnx_export') return false;
  // The code is read as it runs here, on a CPU: the CUDA branches of a training script (loader workers, pinned
  // memory) are not taken, as a script run without a GPU would not take them.
  if (path === 'torch.cuda.is_available' || path === 'torch.backends.mps.is_available' || path === 'torch.backends.cudnn.is_available') return false;
  if (path === 'torch.cuda.device_count') return 0;
  if (path === 'collections.OrderedDict') return BUILTINS.get('dict')!(it, args, kwargs, node);
  if (owner === 'math') {
    const n = numArgs(args);
    const f = MATH[last];
    if (f && n && kwargs.size === 0 && args.length >= f.arity[0] && args.length <= f.arity[1]) {
      const r = f.fn(...n.values);
      // Python raises where JS gives NaN or ±inf from finite numbers (math.log(0), math.sqrt(-1)); an int is always finite.
      if (!Number.isFinite(r) && (f.result === 'int' || n.values.every(Number.isFinite))) return new Unknown(`${path} raises for these values`);
      return f.result === 'float' ? pyFloat(r) : r;
    }
    if (last === 'prod' && args.length === 1) {
      const items = it.iterate(args[0]!);
      const p = items ? numArgs(items) : null;
      if (p) return pyNumber(p.values.reduce((a, b) => a * b, 1), p.float);
    }
    if (last === 'pi') return Math.PI;
    return new Unknown(path);
  }
  const data = callKerasData(it, path, args, kwargs, node);
  if (data !== undefined) return data;
  const copied = callCopy(path, args) ?? callNumpy(path, args, kwargs, it.limits.maxValueSize) ?? callNumpyArray(path, args, kwargs) ?? (kwargs.size === 0 ? callRe(path, args) : undefined);
  if (copied !== undefined) return copied;
  const iterated = callItertools(it, path, args, kwargs) ?? callOwnLayerFunction(it, path, args, kwargs, node) ?? callOwnPoolFunction(it, path, args, kwargs) ?? callOnWeights(it, path, args, kwargs, node);
  if (iterated !== undefined) return iterated;
  const dataclass = callDataclasses(it, path, args, kwargs, node) ?? callNamedTuple(it, path, args, kwargs) ?? callConstantTensor(path, args, kwargs, it.limits.maxValueSize);
  if (dataclass !== undefined) return dataclass;
  if (path === 'functools.partial') {
    const [fn, ...bound] = args;
    return makePartial(it, fn, bound, kwargs);
  }
  const quantization = callQuantizationExtern(it, path, args, kwargs, node);
  if (quantization !== undefined) return quantization;
  const loading = callDataLoading(it, path, args, kwargs, node);
  if (loading !== undefined) return loading;
  const torchvision = callTorchvisionHelper(it, path, args, kwargs, node);
  if (torchvision !== undefined) return torchvision;
  const wrapped = callRunWrapper(it, path, args, kwargs, node);
  if (wrapped !== undefined) return wrapped;
  const torch = callTorchExtern(it, path, owner, last, args, kwargs, node);
  if (torch !== undefined) return torch;
  const lambda = kerasLambda(it, path, args, kwargs, node) ?? matmulByWeight(it, path, args, node);
  if (lambda !== undefined) return lambda;
  const keras = callKerasExtern(it, path, owner, last, args, kwargs, node);
  if (keras !== undefined) return keras;
  const application = callKerasApplicationHelper(it, path, args, kwargs, node);
  if (application !== undefined) return application;
  const installed = callInstalledLibrary(it, path, args, kwargs, node);
  if (installed !== undefined) return installed;
  // Every Keras Applications preprocess_input scales, centres or flips channels elementwise (or passes the input
  // through): the tensor's shape, with no layer (Keras makes ops, not layers), even when Keras is not installed.
  const preprocessed = args[0] ?? kwargs.get('x');
  if (/^keras\.applications\.(?:\w+\.)?preprocess_input$/.test(path) && preprocessed !== undefined && isTensor(preprocessed)) return preprocessed;
  if ((path.startsWith('keras.applications.') && !path.startsWith('keras.applications.imagenet_utils.')) || path.startsWith('torchvision.models.') || path.startsWith('timm.')) {
    const why = notFoundReason(it, path);
    it.report('info', 'unsupported', `${path}() builds a library model the reader does not expand${why ? `: ${why}` : ''}; run it in Python or use the model zoo`, node);
    return new Unknown(path);
  }
  const tensors = [...args, ...kwargs.values()].filter(isTensor);
  if (tensors.length > 0) return it.opaque(tensors[0]!, `${path}()`, node, tensors.slice(1));
  // A function the reader cannot see may change the lists and dicts it is given (torchvision's
  // _ovewrite_named_param(kwargs, "groups", 32)): never trust their contents afterwards.
  for (const a of [...args, ...kwargs.values()]) if (a instanceof PyList || a instanceof PyDict) a.tainted = true;
  return new Unknown(`${path}()`);
}

