/** Attribute lookup (obj.name) on every kind of value, including the methods implemented by the reader. */
import type { SyntaxNode } from '../syntax';
import type { PythonInterpreter } from './interpreter';
import { Bound, Builtin, ChannelGroups, Extern, inheritsExtern, isTensor, KerasFunctional, KerasSequential, KerasWeight, LayerObj, PyClass, PyDict, PyFloat, PyFunc, PyList, PyModule, PyObj, PyTuple, SuperProxy, TorchContainer, Unknown, type Value } from './values';
import { DataclassInit } from './dataclasses';
import { layerSuperInit, subclassLayer } from './layerSubclass';
import { dictMethod, listMethod, stringMethod } from './collectionMethods';
import { layerSubclassAttr } from './layerSubclassForward';
import { parameterAttr, TorchParameter } from './torchParameters';
import { weightAttr } from './functionalConv';
import { weightsEnumVerify } from './weightsEnum';
import { ConstTensor, constTensorAttr } from './constTensors';
import { partialAttr } from './functoolsPartial';
import { markFreezingUnknown, ParameterRef, setRefRequiresGrad } from './freezing';
import { canonicalAttribute } from './importPaths';
import { containerMethod, functionalMethod, layerMethod, moduleMethod, sequentialMethod } from './modelMethods';
import { channelGroupsAttr, tensorAttr } from './tensors';
import { isKerasLayerClass, layerInit } from './kerasLayerSubclass';
import { moduleInit } from './identityModules';
import { ConstVector, constVectorMethod } from './constantTensors';
import { kerasLayerOutput } from './functionalLayers';
import { autogradApply } from './autogradFunctions';
import { namedTupleAttr, NamedTupleNew, NamedTupleType, NamedTupleValue } from './namedTuples';

export function getAttr(it: PythonInterpreter, obj: Value, name: string, node: SyntaxNode): Value {
  const v = getAttrRaw(it, obj, name, node);
  // Methods implemented here take the object as their first argument, like Python's unbound methods; a Builtin
  // the class itself holds (a @staticmethod) takes no object.
  if (!(v instanceof Builtin) || obj instanceof Extern || obj instanceof PyClass || obj instanceof SuperProxy) return v;
  // A namedtuple class's attributes are a class's: not bound.
  if (obj instanceof NamedTupleType || obj instanceof NamedTupleNew) return v;
  // A namedtuple's field holds a value, not a method.
  if (obj instanceof NamedTupleValue && obj.type.fields.includes(name)) return v;
  const own = obj instanceof PyObj && (obj.attrs.get(name) === v || it.lookupClassAttr(obj.cls, name) === v);
  return own ? v : new Bound(obj, v);
}

function getAttrRaw(it: PythonInterpreter, obj: Value, name: string, node: SyntaxNode): Value {
  const ofPartial = partialAttr(obj, name);
  if (ofPartial !== undefined) return ofPartial;
  // A library class's __name__ is its own name (timm maps `norm_layer.__name__.lower()` to its norm-act class).
  if (obj instanceof Extern && name === '__name__' && /^[A-Z]/.test(obj.path.split('.').pop()!)) return obj.path.split('.').pop()!;
  if (obj instanceof ParameterRef && name === 'requires_grad_') {
    // Not bound (an Extern's methods take no object): the flag is the first argument.
    return new Builtin(name, ([flag], kwargs, node) => {
      if (!setRefRequiresGrad(obj, flag ?? kwargs.get('requires_grad') ?? true)) markFreezingUnknown(it.state, 'requires_grad_() of a weight with a value the reader could not evaluate', it.loc(node));
      return obj;
    });
  }
  if (obj instanceof Extern) return new Extern(canonicalAttribute(obj.path, name));
  // A parameter's views keep it (counted once); its other methods are a module weight's (functionalConv.ts).
  const view = obj instanceof TorchParameter ? parameterAttr(it, obj, name) : undefined;
  if (view !== undefined) return view;
  if (obj instanceof PyModule) {
    obj.pending?.();
    if (obj.unreadable !== null) return new Unknown(`module ${obj.name} could not be read: ${obj.unreadable}`);
    return obj.scope.vars.get(name) ?? obj.lazy?.resolve(name) ?? new Unknown(`${obj.name}.${name} is not defined in ${obj.file ?? obj.name}`);
  }
  if (obj instanceof PyObj) {
    if (obj.attrs.has(name)) return obj.attrs.get(name)!;
    // torchvision's ConvNormActivation warns when `self.__class__ == ConvNormActivation`.
    if (name === '__class__') return obj.cls;
    const v = it.lookupClassAttr(obj.cls, name);
    if (v instanceof PyFunc) return new Bound(obj, v);
    if (v !== undefined) return v;
    // A layer's None (bias=False) is a value: `??` would take it for a missing attribute.
    const own = moduleMethod(it, obj, name) ?? layerSubclassAttr(obj, name);
    return own === undefined ? new Unknown(`.${name}`) : own;
  }
  if (obj instanceof PyClass) {
    const v = it.lookupClassAttr(obj, name);
    const apply = v === undefined ? autogradApply(it, obj, name) : undefined;
    if (apply !== undefined) return apply;
    if (v === undefined && name === 'verify' && inheritsExtern(obj, /(^|\.)WeightsEnum$/)) {
      return weightsEnumVerify(obj);
    }
    return v ?? (name === '__name__' ? obj.name : new Unknown(`${obj.name}.${name}`));
  }
  if (obj instanceof SuperProxy) {
    for (const b of obj.cls.bases) {
      if (b instanceof PyClass) {
        const v = it.lookupClassAttr(b, name);
        if (v instanceof PyFunc || v instanceof DataclassInit) return new Bound(obj.self, v);
        if (v !== undefined) return v;
      }
    }
    const torchLayerInit = name === '__init__' && obj.self instanceof PyObj ? layerSuperInit(it, obj.cls, obj.self) : undefined;
    if (torchLayerInit) return torchLayerInit;
    if (name === '__init__' && obj.self instanceof PyObj && inheritsExtern(obj.cls, /^torch\.nn\.(Sequential|ModuleList|ModuleDict)$/)) {
      // class ConvBNReLU(nn.Sequential): super().__init__(conv, bn, relu) registers "0", "1", "2"; an nn.ModuleDict
      // subclass (torchvision's IntermediateLayerGetter) registers the keys of the dict it is given.
      const self = obj.self;
      return new Builtin('super().__init__', (args) => {
        const first = args[0];
        if (args.length === 1 && first instanceof PyDict) for (const [k, v] of first.map) self.attrs.set(String(k), v);
        else if (args.length === 1 && first instanceof PyList) first.items.forEach((v, i) => self.attrs.set(String(i), v));
        else args.forEach((v, i) => self.attrs.set(String(i), v));
        return null;
      });
    }
    if (name === '__init__' && obj.self instanceof PyObj && isKerasLayerClass(obj.cls)) return layerInit(it, obj.self);
    if (name === '__init__' && obj.self instanceof PyObj) return moduleInit(obj.self, (node) => it.loc(node));
    // A layer subclass's own forward() calling the layer's (`return super().forward(x) * 2`).
    const layer = (name === 'forward' || name === '__call__') && obj.self instanceof PyObj ? subclassLayer(obj.self) : undefined;
    if (layer) return new Builtin('super().forward', (args, kwargs) => it.applyLayer(layer, args, kwargs));
    // A framework method the reader does not model returns something unknown, never None.
    return new Builtin(`super().${name}`, () => new Unknown(`super().${name}() of a framework class`));
  }
  const ofNamedTuple = namedTupleAttr(it, obj, name);
  if (ofNamedTuple !== undefined) return ofNamedTuple;
  if (isTensor(obj)) return tensorAttr(it, obj, name, node);
  if (obj instanceof ConstTensor) return constTensorAttr(obj, name);
  if (obj instanceof ChannelGroups) return channelGroupsAttr(it, obj, name, node);
  if (obj instanceof KerasWeight) return weightAttr(obj, name) ?? new Unknown(`.${name}`);
  // TensorShape.as_list() (x.shape / x.get_shape() of TensorFlow tensors); the reader's shapes are tuples.
  if (obj instanceof PyTuple && name === 'as_list') {
    const items = [...obj.items];
    return new Builtin(name, () => new PyList(items));
  }
  if (obj instanceof ConstVector) return constVectorMethod(obj, name) ?? new Unknown(`tensor.${name}`);
  // An element of such a vector is a 0-d tensor: .item() is its number (a Python number has no .item()).
  if ((typeof obj === 'number' || obj instanceof PyFloat) && name === 'item') return new Builtin(name, () => obj);
  if (obj instanceof PyList) return listMethod(it, obj, name) ?? new Unknown(`list.${name}`);
  if (obj instanceof PyDict) return dictMethod(obj, name) ?? new Unknown(`dict.${name}`);
  if (typeof obj === 'string') return stringMethod(it, obj, name) ?? new Unknown(`str.${name}`);
  if (obj instanceof TorchContainer) {
    // A child by its name (`self.head.global_pool` of an OrderedDict Sequential, a ModuleDict's `blocks.conv`), as
    // nn.Module.__getattr__ finds it in _modules once the class has no such attribute.
    const child = obj.unlisted === null ? obj.children.get(name) : undefined;
    return containerMethod(it, obj, name) ?? child ?? new Unknown(`.${name}`);
  }
  if (obj instanceof KerasSequential) return sequentialMethod(it, obj, name);
  if (obj instanceof KerasFunctional) return functionalMethod(it, obj, name, node);
  if (obj instanceof LayerObj) {
    if (obj.framework === 'keras' && name === 'name') return obj.explicitName ?? new Unknown('layer name');
    if (obj.framework === 'keras' && name === 'output') return kerasLayerOutput(obj) ?? new Unknown('.output of a layer the reader did not see called once in a model');
    return layerMethod(it, obj, name);
  }
  return new Unknown(`.${name}`);
}
