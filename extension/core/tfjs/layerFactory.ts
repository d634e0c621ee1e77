/**
 * Turns a LayerSpec into a real tfjs layer, built as the table of layer knowledge says
 * (../layerKnowledge/kinds.ts). Weights are shape-only (see shapeOnlyWeights.ts), so a VGG16 build costs
 * milliseconds and a few MB instead of seconds and 640 MB of random numbers (see bench/).
 */
import type { LayerSpec } from '../spec';
import type { TfModule } from './loadTf';
import { shapeOnlyInitializer } from './shapeOnlyWeights';
import { customLayers } from './customLayers/index';
import { isMerge, KINDS, layerKind, type LayerKind } from '../layerKnowledge/index';
import { isSequenceLayout } from '../sequenceLayout';

type Layer = ReturnType<LayerKind['build']>;

/** What `layer.apply` takes: the list of inputs for a merge or a layer given several, else the one input. */
export function applyInputs<T>(type: string, inputs: readonly T[]): T | T[] {
  return inputs.length > 1 || isMerge(type) ? [...inputs] : inputs[0]!;
}

export function isSupportedType(type: string): boolean {
  return layerKind(type) !== undefined;
}

export function supportedTypes(): string[] {
  return KINDS.map((k) => k.type).sort();
}

const TENSOR_NAME = /^[A-Za-z0-9][-A-Za-z0-9._/]*$/;

/** tfjs only accepts names matching TENSOR_NAME; other names (e.g. "layer1[0]") are made safe. */
export function tfjsSafeName(name: string): string {
  if (TENSOR_NAME.test(name)) return name;
  const safe = name.replace(/[^-A-Za-z0-9._/]/g, '_');
  return TENSOR_NAME.test(safe) ? safe : `l_${safe}`;
}

/**
 * Creates the tfjs layer for a spec; throws if tfjs rejects the arguments. `weights: 'initialized'` keeps the
 * layer's own initializers (random weights), which only the benchmark's naive baseline wants.
 */
export function createLayer(tf: TfModule, spec: LayerSpec, weights: 'shape-only' | 'initialized' = 'shape-only'): Layer {
  const kind = layerKind(spec.type);
  if (kind === undefined) throw new Error(`unsupported layer type ${spec.type}`);
  // Registers our layers and activations (hard_swish, …) before any argument names them.
  customLayers(tf);
  const args: Record<string, unknown> = { ...spec.args, name: tfjsSafeName(spec.name) };
  if (weights === 'shape-only') {
    const initializer = shapeOnlyInitializer(tf);
    for (const key of kind.initializers ?? []) args[key] = initializer;
  }
  if (spec.args.sequence === undefined) return kind.build(tf, args);
  // A 1-D call as one layer: the kind built inside the layer that changes the layout (../sequenceLayout.ts).
  const { sequence, lengthPadding, paddingValue, swapAxis, reject, ...inner } = args;
  if (!isSequenceLayout(sequence) || !kind.sequence?.includes(sequence)) throw new Error(`${spec.type} is not built in the ${String(sequence)} layout`);
  if (typeof reject === 'string') throw new Error(reject);
  return new (customLayers(tf).SequenceLayer)({ name: args.name, sequence, lengthPadding, paddingValue, swapAxis }, kind.build(tf, { ...inner, name: `${String(args.name)}_inner` }));
}
