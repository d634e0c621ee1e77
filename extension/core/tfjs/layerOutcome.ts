/**
 * What TensorFlow.js says of one layer applied to inputs of given shapes: its output shape, its weight counts and
 * its config, or the error it throws. Asked by the source readers while they interpret code and by the analysis,
 * so the same layer on the same shapes is asked twice per edit and a ResNet asks about one bottleneck dozens of
 * times: the answer depends only on (type, arguments, input shapes), so it is kept (bounded) and tfjs builds
 * each distinct layer once. tfjs stays the one source of truth for shapes: every answer here is one tfjs gave,
 * from a real layer applied to real SymbolicTensors with shape-only weights.
 */
import type { Shape } from '../shape';
import type { LayerSpec } from '../spec';
import { messageOf } from '../errors';
import { applyInputs, createLayer } from './layerFactory';
import type { TfModule } from './loadTf';
import { beginBuild } from './tensorNames';

type SymbolicTensor = ReturnType<TfModule['tfl']['input']>;

export interface BuiltLayer {
  /** Output shape without the batch axis, as tfjs computed it (may hold 0 or negative sizes: a collapse). */
  outputShape: Shape;
  trainableParams: number;
  nonTrainableParams: number;
  /** The layer's tfjs config (kernelSize, strides, padding, …), for geometry and messages. */
  config: Record<string, unknown>;
}

export type LayerOutcome = { built: BuiltLayer } | { error: string };

/**
 * Distinct (layer, input shapes) kept: about 1.4 KB each (mostly the layer's config), so ~5.5 MB when full; the
 * largest zoo model asks about a few hundred.
 */
export const LAYER_OUTCOME_CAPACITY = 4_000;
const outcomes = new WeakMap<TfModule, Map<string, LayerOutcome>>();

/** tfjs's answer for `spec` applied to inputs of `inputShapes` (without the batch axis). */
export function layerOutcome(tf: TfModule, spec: LayerSpec, inputShapes: readonly Shape[]): LayerOutcome {
  let cache = outcomes.get(tf);
  if (!cache) outcomes.set(tf, (cache = new Map()));
  const key = outcomeKey(spec, inputShapes);
  const kept = cache.get(key);
  if (kept) {
    // Most recently used last, so the oldest is the first to go.
    cache.delete(key);
    cache.set(key, kept);
    return kept;
  }
  const outcome = askTensorFlow(tf, spec, inputShapes);
  cache.set(key, outcome);
  if (cache.size > LAYER_OUTCOME_CAPACITY) cache.delete(cache.keys().next().value as string);
  return outcome;
}

/** Forgets every answer (tests that count what tfjs builds). */
export function forgetLayerOutcomes(tf: TfModule): void {
  outcomes.delete(tf);
}

function askTensorFlow(tf: TfModule, spec: LayerSpec, inputShapes: readonly Shape[]): LayerOutcome {
  const end = beginBuild(tf);
  let layer: ReturnType<typeof createLayer> | null = null;
  try {
    layer = createLayer(tf, spec);
    const inputs: SymbolicTensor[] = inputShapes.map((shape) => tf.tfl.input({ shape: [...shape] as number[] }));
    const output = layer.apply(applyInputs(spec.type, inputs)) as SymbolicTensor;
    return {
      built: {
        outputShape: output.shape.slice(1),
        trainableParams: weightCount(layer.trainableWeights),
        nonTrainableParams: weightCount(layer.nonTrainableWeights),
        config: layer.getConfig() as Record<string, unknown>,
      },
    };
  } catch (error) {
    return { error: messageOf(error) };
  } finally {
    try {
      layer?.dispose();
    } catch {
      // A layer that never built holds no weights.
    }
    end();
  }
}

function weightCount(weights: readonly { shape: readonly (number | null)[] }[]): number {
  let total = 0;
  for (const w of weights) total += w.shape.reduce<number>((a, b) => a * (b ?? 0), 1);
  return total;
}

/** Type, arguments and input shapes; the layer's name changes nothing tfjs computes. Non-finite numbers stay distinct. */
function outcomeKey(spec: LayerSpec, inputShapes: readonly Shape[]): string {
  let layer = layerKeys.get(spec);
  if (layer === undefined) {
    layer = `${spec.type}\u0001${JSON.stringify(spec.args, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? `\u0000${value}` : value))}`;
    layerKeys.set(spec, layer);
  }
  return `${layer}\u0001${JSON.stringify(inputShapes)}`;
}

/** The reader and the analysis ask about the same LayerSpec objects (specs are not changed once made). */
const layerKeys = new WeakMap<LayerSpec, string>();
