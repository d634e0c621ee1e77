/**
 * The analysis: builds the model in TensorFlow.js layer by layer and streams what each layer does, then a
 * report with blocks, 1×1 savings and totals. Callers iterate `analyze()` for streaming or await
 * `analyzeModel()` for the whole report.
 */
import { BYTES_PER_FLOAT32, elementCount, withBatch } from './shape';
import { INPUT, type LayerSpec, type ModelSpec } from './spec';
import type { AnalysisEvent, AnalysisReport, LayerResult } from './result';
import { CancelledError } from './errors';
import { exactCounts } from './exactCount';
import { geometryOf, INPUT_FIELD, macsOfExact, propagateField, type FieldState, type GeometryConfig } from './layerMath';
import { applyLayers, connectLayers, validateSpec, type AppliedLayer } from './tfjs/applyLayers';
import { loadTensorFlow, type BackendPreference, type TfModule } from './tfjs/loadTf';
import { summarize } from './summary';

export interface AnalyzeOptions {
  /** FLOPs per multiply-accumulate: 2 (a multiply and an add, the default) or 1 (FLOPs reported as MACs). */
  flopsPerMac?: 1 | 2;
  backend?: BackendPreference;
  signal?: AbortSignal;
  /** Milliseconds of work between yields to the event loop, so a UI stays responsive while streaming. */
  sliceMs?: number;
}

/** Per-layer result from what tfjs built. */
function describe(applied: AppliedLayer, spec: ModelSpec, fields: Map<string, FieldState | null>, flopsPerMac: 1 | 2): LayerResult {
  const { built, spec: layerSpec, outputShape } = applied;
  const config = { ...(built?.config ?? {}) } as GeometryConfig;
  // tfjs' SeparableConv2D leaves its depthMultiplier out of getConfig(): the spec's is the one it built with.
  if (config.depthMultiplier === undefined && typeof layerSpec.args.depthMultiplier === 'number') config.depthMultiplier = layerSpec.args.depthMultiplier;
  const geometry = geometryOf(layerSpec.type, config);
  // Parameters written in the code (PyTorch constructors) win over what tfjs built from the arriving input.
  // A second call of one layer object holds no weights of its own: the first call's count once.
  const shared = layerSpec.sharesWeightsWith !== undefined;
  const owned = shared ? 0 : (layerSpec.declaredParams ?? built?.trainableParams ?? 0);
  // PyTorch counts BatchNorm's running statistics as buffers, not parameters (model.parameters()); parameters the
  // code froze (requires_grad False) count as non-trainable.
  const trainable = layerSpec.frozen ? 0 : owned;
  const nonTrainable =
    (layerSpec.frozen ? owned : 0) + (built && !shared && spec.framework !== 'pytorch' ? built.nonTrainableParams : 0) + (layerSpec.declaredNonTrainableParams ?? 0);
  // Unknown stays unknown: a layer that was not built has no weights to count, an unknown shape no MACs.
  const exactMacs = outputShape === null ? null : macsOfExact(layerSpec.type, config, applied.inputShapes[0] ?? null, outputShape);
  const macs = exactMacs === null ? 0 : Number(exactMacs);
  const exact = exactMacs === null ? undefined : exactCounts({ macs: exactMacs, flops: exactMacs * BigInt(flopsPerMac) });
  const elements = elementCount(outputShape);
  const groups = (config as { groups?: unknown }).groups;
  const field =
    outputShape === null ? null : propagateField(layerSpec.type, geometry, layerSpec.inputs.map((n) => fields.get(n) ?? null), outputShape);
  fields.set(layerSpec.name, field);
  // The members after `padding` are added in place, in the order the result has always had (`groups` comes
  // before them): object spreads in a literal took V8's slow path for every layer of every analysis.
  const result = {
    index: applied.index,
    name: layerSpec.name,
    type: layerSpec.type,
    block: layerSpec.block?.name ?? null,
    inputs: [...layerSpec.inputs],
    inputShapes: applied.inputShapes,
    outputShape,
    params: trainable + nonTrainable,
    trainableParams: trainable,
    nonTrainableParams: nonTrainable,
    macs,
    flops: macs * flopsPerMac,
    activationElements: elements,
    activationBytes: elements === null ? null : elements * BYTES_PER_FLOAT32,
    kernel: geometry?.kernel ?? null,
    strides: geometry?.strides ?? null,
    dilation: geometry?.dilation ?? null,
    padding: geometry?.padding ?? null,
  } as LayerResult;
  if (typeof groups === 'number' && groups > 1) result.groups = groups;
  result.receptiveField = field ? Math.max(field.rf[0], field.rf[1]) : null;
  result.jump = field ? Math.max(field.jump[0], field.jump[1]) : null;
  result.source = layerSpec.source ?? null;
  result.error = applied.issue;
  // A module forward() never calls runs no MACs; its parameters are known exactly when its constructor fixes them.
  if (layerSpec.notCalled) {
    if (layerSpec.declaredParams === undefined) result.unknown = { params: true };
  } else if (!built || exactMacs === null) result.unknown = built ? { macs: true } : exactMacs === null ? { params: true, macs: true } : { params: true };
  // Freezing code the reader could not follow: this layer's parameters count, which of them train is unknown.
  if (spec.trainableUnknown && result.params > 0) {
    result.trainableParams = 0;
    result.nonTrainableParams = 0;
    result.unknown = { ...result.unknown, trainable: true };
  }
  if (exact) result.exact = exact;
  if (layerSpec.notCalled) result.notCalled = true;
  if (layerSpec.frameworkType) result.frameworkType = layerSpec.frameworkType;
  return result;
}

/**
 * One row for one framework module: the helper layers before it (its explicit padding) give it their input and
 * their padding, their problem if it has none, and their counts (0 MACs, no weights), as PyTorch lists one Conv2d.
 */
function foldHelpers(layer: LayerResult, helpers: readonly { result: LayerResult; spec: LayerSpec }[]): LayerResult {
  const first = helpers[0]!.result;
  // Padding / ceil-mode helpers say how the module pads; a slice's other axes say nothing of it.
  const pads = helpers.filter((h) => Array.isArray(h.spec.args.padding));
  const padding = pads.length > 0 ? pads.map((h) => paddingText(h.spec)).join(' ') : layer.padding;
  return {
    ...layer,
    inputs: first.inputs,
    inputShapes: first.inputShapes,
    params: layer.params + helpers.reduce((a, h) => a + h.result.params, 0),
    macs: layer.macs + helpers.reduce((a, h) => a + h.result.macs, 0),
    flops: layer.flops + helpers.reduce((a, h) => a + h.result.flops, 0),
    padding,
    error: layer.error ?? helpers.find((h) => h.result.error)?.result.error ?? null,
  };
}

/** A padding helper as PyTorch writes it: padding=(top, left), and ceil_mode where the module has it. */
function paddingText(helper: LayerSpec): string {
  const [[top], [left]] = helper.args.padding as [[number, number], [number, number]];
  const explicit = top > 0 || left > 0 ? `(${top}, ${left})` : '';
  const ceil = helper.frameworkType?.endsWith('(ceil)') ? 'ceil_mode' : '';
  return [explicit, ceil].filter((t) => t !== '').join(' ') || '(0, 0)';
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Streams the analysis of a model: a start event, one event per layer, then the report. */
export async function* analyze(spec: ModelSpec, options: AnalyzeOptions = {}): AsyncGenerator<AnalysisEvent> {
  const flopsPerMac = options.flopsPerMac ?? 2;
  const sliceMs = options.sliceMs ?? 8;
  validateSpec(spec);
  const tf = await loadTensorFlow(options.backend);
  const input = withBatch(spec.input) ?? [];
  const folded = spec.layers.filter((l) => l.foldsInto !== undefined).length;
  yield { kind: 'start', model: spec.name, backend: tf.backend, input, layerCount: spec.layers.length - folded, flopsPerMac };

  const layers: LayerResult[] = [];
  const fields = new Map<string, FieldState | null>([[INPUT, INPUT_FIELD]]);
  // Helper rows waiting for the layer they are part of (foldsInto), by that layer's name.
  const pending = new Map<string, { result: LayerResult; spec: LayerSpec }[]>();
  let sliceStart = performance.now();
  for (const applied of applyLayers(tf, spec)) {
    const described = describe(applied, spec, fields, flopsPerMac);
    const into = applied.spec.foldsInto;
    if (into !== undefined) {
      pending.set(into, [...(pending.get(into) ?? []), { result: described, spec: applied.spec }]);
      continue;
    }
    const helpers = pending.get(described.name);
    pending.delete(described.name);
    const result = helpers ? foldHelpers(described, helpers) : described;
    layers.push(result);
    yield { kind: 'layer', layer: result };
    if (options.signal?.aborted) throw new CancelledError();
    if (performance.now() - sliceStart > sliceMs) {
      await yieldToEventLoop();
      if (options.signal?.aborted) throw new CancelledError();
      sliceStart = performance.now();
    }
  }
  const report: AnalysisReport = { ...summarize(spec, layers, flopsPerMac), backend: tf.backend, input };
  if (spec.outputs) {
    const shapes = new Map(layers.map((l) => [l.name, l.outputShape]));
    report.outputs = spec.outputs.map((o) => ({ name: o.name, layer: o.layer, outputShape: o.layer === INPUT ? spec.input : (shapes.get(o.layer) ?? null) }));
  }
  yield { kind: 'done', report };
}

/** The whole report at once. */
export async function analyzeModel(spec: ModelSpec, options: AnalyzeOptions = {}): Promise<AnalysisReport> {
  for await (const event of analyze(spec, options)) {
    if (event.kind === 'done') return event.report;
  }
  throw new Error('analysis ended without a report');
}

/**
 * Builds the spec as a real tf.LayersModel, by default with shape-only weights (views of one shared buffer:
 * inspect it, do not run it); `weights: 'initialized'` is the naive build with the layers' own random
 * initializers, which can run. Throws on the first failing layer. The caller owns the model and should
 * `dispose()` it.
 */
export async function buildLayersModel(
  spec: ModelSpec,
  options: { backend?: BackendPreference; weights?: 'shape-only' | 'initialized' } = {},
): Promise<ReturnType<TfModule['tfl']['model']>> {
  validateSpec(spec);
  const tf = await loadTensorFlow(options.backend);
  return connectLayers(tf, spec, options.weights);
}
