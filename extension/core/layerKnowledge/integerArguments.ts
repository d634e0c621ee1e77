/**
 * Layer arguments the frameworks take as ints only, with what each says when the code gives a float there
 * (`nn.Conv2d(3, 64 / 2, 3)`: 64 / 2 is 32.0). Recorded from PyTorch 2.13 and Keras 3.15 by
 * scripts/reference/float_arguments.py. A message depends on where the float sits: `element` is its index
 * in a tuple argument (kernel_size=(3, 3.0)), null when the argument itself is the float. Where a framework
 * accepts a float (Keras strides=(2.0, 2), Dropout(0.0), eps=1.0) it is not listed.
 */

/** Refused, in words not recorded here (a float late in a pooling's tuple): PyTorch raises a TypeError, Keras a ValueError. */
export const UNRECORDED = 'unrecorded';

export interface IntegerArgument {
  /** Position in the constructor's arguments, when it can be given by position (Keras': its class's positional names). */
  position: number | null;
  /** PyTorch refuses it only when forward() uses it: a module never called is made all the same. */
  atForward?: true;
  /**
   * The framework's message for a float here, UNRECORDED, or null when it accepts one at this place. `flag`
   * reads a bool argument the message depends on (BatchNorm's affine); null when it is not a known bool.
   */
  refusal: (value: string, element: number | null, flag: Flag) => string | null;
}

export type Flag = (name: string, position: number, fallback: boolean) => boolean | null;

type Table = Record<string, Record<string, IntegerArgument>>;

// PyTorch makes a module's weight with torch.empty(shape): a float in the shape fails in its argument parser,
// which names the first axis differently from the others (and counts those from 1).
const EMPTY_FIRST = "empty(): argument 'size' (position 1) must be tuple of ints, but found element of type float at pos 0";
const emptyAt = (axis: number): string =>
  axis === 0 ? EMPTY_FIRST : `empty(): argument 'size' failed to unpack the object at pos ${axis + 1} with error "type must be tuple of ints,but got float"`;
/** A size that is the whole of torch.empty's shape (BatchNorm's num_features); its running statistics are torch.zeros. */
const EMPTY_ONE = "empty(): argument 'size' (position 1) must be tuple of ints, not float";
const ZEROS_ONE = "zeros(): argument 'size' (position 1) must be tuple of ints, not float";

/**
 * A norm's num_features: the affine weight is made first, then the running statistics; with neither the size is
 * never used as one (InstanceNorm2d(4.0) builds and runs).
 */
function normFeatures(affine: boolean, tracks: boolean): IntegerArgument {
  return {
    position: 0,
    refusal: (_v, _e, flag) => {
      const [a, t] = [flag('affine', 3, affine), flag('track_running_stats', 4, tracks)];
      if (a === null || (!a && t === null)) return UNRECORDED;
      return a ? EMPTY_ONE : t ? ZEROS_ONE : null;
    },
  };
}

/** An argument that sets axis `axis` of the weight's shape (a tuple sets that axis and the next ones). */
const weightAxis = (position: number, axis: number): IntegerArgument => ({ position, refusal: (_v, element) => emptyAt(axis + (element ?? 0)) });
const fixed = (position: number, message: string): IntegerArgument => ({ position, refusal: () => message });
const atForward = (position: number, message: string): IntegerArgument => ({ ...fixed(position, message), atForward: true });

/** What PyTorch's parser says when a float leads the tuple it was given (or the argument, made a tuple first). */
const leading = (fn: string, name: string, position: number): string => `${fn}(): argument '${name}' (position ${position}) must be tuple of ints, but found element of type float at pos 0`;
/** ... and when a float comes later in it (counted from 1). */
const later = (fn: string, name: string, element: number): string => `${fn}(): argument '${name}' failed to unpack the object at pos ${element + 1} with error "type must be tuple of ints,but got float"`;

/**
 * An int-or-tuple argument the module's forward pass hands to `fn` at 1-based `position`. `scalar`: the words for
 * a float that is the whole argument when the module passes it on as it is (the others make a tuple of it first);
 * `laterKnown`: whether a float later in a tuple was recorded (F.max_pool2d's was not: it blames stride).
 */
function forwardTuple(fn: string, name: string, modulePosition: number, position: number, scalar: string | null, laterKnown: boolean): IntegerArgument {
  return {
    position: modulePosition,
    atForward: true,
    refusal: (_v, element) => (element === null ? (scalar ?? leading(fn, name, position)) : element === 0 ? leading(fn, name, position) : laterKnown ? later(fn, name, element) : UNRECORDED),
  };
}
const notFloat = (fn: string, name: string, position: number): string => `${fn}(): argument '${name}' (position ${position}) must be tuple of ints, not float`;
/** An int argument the module's forward pass hands to `fn` at 1-based `position`. */
const forwardInt = (fn: string, name: string, modulePosition: number, position: number): IntegerArgument =>
  atForward(modulePosition, `${fn}(): argument '${name}' (position ${position}) must be int, not float`);

function torchConv(rank: number, transposed: boolean): Record<string, IntegerArgument> {
  const fn = `conv${transposed ? '_transpose' : ''}${rank}d`;
  // The weight is (out, in / groups, *kernel), transposed (in, out / groups, *kernel).
  const table: Record<string, IntegerArgument> = {
    in_channels: weightAxis(0, transposed ? 0 : 1),
    out_channels: weightAxis(1, transposed ? 1 : 0),
    kernel_size: weightAxis(2, 2),
    groups: weightAxis(6, 1),
  };
  // stride, padding and dilation reach only the forward pass: conv2d() lists its overloads (its first words
  // here), conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation) names the argument.
  if (!transposed) for (const [name, position] of [['stride', 3], ['padding', 4], ['dilation', 5]] as const) table[name] = atForward(position, `${fn}() received an invalid combination of arguments`);
  else for (const [name, position, at] of [['stride', 3, 4], ['padding', 4, 5], ['output_padding', 5, 6], ['dilation', 8, 8]] as const) table[name] = forwardTuple(fn, name, position, at, null, true);
  return table;
}

/** nn.MaxPool2d / AvgPool2d pass kernel_size, stride, padding (and dilation) to F.max_pool2d at the forward pass. */
function torchPool(fn: string): Record<string, IntegerArgument> {
  // avg_pool1d makes a tuple of a single int first.
  const argument = (name: string, position: number): IntegerArgument => forwardTuple(fn, name, position, position + 2, fn === 'avg_pool1d' ? null : notFloat(fn, name, position + 2), false);
  const table = { kernel_size: argument('kernel_size', 0), stride: argument('stride', 1), padding: argument('padding', 2) };
  return fn.startsWith('max') ? { ...table, dilation: argument('dilation', 3) } : table;
}

/** x.flatten(start_dim, end_dim), which nn.Flatten calls. */
export const FLATTEN_METHOD: Record<string, IntegerArgument> = { start_dim: forwardInt('flatten', 'start_dim', 0, 1), end_dim: forwardInt('flatten', 'end_dim', 1, 2) };

/** Adaptive pooling takes len() of output_size before it calls its function (whose words for a tuple are recorded for adaptive_avg_pool2d). */
const NO_LEN = "object of type 'float' has no len()";
const ADAPTIVE_SIZE: IntegerArgument = { position: 0, atForward: true, refusal: (_v, element) => (element === null ? NO_LEN : UNRECORDED) };

export const TORCH_INTEGER_ARGUMENTS: Table = {
  Linear: { in_features: weightAxis(0, 1), out_features: weightAxis(1, 0) },
  Conv1d: torchConv(1, false),
  Conv2d: torchConv(2, false),
  Conv3d: torchConv(3, false),
  ConvTranspose1d: torchConv(1, true),
  ConvTranspose2d: torchConv(2, true),
  ConvTranspose3d: torchConv(3, true),
  BatchNorm1d: { num_features: normFeatures(true, true) },
  BatchNorm2d: { num_features: normFeatures(true, true) },
  BatchNorm3d: { num_features: normFeatures(true, true) },
  InstanceNorm1d: { num_features: normFeatures(false, false) },
  InstanceNorm2d: { num_features: normFeatures(false, false) },
  InstanceNorm3d: { num_features: normFeatures(false, false) },
  GroupNorm: {
    num_groups: atForward(0, "group_norm(): argument 'num_groups' (position 2) must be int, not float"),
    num_channels: { position: 1, refusal: (_v, _e, flag) => { const affine = flag('affine', 3, true); return affine === null ? UNRECORDED : affine ? EMPTY_ONE : null; } },
  },
  Embedding: { num_embeddings: weightAxis(0, 0), embedding_dim: weightAxis(1, 1) },
  MaxPool1d: torchPool('max_pool1d'),
  MaxPool2d: torchPool('max_pool2d'),
  MaxPool3d: torchPool('max_pool3d'),
  AvgPool1d: torchPool('avg_pool1d'),
  AvgPool2d: torchPool('avg_pool2d'),
  AvgPool3d: torchPool('avg_pool3d'),
  // The module makes the weight of normalized_shape from tuple(normalized_shape); without one, layer_norm() refuses it.
  LayerNorm: { normalized_shape: { position: 0, refusal: (_v, element, flag) => (element === null ? "'float' object is not iterable" : flag('elementwise_affine', 2, true) ? emptyAt(element) : UNRECORDED) } },
  PReLU: { num_parameters: fixed(0, EMPTY_ONE) },
  AdaptiveAvgPool2d: { output_size: forwardTuple('adaptive_avg_pool2d', 'output_size', 0, 2, NO_LEN, false) },
  AdaptiveMaxPool2d: { output_size: ADAPTIVE_SIZE },
  AdaptiveAvgPool1d: { output_size: forwardTuple('adaptive_avg_pool1d', 'output_size', 0, 2, notFloat('adaptive_avg_pool1d', 'output_size', 2), false) },
  PixelShuffle: { upscale_factor: forwardInt('pixel_shuffle', 'upscale_factor', 0, 2) },
  ChannelShuffle: { groups: forwardInt('channel_shuffle', 'groups', 0, 2) },
  Flatten: FLATTEN_METHOD,
  ...Object.fromEntries(['ZeroPad2d', 'ReflectionPad2d', 'ReplicationPad2d', 'ConstantPad2d'].map((m) => [m, { padding: forwardTuple('pad', 'pad', 0, 2, null, true) }])),
  SyncBatchNorm: { num_features: normFeatures(true, true) },
  // LPPool2d(norm_type, kernel_size, stride) calls avg_pool2d(x ** p, kernel_size, stride).
  LPPool2d: {
    kernel_size: forwardTuple('avg_pool2d', 'kernel_size', 1, 2, notFloat('avg_pool2d', 'kernel_size', 2), false),
    stride: forwardTuple('avg_pool2d', 'stride', 2, 3, notFloat('avg_pool2d', 'stride', 3), false),
  },
  // Lazy modules make the weight at the first call, but the kernel's sizes at once.
  LazyLinear: { out_features: atForward(0, EMPTY_FIRST) },
  LazyConv2d: { out_channels: atForward(0, EMPTY_FIRST), kernel_size: weightAxis(1, 2), ...Object.fromEntries(['stride', 'padding', 'dilation'].map((name, i) => [name, atForward(i + 2, 'conv2d() received an invalid combination of arguments')])) },
  AdaptiveAvgPool3d: { output_size: ADAPTIVE_SIZE },
  AdaptiveMaxPool3d: { output_size: ADAPTIVE_SIZE },
  Softmax: { dim: forwardInt('softmax', 'dim', 0, 1) },
  LogSoftmax: { dim: forwardInt('log_softmax', 'dim', 0, 1) },
  // upsample_nearest2d() and its kin list their overloads, which depend on the mode.
  ...Object.fromEntries(['Upsample', 'UpsamplingNearest2d', 'UpsamplingBilinear2d'].map((m) => [m, { size: { position: 0, atForward: true, refusal: () => UNRECORDED } }])),
};

/**
 * Functions on a tensor (F.max_pool2d(x, 2.0), torch.flatten(x, 1.0)), by their arguments after it: the pooling
 * modules' arguments are their functions'. torch.flatten counts the tensor among its positions, x.flatten does
 * not (nn.Flatten's are the method's).
 */
export const TORCH_FUNCTION_INTEGER_ARGUMENTS: Table = {
  ...Object.fromEntries(['max_pool1d', 'max_pool2d', 'max_pool3d', 'avg_pool1d', 'avg_pool2d', 'avg_pool3d'].map((fn) => [fn, torchPool(fn)])),
  flatten: { start_dim: forwardInt('flatten', 'start_dim', 0, 2), end_dim: forwardInt('flatten', 'end_dim', 1, 3) },
  adaptive_avg_pool2d: { output_size: forwardTuple('adaptive_avg_pool2d', 'output_size', 0, 2, NO_LEN, false) },
  pixel_shuffle: { upscale_factor: forwardInt('pixel_shuffle', 'upscale_factor', 0, 2) },
  pad: { pad: forwardTuple('pad', 'pad', 0, 2, null, true) },
};

/** Keras checks an int-or-tuple argument's type when the layer is made, a whole tuple only; a float inside one is let through. */
const kerasTupleMessage = (rank: number, name: string, value: string): string => `The \`${name}\` argument must be a tuple of ${rank} integers. Received ${name}=${value}`;
const kerasTuple = (rank: number, name: string): IntegerArgument => ({ position: null, refusal: (value, element) => (element === null ? kerasTupleMessage(rank, name, value) : null) });
/**
 * A size in a weight's shape: Keras fails when it builds the weight, "Cannot convert '(3, 3, 5, 8.0)' to a
 * shape." (the shape's other sizes come from the input), then these words.
 */
const kerasWeightDim = (value: string): string => `Found invalid dimension '${value}' of type '<class 'float'>'.`;
const kerasWeight: IntegerArgument = { position: null, refusal: (value) => kerasWeightDim(value) };

/**
 * A Keras convolution's int arguments; `own`: its weight's sizes (filters, depth_multiplier). A float in a kernel_size
 * tuple fails where the kernel is built, recorded for Conv2D (Conv1D and Conv3D share its code).
 */
function kerasConv(rank: number, own: readonly string[], kernelTupleKnown: boolean): Record<string, IntegerArgument> {
  return {
    ...Object.fromEntries(own.map((name) => [name, kerasWeight])),
    kernel_size: { position: null, refusal: (value, element) => (element === null ? kerasTupleMessage(rank, 'kernel_size', value) : kernelTupleKnown ? kerasWeightDim(value) : UNRECORDED) },
    strides: kerasTuple(rank, 'strides'),
    dilation_rate: kerasTuple(rank, 'dilation_rate'),
  };
}

/** ZeroPadding2D / Cropping2D: an int, a pair, or a pair of pairs; a float later in them is not recorded. */
function kerasPadding(name: string): IntegerArgument {
  const message = (value: string): string =>
    `\`${name}\` should be either an int, a tuple of 2 ints (symmetric_height_crop, symmetric_width_crop), or a tuple of 2 tuples of 2 ints ((top_crop, bottom_crop), (left_crop, right_crop)). Received: ${name}=${value}.`;
  return { position: null, refusal: (value, element) => (element === null ? message(value) : element === 0 && name === 'padding' ? `The \`1st entry of padding\` argument must be a tuple of 2 integers. Received 1st entry of padding=${value}` : UNRECORDED) };
}

function kerasPool(rank: number): Record<string, IntegerArgument> {
  return { pool_size: kerasTuple(rank, 'pool_size'), strides: kerasTuple(rank, 'strides') };
}

/** Keras classes (by kind: aliases share them) → their int arguments (positions come from the class's positional names in kinds.ts). */
export const KERAS_INTEGER_ARGUMENTS: Table = {
  Dense: { units: { position: null, refusal: (value) => `Received an invalid value for \`units\`, expected a positive integer. Received: units=${value}` } },
  Conv1D: { ...kerasConv(1, ['filters'], true), groups: kerasWeight },
  Conv2D: { ...kerasConv(2, ['filters'], true), groups: kerasWeight },
  Conv3D: { ...kerasConv(3, ['filters'], true), groups: kerasWeight },
  Conv2DTranspose: kerasConv(2, ['filters'], false),
  SeparableConv2D: kerasConv(2, ['filters', 'depth_multiplier'], false),
  DepthwiseConv2D: kerasConv(2, ['depth_multiplier'], false),
  ZeroPadding2D: { padding: kerasPadding('padding') },
  Cropping2D: { cropping: kerasPadding('cropping') },
  MaxPooling1D: kerasPool(1),
  MaxPooling2D: kerasPool(2),
  MaxPooling3D: kerasPool(3),
  AveragePooling1D: kerasPool(1),
  AveragePooling2D: kerasPool(2),
  AveragePooling3D: kerasPool(3),
  Embedding: {
    input_dim: { position: null, refusal: (value) => `\`input_dim\` must be a positive integer. Received: input_dim=${value} (of type float).` },
    output_dim: { position: null, refusal: (value) => `\`output_dim\` must be a positive integer. Received: output_dim=${value} (of type float).` },
  },
  // A float in a size tuple fails when the output shape is built (its size depends on the input).
  UpSampling2D: { size: { position: null, refusal: (value, element) => (element === null ? kerasTupleMessage(2, 'size', value) : UNRECORDED) } },
};
