/**
 * The table of layer knowledge: one entry per engine layer kind (the engine's type is the Keras class name),
 * as data, the way Netron keeps operator metadata. Every reader and the engine look a kind up here: its names
 * in Keras (with positional argument names), tfjs and PyTorch (module classes and functions, each with its
 * translator in source/torch*.ts), how tfjs builds it, its weights' initializers, whether it merges, how its
 * MACs are counted, its receptive-field geometry and which framework checks its arguments get.
 *
 * Adding a kind is one entry here: `{ type, keras: { names, positional }, tfjs: [...], torch: { modules: {
 * Name: translator } }, build, ... }`; a PyTorch module that becomes an existing kind is one line in that
 * kind's `torch.modules`. Activation functions have their own rows in activations.ts. test/unit/layerKnowledge
 * checks that every name maps to one kind and every kind a reader produces can be built.
 */
import type { TfModule } from '../tfjs/loadTf';
import { customLayers } from '../tfjs/customLayers/index';
import { AUGMENTATION_LAYERS } from '../tfjs/customLayers/augmentation';
import { OPAQUE_LAMBDA, statedShapeLayer } from '../tfjs/statedShapeLayer';
import { normalizationLayer } from '../tfjs/normalizationLayer';
import { USER_LAYER, userLayer } from '../tfjs/userLayer';
import { channelsLast1d, given, without } from '../tfjs/buildArgs';
import { arg } from '../source/layerArgs';
import * as t2 from '../source/torch2d';
import { adaptivePool1d, conv1d, convTranspose1d, instanceNorm1d, pad1d, pool1d } from '../source/torch1d';
import { adaptive3d, batchNorm3d, conv3d, instanceNorm3d, pad3d, pool3d } from '../source/torch3d';
import { layerNorm, layerNormFunction, normalizeFunction, rmsNorm } from '../source/torchLastDim';
import { asImage1d, axisPadding, conv1dGroups, axisUpSampling, centerCrop, conv3dTranspose, flattenVector, globalPool3d, globalPoolKeepDims, groupNormalization, normalization, reluMaxValue, resizing, rmsNormalization, upSamplingSize } from '../source/kerasAdapters';
import { ACTIVATIONS, TORCH_ELEMENTWISE } from './activations';
import { kerasEmbedding, torchEmbedding } from '../source/embedding';
import type { LayerKind } from './kind';
import type { TorchTranslator } from '../source/torch2d';

type Args = Record<string, unknown>;
const layers = (tf: TfModule) => tf.tfl.layers;
const KERNEL_BIAS = ['kernelInitializer', 'biasInitializer'];
const CONV_POSITIONAL = ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'groups', 'activation', 'use_bias'];
const POOL_POSITIONAL = ['pool_size', 'strides', 'padding', 'data_format'];
const GLOBAL_POOL_POSITIONAL = ['data_format', 'keepdims'];
const TRANSPOSE_POSITIONAL = ['filters', 'kernel_size', 'strides', 'padding'];
const DEPTHWISE_POSITIONAL = ['kernel_size', 'strides', 'padding', 'depth_multiplier', 'data_format', 'dilation_rate', 'activation', 'use_bias'];
const SEPARABLE_POSITIONAL = ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'depth_multiplier', 'activation', 'use_bias'];
const PAD_1D = ['ConstantPad1d', 'ZeroPad1d', 'ReflectionPad1d', 'ReplicationPad1d', 'CircularPad1d'];
const PAD_3D = ['ConstantPad3d', 'ZeroPad3d', 'ReflectionPad3d', 'ReplicationPad3d', 'CircularPad3d'];

/** A Keras merge layer: the class, its functional form (layers.add, also tf.layers.add) and tfjs' factory. */
function merge(type: string, fn: string, build: (tf: TfModule, a: Args) => ReturnType<LayerKind['build']>, positional: string[] = []): LayerKind {
  return { type, keras: { names: [type], positional, functions: [fn] }, tfjs: [fn], merge: true, build };
}

/** MaxPooling2D / AveragePooling2D, with PyTorch's module (MaxPool2d) and function (F.max_pool2d). */
function pool2d(
  type: 'MaxPooling2D' | 'AveragePooling2D',
  alias: string,
  tfjs: string[],
  [module, fn]: [string, string],
  build: LayerKind['build'],
  more: { modules?: Record<string, TorchTranslator>; functions?: Record<string, TorchTranslator> } = {},
): LayerKind {
  return {
    type,
    keras: { names: [type, alias], positional: POOL_POSITIONAL },
    tfjs,
    torch: {
      modules: { [module]: (args, inputs) => t2.pool(type, args, inputs), ...more.modules },
      functions: { [fn]: (args, inputs) => t2.pool(type, args, inputs, true), ...more.functions },
    },
    build,
    geometry: 'pool', validate: 'pool',
  };
}

/**
 * Global pooling, with PyTorch's adaptive pooling (to 1×1 it is this kind; to other sizes a pooling, see
 * torch2d.adaptive). keepDims (AdaptiveAvgPool2d(1), Keras' keepdims=True) gives (1, 1, C), which tfjs cannot.
 */
function globalPool2d(type: 'GlobalAveragePooling2D' | 'GlobalMaxPooling2D', alias: string, tfjs: string[], [module, fn]: [string, string], mode: 'avg' | 'max'): LayerKind {
  const translate: TorchTranslator = (args, inputs) => t2.adaptive(type, arg(args, 'output_size', 0), inputs);
  return {
    type,
    keras: { names: [type, alias], positional: GLOBAL_POOL_POSITIONAL, adapt: globalPoolKeepDims(2) },
    tfjs,
    torch: { modules: { [module]: translate }, functions: { [fn]: translate } },
    build: (tf, a) =>
      a.keepDims === true
        ? new (customLayers(tf).GlobalPooling2DKeepDims)({ name: a.name, mode })
        : mode === 'avg' ? layers(tf).globalAveragePooling2d(without(a, 'keepDims') as never) : layers(tf).globalMaxPooling2d(without(a, 'keepDims') as never),
    field: 'ends',
  };
}

export const KINDS: readonly LayerKind[] = [
  // ------------------------------------------------------------ convolutions
  {
    type: 'Conv2D',
    keras: { names: ['Conv2D', 'Convolution2D'], positional: CONV_POSITIONAL },
    tfjs: ['conv2d'],
    torch: { modules: { Conv2d: t2.conv2d, LazyConv2d: t2.lazyConv2d } },
    // tfjs ignores `groups` and builds a full kernel: Conv2D(8, 3, groups=2) on 8 channels would have 584
    // parameters where Keras says 296.
    build: (tf, a) => (given(a.groups) && a.groups !== 1 ? new (customLayers(tf).GroupedConv2D)(a) : layers(tf).conv2d(without(a, 'groups') as never)),
    initializers: KERNEL_BIAS, readerWeights: true, macs: 'conv2d', geometry: 'kernel', validate: 'conv',
    // PyTorch's Conv1d(groups>1) and Keras' Conv1D(groups>1): a grouped (1, k) one on (C, L) or (steps, C) held as
    // a (1, L, C) image (tfjs' conv1d has no groups).
    sequence: ['channelsFirstAsImage', 'asImage'],
  },
  {
    type: 'Conv2DTranspose',
    keras: {
      names: ['Conv2DTranspose', 'Convolution2DTranspose'], positional: TRANSPOSE_POSITIONAL,
      // tfjs has no 1-D transposed convolution: a (1, k) one on the sequence held as a (1, steps, C) image.
      classes: { Conv1DTranspose: TRANSPOSE_POSITIONAL }, aliases: { Convolution1DTranspose: 'Conv1DTranspose' }, adapt: asImage1d,
    },
    tfjs: ['conv2dTranspose'],
    torch: { modules: { ConvTranspose2d: t2.convTranspose2d, LazyConvTranspose2d: t2.lazyConvTranspose2d, ConvTranspose1d: convTranspose1d } },
    // tfjs has no output padding; an explicit one (even 0) follows Keras' deconv_output_length. tfjs ignores a
    // dilation, which changes the shape: refused, never dropped.
    build: (tf, a) => {
      if (given(a.dilationRate) && [a.dilationRate].flat().some((d) => d !== 1)) throw new Error('Conv2DTranspose with dilation_rate > 1 is not supported: TensorFlow.js would ignore it');
      return given(a.outputPadding) ? new (customLayers(tf).Conv2DTransposeOutputPadding)(a) : layers(tf).conv2dTranspose(a as never);
    },
    initializers: KERNEL_BIAS, readerWeights: true, macs: 'transpose', geometry: 'kernel', field: 'lost', validate: 'conv',
    // Keras' Conv1DTranspose on (steps, C), PyTorch's ConvTranspose1d on (C, L): one layer each.
    sequence: ['asImage', 'channelsFirstAsImage'],
  },
  {
    type: 'DepthwiseConv2D',
    // DepthwiseConv1D: a (1, k) one on the sequence held as a (1, steps, C) image.
    keras: { names: ['DepthwiseConv2D'], positional: DEPTHWISE_POSITIONAL, classes: { DepthwiseConv1D: DEPTHWISE_POSITIONAL }, adapt: asImage1d },
    tfjs: ['depthwiseConv2d'],
    // tfjs ignores a depthwise dilation (shape and call): ours honours it.
    build: (tf, a) =>
      given(a.dilationRate) && [a.dilationRate].flat().some((d) => d !== 1) ? new (customLayers(tf).DilatedDepthwiseConv2D)(a) : layers(tf).depthwiseConv2d(a as never),
    initializers: ['depthwiseInitializer', 'biasInitializer'], readerWeights: true, macs: 'depthwise', geometry: 'kernel', validate: 'conv', sequence: ['asImage'],
  },
  {
    type: 'SeparableConv2D',
    // SeparableConv1D: a (1, k) one on the sequence held as a (1, steps, C) image.
    keras: {
      names: ['SeparableConv2D', 'SeparableConvolution2D'], positional: SEPARABLE_POSITIONAL,
      classes: { SeparableConv1D: SEPARABLE_POSITIONAL }, aliases: { SeparableConvolution1D: 'SeparableConv1D' }, adapt: asImage1d,
    },
    tfjs: ['separableConv2d'],
    build: (tf, a) => layers(tf).separableConv2d(a as never),
    initializers: ['depthwiseInitializer', 'pointwiseInitializer', 'biasInitializer'], readerWeights: true, macs: 'separable', geometry: 'kernel', validate: 'conv', sequence: ['asImage'],
  },
  {
    type: 'Dense',
    keras: { names: ['Dense'], positional: ['units', 'activation', 'use_bias'] },
    tfjs: ['dense'],
    torch: { modules: { Linear: t2.linear, LazyLinear: t2.lazyLinear } },
    build: (tf, a) => layers(tf).dense(a as never),
    initializers: KERNEL_BIAS, readerWeights: true, macs: 'dense', field: 'ends', validate: 'units',
    // PyTorch's Linear on (N, H, W, C): one layer around the Dense on the engine's last axis.
    sequence: ['lastDim'],
  },
  // An (N, L) batch of indices looked up in a table: (N, L, D), input_dim·output_dim weights, no MACs.
  {
    type: 'Embedding',
    keras: { names: ['Embedding'], positional: ['input_dim', 'output_dim'], adapt: kerasEmbedding },
    tfjs: ['embedding'],
    torch: { modules: { Embedding: torchEmbedding } },
    build: (tf, a) => layers(tf).embedding(a as never),
    initializers: ['embeddingsInitializer'], readerWeights: true,
  },
  // 1-D layers on (steps, channels) sequences.
  {
    type: 'Conv1D',
    // Keras' Conv1D(groups>1): a grouped (1, k) Conv2D on the sequence as a (1, steps, C) image, in one layer.
    keras: { names: ['Conv1D', 'Convolution1D'], positional: CONV_POSITIONAL, adapt: conv1dGroups },
    tfjs: ['conv1d'],
    torch: { modules: { Conv1d: conv1d } },
    // tfjs' conv1d has no groups (it would build a full kernel).
    build: (tf, a) => {
      if (given(a.groups) && a.groups !== 1) throw new Error(`Conv1D with groups=${String(a.groups)} is not supported: TensorFlow.js would build a full kernel`);
      return layers(tf).conv1d(channelsLast1d(without(a, 'groups')) as never);
    },
    // PyTorch's Conv1d reads (C, L): one layer around tfjs' conv1d on (L, C).
    initializers: KERNEL_BIAS, readerWeights: true, macs: 'conv1d', sequence: ['channelsFirst'],
  },
  {
    type: 'Conv3D',
    keras: { names: ['Conv3D', 'Convolution3D'], positional: CONV_POSITIONAL },
    tfjs: ['conv3d'],
    torch: { modules: { Conv3d: (args) => conv3d(args) } },
    // tfjs' conv3d has no groups (it would build a full kernel).
    build: (tf, a) => {
      if (given(a.groups) && a.groups !== 1) {
        // Keras' own check first (keras/src/layers/convolutional/base_conv.py).
        if (typeof a.filters === 'number' && typeof a.groups === 'number' && a.filters % a.groups !== 0) {
          throw new Error(`The number of filters must be evenly divisible by the number of groups. Received: groups=${a.groups}, filters=${a.filters}.`);
        }
        throw new Error(`Conv3D with groups=${String(a.groups)} is not supported: TensorFlow.js would build a full kernel`);
      }
      return layers(tf).conv3d(without(a, 'groups') as never);
    },
    initializers: KERNEL_BIAS, readerWeights: true, macs: 'conv3d', validate: 'conv', spatialRank: 3,
  },
  {
    type: 'Conv3DTranspose',
    keras: { names: ['Conv3DTranspose', 'Convolution3DTranspose'], positional: TRANSPOSE_POSITIONAL, adapt: conv3dTranspose },
    tfjs: ['conv3dTranspose'],
    build: (tf, a) => layers(tf).conv3dTranspose(a as never),
    initializers: KERNEL_BIAS, readerWeights: true, macs: 'transpose3d', validate: 'conv', spatialRank: 3,
  },
  // ------------------------------------------------------------ pooling
  {
    type: 'MaxPooling1D',
    keras: { names: ['MaxPooling1D', 'MaxPool1D'], positional: POOL_POSITIONAL },
    tfjs: ['maxPooling1d', 'maxPool1d'],
    torch: {
      modules: { MaxPool1d: (args, inputs) => pool1d('MaxPooling1D', args, inputs), AdaptiveMaxPool1d: (args, inputs) => adaptivePool1d('MaxPooling1D', args, inputs) },
      functions: { max_pool1d: (args, inputs) => pool1d('MaxPooling1D', args, inputs, true), adaptive_max_pool1d: (args, inputs) => adaptivePool1d('MaxPooling1D', args, inputs) },
    },
    build: (tf, a) => layers(tf).maxPooling1d(channelsLast1d(a) as never),
    sequence: ['channelsFirst'],
  },
  {
    type: 'AveragePooling1D',
    keras: { names: ['AveragePooling1D', 'AvgPool1D'], positional: POOL_POSITIONAL },
    tfjs: ['averagePooling1d', 'avgPool1d'],
    torch: {
      modules: { AvgPool1d: (args, inputs) => pool1d('AveragePooling1D', args, inputs), AdaptiveAvgPool1d: (args, inputs) => adaptivePool1d('AveragePooling1D', args, inputs) },
      functions: { avg_pool1d: (args, inputs) => pool1d('AveragePooling1D', args, inputs, true), adaptive_avg_pool1d: (args, inputs) => adaptivePool1d('AveragePooling1D', args, inputs) },
    },
    build: (tf, a) => layers(tf).averagePooling1d(channelsLast1d(a) as never),
    sequence: ['channelsFirst'],
  },
  {
    type: 'GlobalAveragePooling1D',
    keras: { names: ['GlobalAveragePooling1D', 'GlobalAvgPool1D'], positional: GLOBAL_POOL_POSITIONAL, adapt: globalPoolKeepDims(1) },
    tfjs: ['globalAveragePooling1d'],
    build: (tf, a) => layers(tf).globalAveragePooling1d(channelsLast1d(a) as never),
  },
  {
    type: 'GlobalMaxPooling1D',
    keras: { names: ['GlobalMaxPooling1D', 'GlobalMaxPool1D'], positional: GLOBAL_POOL_POSITIONAL, adapt: globalPoolKeepDims(1) },
    tfjs: ['globalMaxPooling1d', 'globalMaxPool1d'],
    build: (tf, a) => layers(tf).globalMaxPooling1d(channelsLast1d(a) as never),
  },
  pool2d('MaxPooling2D', 'MaxPool2D', ['maxPooling2d', 'maxPool2d'], ['MaxPool2d', 'max_pool2d'], (tf, a) => layers(tf).maxPooling2d(a as never)),
  // LPPool2d is avg_pool2d of x^p in PyTorch: the same windows, so the same shape.
  pool2d('AveragePooling2D', 'AvgPool2D', ['averagePooling2d', 'avgPool2d'], ['AvgPool2d', 'avg_pool2d'], (tf, a) => layers(tf).averagePooling2d(a as never), {
    modules: { LPPool2d: t2.lpPool2d },
    functions: { lp_pool2d: t2.lpPool2d },
  }),
  globalPool2d('GlobalAveragePooling2D', 'GlobalAvgPool2D', ['globalAveragePooling2d'], ['AdaptiveAvgPool2d', 'adaptive_avg_pool2d'], 'avg'),
  globalPool2d('GlobalMaxPooling2D', 'GlobalMaxPool2D', ['globalMaxPooling2d', 'globalMaxPool2d'], ['AdaptiveMaxPool2d', 'adaptive_max_pool2d'], 'max'),
  {
    type: 'MaxPooling3D',
    keras: { names: ['MaxPooling3D', 'MaxPool3D'], positional: POOL_POSITIONAL },
    tfjs: ['maxPooling3d', 'maxPool3d'],
    torch: { modules: { MaxPool3d: (args) => pool3d('MaxPooling3D', args), AdaptiveMaxPool3d: (args, inputs) => adaptive3d('MaxPooling3D', args, inputs) } },
    build: (tf, a) => layers(tf).maxPooling3d(a as never),
    validate: 'pool', spatialRank: 3,
  },
  {
    type: 'AveragePooling3D',
    keras: { names: ['AveragePooling3D', 'AvgPool3D'], positional: POOL_POSITIONAL },
    tfjs: ['averagePooling3d', 'avgPool3d'],
    torch: { modules: { AvgPool3d: (args) => pool3d('AveragePooling3D', args), AdaptiveAvgPool3d: (args, inputs) => adaptive3d('AveragePooling3D', args, inputs) } },
    build: (tf, a) => layers(tf).averagePooling3d(a as never),
    validate: 'pool', spatialRank: 3,
  },
  // tfjs has no 3-D global pooling.
  {
    type: 'GlobalPooling3D',
    keras: {
      names: [], classes: { GlobalAveragePooling3D: GLOBAL_POOL_POSITIONAL, GlobalMaxPooling3D: GLOBAL_POOL_POSITIONAL },
      aliases: { GlobalAvgPool3D: 'GlobalAveragePooling3D', GlobalMaxPool3D: 'GlobalMaxPooling3D' }, adapt: globalPool3d,
    },
    build: (tf, a) => new (customLayers(tf).GlobalPooling3D)(a),
    field: 'ends',
  },
  // PyTorch's bins overlap or repeat (one output pixel is not one strided window): no receptive field.
  { type: 'AdaptivePooling2D', build: (tf, a) => new (customLayers(tf).AdaptivePooling2D)(a), field: 'lost' },
  // ------------------------------------------------------------ normalisation
  {
    type: 'BatchNormalization', lookThrough: true,
    keras: { names: ['BatchNormalization'], positional: ['axis', 'momentum', 'epsilon', 'center', 'scale'] },
    tfjs: ['batchNormalization'],
    torch: { modules: { BatchNorm2d: t2.batchNorm, BatchNorm1d: t2.batchNorm, LazyBatchNorm2d: t2.lazyBatchNorm2d, BatchNorm3d: (args) => batchNorm3d(args), SyncBatchNorm: t2.batchNorm } },
    build: (tf, a) => layers(tf).batchNormalization(a as never),
    initializers: ['gammaInitializer', 'betaInitializer', 'movingMeanInitializer', 'movingVarianceInitializer'], readerWeights: true,
  },
  {
    type: 'LayerNormalization',
    tfjs: ['layerNormalization'],
    // Keras' RMSNormalization: a scale and no centre (rmsNormalization).
    keras: { names: ['LayerNormalization'], positional: ['axis', 'epsilon', 'center', 'scale'], classes: { RMSNormalization: ['axis', 'epsilon'] }, adapt: rmsNormalization },
    torch: { modules: { LayerNorm: layerNorm, RMSNorm: rmsNorm }, functions: { layer_norm: layerNormFunction } },
    build: (tf, a) => layers(tf).layerNormalization(a as never),
    initializers: ['gammaInitializer', 'betaInitializer'], readerWeights: true,
  },
  // PyTorch's InstanceNorm2d and GroupNorm, Keras' GroupNormalization (tfjs has none): per-sample normalisation
  // per channel or group of channels; 2·C weights only with affine=True.
  {
    type: 'InstanceNormalization',
    keras: { names: ['GroupNormalization'], positional: ['groups', 'axis', 'epsilon', 'center', 'scale'], adapt: groupNormalization },
    torch: {
      modules: {
        InstanceNorm2d: t2.instanceNorm, GroupNorm: t2.groupNorm, LazyInstanceNorm2d: t2.lazyInstanceNorm2d, InstanceNorm3d: (args) => instanceNorm3d(args),
        InstanceNorm1d: (args, inputs) => instanceNorm1d(args, inputs), LazyInstanceNorm1d: (args, inputs) => instanceNorm1d(args, inputs, true),
      },
    },
    build: (tf, a) => new (customLayers(tf).InstanceNormalization)(a), initializers: ['gammaInitializer', 'betaInitializer'],
    // InstanceNorm1d on (C, L): one layer around the channels-last normalisation.
    sequence: ['channelsFirst'],
  },
  { type: 'LRN', lookThrough: true, build: (tf, a) => new (customLayers(tf).LRN)(a) },
  // Keras's Normalization (tfjs has none): same shape; mean, variance and count as non-trainable weights.
  { type: 'Normalization', keras: { names: ['Normalization'], positional: ['axis', 'mean', 'variance'], adapt: normalization }, build: normalizationLayer },
  { type: 'Rescaling', keras: { names: ['Rescaling'], positional: ['scale', 'offset'] }, tfjs: ['rescaling'], build: (tf, a) => layers(tf).rescaling(a as never) },
  // Keras' UnitNormalization: x / ‖x‖, no weights.
  { type: 'UnitNormalization', keras: { names: ['UnitNormalization'], positional: ['axis'] }, torch: { functions: { normalize: normalizeFunction } }, build: (tf, a) => new (customLayers(tf).UnitNormalization)(a) },
  // ------------------------------------------------------------ activations
  {
    type: 'Activation', lookThrough: true,
    keras: { names: ['Activation'], positional: ['activation'] },
    tfjs: ['activation'],
    torch: {
      modules: Object.fromEntries(ACTIVATIONS.flatMap((row) => (row.torchModules ?? []).map((m) => [m, t2.activation(row.tfjs)]))),
      functions: {
        // An activation function that is also elementwise (relu6) keeps its own activation: listed last.
        ...Object.fromEntries(TORCH_ELEMENTWISE.map((f) => [f, t2.elementwise(f)])),
        ...Object.fromEntries(ACTIVATIONS.flatMap((row) => (row.torchFunctions ?? []).map((f) => [f, t2.activation(row.tfjs)]))),
      },
    },
    build: (tf, a) => layers(tf).activation(a as never),
  },
  { type: 'ReLU', lookThrough: true, keras: { names: ['ReLU'], positional: ['max_value', 'negative_slope', 'threshold'], adapt: reluMaxValue }, tfjs: ['reLU'], build: (tf, a) => layers(tf).reLU(a as never) },
  {
    type: 'LeakyReLU', lookThrough: true,
    keras: { names: ['LeakyReLU'], positional: ['alpha'], renames: { negativeSlope: 'alpha' } },
    tfjs: ['leakyReLU'],
    torch: { modules: { LeakyReLU: t2.leakyRelu }, functions: { leaky_relu: t2.leakyRelu } },
    build: (tf, a) => layers(tf).leakyReLU(a as never),
  },
  { type: 'ELU', lookThrough: true, keras: { names: ['ELU'], positional: ['alpha'] }, tfjs: ['elu'], build: (tf, a) => layers(tf).elu(a as never) },
  {
    type: 'PReLU', lookThrough: true, keras: { names: ['PReLU'] }, tfjs: ['prelu'], torch: { modules: { PReLU: t2.prelu } }, build: (tf, a) => layers(tf).prelu(a as never),
    initializers: ['alphaInitializer'], readerWeights: true,
  },
  { type: 'Softmax', keras: { names: ['Softmax'], positional: ['axis'] }, tfjs: ['softmax'], build: (tf, a) => layers(tf).softmax(a as never) },
  // ------------------------------------------------------------ dropout
  {
    type: 'Dropout', lookThrough: true,
    keras: { names: ['Dropout'], positional: ['rate'] },
    tfjs: ['dropout'],
    torch: {
      modules: Object.fromEntries(['Dropout', 'Dropout1d', 'Dropout2d', 'Dropout3d', 'AlphaDropout', 'FeatureAlphaDropout'].map((m) => [m, t2.dropout])),
      functions: { dropout: t2.dropout, dropout1d: t2.dropout, dropout2d: t2.dropout, dropout3d: t2.dropout },
    },
    build: (tf, a) => layers(tf).dropout(a as never),
    validate: 'rate',
  },
  // Keras' spatial dropouts (1-D, 2-D, 3-D) change no shape and have no weights: plain dropout stands in (tfjs
  // has no SpatialDropout2D/3D).
  {
    type: 'SpatialDropout2D', lookThrough: true, keras: { names: ['SpatialDropout2D'], positional: ['rate'], classes: { SpatialDropout1D: ['rate'], SpatialDropout3D: ['rate'] } }, tfjs: ['spatialDropout2d'],
    build: (tf, a) => layers(tf).dropout({ rate: a.rate } as never), validate: 'rate',
  },
  // ------------------------------------------------------------ shape ops
  {
    type: 'Flatten',
    keras: { names: ['Flatten'], positional: ['data_format'], adapt: flattenVector },
    tfjs: ['flatten'],
    torch: {
      modules: { Flatten: (args, inputs) => t2.flatten(arg(args, 'start_dim', 0), arg(args, 'end_dim', 1), inputs) },
      functions: { flatten: (args, inputs) => t2.flatten(arg(args, 'start_dim', 0) ?? 0, arg(args, 'end_dim', 1), inputs) },
    },
    build: (tf, a) => layers(tf).flatten(a as never),
    field: 'ends',
  },
  { type: 'Reshape', keras: { names: ['Reshape'], positional: ['target_shape'] }, tfjs: ['reshape'], build: (tf, a) => layers(tf).reshape(a as never), field: 'ends', validate: 'targetShape' },
  { type: 'Permute', keras: { names: ['Permute'], positional: ['dims'] }, tfjs: ['permute'], build: (tf, a) => layers(tf).permute(a as never) },
  {
    type: 'ZeroPadding2D',
    keras: { names: ['ZeroPadding2D'], positional: ['padding'] },
    tfjs: ['zeroPadding2d'],
    torch: {
      modules: Object.fromEntries(['ZeroPad2d', 'ReflectionPad2d', 'ReplicationPad2d', 'ConstantPad2d', 'CircularPad2d'].map((m) => [m, t2.padModule(m)])),
      functions: { pad: t2.padFunction },
    },
    build: (tf, a) => layers(tf).zeroPadding2d(a as never),
    validate: 'nonNegativePadding',
  },
  // Padding and cropping on the steps of (steps, C) or (C, L), or on D, H, W of (D, H, W, C): tfjs has them in 2-D only.
  {
    type: 'AxisPadding',
    keras: { names: [], classes: { ZeroPadding1D: ['padding'], ZeroPadding3D: ['padding', 'data_format'] }, adapt: (c) => axisPadding('padding', c.className === 'ZeroPadding1D' ? 1 : 3, 1)(c) },
    torch: { modules: Object.fromEntries([...PAD_1D.map((m) => [m, pad1d(m)]), ...PAD_3D.map((m) => [m, pad3d(m)])]) },
    build: (tf, a) => new (customLayers(tf).AxisPadding)(a),
  },
  {
    type: 'AxisCropping',
    keras: { names: [], classes: { Cropping1D: ['cropping'], Cropping3D: ['cropping', 'data_format'] }, adapt: (c) => axisPadding('cropping', c.className === 'Cropping1D' ? 1 : 3, 1)(c) },
    build: (tf, a) => new (customLayers(tf).AxisCropping)(a),
  },
  {
    type: 'AxisUpSampling',
    keras: { names: [], classes: { UpSampling1D: ['size'], UpSampling3D: ['size', 'data_format'] }, adapt: (c) => axisUpSampling(c.className === 'UpSampling1D' ? 1 : 3)(c) },
    build: (tf, a) => new (customLayers(tf).AxisUpSampling)(a),
    field: 'lost',
  },
  {
    type: 'RepeatVector', keras: { names: ['RepeatVector'], positional: ['n'] }, tfjs: ['repeatVector'],
    build: (tf, a) => {
      // Keras' own check (tfjs would build n = 0).
      if (!(typeof a.n === 'number' && Number.isInteger(a.n) && a.n > 0)) throw new Error(`Argument \`n\` should be a positive integer. Received: n=${String(a.n)}`);
      return layers(tf).repeatVector(a as never);
    },
    field: 'ends',
  },
  // nn.Unflatten: one dim split into several, in PyTorch's element order.
  { type: 'Unflatten', torch: { modules: { Unflatten: t2.unflatten } }, build: (tf, a) => new (customLayers(tf).Unflatten)(a), field: 'ends' },
  // nn.GLU: a·σ(b) of the two halves of one dim.
  { type: 'Halve', torch: { modules: { GLU: t2.glu }, functions: { glu: t2.glu } }, build: (tf, a) => new (customLayers(tf).Halve)(a) },
  {
    type: 'Cropping2D', keras: { names: ['Cropping2D'], positional: ['cropping'], classes: { CenterCrop: ['height', 'width'] }, adapt: centerCrop },
    tfjs: ['cropping2D'], build: (tf, a) => layers(tf).cropping2D(a as never),
  },
  {
    type: 'UpSampling2D',
    keras: { names: ['UpSampling2D'], positional: ['size', 'data_format', 'interpolation'], adapt: upSamplingSize },
    tfjs: ['upSampling2d'],
    torch: { modules: { Upsample: t2.upsample, UpsamplingNearest2d: t2.upsample, UpsamplingBilinear2d: t2.upsamplingBilinear2d }, functions: { interpolate: t2.upsample, upsample: t2.upsample } },
    build: (tf, a) => layers(tf).upSampling2d(a as never),
    field: 'lost',
  },
  // RandomCrop(height, width) at inference resizes to (height, width) (keras random_crop.py: the largest window of
  // that aspect, smart-resized): a Resize to that size, whatever the input.
  { type: 'Resize', keras: { names: ['Resizing'], positional: ['height', 'width', 'interpolation'], classes: { RandomCrop: ['height', 'width', 'seed'] }, adapt: resizing }, build: (tf, a) => new (customLayers(tf).Resize)(a), field: 'lost' },
  // PyTorch's PixelShuffle: (H, W, C·r²) → (H·r, W·r, C), no weights; the jump becomes a fraction of a pixel.
  { type: 'PixelShuffle', torch: { modules: { PixelShuffle: t2.pixelShuffle }, functions: { pixel_shuffle: t2.pixelShuffle } }, build: (tf, a) => new (customLayers(tf).PixelShuffle)(a), field: 'lost' },
  // Its inverse, (H·r, W·r, C) → (H, W, C·r²): a window of r×r pixels becomes one.
  { type: 'PixelUnshuffle', torch: { modules: { PixelUnshuffle: t2.pixelUnshuffle }, functions: { pixel_unshuffle: t2.pixelUnshuffle } }, build: (tf, a) => new (customLayers(tf).PixelUnshuffle)(a), field: 'lost' },
  { type: 'ChannelShuffle', torch: { modules: { ChannelShuffle: t2.channelShuffle } }, build: (tf, a) => new (customLayers(tf).ChannelShuffle)(a) },
  { type: 'ChannelSlice', build: (tf, a) => new (customLayers(tf).ChannelSlice)(a) },
  // torch.stack and x.sum(dim) over a dim no pooling layer covers (a stack's paths), laid out as the reader says.
  { type: 'Stack', build: (tf, a) => new (customLayers(tf).Stack)(a) },
  { type: 'AxisReduce', build: (tf, a) => new (customLayers(tf).AxisReduce)(a) },
  // Keras' noise and regularisation layers are the identity at inference: same shape, no weights.
  {
    type: 'InferenceIdentity', keras: { names: ['GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'ActivityRegularization'] },
    build: (tf, a) => new (customLayers(tf).InferenceIdentity)(a),
  },
  // ------------------------------------------------------------ merges
  merge('Add', 'add', (tf, a) => layers(tf).add(a as never)),
  merge('Multiply', 'multiply', (tf, a) => layers(tf).multiply(a as never)),
  merge('Average', 'average', (tf, a) => layers(tf).average(a as never)),
  merge('Maximum', 'maximum', (tf, a) => layers(tf).maximum(a as never)),
  merge('Minimum', 'minimum', (tf, a) => layers(tf).minimum(a as never)),
  merge('Concatenate', 'concatenate', (tf, a) => layers(tf).concatenate(a as never), ['axis']),
  // tfjs has no Subtract layer.
  { type: 'Subtract', keras: { names: ['Subtract'], functions: ['subtract'] }, merge: true, build: (tf, a) => new (customLayers(tf).Subtract)(a) },
  // PyTorch's tensor / tensor (no Keras layer divides).
  { type: 'Divide', merge: true, build: (tf, a) => new (customLayers(tf).Divide)(a) },
  // ------------------------------------------------------------ layers only the engine makes
  // A Keras Lambda read from a model file: its code is never run; the output shape is the file's own.
  { type: OPAQUE_LAMBDA, build: statedShapeLayer },
  // A Keras Layer subclass from the user's code: its add_weight weights and the output shape its call() gave.
  { type: USER_LAYER, build: userLayer, initializers: ['weightInitializer'], macs: 'stated' },
  // Keras' random augmentation layers are inactive at inference: their input, unchanged (their arguments,
  // factors, modes and seeds, change nothing here).
  ...AUGMENTATION_LAYERS.map((type): LayerKind => ({ type, keras: { names: [type] }, build: (tf, a) => new (customLayers(tf).InferenceIdentity)(a) })),
];

/** PyTorch modules that return their input (no engine layer): nn.Identity, and a float model's quantization stubs (torch/ao/quantization/stubs.py). */
export const TORCH_NO_LAYER_MODULES: readonly string[] = ['Identity', 'QuantStub', 'DeQuantStub'];
