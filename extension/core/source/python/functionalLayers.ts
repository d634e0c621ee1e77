/**
 * `model.layers` of a Keras functional model, in Keras' own order, so that fine-tuning code that freezes by position
 * (`for layer in base_model.layers[:fine_tune_at]: layer.trainable = False`, the TensorFlow and Keras guides) freezes
 * the layers Keras would. Keras orders `Functional.layers` by keras/src/ops/function.py `map_graph`: every node's
 * depth is its longest distance from the outputs, an operation takes the deepest of its nodes, operations come by
 * decreasing depth and, within a depth, in the order a depth-first walk from the outputs (inputs before the node
 * itself is finished, in argument order) first meets them. Operations that are not layers (`keras.ops` calls, `x + y`)
 * take part in the depths but are not listed.
 */
import { INPUT } from '../../spec';
import { type TensorRef, tensorRef, UNKNOWN_LAYER, type Trace } from '../trace';
import type { SyntaxNode } from '../syntax';
import { kerasLayerOf } from './freezing';
import { AutoName, type KerasFunctional, type KerasSequential, LayerObj, PyClass, PyList, PyObj, Unknown, type Value } from './values';

/** What Keras lists as one layer however many engine layers it made: a nested model, a layer subclass of the file's. */
type OneLayer = KerasFunctional | KerasSequential | PyObj;

/** One application of such a layer: the engine layers it made, by name, are one node of it. */
const applications = new WeakMap<Trace, Map<string, { model: OneLayer; token: object }>>();

/** The models and layers of the file's that were applied in `trace` (outermost of nested ones). */
export function appliedIn(trace: Trace): Set<OneLayer> {
  return new Set([...(applications.get(trace)?.values() ?? [])].map((a) => a.model));
}

/** Marks the engine layers `trace` made from index `from` on as one application of `model` (outermost wins: called last). */
export function recordApplication(trace: Trace, from: number, model: OneLayer): void {
  let marks = applications.get(trace);
  if (!marks) applications.set(trace, (marks = new Map()));
  const token = {};
  for (const l of trace.layers.slice(from)) marks.set(l.name, { model, token });
}

const inputLayerItems = new WeakSet<PyObj>();
const inputItemOf = new WeakMap<Trace, PyObj>();
/** Models built on several inputs: the reader follows the first only, so their list of layers is not whole. */
const severalInputs = new WeakSet<KerasFunctional>();

export function markSeveralInputs(model: KerasFunctional): void {
  severalInputs.add(model);
}
/** `layer.output` of the layers a `.layers` list gave, each called once (Keras raises for a layer called more often). */
const layerOutputs = new WeakMap<LayerObj, TensorRef>();

export const kerasLayerOutput = (layer: LayerObj): TensorRef | undefined => layerOutputs.get(layer);
const inputNames = new WeakMap<Trace, Value>();

/** The `name=` the code gave the model's keras.Input (None when it gave none). */
export function recordInputName(trace: Trace, name: Value): void {
  inputNames.set(trace, name);
}

/** Whether `v` is the InputLayer item of a `.layers` list. */
export const isInputLayerItem = (v: Value): boolean => v instanceof PyObj && inputLayerItems.has(v);

/** The input layer's item: no weights, so its flags change nothing; Keras names it by a session-wide counter. */
function inputLayerItem(trace: Trace, node: SyntaxNode): PyObj {
  const made = inputItemOf.get(trace);
  if (made) return made;
  const item = new PyObj(new PyClass('InputLayer', node, [], new Map(), 'plain'));
  inputLayerItems.add(item);
  const given = inputNames.get(trace);
  item.attrs.set('name', typeof given === 'string' ? given : given === null ? new AutoName('input_layer') : new Unknown('the input layer name'));
  item.attrs.set('trainable', true);
  item.attrs.set('output', trace.inputTensor);
  inputItemOf.set(trace, item);
  return item;
}

export function functionalLayers(model: KerasFunctional, node: SyntaxNode): Value {
  const trace = model.trace;
  const why = severalInputs.has(model) ? 'it has several inputs' : unfollowable(trace);
  if (why) return new Unknown(`.layers of a model whose graph the reader could not follow whole (${why})`);
  const specs = new Map(trace.layers.map((l) => [l.name, l]));
  const marks = applications.get(trace);
  // Node of each engine layer: its nested-model application, or the source call that made it.
  const nodeOf = new Map<string, object>();
  const opOf = new Map<object, object>();
  const members = new Map<object, string[]>();
  // Operations that are not Keras layers (keras.ops calls, `x + y`): each node is its own, never listed.
  const operations = new Set<object>();
  for (const call of trace.calls) {
    for (const name of call.layers) {
      const mark = marks?.get(name);
      const key = mark?.token ?? call;
      nodeOf.set(name, key);
      if (!members.has(key)) members.set(key, []);
      members.get(key)!.push(name);
      if (opOf.has(key)) continue;
      const op = mark?.model ?? kerasLayerOf(trace, name);
      if (op === null) operations.add(key);
      opOf.set(key, op ?? key);
    }
  }
  const inputNode = {};
  const inputItem = inputLayerItem(trace, node);
  opOf.set(inputNode, inputItem);
  const nodeOfTensor = (name: string): object | undefined => (name === INPUT ? inputNode : nodeOf.get(name));
  // The walk and the depths both ask for a node's parents: worked out once.
  const parentsMade = new Map<object, object[]>();
  const parentsOf = (key: object): object[] => {
    const made = parentsMade.get(key);
    if (made) return made;
    const own = new Set(members.get(key) ?? []);
    const parents: object[] = [];
    for (const name of own) {
      for (const i of specs.get(name)?.inputs ?? []) {
        if (own.has(i)) continue;
        const p = nodeOfTensor(i);
        if (p && !parents.includes(p)) parents.push(p);
      }
    }
    parentsMade.set(key, parents);
    return parents;
  };

  // _build_map: depth-first from the outputs; an operation's index is where the walk first meets it.
  const finished = new Set<object>();
  const order: object[] = [];
  const opIndex = new Map<object, number>();
  const visit = (start: object): void => {
    const stack: { key: object; parents: object[] | null; next: number }[] = [{ key: start, parents: null, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.parents === null) {
        if (finished.has(top.key)) {
          stack.pop();
          continue;
        }
        const op = opOf.get(top.key)!;
        if (!opIndex.has(op)) opIndex.set(op, opIndex.size);
        top.parents = parentsOf(top.key);
      }
      if (top.next < top.parents.length) {
        const p = top.parents[top.next++]!;
        if (!finished.has(p)) stack.push({ key: p, parents: null, next: 0 });
        continue;
      }
      finished.add(top.key);
      order.push(top.key);
      stack.pop();
    }
  };
  for (const out of model.outputs) {
    const key = nodeOfTensor(out.name);
    if (!key) return new Unknown('.layers of a model whose outputs the reader could not place');
    visit(key);
  }

  // map_graph: depths from the outputs, an operation at the deepest of its nodes.
  const nodeDepth = new Map<object, number>();
  const opDepth = new Map<object, number>();
  for (const key of [...order].reverse()) {
    const op = opOf.get(key)!;
    const depth = Math.max(nodeDepth.get(key) ?? 0, opDepth.get(op) ?? 0);
    opDepth.set(op, depth);
    nodeDepth.set(key, depth);
    for (const p of parentsOf(key)) nodeDepth.set(p, Math.max(depth + 1, nodeDepth.get(p) ?? 0));
  }
  for (const [key, op] of opOf) {
    if (!(op instanceof LayerObj) || op.calls !== 1 || !members.has(key)) continue;
    const made = members.get(key)!;
    const last = made[made.length - 1]!;
    layerOutputs.set(op, tensorRef(trace, last, trace.shapeOf(last)));
  }
  const ops = [...opDepth.keys()].sort((a, b) => opDepth.get(b)! - opDepth.get(a)! || opIndex.get(a)! - opIndex.get(b)!);
  return new PyList(ops.filter((op) => !operations.has(op)) as Value[]);
}

/** Why the order of `trace`'s layers cannot be Keras' (a layer the reader could not follow, or one it made no layer for). */
function unfollowable(trace: Trace): string | null {
  const bad = trace.layers.find((l) => l.type === UNKNOWN_LAYER || l.type.startsWith('unsupported'));
  if (bad) return `${bad.name} is unknown`;
  const empty = trace.calls.find((c) => c.layers.length === 0);
  if (empty) return `${empty.sourceType} at line ${empty.source.line} made no layer the reader can place`;
  return null;
}
