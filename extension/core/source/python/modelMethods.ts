/**
 * Methods of model objects the reader implements itself: nn.Module (add_module, modules, to, ...),
 * nn.Sequential/ModuleList, layer attributes (conv.out_channels), Keras Sequential and functional models.
 */
import { LimitError, tensorRef } from '../trace';
import type { SyntaxNode } from '../syntax';
import type { PythonInterpreter } from './interpreter';
import { Unsupported } from './scope';
import { Builtin, Extern, isModuleLike, isTensor, type KerasFunctional, type KerasSequential, LayerObj, type ModelValue, PyClass, PyList, PyObj, PyTuple, TorchContainer, Unknown, type Value } from './values';
import { fromPlain, shapeDims } from './conversions';
import { callObject } from './calls';
import { applyContainer } from './torch';
import { addWeight, isKerasLayerClass } from './kerasLayerSubclass';
import { registerBuffer } from './functionalConv';
import { fedDims } from './kerasData';
import { unknownAttribute } from './torchParameters';
import { markFreezingUnknown, namedParametersOf, ParameterRef, parametersOf, requiresGrad } from './freezing';
import { getattr } from './typeChecks';
import { functionalLayers } from './functionalLayers';

/** `model.summary()`, `.compile()`, `.fit()`, …: calling one means the file uses this model (a default candidate). */
const RUN_METHODS = new Set(['summary', 'compile', 'fit', 'predict', 'evaluate']);

function markRun(it: PythonInterpreter, model: ModelValue, name: string): Builtin {
  // fit/predict/evaluate on the data (keras.datasets arrays) feed the model its input, as model(x) does.
  return new Builtin(name, ([, ...args], kwargs, node) => {
    it.state.runs.push({ model, dims: name === 'summary' || name === 'compile' ? null : fedDims(args, kwargs), node });
    return new Unknown(name);
  });
}

export function moduleMethod(it: PythonInterpreter, obj: PyObj, name: string): Value | undefined {
  switch (name) {
    case 'add_module':
    case 'register_module':
    // nn.Module.__setattr__(name, value), called by name (pytorch-cifar's DLA: `self.__setattr__('level_%d' % i, t)`).
    case '__setattr__':
      return new Builtin(name, ([, key, value], _k, node) => {
        if (typeof key === 'string' && value !== undefined) obj.attrs.set(key, value);
        else unknownAttribute(it, obj, name, node);
        return null;
      });
    // nn.Module.__getattr__(name) called by name: the attribute, as getattr(self, name) finds it.
    case '__getattr__':
      return new Builtin(name, ([, key], _k, node) => getattr(it, obj, key, undefined, node));
    case 'to':
    case 'cuda':
    case 'cpu':
    case 'eval':
    case 'train':
    case 'float':
    case 'double':
    case 'half':
      return new Builtin(name, () => obj);
    case 'requires_grad_':
      return freezeMethod(it, obj);
    case 'modules':
    case 'children':
      return new Builtin(name, () => new PyList(name === 'modules' ? [obj, ...submodules(obj, true)] : submodules(obj, false)));
    case 'items':
    case 'values':
    case 'keys': {
      // nn.ModuleDict / nn.Sequential subclasses iterate their registered modules.
      const entries = [...obj.attrs].filter(([, v]) => isModuleLike(v));
      return new Builtin(name, () => new PyList(entries.map(([k, v]) => (name === 'items' ? new PyTuple([k, v]) : name === 'keys' ? k : v))));
    }
    case 'named_children':
      return new Builtin(name, () => namedChildren(obj));
    case 'parameters':
      return new Builtin(name, (_a, _k, node) => parametersOf(obj, node, it.state, it.loc(node)));
    case 'named_parameters':
      return new Builtin(name, (_a, _k, node) => namedParametersOf(obj, node, it.state, it.loc(node)));
    case 'named_modules':
    case 'state_dict':
    case 'load_state_dict':
    case 'apply':
      return new Builtin(name, () => new Unknown(name));
    case 'forward':
    case 'call': {
      return new Builtin(name, (args, kwargs, node) => callObject(it, obj, args.slice(1), kwargs, node));
    }
    case 'register_buffer':
      return registerBuffer(obj);
    case 'register_parameter':
      return new Builtin(name, ([, key, value]) => {
        if (typeof key === 'string' && value !== undefined) obj.attrs.set(key, value);
        return null;
      });
    case 'add_weight':
    case 'add_variable':
      return isKerasLayerClass(obj.cls) ? addWeight(obj) : undefined;
    case 'build':
      // model.build((None, 28, 28, 1)) / model.build(input_shape=…): the batch-first input Keras builds it at.
      return new Builtin('build', ([, shape], kwargs, node) => {
        const dims = shapeDims(shape ?? kwargs.get('input_shape') ?? null);
        if (dims) it.state.runs.push({ model: obj, dims, node });
        return null;
      });
    default:
      return RUN_METHODS.has(name) ? markRun(it, obj, name) : undefined;
  }
}

/**
 * `module.named_children()`: (name, module) for each registered submodule once, in registration order. Unknown
 * when an attribute is a value the reader could not evaluate: it may be a module, and a child list without it
 * would build a smaller model than the code does (torchvision's IntermediateLayerGetter copies these children).
 */
function namedChildren(obj: PyObj): Value {
  const seen = new Set<Value>();
  const out: Value[] = [];
  for (const [k, v] of obj.attrs) {
    if (v instanceof Unknown) return new Unknown(`named_children() of ${obj.cls.name}, whose attribute ${k} the reader could not evaluate`);
    if (!isModuleLike(v) || seen.has(v)) continue;
    seen.add(v);
    out.push(new PyTuple([k, v]));
  }
  return new PyList(out);
}

function submodules(v: Value, recursive: boolean, seen = new Set<Value>()): Value[] {
  const children = v instanceof PyObj ? [...v.attrs.values()] : v instanceof TorchContainer ? [...v.children.values()] : [];
  const out: Value[] = [];
  for (const c of children) {
    if (!isModuleLike(c) || seen.has(c)) continue;
    seen.add(c);
    out.push(c);
    if (recursive) out.push(...submodules(c, true, seen));
  }
  return out;
}

export function containerMethod(it: PythonInterpreter, c: TorchContainer, name: string): Value | undefined {
  switch (name) {
    case 'append':
      return new Builtin(name, ([, v]) => {
        c.children.set(String(c.children.size), v ?? null);
        return c;
      });
    case 'extend':
      return new Builtin(name, ([, v]) => {
        const items = it.iterate(v ?? null);
        if (items === null) c.unlisted ??= `extend() of a value the reader could not list`;
        for (const item of items ?? []) c.children.set(String(c.children.size), item);
        return c;
      });
    case 'add_module':
    case 'register_module':
      return new Builtin(name, ([, key, v]) => {
        if (typeof key === 'string') c.children.set(key, v ?? null);
        else c.unlisted ??= `${name}() with a name the reader could not evaluate`;
        return null;
      });
    case 'parameters':
      return new Builtin(name, (_a, _k, node) => (c.unlisted ? new Unknown(c.unlisted) : parametersOf(c, node, it.state, it.loc(node))));
    case 'named_parameters':
      return new Builtin(name, (_a, _k, node) => (c.unlisted ? new Unknown(c.unlisted) : namedParametersOf(c, node, it.state, it.loc(node))));
    case 'requires_grad_':
      return freezeMethod(it, c);
    case 'modules':
      // PyTorch's modules(): the container itself, then every module under it, each once.
      return new Builtin(name, () => (c.unlisted ? new Unknown(c.unlisted) : new PyList([c, ...submodules(c, true)])));
    case 'children':
    case 'values':
      return new Builtin(name, () => (c.unlisted ? new Unknown(c.unlisted) : new PyList([...c.children.values()])));
    case 'insert':
      // nn.Sequential / nn.ModuleList.insert(index, module): the modules from there move up one, renumbered.
      return new Builtin(name, ([, index, v]) => {
        if (c.kind === 'ModuleDict' || typeof index !== 'number' || !Number.isInteger(index) || v === undefined) {
          c.unlisted ??= `insert() with an index the reader could not evaluate`;
          return null;
        }
        const items = [...c.children.values()];
        const n = items.length;
        const at = index < 0 ? Math.max(0, n + index) : Math.min(index, n);
        items.splice(at, 0, v);
        c.children.clear();
        items.forEach((m, i) => c.children.set(String(i), m));
        return null;
      });
    case 'pop':
    case 'popitem':
    case 'remove':
    case 'clear':
    case 'update':
    case 'setdefault':
      // Mutations the reader does not follow: every use of the container is then unknown, never its old modules.
      return new Builtin(name, () => {
        c.unlisted ??= `${name}() of an nn.${c.kind}, which the reader does not read`;
        return new Unknown(`${name}()`);
      });
    case 'keys':
      return new Builtin(name, () => (c.unlisted ? new Unknown(c.unlisted) : new PyList([...c.children.keys()])));
    case 'items':
    case 'named_children':
      return new Builtin(name, () => (c.unlisted ? new Unknown(c.unlisted) : new PyList([...c.children].map(([k, v]) => new PyTuple([k, v])))));
    case 'to':
    case 'cuda':
    case 'eval':
    case 'train':
      return new Builtin(name, () => c);
    case 'forward':
      return new Builtin(name, (args, _k, node) => applyContainer(it, c, args.slice(1), node));
    default:
      return undefined;
  }
}

export function layerMethod(it: PythonInterpreter, layer: LayerObj, name: string): Value {
  if (name === 'forward' || name === '__call__' || name === 'call') return new Builtin(name, (args, kwargs) => it.applyLayer(layer, args.slice(1), kwargs));
  if (name === 'to' || name === 'cuda' || name === 'eval' || name === 'train') return new Builtin(name, () => layer);
  if (layer.framework === 'pytorch' && name === 'parameters') return new Builtin(name, (_a, _k, node) => parametersOf(layer, node, it.state, it.loc(node)));
  if (layer.framework === 'pytorch' && name === 'named_parameters') return new Builtin(name, (_a, _k, node) => namedParametersOf(layer, node, it.state, it.loc(node)));
  if (layer.framework === 'pytorch' && name === 'requires_grad_') return freezeMethod(it, layer);
  // Constructor arguments PyTorch keeps as attributes (conv.out_channels, fc.in_features, ...).
  const positions: Record<string, number> = { in_channels: 0, out_channels: 1, in_features: 0, out_features: 1, num_features: 0, kernel_size: 2, filters: 0, units: 0 };
  const v = layer.args.keywords.get(name) ?? (positions[name] !== undefined ? layer.args.positional[positions[name]!] : undefined);
  if (name === 'bias' && layer.framework === 'pytorch') {
    // A Parameter, or None for bias=False (nn.Linear's third and nn.Conv2d's eighth argument).
    const given = layer.args.keywords.get('bias') ?? layer.args.positional[layer.cls === 'Linear' ? 2 : layer.cls === 'Conv2d' ? 7 : 99];
    return given === false ? null : new ParameterRef(layer, 'bias');
  }
  if (name === 'weight' && layer.framework === 'pytorch') return new ParameterRef(layer, 'weight');
  if (v !== undefined) return fromPlain(v);
  return new Unknown(`.${name}`);
}

export function sequentialMethod(it: PythonInterpreter, seq: KerasSequential, name: string): Value {
  switch (name) {
    case 'add':
      return new Builtin(name, ([, layer], _k, node) => {
        if (layer === undefined) return null;
        if (seq.layers.length === 0 && isTensor(layer)) {
          seq.inputShape = layer.trace.input;
          return null;
        }
        if (seq.layers.length >= it.limits.maxLayers) throw new LimitError('too many layers', it.loc(node));
        seq.layers.push(layer);
        return null;
      });
    case 'build':
      return new Builtin(name, ([, shape], kwargs) => {
        const dims = shapeDims(shape ?? kwargs.get('input_shape') ?? null);
        // (None, 784), (None, steps, channels), (None, H, W, C), (None, D, H, W, C): the batch first.
        if (dims && dims.length >= 2 && dims.length <= 5) {
          seq.inputShape = dims.slice(1);
        }
        return null;
      });
    case 'layers':
      return new PyList([...seq.layers]);
    case 'pop':
      // Keras' Sequential.pop(): the last layer goes (an empty model raises).
      return new Builtin(name, () => {
        if (seq.layers.length === 0) throw new Unsupported('pop() of a Sequential with no layers: Keras raises TypeError');
        return seq.layers.pop()!;
      });
    default:
      if (RUN_METHODS.has(name)) return markRun(it, seq, name);
      // A method the reader does not model may change the model: its layers are then unknown from there.
      if (SEQUENTIAL_QUERIES.has(name)) return new Unknown(`.${name}`);
      return new Builtin(name, (_a, _k, node) => {
        seq.unknownAfter ??= { reason: `${name}() of a Sequential is not read: it may change the model's layers`, node };
        return new Unknown(`${name}()`);
      });
  }
}

/** Keras Sequential members that leave its layers as they are. */
const SEQUENTIAL_QUERIES = new Set([
  'name', 'input', 'inputs', 'output', 'outputs', 'input_shape', 'output_shape', 'count_params', 'get_config', 'to_json',
  'get_layer', 'get_weights', 'set_weights', 'save', 'save_weights', 'load_weights', 'export', 'weights', 'trainable_weights',
  'non_trainable_weights', 'variables', 'train_on_batch', 'test_on_batch', 'predict_on_batch', 'predict_step', 'train_step',
  'test_step', 'metrics', 'metrics_names', 'optimizer', 'loss', 'history', 'stop_training', 'built', 'dtype', 'trainable',
  'fit_generator', 'evaluate_generator', 'predict_generator', 'reset_metrics', 'reset_states', 'make_predict_function',
]);

export function functionalMethod(it: PythonInterpreter, model: KerasFunctional, name: string, node: SyntaxNode): Value {
  if (RUN_METHODS.has(name)) return markRun(it, model, name);
  if (name === 'output') return model.outputs[0] ?? new Unknown('output');
  if (name === 'outputs') return new PyList([...model.outputs]);
  // `base.input` / `base.inputs`: the Input the model was built from (transfer learning: keras.Model(base.input, head)).
  if (name === 'input') return model.trace.inputTensor;
  if (name === 'inputs') return new PyList([model.trace.inputTensor]);
  if (name === 'layers') return functionalLayers(model, node);
  if (name === 'get_layer') return new Builtin(name, ([, layerName], kwargs, node) => layerOfFunctional(it, model, layerName ?? kwargs.get('name'), node));
  return new Unknown(`.${name}`);
}

/**
 * `model.get_layer("conv4_block6_2_relu")`: the layer by its Keras name, whose `.output` is the tensor it made in the
 * model (DeepLabV3+ and U-Nets take backbone features this way). A name the model has not made is unknown, said where.
 */
function layerOfFunctional(it: PythonInterpreter, model: KerasFunctional, layerName: Value | undefined, node: SyntaxNode): Value {
  if (typeof layerName !== 'string') return new Unknown('get_layer() of a name the reader could not evaluate');
  const made = model.trace.layers.some((l) => l.name === layerName);
  if (!made) {
    it.report('warning', 'unknown', `get_layer("${layerName}"): the model has no layer of that name the reader made; what follows from it is unknown`, node);
    return new Unknown(`get_layer("${layerName}")`);
  }
  const layer = new PyObj(new PyClass('Layer', node, [], new Map(), 'plain'));
  layer.attrs.set('output', tensorRef(model.trace, layerName, model.trace.shapeOf(layerName)));
  layer.attrs.set('name', layerName);
  return layer;
}

/** Gives every module in a PyTorch model tree its attribute path, as named_modules() would (tuples are not modules). */
export function assignPaths(root: Value): void {
  const seen = new Set<Value>();
  const visit = (v: Value, path: string): void => {
    if (seen.has(v)) return;
    if (v instanceof PyObj && v.cls.kind !== 'plain') {
      seen.add(v);
      v.path = path || null;
      for (const [k, c] of v.attrs) visit(c, path ? `${path}.${k}` : k);
    } else if (v instanceof TorchContainer) {
      seen.add(v);
      v.path = path || null;
      for (const [k, c] of v.children) visit(c, path ? `${path}.${k}` : k);
    } else if (v instanceof LayerObj) {
      seen.add(v);
      v.path = path || null;
    }
  };
  visit(root, '');
}

/** The leaf modules registered under `root`, in registration order, as model.modules() would list them. */
export function leafModules(root: Value): LayerObj[] {
  const seen = new Set<Value>();
  const out: LayerObj[] = [];
  const visit = (v: Value): void => {
    if (seen.has(v)) return;
    seen.add(v);
    if (v instanceof PyObj && v.cls.kind !== 'plain') for (const c of v.attrs.values()) visit(c);
    else if (v instanceof TorchContainer) for (const c of v.children.values()) visit(c);
    else if (v instanceof LayerObj) out.push(v);
  };
  visit(root);
  return out;
}

/** `module.requires_grad_(flag)`: freezes or thaws what the module holds now; a flag it cannot read is said. */
function freezeMethod(it: PythonInterpreter, module: Value): Builtin {
  return new Builtin('requires_grad_', ([, flag], kwargs, node) => {
    if (!requiresGrad(module, flag ?? kwargs.get('requires_grad'))) {
      it.report('warning', 'unknown', 'requires_grad_() with a value the reader could not evaluate: which parameters are trainable is unknown', node);
      markFreezingUnknown(it.state, 'requires_grad_() with a value the reader could not evaluate', it.loc(node));
    }
    return module;
  });
}
