/**
 * Calls, and the TensorFlow.js API: tf.sequential / tf.input / tf.model / tf.layers.*, methods of models,
 * layers and arrays, and the "unsupported" layer for anything that gets a tensor and is not translated.
 */
import { field, namedChildren, type SyntaxNode } from '../syntax';
import { LimitError, Trace, type TensorRef } from '../trace';
import { translateKeras, type Plain } from '../layers';
import { tfjsFactoryClass } from '../../layerKnowledge/index';
import { kerasSnake } from '../naming';
import { locate, shortText } from '../common';
import type { JsInterpreter } from './interpreter';
import { followRequire } from './imports';
import { isTensor, JsArray, JsBuiltin, JsExample, JsExtern, JsFunction, JsObject, JsUnknown, sliceBatch, TF_MODULES, TfFunctional, TfLayer, TfSequential, toPlain, Unsupported, type JsScope, type JsValue } from './values';

/** `model.summary()`, `.fit(x)`, …: calling one means the file uses this model (a default candidate). */
const RUN_METHODS = new Set(['summary', 'compile', 'fit', 'fitDataset', 'predict', 'evaluate', 'save']);

function markRun(it: JsInterpreter, model: TfSequential | TfFunctional, name: string): JsBuiltin {
  return new JsBuiltin(([x]) => {
    it.runs.push({ model, dims: x instanceof JsExample ? x.dims : null });
    return new JsUnknown(name);
  });
}

export function member(it: JsInterpreter, obj: JsValue, prop: string): JsValue {
  if (obj instanceof JsExtern) return new JsExtern(`${obj.path}.${prop}`);
  if (obj instanceof JsObject) return obj.props.get(prop);
  if (obj instanceof JsArray) {
    if (prop === 'length') return obj.items.length;
    if (prop === 'push') return new JsBuiltin((args) => { obj.items.push(...args); return obj.items.length; });
    if (prop === 'map') return new JsBuiltin((args, node) => { const f = args[0]; return f instanceof JsFunction ? new JsArray(obj.items.map((x, i) => it.callFunction(f, [x, i], node))) : new JsUnknown('map'); });
    if (prop === 'forEach') return new JsBuiltin((args, node) => { const f = args[0]; if (f instanceof JsFunction) obj.items.forEach((x, i) => it.callFunction(f, [x, i], node)); return undefined; });
    return new JsUnknown(`array.${prop}`);
  }
  if (obj instanceof TfSequential) {
    if (prop === 'add') {
      return new JsBuiltin(([layer]) => {
        if (obj.layers.length >= it.limits.maxLayers) throw new LimitError('too many layers');
        obj.layers.push(layer);
        return undefined;
      });
    }
    if (RUN_METHODS.has(prop)) return markRun(it, obj, prop);
    if (prop === 'layers') return new JsArray([...obj.layers]);
    if (prop === 'apply') return new JsBuiltin(([x], n) => applySequential(it, obj, x ?? undefined, n));
    return new JsUnknown(`model.${prop}`);
  }
  if (obj instanceof TfFunctional) {
    if (RUN_METHODS.has(prop)) return markRun(it, obj, prop);
    return new JsUnknown(`model.${prop}`);
  }
  if (obj instanceof TfLayer) {
    if (prop === 'apply') return new JsBuiltin(([x]) => it.applyLayer(obj, x));
    return new JsUnknown(`layer.${prop}`);
  }
  if (isTensor(obj)) {
    // tfjs order is the engine's: [null, H, W, C].
    if (prop === 'shape') return obj.shape ? new JsArray([null, ...obj.shape]) : new JsUnknown(`the shape of ${obj.name} is unknown`);
    if (prop === 'rank') return obj.shape ? obj.shape.length + 1 : new JsUnknown(`the rank of ${obj.name} is unknown`);
    return new JsBuiltin((_a, node) => opaque(it, obj, `tensor.${prop}()`, node));
  }
  if (obj instanceof JsExample) return prop === 'shape' ? new JsArray(obj.dims) : new JsUnknown(prop);
  return new JsUnknown(`.${prop}`);
}

export function call(it: JsInterpreter, n: SyntaxNode, scope: JsScope): JsValue {
  const fnNode = field(n, 'function')!;
  if (fnNode.type === 'identifier' && it.text(fnNode) === 'require' && !scope.lookup('require').found) {
    const arg = namedChildren(field(n, 'arguments')!)[0];
    const module = arg?.type === 'string' ? it.text(arg).slice(1, -1) : '';
    return TF_MODULES.has(module) ? new JsExtern('tf') : (followRequire(it, module, n) ?? new JsUnknown(`require('${module}')`));
  }
  const callee = it.eval(fnNode, scope);
  const args: JsValue[] = [];
  const argsNode = field(n, 'arguments');
  for (const a of argsNode ? namedChildren(argsNode) : []) {
    if (a.type === 'spread_element') {
      const v = it.eval(namedChildren(a)[0]!, scope);
      if (v instanceof JsArray) args.push(...v.items);
      else args.push(new JsUnknown('spread'));
    } else args.push(it.eval(a, scope));
  }
  it.tick(n);
  const result = callValue(it, callee, args, n, fnNode);
  if (isTensor(result)) result.trace.site(locate(n, it.file), result);
  return result;
}

export function callValue(it: JsInterpreter, callee: JsValue, args: JsValue[], n: SyntaxNode, fnNode: SyntaxNode): JsValue {
  if (callee instanceof JsFunction) return it.callFunction(callee, args, n);
  if (callee instanceof JsBuiltin) return callee.fn(args, n);
  if (callee instanceof JsExtern) return callTf(it, callee.path, args, n);
  const t = args.find(isTensor);
  if (t) return opaque(it, t, `a call of ${it.text(fnNode)}`, n);
  return new JsUnknown('call');
}

function callTf(it: JsInterpreter, path: string, args: JsValue[], n: SyntaxNode): JsValue {
  const parts = path.split('.');
  const last = parts[parts.length - 1]!;
  if (parts[0] === 'Math') {
    const nums = args.filter((a): a is number => typeof a === 'number');
    const f = (Math as unknown as Record<string, unknown>)[last];
    return typeof f === 'function' && nums.length === args.length ? ((f as (...v: number[]) => number)(...nums)) : new JsUnknown(path);
  }
  if (path === 'tf.sequential') {
    const config = args[0];
    const layers = config instanceof JsObject ? config.props.get('layers') : undefined;
    const name = config instanceof JsObject ? config.props.get('name') : undefined;
    // layers: a value the reader cannot list is one unknown layer, never none.
    const listed = layers === undefined ? [] : layers instanceof JsArray ? [...layers.items] : [new JsUnknown('tf.sequential({layers}) of a value the reader could not list')];
    return new TfSequential(listed, typeof name === 'string' ? name : null, locate(n, it.file));
  }
  if (path === 'tf.input' || path === 'tf.layers.input') {
    const config = args[0];
    const shape = config instanceof JsObject ? (config.props.get('shape') ?? sliceBatch(config.props.get('batchShape'))) : undefined;
    const dims = shape instanceof JsArray ? shape.items.map((d) => (typeof d === 'number' ? d : null)) : null;
    if (!dims) throw new Unsupported('could not evaluate the input shape');
    if (dims.length < 1 || dims.length > 3) it.report(`input shape [${dims.join(', ')}] is not a vector, sequence or image input; only those are analysed`, n);
    // A read at another input size replaces the input's shape (of the same rank): the code is read again at that size.
    if (it.inputOverride && it.inputOverride.length !== dims.length) {
      throw new Unsupported(`the given input [${it.inputOverride.join(', ')}] has ${it.inputOverride.length} dimensions, this input ${dims.length}: [${dims.join(', ')}]`);
    }
    return it.newTrace(it.inputOverride ?? dims).inputTensor;
  }
  if (path === 'tf.model') {
    const config = args[0];
    if (!(config instanceof JsObject)) throw new Unsupported('tf.model(...) without a config object');
    const ins = config.props.get('inputs');
    const outs = config.props.get('outputs');
    const inT = isTensor(ins) ? [ins] : ins instanceof JsArray ? ins.items.filter(isTensor) : [];
    const outT = isTensor(outs) ? [outs] : outs instanceof JsArray ? outs.items.filter(isTensor) : [];
    if (inT.length === 0 || outT.length === 0) throw new Unsupported('tf.model(...) whose inputs/outputs the reader could not follow');
    return new TfFunctional(inT[0]!.trace, outT.filter((t) => t.trace === inT[0]!.trace), locate(n, it.file));
  }
  if (parts[0] === 'tf' && parts[1] === 'layers' && parts.length === 3) {
    const cls = tfjsFactoryClass(last);
    const config = args[0];
    const props = new Map<string, Plain>();
    if (config instanceof JsObject) for (const [k, v] of config.props) props.set(k, toPlain(v));
    return new TfLayer(cls ?? last, last, props, locate(n, it.file));
  }
  if (['tf.zeros', 'tf.ones', 'tf.randomNormal', 'tf.randomUniform', 'tf.truncatedNormal'].includes(path)) {
    const shape = args[0];
    return new JsExample(shape instanceof JsArray && shape.items.every((d) => typeof d === 'number') ? (shape.items as number[]) : []);
  }
  if (path === 'tf.tidy') {
    const f = args[0];
    return f instanceof JsFunction ? it.callFunction(f, [], n) : new JsUnknown('tidy');
  }
  const t = args.find(isTensor);
  if (t) return opaque(it, t, `${path}()`, n);
  return new JsUnknown(path);
}

export function opaque(it: JsInterpreter, t: TensorRef, what: string, n: SyntaxNode): TensorRef {
  const short = shortText(it.text(n));
  it.report(`${what} (${short}) is not translated; shapes after it are unknown`, n);
  return t.trace.emit({ name: t.trace.autoName('op'), sourceType: short, source: locate(n, it.file) }, { parts: [{ type: `unsupported: ${short}`, args: {} }] }, [t]);
}

/**
 * A tf.sequential() applied as a layer (mnist-acgan's `cnn.apply(image)`): its layers, in order, on the tensor,
 * as tfjs calls them (a nested sequential's too). Anything else in it is not followed: shapes after it are unknown.
 */
function applySequential(it: JsInterpreter, model: TfSequential, x: JsValue, n: SyntaxNode): JsValue {
  let out = x;
  for (const layer of model.layers) {
    if (layer instanceof TfLayer) out = it.applyLayer(layer, out);
    else if (layer instanceof TfSequential) out = applySequential(it, layer, out, n);
    else return isTensor(out) ? opaque(it, out, 'a model layer the reader could not follow', n) : new JsUnknown('apply');
  }
  return out;
}

export function applyLayer(it: JsInterpreter, layer: TfLayer, x: JsValue): JsValue {
  const inputs = isTensor(x) ? [x] : x instanceof JsArray ? x.items.filter(isTensor) : [];
  if (inputs.length === 0) return new JsUnknown('apply');
  const trace = inputs[0]!.trace;
  const keywords = new Map(layer.config);
  let translated = translateKeras(layer.cls, { positional: [], keywords }, inputs, 'tfjs');
  if ('unsupported' in translated) {
    it.report(`tf.layers.${layer.factory}: ${translated.unsupported} is not supported yet; shapes after it are unknown`, layer.source);
    translated = { parts: [{ type: `tf.layers.${layer.factory}`, args: {} }] };
  }
  const use = layer.uses.get(trace);
  const explicit = layer.config.get('name');
  const name = use?.first ?? (typeof explicit === 'string' ? explicit : trace.autoName(kerasSnake(layer.cls)));
  const count = (use?.count ?? 0) + 1;
  const out = trace.emit({ name, sourceType: `tf.layers.${layer.factory}`, source: layer.source, use: count, sharesWeightsWith: count > 1 ? (use?.first ?? null) : null }, translated, inputs);
  if (use) use.count = count;
  else layer.uses.set(trace, { count: 1, first: trace.calls[trace.calls.length - 1]!.name });
  return out;
}
