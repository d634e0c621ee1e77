/** A framework layer object (nn.Conv2d(...), layers.Dense(...)) called on tensors: one call recorded in the trace. */
import { isFrozen, markFreezingUnknown, recordKerasLayer } from './freezing';
import { torchClassAfterRun } from '../../layerKnowledge/torchLazyModules';
import { type Translated, translateKeras } from '../layers';
import { hasReaderWeights, kerasClassOf, torchModule } from '../../layerKnowledge/index';
import { kerasSnake } from '../naming';
import { subclassName } from './layerSubclass';
import { isSupportedType } from '../../tfjs/layerFactory';
import type { PythonInterpreter } from './interpreter';
import { isSeq, isTensor, type LayerObj, Unknown, type Value } from './values';
import { UNKNOWN_LAYER } from '../trace';
import { unregisteredCall } from './registeredModules';

/** Calls a layer object on tensors. */
export function applyLayer(it: PythonInterpreter, layer: LayerObj, args: Value[], kwargs: Map<string, Value>): Value {
  const x = args[0] ?? kwargs.get('inputs') ?? kwargs.get('input') ?? null;
  const given = isTensor(x) ? [x] : isSeq(x) ? x.items.filter(isTensor) : [];
  if (given.length === 0) return new Unknown(`${layer.cls} applied to a value the reader could not follow`);
  const trace = given[0]!.trace;
  // Tensors of another input (keras.Model([a, b], …)) are not in this trace: never joined as if they were.
  const inputs = given.filter((t) => t.trace === trace);
  const joinsInputs = inputs.length < given.length ? `${layer.cls} joins tensors that come from different inputs; models with several inputs are not analysed yet` : null;
  const use = layer.uses.get(trace);
  const count = (use?.count ?? 0) + 1;
  let translated: Translated;
  if (joinsInputs !== null) {
    it.report('warning', 'unknown', joinsInputs, layer.source);
    translated = { parts: [{ type: UNKNOWN_LAYER, args: { reason: joinsInputs } }] };
  } else if (layer.changed !== null) {
    it.report('warning', 'unknown', layer.changed, layer.source);
    translated = { parts: [{ type: UNKNOWN_LAYER, args: { reason: layer.changed } }] };
  } else if (layer.refused !== null) {
    // The framework would stop here (a float where it takes an int): an error at the layer, unknown from it on.
    it.report('error', 'invalid', layer.refused.message, layer.source);
    translated = { parts: [{ type: UNKNOWN_LAYER, args: { reason: layer.refused.message } }] };
  } else if (layer.framework === 'pytorch') {
    const t = torchModule(layer.cls);
    translated = t ? t(layer.args, inputs) : { unsupported: `nn.${layer.cls}` };
  } else {
    translated = translateKeras(layer.cls, layer.args, inputs, 'keras');
  }
  let base: string;
  if (layer.framework === 'pytorch') base = layer.path ?? it.scopedName(kerasSnake(layer.cls));
  // Keras names a layer by its class, not the alias written (MaxPool2D() is max_pooling2d).
  // The attribute a subclassed model holds it in is not its name either: Keras names it conv2d, dense_1, …
  else base = use?.first ?? layer.explicitName ?? trace.autoName(kerasSnake(kerasClassOf(layer.cls)));
  // A lazy module that runs is listed as the class it becomes (nn.LazyConv2d runs as a Conv2d); one that cannot keeps its name.
  const ran = 'unsupported' in translated ? layer.cls : torchClassAfterRun(layer.cls);
  const sourceType = layer.framework === 'pytorch' ? (unregisteredCall(trace, layer) ?? subclassName(layer) ?? `nn.${ran}`) : layer.cls;
  if ('unsupported' in translated) {
    // A layer refused only because what arrives has no known shape is not an unsupported layer: say where the unknowns began.
    const unknownInput = trace.firstUnknownSite !== null && inputs.some((t) => t.shape === null);
    it.report(
      'info',
      'unsupported',
      unknownInput
        ? `${sourceType}: its input's shape is unknown (unknown since ${trace.firstUnknownSite}), so its own is too`
        : `${/not supported|unknown|could not/.test(translated.unsupported) ? translated.unsupported : `${translated.unsupported} is not supported yet`}; shapes after it are unknown`,
      layer.source,
    );
    // Never the engine's layer with the arguments it was refused dropped (ZeroPadding2D with the default
    // padding): a type the engine lacks, so its shape is unknown.
    const refused = translated.unsupported === sourceType ? `${sourceType}(…)` : translated.unsupported;
    translated = { parts: [{ type: isSupportedType(sourceType) ? refused : sourceType, args: {} }] };
  }
  // A module the code froze (requires_grad False) has its weights, non-trainable, as torchinfo counts them.
  const frozen = layer.framework === 'pytorch' ? isFrozen(layer) : false;
  if (frozen === true) translated = { ...translated, parts: translated.parts.map((p) => ({ ...p, frozen: true })) };
  // Part of a module frozen (conv.bias alone): the split per parameter is not counted, so it is unknown.
  if (frozen === 'partly') markFreezingUnknown(it.state, `${layer.path ?? `the nn.${layer.cls} of line ${layer.source.line}`}: some of its parameters are frozen and others not, which the reader does not count yet`, layer.source);
  const hasWeights = translated.parts.some((p) => hasReaderWeights(p.type));
  const out = trace.emit(
    { name: base, sourceType, source: layer.source, use: count, sharesWeightsWith: count > 1 && hasWeights ? (use?.first ?? null) : null },
    translated,
    inputs,
  );
  if (!use) layer.uses.set(trace, { count: 1, first: trace.calls[trace.calls.length - 1]!.name });
  else use.count = count;
  layer.calls++;
  if (layer.framework === 'keras') recordKerasLayer(trace, trace.calls[trace.calls.length - 1]!.layers, layer);
  return out;
}
