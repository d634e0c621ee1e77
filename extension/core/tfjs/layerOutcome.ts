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
import { distinctNonFinite, plainJson } from '../plainJson';

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
        outputShape: spec.type === 'Reshape' ? inferredReshape(output.shape.slice(1), inputShapes[0] ?? null) : output.shape.slice(1),
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
  let known = layerKeys.get(spec);
  if (known === undefined) {
    known = { layer: `${spec.type}\u0001${argsKey(spec.args)}`, shapes: '', key: '' };
    layerKeys.set(spec, known);
  }
  const shapes = shapesKey(inputShapes);
  // The reader and then the analysis ask about one spec on the same shapes: the same key string, hashed once.
  if (shapes !== known.shapes || known.key === '') {
    known.shapes = shapes;
    known.key = `${known.layer}\u0001${shapes}`;
  }
  return known.key;
}

/** The reader and the analysis ask about the same LayerSpec objects (specs are not changed once made). */
const layerKeys = new WeakMap<LayerSpec, { layer: string; shapes: string; key: string }>();

/**
 * JSON.stringify(args) with non-finite numbers kept distinct (plainJson.ts). JSON writes them as null, so a text
 * without "null" in it had none and is the key as it is (V8's own stringify, without a replacer, is the fast one).
 */
function argsKey(args: unknown): string {
  const text = String(JSON.stringify(args));
  if (!text.includes('null')) return text;
  return plainJson(args) ?? String(JSON.stringify(args, distinctNonFinite));
}

/** JSON.stringify(inputShapes), written out: shapes are arrays of sizes (null when unknown). */
function shapesKey(inputShapes: readonly Shape[]): string {
  let out = '[';
  for (let i = 0; i < inputShapes.length; i++) {
    const shape = inputShapes[i]!;
    let dims = '[';
    for (let j = 0; j < shape.length; j++) {
      const d: unknown = shape[j];
      if (d !== null && d !== undefined && typeof d !== 'number') return JSON.stringify(inputShapes);
      const text = typeof d === 'number' && Number.isFinite(d) ? String(d) : 'null';
      dims += j === 0 ? text : `,${text}`;
    }
    out += `${i === 0 ? '' : ','}${dims}]`;
  }
  return `${out}]`;
}

/**
 * Reshape((-1, 16)) on a known (12, 12, 16) input is (144, 16) in Keras (and view(-1, 16) in PyTorch); tfjs counts
 * the batch's null as an unknown size and leaves the -1 open. One open size over a fully known input is the rest
 * of its elements; anything else stays as tfjs gave it (a size that does not divide is refused before this).
 */
function inferredReshape(output: Shape, input: Shape | null): Shape {
  const open = output.filter((d) => d === null || d < 0).length;
  if (open !== 1 || input === null || input.some((d) => d === null)) return output;
  const size = (input as number[]).reduce((x, y) => x * y, 1);
  const known = (output.filter((d) => d !== null && d >= 0) as number[]).reduce((x, y) => x * y, 1);
  if (known === 0 || size % known !== 0) return output;
  return output.map((d) => (d === null || d < 0 ? size / known : d));
}
