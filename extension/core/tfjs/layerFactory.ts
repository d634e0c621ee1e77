/**
 * Turns a LayerSpec into a real tfjs layer. Weights are shape-only (see shapeOnlyWeights.ts), so a VGG16
 * build costs milliseconds and a few MB instead of seconds and 640 MB of random numbers (see bench/).
 */
import type { LayerSpec } from '../spec';
import type { TfModule } from './loadTf';
import { shapeOnlyInitializer } from './shapeOnlyWeights';
import { customLayers } from './customLayers/index';
import { OPAQUE_LAMBDA, statedShapeLayer } from './statedShapeLayer';
import { normalizationLayer } from './normalizationLayer';
import { USER_LAYER, userLayer } from './userLayer';
import { AUGMENTATION_LAYERS } from './customLayers/augmentation';

type Layer = InstanceType<TfModule['tfl']['layers']['Layer']>;
type Factory = (tf: TfModule, args: Record<string, unknown>) => Layer;

const given = (v: unknown): boolean => v !== undefined && v !== null;

/** Drops an argument tfjs does not know, once it is known to change nothing. */
function without(args: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = args;
  return rest;
}

/**
 * The arguments of a 1-D layer, which tfjs builds only channels-last and (global pooling) without keepdims:
 * anything else throws, so the layer is reported unsupported instead of built with a different shape.
 */
function channelsLast1d(a: Record<string, unknown>): Record<string, unknown> {
  if (given(a.dataFormat) && a.dataFormat !== 'channelsLast') throw new Error(`data_format=${String(a.dataFormat)} is not supported for 1-D layers`);
  if (a.keepDims === true || a.keepdims === true) throw new Error('keepdims=True is not supported for 1-D global pooling');
  return without(without(a, 'keepDims'), 'keepdims');
}

// Keras class name -> tfjs factory. Each entry is a layer tfjs implements with the same arguments, or one of
// ours (customLayers/) where tfjs has none: grouped convs, output padding, LRN, channel ops, resizing.
const factories: Record<string, Factory> = {
  // tfjs ignores `groups` and builds a full kernel: Conv2D(8, 3, groups=2) on 8 channels would have 584
  // parameters where Keras says 296.
  Conv2D: (tf, a) =>
    given(a.groups) && a.groups !== 1
      ? new (customLayers(tf).GroupedConv2D)(a)
      : tf.tfl.layers.conv2d(without(a, 'groups') as never),
  // tfjs has no output padding; an explicit one (even 0) follows Keras' deconv_output_length.
  Conv2DTranspose: (tf, a) =>
    given(a.outputPadding)
      ? new (customLayers(tf).Conv2DTransposeOutputPadding)(a)
      : tf.tfl.layers.conv2dTranspose(a as never),
  // tfjs ignores a depthwise dilation (shape and call): ours honours it.
  DepthwiseConv2D: (tf, a) =>
    given(a.dilationRate) && [a.dilationRate].flat().some((d) => d !== 1)
      ? new (customLayers(tf).DilatedDepthwiseConv2D)(a)
      : tf.tfl.layers.depthwiseConv2d(a as never),
  SeparableConv2D: (tf, a) => tf.tfl.layers.separableConv2d(a as never),
  Dense: (tf, a) => tf.tfl.layers.dense(a as never),
  // 1-D layers on (steps, channels) sequences. tfjs' conv1d has no groups (it would build a full kernel).
  Conv1D: (tf, a) => {
    if (given(a.groups) && a.groups !== 1) throw new Error(`Conv1D with groups=${String(a.groups)} is not supported: TensorFlow.js would build a full kernel`);
    return tf.tfl.layers.conv1d(channelsLast1d(without(a, 'groups')) as never);
  },
  MaxPooling1D: (tf, a) => tf.tfl.layers.maxPooling1d(channelsLast1d(a) as never),
  AveragePooling1D: (tf, a) => tf.tfl.layers.averagePooling1d(channelsLast1d(a) as never),
  GlobalAveragePooling1D: (tf, a) => tf.tfl.layers.globalAveragePooling1d(channelsLast1d(a) as never),
  GlobalMaxPooling1D: (tf, a) => tf.tfl.layers.globalMaxPooling1d(channelsLast1d(a) as never),
  Conv3D: (tf, a) => tf.tfl.layers.conv3d(a as never),
  MaxPooling3D: (tf, a) => tf.tfl.layers.maxPooling3d(a as never),
  AveragePooling3D: (tf, a) => tf.tfl.layers.averagePooling3d(a as never),
  MaxPooling2D: (tf, a) => tf.tfl.layers.maxPooling2d(a as never),
  AveragePooling2D: (tf, a) => tf.tfl.layers.averagePooling2d(a as never),
  // keepDims (PyTorch's AdaptiveAvgPool2d(1), Keras' keepdims=True): (1, 1, C), which tfjs cannot give.
  GlobalAveragePooling2D: (tf, a) =>
    a.keepDims === true
      ? new (customLayers(tf).GlobalPooling2DKeepDims)({ name: a.name, mode: 'avg' })
      : tf.tfl.layers.globalAveragePooling2d(without(a, 'keepDims') as never),
  GlobalMaxPooling2D: (tf, a) =>
    a.keepDims === true
      ? new (customLayers(tf).GlobalPooling2DKeepDims)({ name: a.name, mode: 'max' })
      : tf.tfl.layers.globalMaxPooling2d(without(a, 'keepDims') as never),
  BatchNormalization: (tf, a) => tf.tfl.layers.batchNormalization(a as never),
  LayerNormalization: (tf, a) => tf.tfl.layers.layerNormalization(a as never),
  Activation: (tf, a) => tf.tfl.layers.activation(a as never),
  ReLU: (tf, a) => tf.tfl.layers.reLU(a as never),
  LeakyReLU: (tf, a) => tf.tfl.layers.leakyReLU(a as never),
  ELU: (tf, a) => tf.tfl.layers.elu(a as never),
  Softmax: (tf, a) => tf.tfl.layers.softmax(a as never),
  Dropout: (tf, a) => tf.tfl.layers.dropout(a as never),
  Flatten: (tf, a) => tf.tfl.layers.flatten(a as never),
  Reshape: (tf, a) => tf.tfl.layers.reshape(a as never),
  Permute: (tf, a) => tf.tfl.layers.permute(a as never),
  ZeroPadding2D: (tf, a) => tf.tfl.layers.zeroPadding2d(a as never),
  Cropping2D: (tf, a) => tf.tfl.layers.cropping2D(a as never),
  UpSampling2D: (tf, a) => tf.tfl.layers.upSampling2d(a as never),
  Add: (tf, a) => tf.tfl.layers.add(a as never),
  Multiply: (tf, a) => tf.tfl.layers.multiply(a as never),
  Average: (tf, a) => tf.tfl.layers.average(a as never),
  Maximum: (tf, a) => tf.tfl.layers.maximum(a as never),
  Concatenate: (tf, a) => tf.tfl.layers.concatenate(a as never),
  Minimum: (tf, a) => tf.tfl.layers.minimum(a as never),
  PReLU: (tf, a) => tf.tfl.layers.prelu(a as never),
  Rescaling: (tf, a) => tf.tfl.layers.rescaling(a as never),
  LRN: (tf, a) => new (customLayers(tf).LRN)(a),
  ChannelShuffle: (tf, a) => new (customLayers(tf).ChannelShuffle)(a),
  ChannelSlice: (tf, a) => new (customLayers(tf).ChannelSlice)(a),
  Resize: (tf, a) => new (customLayers(tf).Resize)(a),
  AdaptivePooling2D: (tf, a) => new (customLayers(tf).AdaptivePooling2D)(a),
  // PyTorch's InstanceNorm2d: per-sample, per-channel normalisation; 2·C weights only with affine=True.
  InstanceNormalization: (tf, a) => new (customLayers(tf).InstanceNormalization)(a),
  // Keras' noise and regularisation layers at inference (GaussianNoise, AlphaDropout, ...): the identity.
  InferenceIdentity: (tf, a) => new (customLayers(tf).InferenceIdentity)(a),
  // PyTorch's PixelShuffle: (H, W, C·r²) → (H·r, W·r, C), no weights.
  PixelShuffle: (tf, a) => new (customLayers(tf).PixelShuffle)(a),
  // tfjs has no SpatialDropout2D; it changes no shape and has no weights, so plain dropout stands in.
  SpatialDropout2D: (tf, a) => tf.tfl.layers.dropout({ rate: a.rate } as never),
  // A Keras Lambda read from a model file: its code is never run; the output shape is the file's own.
  [OPAQUE_LAMBDA]: statedShapeLayer,
  // Keras's Normalization (tfjs has none): same shape; mean, variance and count as non-trainable weights.
  Normalization: normalizationLayer,
  // A Keras Layer subclass from the user's code: its add_weight weights and the output shape its call() gave.
  [USER_LAYER]: userLayer,
  // Keras' random augmentation layers are inactive at inference: their input, unchanged.
  ...Object.fromEntries(AUGMENTATION_LAYERS.map((type) => [type, (tf: TfModule, a: Record<string, unknown>) => new (customLayers(tf).InferenceIdentity)(a)])),
};

/** Layer types that take several inputs. */
export const MERGE_TYPES = new Set(['Add', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate']);

/** What `layer.apply` takes: the list of inputs for a merge or a layer given several, else the one input. */
export function applyInputs<T>(type: string, inputs: readonly T[]): T | T[] {
  return inputs.length > 1 || MERGE_TYPES.has(type) ? [...inputs] : inputs[0]!;
}

export function isSupportedType(type: string): boolean {
  return type in factories;
}

export function supportedTypes(): string[] {
  return Object.keys(factories).sort();
}

/** The initializer arguments of each layer type that has weights (tfjs rejects the ones a type lacks). */
const INITIALIZERS: Record<string, readonly string[]> = {
  Conv2D: ['kernelInitializer', 'biasInitializer'],
  Conv1D: ['kernelInitializer', 'biasInitializer'],
  Conv3D: ['kernelInitializer', 'biasInitializer'],
  Conv2DTranspose: ['kernelInitializer', 'biasInitializer'],
  Dense: ['kernelInitializer', 'biasInitializer'],
  DepthwiseConv2D: ['depthwiseInitializer', 'biasInitializer'],
  SeparableConv2D: ['depthwiseInitializer', 'pointwiseInitializer', 'biasInitializer'],
  BatchNormalization: ['gammaInitializer', 'betaInitializer', 'movingMeanInitializer', 'movingVarianceInitializer'],
  LayerNormalization: ['gammaInitializer', 'betaInitializer'],
  InstanceNormalization: ['gammaInitializer', 'betaInitializer'],
  PReLU: ['alphaInitializer'],
  [USER_LAYER]: ['weightInitializer'],
};

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
  const factory = factories[spec.type];
  if (factory === undefined) throw new Error(`unsupported layer type ${spec.type}`);
  // Registers our layers and activations (hard_swish, …) before any argument names them.
  customLayers(tf);
  const args: Record<string, unknown> = { ...spec.args, name: tfjsSafeName(spec.name) };
  if (weights === 'shape-only') {
    const initializer = shapeOnlyInitializer(tf);
    for (const key of INITIALIZERS[spec.type] ?? []) args[key] = initializer;
  }
  return factory(tf, args);
}
