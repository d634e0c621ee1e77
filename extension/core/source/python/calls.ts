/**
 * Calls: argument evaluation, dispatch on the callee, inlining of user functions (with their helper-block
 * grouping), class instantiation and calling a module object (its forward / call).
 */
import { layerwiseRun } from './layerwiseRuns';
import { field, namedChildren, type SyntaxNode } from '../syntax';
import { leafModuleResult } from './identityModules';
import { LimitError } from '../trace';
import { blockType } from '../naming';
import type { PythonInterpreter } from './interpreter';
import { BreakSignal, ContinueSignal, type Frame, ReturnSignal, Scope, Unsupported } from './scope';
import { DataclassInit } from './dataclasses';
import { layerSuperInit, subclassLayer } from './layerSubclass';
import { markFedToModule } from './torchExamples';
import { Bound, Builtin, Extern, inheritsExtern, isModelValue, isModuleLike, isSeq, isTensor, KerasFunctional, KerasSequential, LayerObj, PyClass, PyDict, PyFunc, PyList, PyObj, PyTuple, SuperProxy, TorchContainer, Unknown, type Value } from './values';
import { callExtern } from './externs';
import { applyKerasFunctional, applyKerasSequential, kerasFunctionalModel } from './keras';
import { applyContainer } from './torch';
import { exampleDims } from './shapes';
import { callKerasLayer, isKerasLayerClass, noteLayerMade, runInsideKerasCall } from './kerasLayerSubclass';

export function evalCall(it: PythonInterpreter, node: SyntaxNode, scope: Scope): Value {
  const fnNode = field(node, 'function')!;
  // super().__init__(...) and friends need the enclosing method's class and self.
  const callee = it.eval(fnNode, scope);
  const argsNode = field(node, 'arguments');
  const args: Value[] = [];
  const kwargs = new Map<string, Value>();
  if (argsNode?.type === 'generator_expression') args.push(it.eval(argsNode, scope));
  else {
    for (const a of argsNode ? namedChildren(argsNode) : []) {
      if (a.type === 'keyword_argument') kwargs.set(it.text(field(a, 'name')!), it.eval(field(a, 'value')!, scope));
      else if (a.type === 'list_splat') {
        const items = it.iterate(it.eval(namedChildren(a)[0]!, scope));
        if (items) args.push(...items);
        else throw new Unsupported(`could not expand *${it.text(namedChildren(a)[0]!)}`);
      } else if (a.type === 'dictionary_splat') {
        const d = it.eval(namedChildren(a)[0]!, scope);
        if (d instanceof PyDict && !d.tainted) for (const [k, v] of d.map) kwargs.set(String(k), v);
        else throw new Unsupported(`could not expand **${it.text(namedChildren(a)[0]!)}${d instanceof PyDict ? ' (it was passed to a function the reader cannot see)' : ''}`);
      } else args.push(it.eval(a, scope));
    }
  }
  if (callee instanceof Builtin && callee.name === 'super') return makeSuper(it);
  const result = it.callValue(callee, args, kwargs, node);
  if (isTensor(result)) result.trace.site(it.loc(node), result);
  return result;
}

function makeSuper(it: PythonInterpreter): Value {
  const frame = it.frame;
  if (!frame?.cls || frame.self === undefined) return new Unknown('super() outside a method');
  return new SuperProxy(frame.cls, frame.self);
}

export function callValue(it: PythonInterpreter, callee: Value, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
  it.tick(node);
  const layerwise = layerwiseRun(it, callee, args, node);
  if (layerwise === null) return dispatchCall(it, callee, args, kwargs, node);
  // Recorded after the call, in place of what the call recorded: the loop's model ran, not the block it starts with.
  const runsBefore = it.state.runs.length;
  const out = dispatchCall(it, callee, args, kwargs, node);
  it.state.runs.length = runsBefore;
  it.state.runs.push(layerwise);
  return out;
}

function dispatchCall(it: PythonInterpreter, callee: Value, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
  if (callee instanceof PyFunc) return it.callFunction(callee, args, kwargs, node, undefined);
  if (callee instanceof Bound) {
    if (callee.fn instanceof Builtin) return callee.fn.fn([callee.self, ...args], kwargs, node);
    return it.callFunction(callee.fn, [callee.self, ...args], kwargs, node, callee.self);
  }
  if (callee instanceof Builtin) return callee.fn(args, kwargs, node);
  if (callee instanceof PyClass) return instantiate(it, callee, args, kwargs, node);
  if (callee instanceof Extern) return callExtern(it, callee.path, args, kwargs, node);
  if (callee instanceof LayerObj) return it.applyLayer(callee, args, kwargs);
  if (callee instanceof TorchContainer) return applyContainer(it, callee, args, node);
  if (callee instanceof PyObj) return callObject(it, callee, args, kwargs, node);
  if (callee instanceof KerasSequential) return applyKerasSequential(it, callee, args, node);
  if (callee instanceof KerasFunctional) return applyKerasFunctional(it, callee, args, node);
  const tensor = args.find(isTensor);
  // Say why the callee is unknown: the reason leads back to the line where it was lost.
  if (tensor) return it.opaque(tensor, `a call of ${it.text(field(node, 'function') ?? node)}${callee instanceof Unknown ? `, which is unknown (${clip(callee.reason)})` : ''}`, node);
  // A function the reader cannot see may change the lists and dicts it is given (torchvision's
  // _ovewrite_named_param(kwargs, "groups", 32)): never trust their contents afterwards.
  for (const a of [...args, ...kwargs.values()]) if (a instanceof PyList || a instanceof PyDict) a.tainted = true;
  return new Unknown(`call of ${it.text(field(node, 'function') ?? node)}`);
}

export function callFunction(it: PythonInterpreter, fn: PyFunc, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode, self: Value | undefined): Value {
  if (it.depth >= it.limits.maxCallDepth) throw new LimitError(`calls nested deeper than ${it.limits.maxCallDepth}`, it.loc(node));
  const scope = new Scope(fn.closure, 'function');
  const extra: Value[] = [];
  const rest = new PyDict();
  let i = 0;
  for (const p of fn.params) {
    if (p.kind === 'normal') {
      if (i < args.length) scope.vars.set(p.name, args[i++]!);
      else if (kwargs.has(p.name)) scope.vars.set(p.name, kwargs.get(p.name)!);
      else if (p.default !== undefined) scope.vars.set(p.name, p.default);
      else scope.vars.set(p.name, new Unknown(`argument ${p.name} was not given`));
    } else if (p.kind === 'kwonly') {
      // A default of None is a value: `??` would take it for a missing one.
      scope.vars.set(p.name, kwargs.has(p.name) ? kwargs.get(p.name)! : p.default !== undefined ? p.default : new Unknown(`argument ${p.name} was not given`));
    } else if (p.kind === 'star') {
      while (i < args.length) extra.push(args[i++]!);
      scope.vars.set(p.name, new PyTuple(extra));
    } else {
      scope.vars.set(p.name, rest);
    }
  }
  for (const [k, v] of kwargs) if (!hasParam(fn, k)) rest.map.set(k, v);
  if (it.onUse && fn.topLevel) it.onUse(fn);
  // A helper function that takes a tensor and is not a method is a block (conv_block(x, filters)).
  const tensorArg = fn.owner === null && fn.node.type === 'function_definition' ? args.find(isTensor) ?? [...kwargs.values()].find(isTensor) : undefined;
  const frame: Frame = { cls: fn.owner, self, modulePath: it.frame?.modulePath ?? null };
  if (fn.topLevel && args.length === 0 && kwargs.size === 0 && fn.node.type === 'function_definition') {
    const result = runBody(it, fn, scope, frame);
    if (isModelValue(result)) it.state.factoryResults.set(result, fn.name);
    return result;
  }
  if (tensorArg) {
    return tensorArg.trace.withHelperBlock(
      fn.name,
      () => blockType(fn.name, fn.node, it.source),
      () => runBody(it, fn, scope, frame),
    );
  }
  return runBody(it, fn, scope, frame);
}

function hasParam(fn: PyFunc, name: string): boolean {
  for (const p of fn.params) if (p.name === name) return true;
  return false;
}

/** Runs a function's body in its own scope and frame (a module-level function: no closure made for every call). */
function runBody(it: PythonInterpreter, fn: PyFunc, scope: Scope, frame: Frame): Value {
  it.frames.push(frame);
  it.depth++;
  const wasTop = it.atTopLevel;
  it.atTopLevel = false;
  try {
    if (fn.node.type === 'lambda') return it.eval(field(fn.node, 'body')!, scope);
    it.execBlock(field(fn.node, 'body')?.children ?? [], scope);
    return null;
  } catch (signal) {
    if (signal instanceof ReturnSignal) return signal.value;
    if (signal instanceof BreakSignal || signal instanceof ContinueSignal) return null;
    throw signal;
  } finally {
    it.atTopLevel = wasTop;
    it.depth--;
    it.frames.pop();
  }
}

function instantiate(it: PythonInterpreter, cls: PyClass, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
  if (it.onUse) it.onUse(cls);
  // `class EDSRModel(keras.Model)` with only train_step/predict_step, made as EDSRModel(inputs, outputs): Keras's
  // functional constructor builds it (keras.io's EDSR, custom-training-loop examples).
  if (cls.kind === 'keras' && inheritsExtern(cls, /^keras\.(Model|Functional)$/) && it.lookupClassAttr(cls, '__init__') === undefined && it.lookupClassAttr(cls, 'call') === undefined && isTensor(kwargs.get('inputs') ?? args[0] ?? null)) {
    return kerasFunctionalModel(it, args, kwargs, node);
  }
  const obj = new PyObj(cls);
  if (args.length === 0 && kwargs.size === 0) it.state.noArgInstances.add(obj);
  if (cls.kind === 'torch') obj.attrs.set('training', false);
  noteLayerMade(it, obj, node);
  const init = it.lookupClassAttr(cls, '__init__');
  if (init instanceof PyFunc) it.callFunction(init, [obj, ...args], kwargs, node, obj);
  else if (init instanceof DataclassInit) init.fn([obj, ...args], kwargs, node);
  // A torch.nn layer subclass without an __init__ of its own (timm's Linear) runs the layer's; an nn.Sequential
  // subclass without one (timm's SequentialList) registers its arguments as nn.Sequential's __init__ does.
  else if (init === undefined) {
    const inherited = layerSuperInit(it, cls, obj) ?? (cls.kind === 'torch' ? it.getAttr(new SuperProxy(cls, obj), '__init__', node) : undefined);
    if (inherited !== undefined) it.callValue(inherited, args, kwargs, node);
  }
  return obj;
}

export function callObject(it: PythonInterpreter, obj: PyObj, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
  // The model run on a tensor the file makes (model(torch.randn(1, 3, 224, 224))) is the file's example.
  const example = exampleDims(args[0]);
  // A module called inside another module's forward() with that input is part of the run, not a run of its own.
  const nested = it.frames.some((f) => f.self instanceof PyObj && f.self.cls.kind !== 'plain');
  if (example && obj.cls.kind !== 'plain' && !isKerasLayerClass(obj.cls) && !nested) it.state.runs.push({ model: obj, dims: example, node, rest: { args: args.slice(1), kwargs } });
  if (obj.cls.kind !== 'plain') for (const a of [...args, ...kwargs.values()]) if (isTensor(a)) markFedToModule(a);
  // nn.Module.__call__ runs self.forward, an instance attribute before the class's (timm's Partial_conv3 sets
  // self.forward = self.forward_split_cat in __init__).
  const own = obj.cls.kind === 'keras' ? undefined : obj.attrs.get('forward');
  const method =
    own instanceof Bound && own.self === obj && own.fn instanceof PyFunc
      ? own.fn
      : obj.cls.kind === 'keras'
        ? (it.lookupClassAttr(obj.cls, 'call') ?? it.lookupClassAttr(obj.cls, 'forward'))
        : (it.lookupClassAttr(obj.cls, 'forward') ?? it.lookupClassAttr(obj.cls, '__call__'));
  if (isKerasLayerClass(obj.cls)) {
    return callKerasLayer(it, obj, args, kwargs, node, (name, a, k) => {
      const fn = it.lookupClassAttr(obj.cls, name) as PyFunc;
      it.frames.push({ cls: obj.cls, self: obj, modulePath: obj.path });
      try {
        return it.callFunction(fn, [obj, ...a], k, node, obj);
      } finally {
        it.frames.pop();
      }
    });
  }
  const tensor = args.find(isTensor);
  // A module with a path (layer1.0) is a block, however its forward runs.
  const inBlock = (run: () => Value): Value => (tensor && obj.path ? tensor.trace.withBlock({ name: obj.path, type: blockType(obj.cls.name, obj.cls.node, it.source) }, run) : run());
  if (!(method instanceof PyFunc) && inheritsExtern(obj.cls, /^torch\.nn\.Sequential$/)) {
    const children = [...obj.attrs.values()].filter(isModuleLike);
    return inBlock(() => {
      let x: Value = args[0] ?? null;
      for (const child of children) x = it.callValue(child, [x], new Map(), node);
      return x;
    });
  }
  const layer = method instanceof PyFunc ? undefined : subclassLayer(obj);
  if (layer) return it.applyLayer(layer, args, kwargs);
  if (!(method instanceof PyFunc)) {
    return tensor ? it.opaque(tensor, `${obj.cls.name} has no forward() the reader can follow`, node) : new Unknown(`${obj.cls.name}()`);
  }
  return inBlock(() => {
    const frame: Frame = { cls: obj.cls, self: obj, modulePath: obj.path };
    // The method's own frame is pushed by callFunction; modulePath is inherited from this one.
    it.frames.push(frame);
    // A list of tensors is an input too (timm's SelectSeq): the calls its forward makes start after these.
    const first = tensor ?? (isSeq(args[0] ?? null) ? (args[0] as PyList).items.find(isTensor) : undefined);
    const callsBefore = first?.trace.calls.length ?? 0;
    try {
      // A Keras Model subclass's call() runs on backend tensors, as a layer's does: TensorFlow's own functions take them.
      const run = (): Value => it.callFunction(method, [obj, ...args], kwargs, node, obj);
      return leafModuleResult(it, obj, args[0] ?? null, obj.cls.kind === 'keras' ? runInsideKerasCall(run) : run(), callsBefore);
    } finally {
      it.frames.pop();
    }
  });
}

/** A reason quoted inside another message, on one line and bounded. */
function clip(reason: string): string {
  const line = reason.replace(/\s+/g, ' ');
  return line.length > 200 ? `${line.slice(0, 197)}…` : line;
}
