/**
 * Pure arithmetic on layer geometry: MACs, kernel/stride/padding, receptive fields. No tfjs, no vscode.
 *
 * FLOP convention (stated once, used everywhere): a multiply-accumulate (MAC) is one multiplication plus one
 * addition; FLOPs = flopsPerMac × MACs, 2 by default. Only the layers that multiply weights count: convolutions
 * (Conv2D, DepthwiseConv2D, SeparableConv2D, Conv2DTranspose) and Dense. Bias adds, batch norm, activations,
 * pooling and merges are counted as 0 MACs, as in the reference counts we test against (torchvision's model
 * table, Szegedy et al. 2014 Table 1).
 */
import { elementCount, type Shape } from './shape';
import { layerKind } from './layerKnowledge/index';
import { innerShape, isSequenceLayout } from './sequenceLayout';

/** The tfjs layer config fields this module reads (after tfjs normalised them). */
export interface GeometryConfig {
  kernelSize?: number | readonly number[];
  poolSize?: number | readonly number[];
  strides?: number | readonly number[] | null;
  padding?: string | number | readonly number[] | readonly (readonly number[])[];
  dilationRate?: number | readonly number[];
  depthMultiplier?: number;
  /** Grouped convolutions (customLayers/groupedConv2d.ts): each filter sees inC/groups channels. */
  groups?: number;
  filters?: number;
  units?: number;
  /** A user Keras layer (tfjs/userLayer.ts): the MACs of the weight products in its call(), as the reader counted them. */
  macs?: number;
  /** A 1-D call held as one layer in another layout than tfjs computes it in (sequenceLayout.ts). */
  sequence?: string;
  lengthPadding?: readonly number[];
  swapAxis?: number;
}

export interface Geometry {
  kernel: [number, number];
  strides: [number, number];
  dilation: [number, number];
  padding: string;
}

function pair(value: number | readonly number[] | null | undefined, fallback: [number, number]): [number, number] {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'number') return [value, value];
  return [value[0] ?? fallback[0], value[1] ?? value[0] ?? fallback[1]];
}

/** Kernel, stride, dilation and padding of a convolution or pooling layer; null for other layers. */
export function geometryOf(type: string, config: GeometryConfig): Geometry | null {
  const geometry = layerKind(type)?.geometry;
  if (geometry === 'kernel') {
    return {
      kernel: pair(config.kernelSize, [1, 1]),
      strides: pair(config.strides, [1, 1]),
      dilation: pair(config.dilationRate, [1, 1]),
      padding: String(config.padding ?? 'valid'),
    };
  }
  if (geometry === 'pool') {
    const kernel = pair(config.poolSize, [2, 2]);
    return {
      kernel,
      // Keras: pooling strides default to the pool size.
      strides: pair(config.strides, kernel),
      dilation: [1, 1],
      padding: String(config.padding ?? 'valid'),
    };
  }
  return null;
}

/** Spatial and channel dims of a rank-3 (H, W, C) shape, or null. */
function hwc(shape: Shape | null | undefined): [number, number, number] | null {
  if (!shape || shape.length !== 3) return null;
  const [h, w, c] = shape;
  if (h == null || w == null || c == null) return null;
  return [h, w, c];
}

/**
 * Multiply-accumulates of one layer for one sample:
 *   Conv2D            outH·outW·outC·kH·kW·(inC/groups)   (groups = 1 unless grouped, e.g. ResNeXt)
 *   DepthwiseConv2D   outH·outW·(inC·depthMultiplier)·kH·kW
 *   SeparableConv2D   the depthwise part plus outH·outW·outC·(inC·depthMultiplier)
 *   Conv2DTranspose   inH·inW·inC·kH·kW·outC
 *   Conv3DTranspose   inD·inH·inW·inC·kD·kH·kW·outC
 *   Conv1D            outL·outC·k·inC
 *   Dense             (elements of the input) / in · in · out = leading dims · in · out
 * Returns null when a shape it needs is unknown.
 */
export function macsOf(type: string, config: GeometryConfig, inputShape: Shape | null, outputShape: Shape | null): number | null {
  const exact = macsOfExact(type, config, inputShape, outputShape);
  return exact === null ? null : Number(exact);
}

/**
 * The same count as an exact integer: at large inputs a product passes 2^53, where doubles skip integers
 * (VGG16 at 200,000×200,000 gives …430 in doubles, exactly …432).
 */
/** The exact product of whole factors. */
function big(...factors: number[]): bigint {
  let product = 1n;
  for (const f of factors) product *= BigInt(f);
  return product;
}

export function macsOfExact(type: string, config: GeometryConfig, inputShape: Shape | null, outputShape: Shape | null): bigint | null {
  if (config.sequence !== undefined) {
    // The kind's rule on the shapes the inner layer computed (a Conv1d's (L, C), a Conv1DTranspose's (1, L, C)).
    if (!isSequenceLayout(config.sequence)) return null;
    const pad = config.lengthPadding?.length === 2 ? ([config.lengthPadding[0]!, config.lengthPadding[1]!] as const) : null;
    const swap = config.swapAxis ?? null;
    const input = inputShape && innerShape(config.sequence, inputShape, pad, swap);
    const output = outputShape && innerShape(config.sequence, outputShape, null, swap);
    return macsOfExact(type, { ...config, sequence: undefined }, input, output);
  }
  const rule = layerKind(type)?.macs;
  if (rule === 'dense') {
    if (!inputShape || !outputShape) return null;
    const inFeatures = inputShape[inputShape.length - 1];
    if (!inputShape.every(isWhole) || !outputShape.every(isWhole) || inFeatures == null) return null;
    return big(...(outputShape as number[]), inFeatures);
  }
  if (rule === 'conv3d') {
    // outD·outH·outW·outC·kD·kH·kW·inC (volumetric convolutions: (D, H, W, C) shapes).
    const k = Array.isArray(config.kernelSize) ? config.kernelSize : [config.kernelSize, config.kernelSize, config.kernelSize];
    if (!inputShape || !outputShape || inputShape.length !== 4 || outputShape.length !== 4 || k.length !== 3) return null;
    if (![...inputShape, ...outputShape, ...k].every(isWhole)) return null;
    return big(...(outputShape as number[]), ...(k as number[]), inputShape[3] as number);
  }
  if (rule === 'transpose3d') {
    // inD·inH·inW·inC·kD·kH·kW·outC: each input voxel meets the whole kernel (Conv2DTranspose's rule in 3-D).
    const k = Array.isArray(config.kernelSize) ? config.kernelSize : [config.kernelSize, config.kernelSize, config.kernelSize];
    if (!inputShape || !outputShape || inputShape.length !== 4 || outputShape.length !== 4 || k.length !== 3) return null;
    if (![...inputShape, ...outputShape, ...k].every(isWhole)) return null;
    return big(...(inputShape as number[]), ...(k as number[]), outputShape[3] as number);
  }
  if (rule === 'conv1d') {
    // outL·outC·k·inC (Keras' and PyTorch's count for 1-D convolutions on (steps, channels)).
    const k = Array.isArray(config.kernelSize) ? config.kernelSize[0] : config.kernelSize;
    if (!inputShape || !outputShape || inputShape.length !== 2 || outputShape.length !== 2) return null;
    if (![...inputShape, ...outputShape, k].every(isWhole)) return null;
    return big(...(outputShape as number[]), k as number, inputShape[1] as number);
  }
  if (rule === 'stated') return isWhole(config.macs) ? BigInt(config.macs) : null;
  if (rule !== 'conv2d' && rule !== 'depthwise' && rule !== 'separable' && rule !== 'transpose') return 0n;
  const input = hwc(inputShape);
  const output = hwc(outputShape);
  if (!input || !output || !input.every(isWhole) || !output.every(isWhole)) return null;
  const [kh, kw] = pair(config.kernelSize, [1, 1]);
  if (!isWhole(kh) || !isWhole(kw)) return null;
  const [inH, inW, inC] = input;
  const [outH, outW, outC] = output;
  switch (rule) {
    case 'conv2d':
      return big(outH, outW, outC, kh, kw, inC) / BigInt(config.groups ?? 1);
    case 'depthwise':
      return big(outH, outW, outC, kh, kw);
    case 'separable': {
      const mid = inC * (config.depthMultiplier ?? 1);
      if (!isWhole(mid)) return null;
      return big(outH, outW, mid, kh, kw) + big(outH, outW, outC, mid);
    }
    case 'transpose':
      return big(inH, inW, inC, kh, kw, outC);
  }
}

/** A known, finite, non-negative whole number: anything else makes a count unknown, never NaN. */
function isWhole(n: number | null | undefined): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** Receptive field (in input pixels) and jump (effective stride) of one spatial axis. */
export interface FieldState {
  rf: [number, number];
  jump: [number, number];
}

export const INPUT_FIELD: FieldState = { rf: [1, 1], jump: [1, 1] };

/**
 * Propagates receptive field and jump through a layer (Dumoulin & Visin 2016; torchscan's rule for merges:
 * a layer reading several inputs sees the largest field among them). Returns null once the output is no
 * longer spatial (Flatten, Dense, global pooling), since a per-pixel field no longer applies. A Multiply by a
 * global gate (squeeze-and-excitation: pooled to 1×1, no field) keeps the field of its spatial input. After
 * upsampling (UpSampling2D, Resize, Conv2DTranspose) the field is unknown (null).
 */
export function propagateField(
  type: string,
  geometry: Geometry | null,
  inputs: readonly (FieldState | null)[],
  outputShape: Shape | null,
): FieldState | null {
  const rule = layerKind(type)?.field;
  if (rule === 'ends') return null;
  // Upsampling makes the jump a fraction of a pixel and an output pixel no longer one window of the input:
  // Araujo et al.'s recurrence does not apply, so the field is unknown rather than the input's kept.
  if (rule === 'lost') return null;
  if (outputShape && outputShape.length !== 3) return null;
  const known = inputs.filter((f): f is FieldState => f !== null);
  if (known.length === 0 || (known.length < inputs.length && type !== 'Multiply')) return null;
  const merged: FieldState = {
    rf: [Math.max(...known.map((f) => f.rf[0])), Math.max(...known.map((f) => f.rf[1]))],
    jump: [Math.max(...known.map((f) => f.jump[0])), Math.max(...known.map((f) => f.jump[1]))],
  };
  if (geometry === null) return merged; // shape-preserving layers keep the field
  const next = (axis: 0 | 1): [number, number] => {
    const effectiveKernel = geometry.dilation[axis] * (geometry.kernel[axis] - 1) + 1;
    return [merged.rf[axis] + (effectiveKernel - 1) * merged.jump[axis], merged.jump[axis] * geometry.strides[axis]];
  };
  const [rfH, jumpH] = next(0);
  const [rfW, jumpW] = next(1);
  return { rf: [rfH, rfW], jump: [jumpH, jumpW] };
}
