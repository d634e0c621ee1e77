/** The shape of one entry of the table of layer knowledge (kinds.ts); see there for how to add one. */
import type { TfModule } from '../tfjs/loadTf';
import type { TorchTranslator } from '../source/torch2d';
import type { KerasAdapt } from '../source/kerasAdapters';
import type { SequenceLayout } from '../sequenceLayout';

export type TfjsLayer = InstanceType<TfModule['tfl']['layers']['Layer']>;

/** Builds the tfjs layer from the spec's arguments (tfjs spelling, with `name` and shape-only initializers). */
export type Build = (tf: TfModule, args: Record<string, unknown>) => TfjsLayer;

/** How layerMath.ts counts a kind's multiply-accumulates (all others count 0, as the references do). */
export type MacRule = 'conv2d' | 'depthwise' | 'separable' | 'transpose' | 'conv1d' | 'conv3d' | 'transpose3d' | 'dense' | 'stated';

/** Window geometry (layerMath.geometryOf): a convolution's kernelSize, or a pooling's poolSize. */
export type GeometryRule = 'kernel' | 'pool';

/**
 * The receptive field after the kind (layerMath.propagateField): 'ends' once the output is no longer spatial
 * (Flatten, Dense, global pooling), 'lost' after upsampling (the jump becomes a fraction of a pixel).
 * Without it the field follows the geometry, or is kept.
 */
export type FieldRule = 'ends' | 'lost';

/** Which of validateArgs.ts's checks (in Keras' and PyTorch's words) the arguments get. */
export type Validation = 'conv' | 'pool' | 'units' | 'rate' | 'nonNegativePadding' | 'targetShape';

/** The functional form of a PyTorch layer: F.max_pool2d(x, ...) (`args` without the tensor). */
export type TorchFunction = TorchTranslator;

export interface LayerKind {
  /** The engine's type (LayerSpec.type): the Keras class name. */
  type: string;
  /** Keras: class names (aliases too) with the constructor's positional argument names, and functional forms (layers.add). */
  keras?: {
    names: readonly string[];
    positional?: readonly string[];
    /** Further Keras classes that are this kind, with their own positional arguments (CenterCrop(height, width) is a Cropping2D). */
    classes?: Record<string, readonly string[]>;
    /** Keras' other spellings of those classes (GlobalAvgPool3D is GlobalAveragePooling3D), shown as the class itself, as summary() does. */
    aliases?: Record<string, string>;
    functions?: readonly string[];
    /** Keras spellings renamed before the arguments are kept (LeakyReLU's negative_slope is tfjs' alpha). */
    renames?: Record<string, string>;
    /** The kind's own fix-ups once the arguments are kept (source/kerasAdapters.ts). */
    adapt?: KerasAdapt;
  };
  /** tf.layers factory names (tf.layers.conv2d). */
  tfjs?: readonly string[];
  /** PyTorch: nn.* classes and F.* / torch.* functions whose translation is (mainly) this kind. */
  torch?: { modules?: Record<string, TorchTranslator>; functions?: Record<string, TorchFunction> };
  build: Build;
  /** tfjs's initializer arguments of its weights, replaced by shape-only ones (tfjs rejects those a type lacks). */
  initializers?: readonly string[];
  /**
   * The readers count the layer's own weights: shared when one layer object is called again, counted as
   * written when PyTorch never calls the module.
   */
  readerWeights?: true;
  /** Takes several inputs (as a list). */
  merge?: true;
  macs?: MacRule;
  geometry?: GeometryRule;
  field?: FieldRule;
  validate?: Validation;
  /** Spatial axes of the kind's Keras tuples (kernel_size, strides) when not 2, for Keras' "a tuple of 3 integers". */
  spatialRank?: 1 | 3;
  /**
   * The layouts a 1-D call built as this kind is held in as one layer (../sequenceLayout.ts): the spec's
   * `sequence` argument; the row's MACs are `macs` on the inner layer's shapes.
   */
  sequence?: readonly SequenceLayout[];
  /** Keeps the shape and mixes no channels: the 1×1 bottleneck savings (oneByOne.ts) look through it. */
  lookThrough?: true;
}
