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
import { createLayer, isSupportedType, MERGE_TYPES } from './layerFactory';
import type { TfModule } from './loadTf';
import { validateArgs } from './validateArgs';

type SymbolicTensor = ReturnType<TfModule['tfl']['input']>;
export type TfLayer = ReturnType<typeof createLayer>;

export interface AppliedLayer {
  spec: LayerSpec;
  index: number;
  /** The built tfjs layer, or null when it could not be built. */
  layer: TfLayer | null;
  inputShapes: (Shape | null)[];
  outputShape: Shape | null;
  issue: LayerIssue | null;
}

export interface AppliedModel {
  input: SymbolicTensor;
  /** Symbolic output of every layer that was built, by spec name. */
  outputs: Map<string, SymbolicTensor>;
}

/** The model's symbolic input, before any layer is applied. */
export function startModel(tf: TfModule, spec: ModelSpec): AppliedModel {
  return { input: tf.tfl.input({ shape: [...spec.input] as number[] }), outputs: new Map() };
}

/** Rejects specs that are not well formed: these are errors in the description, not in the network. */
export function validateSpec(spec: ModelSpec): void {
  // (H, W, C) images; (D, H, W, C) volumes for PyTorch's Conv3d models.
  const volume = spec.input.length === 4 && spec.framework === 'pytorch';
  if ((spec.input.length !== 3 && !volume) || !isFullyKnown(spec.input)) {
    throw new InputShapeError(
      `${spec.name}: the input must be H,W,C with positive whole numbers, got ${formatShape(spec.input)}`,
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

function issue(spec: LayerSpec, kind: LayerIssue['kind'], message: string): LayerIssue {
  return { layer: spec.name, kind, message: `${spec.name} (${spec.type}): ${message}`, source: spec.source ?? null };
}

/** Output shape of a symbolic tensor without the batch dimension. */
function shapeOf(tensor: SymbolicTensor): Shape {
  return tensor.shape.slice(1);
}

function collapseMessage(layer: TfLayer, input: Shape | null, output: Shape, framework: string | undefined): string {
  const config = layer.getConfig() as { kernelSize?: number[]; poolSize?: number[]; strides?: number[]; padding?: string };
  const window = config.kernelSize ?? config.poolSize;
  const what = window ? `a ${window.join('×')} ${config.kernelSize ? 'kernel' : 'window'}` : 'this layer';
  const stride = config.strides ? ` with stride ${config.strides.join('×')}` : '';
  const padding = config.padding ? ` and '${config.padding}' padding` : '';
  return `${what}${stride}${padding} on a ${formatShapeFor(input, framework)} input gives ${formatShapeFor(output.map((d) => (d === null ? null : Math.max(d, 0))), framework)}: the input is too small for this layer`;
}

/**
 * Applies each layer in order. `model.outputs` is filled as layers are applied, so a caller can turn the
 * result into a tf.LayersModel when every layer succeeded.
 */
export function* applyLayers(
  tf: TfModule,
  spec: ModelSpec,
  model: AppliedModel,
  weights: 'shape-only' | 'initialized' = 'shape-only',
): Generator<AppliedLayer> {
  const known = model.outputs;
  const shapes = new Map<string, Shape | null>([[INPUT, spec.input]]);
  known.set(INPUT, model.input);

  for (const [index, layerSpec] of spec.layers.entries()) {
    const inputShapes = layerSpec.inputs.map((name) => shapes.get(name) ?? null);
    const inputs = layerSpec.inputs.map((name) => known.get(name));
    const applied: AppliedLayer = { spec: layerSpec, index, layer: null, inputShapes, outputShape: null, issue: null };

    if (layerSpec.notCalled) {
      // Counted (its declared parameters), never applied: the forward pass does not call it.
    } else if (!isSupportedType(layerSpec.type)) {
      // "Unknown" stands for code a source reader could not tell would run, and says why; others are types we lack.
      const why = layerSpec.type === 'Unknown' && typeof layerSpec.args.reason === 'string' ? layerSpec.args.reason : `${layerSpec.type} is not supported yet`;
      applied.issue = issue(layerSpec, 'unsupported', `${why}; shapes after it are unknown`);
    } else if (inputs.every((t): t is SymbolicTensor => t !== undefined)) {
      try {
        // What Keras or PyTorch would reject is rejected here, even where tfjs would build it (stride 0).
        validateArgs(layerSpec, spec.framework, inputShapes[0] ?? null);
        const layer = createLayer(tf, layerSpec, weights);
        applied.layer = layer;
        const takesList = MERGE_TYPES.has(layerSpec.type);
        const output = layer.apply(takesList ? inputs : (inputs[0] as SymbolicTensor)) as SymbolicTensor;
        const outputShape = shapeOf(output);
        if (outputShape.some((d) => d !== null && !(d > 0))) {
          applied.issue = issue(layerSpec, 'collapse', collapseMessage(layer, inputShapes[0] ?? null, outputShape, spec.framework));
        } else {
          applied.outputShape = outputShape;
          known.set(layerSpec.name, output);
        }
      } catch (error) {
        const kind = MERGE_TYPES.has(layerSpec.type) ? 'mismatch' : 'invalid';
        const shapesText = inputShapes.map((s) => formatShapeFor(s, spec.framework)).join(' and ');
        applied.issue = issue(layerSpec, kind, `${messageOf(error)} (input ${shapesText})`);
      }
    }
    // Layers reading an unknown input stay silent: the issue was reported where it started.
    shapes.set(layerSpec.name, applied.outputShape);
    yield applied;
  }
}
