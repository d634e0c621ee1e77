/**
 * Keras Layer subclasses written in the code being read (ConvNeXt's LayerScale, Inception-ResNet's
 * CustomScaleLayer, a tutorial's custom block), as Keras runs them: the first call builds the layer
 * (`build(input_shape)`, where `self.add_weight(...)` makes its weights), then `call()` runs on the inputs.
 *
 * A layer that holds no sublayers is a leaf, one row as Keras lists it: its params are the weights
 * add_weight made (`count_params()`), its output shape the one call() gives when the reader follows it on the
 * symbolic input; the steps inside call() are read for that shape only and are not layers. A layer that holds
 * sublayers is a composite: its sublayers are the rows, as Keras lists them.
 */
import type { SourceLocation } from '../../spec';
import { recordApplication } from './functionalLayers';
import type { SyntaxNode } from '../syntax';
import { type TensorRef, type Trace, UNKNOWN_LAYER } from '../trace';
import { USER_LAYER, type UserWeight } from '../../tfjs/userLayer';
import { kerasSnake } from '../naming';
import type { PythonInterpreter } from './interpreter';
import { Builtin, inheritsExtern, isSeq, isTensor, KerasFunctional, KerasSequential, KerasWeight, LayerObj, PyClass, PyDict, PyFunc, PyList, PyObj, PyTuple, Unknown, type Value } from './values';
import { frameworkSizes } from './shapes';
import { hasReaderWeights } from '../../layerKnowledge/index';

/** What Layer.__init__ was given: the name, and where the framework's constructor was entered from. */
interface LayerInit {
  source: SourceLocation;
  name: string | null;
}

const inits = new WeakMap<PyObj, LayerInit>();
const weightsOf = new WeakMap<PyObj, KerasWeight[]>();

/** Whether a layer of the file's own classes made weights with add_weight(). */
export const hasOwnWeights = (obj: PyObj): boolean => (weightsOf.get(obj) ?? []).length > 0;
/** Per trace: the layer's first call (its row name) and how many calls so far; build() runs on the first. */
const usesOf = new WeakMap<PyObj, Map<Trace, { first: string; count: number }>>();

/** A subclass of keras.layers.Layer that is not a Model (a Model is read as a model, its call() inline). */
export function isKerasLayerClass(cls: PyClass): boolean {
  return cls.kind === 'keras' && inheritsExtern(cls, /^keras\.(layers\.)?Layer$/) && !inheritsExtern(cls, /^keras\.(Model|Functional|Sequential)$/);
}

/** Where a user layer object is made: the constructor call, until its __init__ reaches Layer.__init__. */
export function noteLayerMade(it: PythonInterpreter, obj: PyObj, node: SyntaxNode): void {
  if (isKerasLayerClass(obj.cls)) inits.set(obj, { source: it.loc(node), name: null });
}

/**
 * super().__init__(**kwargs) reaching keras.layers.Layer: the innermost frame outside Keras when the layer is
 * constructed (the line Keras' own tools point at), and the `name` it passes.
 */
export function layerInit(it: PythonInterpreter, obj: PyObj): Builtin {
  return new Builtin('super().__init__', (_args, kwargs, node) => {
    const name = kwargs.get('name');
    inits.set(obj, { source: it.loc(node), name: typeof name === 'string' ? name : null });
    return null;
  });
}

/**
 * self.add_weight(...): Keras 3 takes (shape, initializer, dtype, trainable, ...); Keras 2 took (name, shape,
 * dtype, initializer, regularizer, trainable, ...), told apart by a leading string.
 */
export function addWeight(obj: PyObj): Builtin {
  return new Builtin('add_weight', ([, ...args], kwargs) => {
    const keras2 = typeof args[0] === 'string';
    const at = (key: string, k3: number, k2: number): Value | undefined => (kwargs.has(key) ? kwargs.get(key) : args[keras2 ? k2 : k3]);
    const shapeValue = at('shape', 0, 1) ?? null;
    const trainableValue = at('trainable', 3, 5) ?? null;
    const nameValue = at('name', 9, 0);
    // Keras: no shape is a scalar; anything but a tuple or list of sizes raises.
    const shape = shapeValue === null ? [] : isSeq(shapeValue) && shapeValue.items.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0) ? (shapeValue.items as number[]) : null;
    const trainable = trainableValue === null ? true : typeof trainableValue === 'boolean' ? trainableValue : null;
    const list = weightsOf.get(obj) ?? [];
    const weight = new KerasWeight(trainable === null ? null : shape, trainable ?? true, typeof nameValue === 'string' ? nameValue : `weight_${list.length}`);
    list.push(weight);
    weightsOf.set(obj, list);
    return weight;
  });
}

/** Layers (and models) the object holds in its attributes, which Keras tracks as its sublayers. */
function hasSublayers(obj: PyObj): boolean {
  const isLayer = (v: Value): boolean =>
    v instanceof LayerObj || v instanceof KerasSequential || v instanceof KerasFunctional || (v instanceof PyObj && v.cls.kind === 'keras');
  for (const v of obj.attrs.values()) {
    if (isLayer(v)) return true;
    if (isSeq(v) && v.items.some(isLayer)) return true;
    if (v instanceof PyDict && [...v.map.values()].some(isLayer)) return true;
  }
  return false;
}

/** The input shape build() gets: (None, H, W, C), or a list of them for a list of inputs. */
function buildShapeOf(x: Value, inputs: TensorRef[]): Value {
  const one = (t: TensorRef): Value => {
    const sizes = frameworkSizes(t);
    return sizes === null ? new Unknown(`the shape of ${t.name} is unknown`) : new PyTuple(sizes);
  };
  return isTensor(x) ? one(x) : new PyList(inputs.map(one));
}

/**
 * Calls a user Keras layer on tensors: build on the first call, then call(); a leaf becomes one row whose
 * output shape is the one call() gave.
 */
export function callKerasLayer(it: PythonInterpreter, obj: PyObj, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode, runMethod: (name: 'build' | 'call', args: Value[], kwargs: Map<string, Value>) => Value): Value {
  const x = args[0] ?? kwargs.get('inputs') ?? null;
  const inputs = isTensor(x) ? [x] : isSeq(x) ? x.items.filter(isTensor) : [];
  if (inputs.length === 0) return new Unknown(`${obj.cls.name} applied to a value the reader could not follow`);
  const trace = inputs[0]!.trace;
  if (!(it.lookupClassAttr(obj.cls, 'call') instanceof PyFunc)) return it.opaque(inputs[0]!, `${obj.cls.name} has no call() the reader can follow`, node);
  const uses = usesOf.get(obj) ?? new Map<Trace, { first: string; count: number }>();
  usesOf.set(obj, uses);
  const use = uses.get(trace);
  if (!use && it.lookupClassAttr(obj.cls, 'build') instanceof PyFunc) runMethod('build', [buildShapeOf(x, inputs)], new Map());
  if (hasSublayers(obj)) {
    if ((weightsOf.get(obj) ?? []).length > 0) return it.opaque(inputs[0]!, `${obj.cls.name} has both weights of its own and sublayers, which the reader does not count yet`, node);
    const from = trace.layers.length;
    const y = insideCall(() => runMethod('call', args, kwargs));
    recordApplication(trace, from, obj);
    return y;
  }
  const init = inits.get(obj) ?? { source: it.loc(node), name: null };
  const weights = weightsOf.get(obj) ?? [];
  const unknownWeight = weights.some((w) => w.shape === null) ? `${obj.cls.name}: add_weight() with a shape or trainable flag the reader could not evaluate` : null;
  const spec: UserWeight[] = weights.map((w) => ({ name: w.name, shape: w.shape ?? [], trainable: w.trainable }));
  const from = trace.layers.length;
  const y = readLeafCall(it, { className: obj.cls.name, source: init.source, name: init.name, weights: spec, problem: unknownWeight, uses }, inputs, () => runMethod('call', args, kwargs));
  // One item of a model's `.layers`, whatever it made inside.
  recordApplication(trace, from, obj);
  return y;
}

/** The multiply-accumulates of the weight products read inside call() (NaN, so unknown, when one is not known). */
function macsInside(inside: readonly { type: string; args: Record<string, unknown> }[]): number {
  return inside.filter((l) => l.type === USER_LAYER).reduce((n, l) => n + (typeof l.args.macs === 'number' ? l.args.macs : Number.NaN), 0);
}

/** A leaf layer whose call() the reader follows for its output shape: its class, where it was made, its weights. */
export interface LeafLayer {
  className: string;
  source: SourceLocation;
  name: string | null;
  weights: UserWeight[];
  /** Why its weights are not known, if they are not. */
  problem: string | null;
  /** Per trace: its first call's name (later calls share its weights) and how many calls so far. */
  uses: Map<Trace, { first: string; count: number }>;
}

let callDepth = 0;

/**
 * Whether the reader is inside a Keras layer's call(): there Keras runs the backend on real (traced) tensors, so
 * TensorFlow functions take them; on a functional model's KerasTensors Keras 3 refuses them.
 */
export const insideKerasLayerCall = (): boolean => callDepth > 0;

/** Runs the call() of a Keras Model subclass the way a layer's call() runs (TensorFlow functions take its tensors). */
export const runInsideKerasCall = <T>(body: () => T): T => insideCall(body);

function insideCall<T>(body: () => T): T {
  callDepth++;
  try {
    return body();
  } finally {
    callDepth--;
  }
}

/**
 * Runs `body` (the layer's call()) on the symbolic inputs for its output shape only, takes back whatever it
 * added to the trace, and emits the layer as one row: Keras lists a leaf layer, not the ops inside it.
 */
export function readLeafCall(it: PythonInterpreter, layer: LeafLayer, inputs: TensorRef[], body: () => Value): TensorRef {
  const trace = inputs[0]!.trace;
  const use = layer.uses.get(trace);
  const mark = trace.mark();
  let result: Value;
  try {
    result = insideCall(body);
  } catch (error) {
    // A cap or a construct that stops the read: nothing half-read inside call() stays in the trace.
    trace.rollback(mark);
    throw error;
  }
  // What made the shape unknown inside call() ("resize (tf.image.resize(...), line 14)"), before it is taken back.
  const unknownInside = trace.unknownSince(mark) ? trace.firstUnknown : null;
  const inside = trace.rollback(mark);
  let reason: string | null = layer.problem;
  const weighted = inside.find((l) => hasReaderWeights(l.type) || (l.type === USER_LAYER && ((l.args.weights as unknown[] | undefined) ?? []).length > 0));
  if (reason === null && weighted) reason = `${layer.className}: its call() makes a layer with weights (${weighted.name}), which the reader does not count yet`;
  else if (reason === null && (!isTensor(result) || result.trace !== trace)) reason = `${layer.className}: its call() returns a value the reader could not follow`;
  else if (reason === null && (result as TensorRef).shape === null) reason = `${layer.className}: the output shape of its call() is unknown${unknownInside ? ` from ${unknownInside} on` : ''}`;
  if (reason) it.report('info', 'unsupported', `${reason}; shapes after it are unknown`, layer.source);
  const count = (use?.count ?? 0) + 1;
  const name = use?.first ?? layer.name ?? trace.autoName(kerasSnake(layer.className));
  const out = trace.emit(
    { name, sourceType: layer.className, source: layer.source, use: count, sharesWeightsWith: count > 1 && layer.weights.length > 0 ? (use?.first ?? null) : null },
    reason
      ? { parts: [{ type: UNKNOWN_LAYER, args: { reason }, merge: inputs.length > 1 }] }
      : { parts: [{ type: USER_LAYER, frameworkType: layer.className, args: { outputShape: (result as TensorRef).shape, weights: layer.weights, macs: macsInside(inside) }, merge: inputs.length > 1 }] },
    inputs,
  );
  if (!use) layer.uses.set(trace, { first: trace.calls[trace.calls.length - 1]!.name, count: 1 });
  else use.count = count;
  return out;
}
