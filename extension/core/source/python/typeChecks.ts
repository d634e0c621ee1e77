/**
 * isinstance, issubclass, hasattr and getattr with three answers: true, false, or unknown when the reader
 * cannot tell. Model builders branch on them (timm's `isinstance(layer, type)`, `getattr(self, 'aa', None)`),
 * so "false" is said only when the value's type is known not to match; anything else is unknown, never a
 * default that takes a branch by guess.
 */
import type { SyntaxNode } from '../syntax';
import { NamedTupleType, NamedTupleValue } from './namedTuples';
import type { PythonInterpreter } from './interpreter';
import { isPartial } from './functoolsPartial';
import { kerasInstance } from './kerasTypeChecks';
import { BatchDim, Bound, Builtin, Extern, isTensor, KerasFunctional, KerasSequential, KerasWeight, LayerObj, PyClass, PyDict, PyFloat, PyFunc, PyList, PyObj, PyTuple, TorchContainer, Unknown, type Value } from './values';

type Answer = boolean | null;

/** Builtin names that are classes (isinstance(int, type) is True, isinstance(len, type) is False). */
const BUILTIN_TYPES = new Set(['int', 'float', 'str', 'bool', 'list', 'tuple', 'dict', 'set', 'frozenset', 'object', 'type', 'bytes', 'complex', 'range', 'OrderedDict']);

/** torch.nn's private bases, by which library code tests layer families (`isinstance(m, _BatchNorm)`). */
const TORCH_BASES: Record<string, RegExp> = {
  _ConvNd: /^(Lazy)?Conv(Transpose)?[123]d$/,
  _ConvTransposeNd: /^(Lazy)?ConvTranspose[123]d$/,
  _NormBase: /^(Lazy)?(BatchNorm[123]d|SyncBatchNorm|InstanceNorm[123]d)$/,
  _BatchNorm: /^(Lazy)?BatchNorm[123]d$|^SyncBatchNorm$/,
  _InstanceNorm: /^(Lazy)?InstanceNorm[123]d$/,
  _MaxPoolNd: /^MaxPool[123]d$/,
  _AvgPoolNd: /^AvgPool[123]d$/,
  _AdaptiveAvgPoolNd: /^AdaptiveAvgPool[123]d$/,
  _AdaptiveMaxPoolNd: /^AdaptiveMaxPool[123]d$/,
  _DropoutNd: /^(Dropout[123]?d?|AlphaDropout|FeatureAlphaDropout)$/,
};

const answer = (a: Answer, why: string): Value => (a === null ? new Unknown(why) : a);

/** Values whose Python type the reader knows to be a builtin one (no framework class is among their types). */
function isPlainData(v: Value): boolean {
  return v === null || typeof v === 'number' || v instanceof PyFloat || typeof v === 'string' || typeof v === 'boolean' || v instanceof PyList || v instanceof PyDict;
}

/** A library class by its name (torch.nn.BatchNorm2d); lower-case library names may be functions or constants. */
const isLibraryClass = (v: Value): boolean => v instanceof Extern && /^[A-Z]/.test(v.path.split('.').pop()!);

/** Values that are code or framework objects (a partial too), never builtin data: a str, an int, a list. */
function isCodeObject(v: Value): boolean {
  return v instanceof PyClass || v instanceof PyFunc || v instanceof Bound || v instanceof Builtin || v instanceof LayerObj || v instanceof TorchContainer || isTensor(v) || v instanceof KerasWeight || v instanceof KerasSequential || v instanceof KerasFunctional || isLibraryClass(v);
}

/** Is `v` a class? A lower-case library name may be a class or a function, so it is unknown. */
function isClass(v: Value): Answer {
  if (v instanceof PyClass) return true;
  if (v instanceof Builtin) return isPartial(v) ? false : BUILTIN_TYPES.has(v.name);
  if (isLibraryClass(v)) return true;
  if (v instanceof Extern || v instanceof Unknown) return null;
  return false;
}

/**
 * The classes `cls` derives from, itself first, library and builtin bases (a `class Cfg(dict)`) included; null
 * when one of them is unknown. Iterative: a file may chain thousands of classes.
 */
function lineage(cls: PyClass): (PyClass | Extern | Builtin)[] | null {
  const out: (PyClass | Extern | Builtin)[] = [];
  const seen = new Set<PyClass>();
  const stack: PyClass[] = [cls];
  while (stack.length > 0) {
    const c = stack.pop()!;
    if (seen.has(c)) continue;
    seen.add(c);
    out.push(c);
    for (const b of [...c.bases].reverse()) {
      if (b instanceof PyClass) stack.push(b);
      else if (b instanceof Extern || (b instanceof Builtin && BUILTIN_TYPES.has(b.name))) out.push(b);
      else return null;
    }
  }
  return out;
}

/** torch.nn's public classes that subclass another public one besides Module (torch 2.13: issubclass over vars(nn)). */
const TORCH_PARENTS: Record<string, readonly string[]> = {
  GRU: ['RNNBase'], LSTM: ['RNNBase'], RNN: ['RNNBase'], GRUCell: ['RNNCellBase'], LSTMCell: ['RNNCellBase'], RNNCell: ['RNNCellBase'],
  LazyConv1d: ['Conv1d'], LazyConv2d: ['Conv2d'], LazyConv3d: ['Conv3d'], LazyLinear: ['Linear'],
  LazyConvTranspose1d: ['ConvTranspose1d'], LazyConvTranspose2d: ['ConvTranspose2d'], LazyConvTranspose3d: ['ConvTranspose3d'],
  NLLLoss2d: ['NLLLoss'], ReLU6: ['Hardtanh'], UpsamplingBilinear2d: ['Upsample'], UpsamplingNearest2d: ['Upsample'],
  ZeroPad1d: ['ConstantPad1d'], ZeroPad2d: ['ConstantPad2d'], ZeroPad3d: ['ConstantPad3d'],
};

/** Every public torch.nn Module class of torch 2.13: two of these are unrelated unless TORCH_PARENTS says so. */
const TORCH_PUBLIC: ReadonlySet<string> = new Set(
  (
    'AdaptiveAvgPool1d AdaptiveAvgPool2d AdaptiveAvgPool3d AdaptiveLogSoftmaxWithLoss AdaptiveMaxPool1d ' +
    'AdaptiveMaxPool2d AdaptiveMaxPool3d AlphaDropout AvgPool1d AvgPool2d AvgPool3d BCELoss BCEWithLogitsLoss ' +
    'BatchNorm1d BatchNorm2d BatchNorm3d Bilinear CELU CTCLoss ChannelShuffle CircularPad1d CircularPad2d ' +
    'CircularPad3d ConstantPad1d ConstantPad2d ConstantPad3d Container Conv1d Conv2d Conv3d ConvTranspose1d ' +
    'ConvTranspose2d ConvTranspose3d CosineEmbeddingLoss CosineSimilarity CrossEntropyLoss CrossMapLRN2d ' +
    'DataParallel Dropout Dropout1d Dropout2d Dropout3d ELU Embedding EmbeddingBag FeatureAlphaDropout Flatten ' +
    'Fold FractionalMaxPool2d FractionalMaxPool3d GELU GLU GRU GRUCell GaussianNLLLoss GroupNorm Hardshrink ' +
    'Hardsigmoid Hardswish Hardtanh HingeEmbeddingLoss HuberLoss Identity InstanceNorm1d InstanceNorm2d ' +
    'InstanceNorm3d KLDivLoss L1Loss LPPool1d LPPool2d LPPool3d LSTM LSTMCell LayerNorm LazyBatchNorm1d ' +
    'LazyBatchNorm2d LazyBatchNorm3d LazyConv1d LazyConv2d LazyConv3d LazyConvTranspose1d LazyConvTranspose2d ' +
    'LazyConvTranspose3d LazyInstanceNorm1d LazyInstanceNorm2d LazyInstanceNorm3d LazyLinear LeakyReLU Linear ' +
    'LinearCrossEntropyLoss LocalResponseNorm LogSigmoid LogSoftmax MSELoss MarginRankingLoss MaxPool1d MaxPool2d ' +
    'MaxPool3d MaxUnpool1d MaxUnpool2d MaxUnpool3d Mish Module ModuleDict ModuleList MultiLabelMarginLoss ' +
    'MultiLabelSoftMarginLoss MultiMarginLoss MultiheadAttention NLLLoss NLLLoss2d PReLU PairwiseDistance ' +
    'ParameterDict ParameterList PixelShuffle PixelUnshuffle PoissonNLLLoss RMSNorm RNN RNNBase RNNCell ' +
    'RNNCellBase RReLU ReLU ReLU6 ReflectionPad1d ReflectionPad2d ReflectionPad3d ReplicationPad1d ' +
    'ReplicationPad2d ReplicationPad3d SELU Sequential SiLU Sigmoid SmoothL1Loss SoftMarginLoss Softmax Softmax2d ' +
    'Softmin Softplus Softshrink Softsign SyncBatchNorm Tanh Tanhshrink Threshold Transformer TransformerDecoder ' +
    'TransformerDecoderLayer TransformerEncoder TransformerEncoderLayer TripletMarginLoss ' +
    'TripletMarginWithDistanceLoss Unflatten Unfold Upsample UpsamplingBilinear2d UpsamplingNearest2d ZeroPad1d ' +
    'ZeroPad2d ZeroPad3d'
  ).split(' '),
);

/** The file's own classes only (no library or builtin base): then the reader knows every attribute and type. */
const ownClassesOnly = (chain: readonly (PyClass | Extern | Builtin)[] | null): boolean => chain !== null && chain.every((c) => c instanceof PyClass);

/** Is the torch.nn class `name` (as PyTorch names it) a subclass of torch.nn `base`? */
function torchSubclass(name: string, base: string): Answer {
  if (name === base || base === 'Module') return true;
  const family = TORCH_BASES[base];
  if (family) return family.test(name);
  if (TORCH_PARENTS[name]?.includes(base)) return true;
  return TORCH_PUBLIC.has(name) && TORCH_PUBLIC.has(base) ? false : null;
}

/** Is a class path (or user class) a subclass of the framework class `base`? */
function externSubclass(c: PyClass | Extern, base: Extern): Answer {
  if (c instanceof PyClass) {
    const chain = lineage(c);
    if (chain === null) return null;
    let result: Answer = false;
    for (const k of chain) {
      if (!(k instanceof Extern)) continue;
      const sub = externSubclass(k, base);
      if (sub === true) return true;
      if (sub === null) result = null;
    }
    return result;
  }
  if (c.path === base.path) return true;
  const torch = /^torch\.nn\.(\w+)$/;
  const [cm, bm] = [torch.exec(c.path), torch.exec(base.path)];
  if (cm && bm) return torchSubclass(cm[1]!, bm[1]!);
  return null;
}

function subclassOf(c: PyClass | Extern, base: Value): Answer {
  if (base instanceof PyTuple) return any(base.items.map((b) => subclassOf(c, b)));
  if (base instanceof Builtin && base.name === 'object') return true;
  if (base instanceof PyClass) {
    if (c instanceof Extern) return false; // a library class never derives from the file's own class
    const chain = lineage(c);
    return chain?.includes(base) ? true : chain === null ? null : false;
  }
  if (base instanceof Extern) return externSubclass(c, base);
  return null;
}

function any(answers: Answer[]): Answer {
  return answers.includes(true) ? true : answers.includes(null) ? null : false;
}

/** isinstance(v, cls) for one class. */
function instanceOf(v: Value, cls: Value): Answer {
  if (cls instanceof PyTuple) return any(cls.items.map((c) => instanceOf(v, c)));
  if (v instanceof Unknown || cls instanceof Unknown) return null;
  if (cls instanceof NamedTupleType) return v instanceof NamedTupleValue ? v.type === cls : isPlainData(v) || v instanceof PyTuple || isCodeObject(v) ? false : null;
  if (cls instanceof Builtin) return builtinInstance(v, cls.name);
  if (cls instanceof PyClass) {
    if (v instanceof PyObj) return subclassOf(v.cls, cls);
    // Only the file's own objects are instances of the file's classes.
    return isPlainData(v) || v instanceof PyTuple || isCodeObject(v) ? false : null;
  }
  if (cls instanceof Extern) return externInstance(v, cls);
  return null;
}

function builtinInstance(v: Value, name: string): Answer {
  if (name !== 'object' && name !== 'type' && isCodeObject(v)) return false;
  switch (name) {
    case 'object':
      return true;
    case 'type':
      return isClass(v);
    case 'bool':
      return typeof v === 'boolean' ? true : isPlainData(v) || v instanceof PyTuple ? false : null;
    case 'int':
      // bool is an int subclass; a whole float is a PyFloat, a fraction a non-integral number.
      if (typeof v === 'boolean') return true;
      if (typeof v === 'number') return Number.isInteger(v);
      return isPlainData(v) || v instanceof PyTuple ? false : v instanceof BatchDim ? true : null;
    case 'float':
      if (v instanceof PyFloat) return true;
      if (typeof v === 'number') return !Number.isInteger(v);
      return isPlainData(v) || v instanceof PyTuple || v instanceof BatchDim ? false : null;
    case 'str':
      return typeof v === 'string' ? true : isPlainData(v) || v instanceof PyTuple ? false : null;
    case 'list':
      return v instanceof PyList ? true : isPlainData(v) || v instanceof PyTuple ? false : null;
    case 'tuple':
      return v instanceof PyTuple ? true : isPlainData(v) ? false : null;
    case 'dict':
    case 'OrderedDict':
      return v instanceof PyDict ? (name === 'dict' ? true : null) : isPlainData(v) || v instanceof PyTuple ? false : null;
    default:
      return null;
  }
}

function externInstance(v: Value, cls: Extern): Answer {
  const path = cls.path;
  if (path === 'functools.partial') return isPartial(v) ? true : isPlainData(v) || v instanceof PyTuple || isCodeObject(v) ? false : null;
  const kind = FUNCTION_TYPES[path];
  if (kind) return kind(v);
  const keras = kerasInstance(v, path);
  if (keras !== undefined) return keras;
  const torch = /^torch\.nn\.(\w+)$/.exec(path);
  if (torch) {
    if (v instanceof LayerObj) return v.framework === 'pytorch' ? torchSubclass(v.cls, torch[1]!) : false;
    if (v instanceof TorchContainer) return torchSubclass(v.kind, torch[1]!);
    // A 'plain' class may still derive from a library module class the reader does not follow (torchvision.ops).
    if (v instanceof PyObj) return v.cls.kind === 'torch' ? externSubclass(v.cls, cls) : v.cls.kind === 'plain' ? (ownClassesOnly(lineage(v.cls)) ? false : null) : false;
    if (isTensor(v) || v instanceof KerasWeight) return path.slice(path.lastIndexOf('.') + 1) === 'Parameter' ? null : false;
    return isPlainData(v) || v instanceof PyTuple || isCodeObject(v) || isPartial(v) ? false : null;
  }
  if (path === 'torch.Tensor') return isTensor(v) || v instanceof KerasWeight ? true : isPlainData(v) || v instanceof PyTuple || v instanceof LayerObj || v instanceof TorchContainer || v instanceof PyClass ? false : null;
  if (/^(numbers|collections\.abc|typing|collections)\./.test(path) || /^(Sequence|Mapping|Iterable)$/.test(path)) return abstractInstance(path, v);
  // Plain data is never an instance of a framework's class (torch.Size and numpy scalars aside: tuples, numbers).
  if (/^(torch|keras|tensorflow|timm|torchvision)\./.test(path) && (v === null || typeof v === 'string' || typeof v === 'boolean' || v instanceof PyList || v instanceof PyDict)) return false;
  return null;
}

/** types.FunctionType and friends: the file's own functions and bound methods; a library name may be either. */
const functionType = (is: (v: Value) => boolean) => (v: Value): Answer => (is(v) ? true : (v instanceof Extern && !isLibraryClass(v)) || v instanceof Unknown ? null : false);
const FUNCTION_TYPES: Record<string, (v: Value) => Answer> = {
  'types.FunctionType': functionType((v) => v instanceof PyFunc),
  'types.LambdaType': functionType((v) => v instanceof PyFunc),
  'types.MethodType': functionType((v) => v instanceof Bound && v.fn instanceof PyFunc),
};

// collections.abc / typing / numbers classes the builtin values are instances of (torchvision's MobileNetV3
// checks `isinstance(setting, Sequence)`; timm `isinstance(x, numbers.Number)`).
const ABSTRACT: Record<string, (v: Value) => boolean> = {
  Sequence: (v) => v instanceof PyList || v instanceof PyTuple || typeof v === 'string',
  MutableSequence: (v) => v instanceof PyList,
  Iterable: (v) => v instanceof PyList || v instanceof PyTuple || v instanceof PyDict || typeof v === 'string',
  Collection: (v) => v instanceof PyList || v instanceof PyTuple || v instanceof PyDict || typeof v === 'string',
  Mapping: (v) => v instanceof PyDict,
  MutableMapping: (v) => v instanceof PyDict,
  Number: (v) => typeof v === 'number' || v instanceof PyFloat || typeof v === 'boolean',
  Real: (v) => typeof v === 'number' || v instanceof PyFloat || typeof v === 'boolean',
  Integral: (v) => typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v)),
};

/** callable(v): functions, classes, layers and modules are; data is not; other objects by their class. */
function isCallable(v: Value): Answer {
  if (isTensor(v) || v instanceof KerasWeight || isPlainData(v) || v instanceof PyTuple) return false;
  if (isCodeObject(v)) return true;
  if (v instanceof PyObj) {
    if (v.cls.kind !== 'plain' || definesMethod(v.cls, '__call__')) return true;
    return ownClassesOnly(lineage(v.cls)) ? false : null;
  }
  return null;
}

function definesMethod(cls: PyClass, name: string): boolean {
  return lineage(cls)?.some((c) => c instanceof PyClass && c.attrs.has(name)) ?? false;
}

const PROTOCOL = ['__iter__', '__getitem__', '__len__', '__contains__', '__int__', '__float__', '__index__'];

function abstractInstance(path: string, v: Value): Answer {
  const name = path.split('.').pop()!;
  if (name === 'Callable') return isCallable(v);
  const test = ABSTRACT[name];
  if (!test) return null;
  // Containers and tensors iterate; functions, layers and the file's classes (no metaclass of their own) do not.
  if (v instanceof TorchContainer || isTensor(v)) return name === 'Iterable' ? true : ['Number', 'Real', 'Integral', 'Mapping', 'MutableMapping'].includes(name) ? false : null;
  if (v instanceof PyClass) return lineage(v)?.every((c) => c instanceof PyClass || (c instanceof Extern && c.path === 'torch.nn.Module')) ? false : null;
  if (isCodeObject(v)) return false;
  if (v instanceof PyObj) {
    // An instance of the file's own class (a config dataclass, a module) is no collection or number unless its
    // class makes it one (a container protocol method, a framework base the reader does not model).
    const chain = lineage(v.cls);
    const plain = chain?.every((c) => (c instanceof PyClass ? !PROTOCOL.some((m) => c.attrs.has(m)) : c instanceof Extern && c.path === 'torch.nn.Module'));
    return plain ? false : null;
  }
  if (!(isPlainData(v) || v instanceof PyTuple)) return null;
  return test(v);
}

export function isinstance(v: Value | undefined, cls: Value | undefined): Value {
  if (v === undefined || cls === undefined) return new Unknown('isinstance');
  return answer(instanceOf(v, cls), 'isinstance');
}

export function issubclass(c: Value | undefined, base: Value | undefined): Value {
  if (c === undefined || base === undefined) return new Unknown('issubclass');
  // Python raises TypeError for a non-class first argument; the reader does not model the exception.
  if (!(c instanceof PyClass || c instanceof Extern)) return new Unknown('issubclass of a value that is not a class');
  return answer(subclassOf(c, base), 'issubclass');
}

/** Does a PyObj have `name`? false only when neither it nor any (known) class of it defines the name. */
function objectHas(it: PythonInterpreter, o: PyObj, name: string, node: SyntaxNode): Answer {
  if (o.attrs.has(name)) return o.attrs.get(name) instanceof Unknown ? null : true;
  if (it.lookupClassAttr(o.cls, name) !== undefined) return true;
  // A class computing its attributes (__getattr__), or one the code gave attributes by names the reader could not evaluate.
  if (it.lookupClassAttr(o.cls, '__getattr__') !== undefined || it.lookupClassAttr(o.cls, '__getattribute__') !== undefined || o.unknownAttrs !== null) return null;
  const v = it.getAttr(o, name, node);
  if (!(v instanceof Unknown)) return true;
  // A framework base defines more than the reader models: known in full are plain classes and nn.Module and its
  // containers (their own attributes aside), whose __getattr__ raises AttributeError for any other name.
  const chain = lineage(o.cls);
  if (chain === null) return null;
  if (chain.some((c) => c instanceof Builtin)) return null;
  const bases = chain.filter((c): c is Extern => c instanceof Extern);
  if (bases.length === 0) return false;
  const known = bases.map((b) => MODULE_ATTRIBUTES[b.path]);
  return known.every((names) => names !== undefined && !names.has(name)) && !MODULE_ATTRIBUTES['torch.nn.Module']!.has(name) && !(name.startsWith('__') && name.endsWith('__')) ? false : null;
}

/** What nn.Module and its containers have besides what their code sets (dir() of torch 2.13, dunders aside). */
const MODULE_OWN =
  'T_destination _apply _backward_hooks _backward_pre_hooks _buffers _call_impl _compiled_call_impl _forward_hooks _forward_hooks_always_called ' +
  '_forward_hooks_with_kwargs _forward_pre_hooks _forward_pre_hooks_with_kwargs _get_backward_hooks _get_backward_pre_hooks _get_name ' +
  '_is_full_backward_hook _load_from_state_dict _load_state_dict_post_hooks _load_state_dict_pre_hooks _maybe_warn_non_full_backward_hook ' +
  '_modules _named_members _non_persistent_buffers_set _parameters _register_load_state_dict_pre_hook _register_state_dict_hook ' +
  '_replicate_for_data_parallel _save_to_state_dict _slow_forward _state_dict_hooks _state_dict_pre_hooks _version _wrapped_call_impl ' +
  'add_module apply bfloat16 buffers call_super_init children compile cpu cuda double dump_patches eval extra_repr float forward ' +
  'get_buffer get_extra_state get_parameter get_submodule half ipu load_state_dict modules mtia named_buffers named_children named_modules ' +
  'named_parameters parameters register_backward_hook register_buffer register_forward_hook register_forward_pre_hook ' +
  'register_full_backward_hook register_full_backward_pre_hook register_load_state_dict_post_hook register_load_state_dict_pre_hook ' +
  'register_module register_parameter register_state_dict_post_hook register_state_dict_pre_hook requires_grad_ set_extra_state ' +
  'set_submodule share_memory state_dict to to_empty train training type xpu zero_grad';
const names = (extra: string): ReadonlySet<string> => new Set(`${MODULE_OWN} ${extra}`.split(' ').filter(Boolean));
const MODULE_ATTRIBUTES: Record<string, ReadonlySet<string>> = {
  'torch.nn.Module': names(''),
  'torch.nn.Sequential': names('_get_item_by_idx append extend insert pop'),
  'torch.nn.ModuleList': names('_get_abs_string_index append extend insert pop'),
  'torch.nn.ModuleDict': names('clear items keys pop update values'),
};

export function callable(v: Value | undefined): Value {
  return v === undefined ? new Unknown('callable') : answer(isCallable(v), 'callable');
}

export function hasattr(it: PythonInterpreter, o: Value | undefined, name: Value | undefined, node: SyntaxNode): Value {
  if (o === undefined || typeof name !== 'string') return new Unknown('hasattr');
  if (o instanceof PyObj) return answer(objectHas(it, o, name, node), 'hasattr');
  // None has nothing but Python's own dunder attributes.
  if (o === null) return name.startsWith('__') ? new Unknown('hasattr') : false;
  const v = it.getAttr(o, name, node);
  return v instanceof Unknown ? new Unknown('hasattr') : true;
}

/** getattr(o, name[, default]): the default only where the attribute is known to be missing. */
export function getattr(it: PythonInterpreter, o: Value | undefined, name: Value | undefined, fallback: Value | undefined, node: SyntaxNode): Value {
  if (o === undefined || typeof name !== 'string') return new Unknown('getattr');
  const v = it.getAttr(o, name, node);
  if (!(v instanceof Unknown) || fallback === undefined) return v;
  // A module may bind names the reader did not see (`from lib import *`, a module-level __getattr__): unknown.
  return o instanceof PyObj && objectHas(it, o, name, node) === false ? fallback : v;
}

