/**
 * Builds a ModelSpec as a real tfjs functional model, one layer at a time (tf.input → layer.apply → …),
 * so callers can report each layer as soon as it exists. A layer that fails (unsupported type, bad
 * arguments, collapsed spatial size, mismatched merge) is reported with its issue and its output becomes
 * unknown; the layers that depend on it are reported with unknown shapes rather than guessed ones.
 */
import { formatShape, formatShapeFor, isFullyKnown, type Shape } from '../shape';
import { INPUT, type LayerSpec, type ModelSpec } from '../spec';
import type { LayerIssue } from '../result';
import { InputShapeError, InvalidModelError, messageOf } from '../errors';
import { applyInputs, createLayer, isSupportedType } from './layerFactory';
import { isMerge } from '../layerKnowledge/index';
import type { TfModule } from './loadTf';
import { validateArgs } from './validateArgs';
import { layerOutcome, type BuiltLayer, type LayerOutcome } from './layerOutcome';

type SymbolicTensor = ReturnType<TfModule['tfl']['input']>;
export type TfLayer = ReturnType<typeof createLayer>;

export interface AppliedLayer {
  spec: LayerSpec;
  index: number;
  /** What tfjs built (output shape, weight counts, config), or null when it could not be built. */
  built: BuiltLayer | null;
  inputShapes: (Shape | null)[];
  outputShape: Shape | null;
  issue: LayerIssue | null;
}

/** Rejects specs that are not well formed: these are errors in the description, not in the network. */
export function validateSpec(spec: ModelSpec): void {
  // (H, W, C) images; (features) vectors and (steps, channels) sequences; (D, H, W, C) volumes for PyTorch's, Keras'
  // and ONNX's 3-D layers.
  const volume = spec.input.length === 4 && (spec.framework === 'pytorch' || spec.framework === 'keras' || spec.framework === 'onnx');
  if ((spec.input.length < 1 || spec.input.length > 3) && !volume || !isFullyKnown(spec.input) || !spec.input.every((d) => Number.isSafeInteger(d))) {
    throw new InputShapeError(
      `${spec.name}: the input must be 1 to 3 positive whole numbers without the batch (features; steps, channels; H,W,C), got ${formatShape(spec.input)}${spec.input.length === 4 ? ' (volumes, D,H,W,C, are read from PyTorch and Keras code and ONNX files)' : ''}`,
    );
  }
  const seen = new Set<string>([INPUT]);
  for (const layer of spec.layers) {
    if (seen.has(layer.name)) throw new InvalidModelError(`${spec.name}: two layers are named "${layer.name}"`, layer.source ?? null);
    for (const from of layer.inputs) {
      if (!seen.has(from)) {
        throw new InvalidModelError(`${spec.name}: layer "${layer.name}" reads "${from}", which comes later or does not exist`, layer.source ?? null);
      }
    }
    seen.add(layer.name);
  }
}

/** The input shapes as a message gives them, written only for a layer that has a message. */
function shapesText(inputShapes: readonly Shape[], framework: string | undefined): string {
  return inputShapes.map((s) => formatShapeFor(s, framework)).join(' and ');
}

function issue(spec: LayerSpec, kind: LayerIssue['kind'], message: string): LayerIssue {
  return { layer: spec.name, kind, message: `${spec.name} (${spec.type}): ${message}`, source: spec.source ?? null };
}

function collapseMessage(layerConfig: Record<string, unknown>, input: Shape | null, output: Shape, framework: string | undefined): string {
  const config = layerConfig as { kernelSize?: number[]; poolSize?: number[]; strides?: number[]; padding?: string };
  const window = config.kernelSize ?? config.poolSize;
  const what = window ? `a ${window.join('×')} ${config.kernelSize ? 'kernel' : 'window'}` : 'this layer';
  const stride = config.strides ? ` with stride ${config.strides.join('×')}` : '';
  const padding = config.padding ? ` and '${config.padding}' padding` : '';
  return `${what}${stride}${padding} on a ${formatShapeFor(input, framework)} input gives ${formatShapeFor(output.map((d) => (d === null ? null : Math.max(d, 0))), framework)}: the input is too small for this layer`;
}

/**
 * Applies each layer in order, on shapes: tfjs's answer for each layer on its input shapes (see layerOutcome).
 * A layer whose input is unknown is not built and stays silent: the issue was reported where it started.
 */
export function* applyLayers(tf: TfModule, spec: ModelSpec): Generator<AppliedLayer> {
  const shapes = new Map<string, Shape | null>([[INPUT, spec.input]]);

  for (const [index, layerSpec] of spec.layers.entries()) {
    const inputShapes = layerSpec.inputs.map((name) => shapes.get(name) ?? null);
    const applied: AppliedLayer = { spec: layerSpec, index, built: null, inputShapes, outputShape: null, issue: null };

    if (layerSpec.notCalled) {
      // Counted (its declared parameters), never applied: the forward pass does not call it.
    } else if (!isSupportedType(layerSpec.type)) {
      // "Unknown" stands for code a source reader could not tell would run, and says why; others are types we lack.
      const why = layerSpec.type === 'Unknown' && typeof layerSpec.args.reason === 'string' ? layerSpec.args.reason : `${layerSpec.type} is not supported yet`;
      applied.issue = issue(layerSpec, 'unsupported', `${why}; shapes after it are unknown`);
    } else if (inputShapes.length > 0 && inputShapes.every((s): s is Shape => s !== null)) {
      const kind = isMerge(layerSpec.type) ? 'mismatch' : 'invalid';
      let outcome: LayerOutcome;
      try {
        // What Keras or PyTorch would reject is rejected here, even where tfjs would build it (stride 0).
        validateArgs(layerSpec, spec.framework, inputShapes[0] ?? null);
        outcome = layerOutcome(tf, layerSpec, inputShapes);
      } catch (error) {
        outcome = { error: messageOf(error) };
      }
      if ('error' in outcome) {
        applied.issue = issue(layerSpec, kind, `${outcome.error} (input ${shapesText(inputShapes, spec.framework)})`);
      } else {
        applied.built = outcome.built;
        const { outputShape } = outcome.built;
        const inexact = outputShape.find((d): d is number => d !== null && d > 0 && !Number.isSafeInteger(d));
        if (outputShape.some((d) => d !== null && !(d > 0))) {
          applied.issue = issue(layerSpec, 'collapse', collapseMessage(outcome.built.config, inputShapes[0] ?? null, outputShape, spec.framework));
        } else if (inexact !== undefined) {
          // Past 2^53 a double no longer holds every whole number: the size, and the counts after it, would be
          // rounded (a forged file's 2^62-pixel input, a 1e308-unit Dense), so they are not given.
          applied.issue = issue(layerSpec, 'invalid', `an output size of about ${inexact.toExponential(3)} is past 2^53 and cannot be computed exactly (input ${shapesText(inputShapes, spec.framework)}); shapes after it are unknown`);
        } else {
          applied.outputShape = outputShape;
        }
      }
    }
    shapes.set(layerSpec.name, applied.outputShape);
    yield applied;
  }
}

/**
 * The spec as a connected tf.LayersModel: every layer created and applied to its inputs' SymbolicTensors, by
 * default with shape-only weights. Throws on the first layer that fails.
 */
export function connectLayers(tf: TfModule, spec: ModelSpec, weights: 'shape-only' | 'initialized' = 'shape-only'): ReturnType<TfModule['tfl']['model']> {
  for (const applied of applyLayers(tf, spec)) {
    if (applied.issue) throw new Error(applied.issue.message);
    if (!applied.built && !applied.spec.notCalled) throw new Error(`${applied.spec.name}: its input is unknown`);
  }
  const input = tf.tfl.input({ shape: [...spec.input] as number[] });
  const known = new Map<string, SymbolicTensor>([[INPUT, input]]);
  const consumed = new Set(spec.layers.flatMap((l) => l.inputs));
  for (const layerSpec of spec.layers) {
    if (layerSpec.notCalled) continue;
    const inputs = layerSpec.inputs.map((name) => known.get(name)!);
    const layer = createLayer(tf, layerSpec, weights);
    known.set(layerSpec.name, layer.apply(applyInputs(layerSpec.type, inputs)) as SymbolicTensor);
  }
  const sinks = spec.layers.filter((l) => !l.notCalled && !consumed.has(l.name)).map((l) => known.get(l.name)!);
  return tf.tfl.model({ name: spec.name.replace(/[^-A-Za-z0-9._]/g, '_'), inputs: input, outputs: sinks });
}
