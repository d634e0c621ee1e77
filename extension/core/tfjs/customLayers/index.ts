/**
 * The layers tfjs-layers lacks, defined once per loaded TensorFlow.js (they subclass its Layer class, which
 * comes through the one door, ../loadTf.ts) and registered with tfjs serialization.
 */
import type { TfModule } from '../loadTf';
import { registerActivations } from './activations';
import { defineAdaptivePooling2D } from './adaptivePooling2d';
import { defineAugmentation } from './augmentation';
import { defineAxisOps } from './axisOps';
import { defineStackAndReduce } from './stackAndReduce';
import { defineConv2DTransposeOutputPadding } from './conv2dTransposeOutputPadding';
import { defineDilatedDepthwiseConv2D } from './dilatedDepthwiseConv2d';
import { defineGroupedConv2D } from './groupedConv2d';
import { defineInstanceNormalization } from './instanceNormalization';
import { definePixelShuffle } from './pixelShuffle';
import { defineSequenceLayer } from './sequenceLayer';
import { defineShapeOnlyOps } from './shapeOnlyOps';

function define(tf: TfModule) {
  registerActivations(tf);
  return {
    GroupedConv2D: defineGroupedConv2D(tf),
    Conv2DTransposeOutputPadding: defineConv2DTransposeOutputPadding(tf),
    DilatedDepthwiseConv2D: defineDilatedDepthwiseConv2D(tf),
    InstanceNormalization: defineInstanceNormalization(tf),
    SequenceLayer: defineSequenceLayer(tf),
    ...definePixelShuffle(tf),
    ...defineAxisOps(tf),
    ...defineStackAndReduce(tf),
    ...defineShapeOnlyOps(tf),
    ...defineAdaptivePooling2D(tf),
    ...defineAugmentation(tf),
  };
}

export type CustomLayers = ReturnType<typeof define>;

const defined = new WeakMap<TfModule, CustomLayers>();

export function customLayers(tf: TfModule): CustomLayers {
  let layers = defined.get(tf);
  if (!layers) {
    layers = define(tf);
    defined.set(tf, layers);
  }
  return layers;
}
