/**
 * A 1-D call the engine holds as ONE layer although tfjs computes it in another layout (torchinfo and Keras'
 * summary() show one row per module or layer): PyTorch's rank-2 samples are held as PyTorch writes them,
 * (C, L), the order its Linear and Flatten read, while tfjs' 1-D layers read (L, C); the 1-D layers tfjs lacks
 * (Keras' Conv1DTranspose, SeparableConv1D, DepthwiseConv1D; PyTorch's ConvTranspose1d and grouped Conv1d)
 * are its 2-D ones with a (1, k) kernel on the sequence held as a (1, L, C) image. The layer
 * (tfjs/customLayers/sequenceLayer.ts) changes the layout inside itself; its shapes are the framework's, and
 * its MACs are the inner kind's rule on the inner shapes (layerMath.ts), so the counts are those of the
 * helper layers it replaces. The same holds for a PyTorch Linear on a tensor of rank 3 or more, whose last dim
 * is not the engine's last axis ('lastDim': the engine axis `swapAxis` and the last trade places inside).
 * Pure: no tfjs.
 */
import type { Shape } from './shape';

/**
 * channelsFirst: (C, L) around a tfjs 1-D layer on (L, C); asImage: (L, C) around a 2-D layer on (1, L, C);
 * channelsFirstAsImage: (C, L) around a 2-D layer on (1, L, C); lastDim: any rank, the axis `swapAxis` (without
 * the batch) exchanged with the last around a layer on the last axis (PyTorch's Linear on (N, H, W, C)).
 */
export type SequenceLayout = 'channelsFirst' | 'asImage' | 'channelsFirstAsImage' | 'lastDim';

export const SEQUENCE_LAYOUTS: readonly SequenceLayout[] = ['channelsFirst', 'asImage', 'channelsFirstAsImage', 'lastDim'];

export function isSequenceLayout(v: unknown): v is SequenceLayout {
  return typeof v === 'string' && (SEQUENCE_LAYOUTS as readonly string[]).includes(v);
}

/** Zeros before and after the length, added before the inner layer (PyTorch's Conv1d(padding=p)). */
export type LengthPadding = readonly [number, number];

/** The inner layer's input for the call's (engine) input, without the batch; null when not a rank-2 sequence. */
export function innerShape(layout: SequenceLayout, outer: Shape, pad: LengthPadding | null = null, swapAxis: number | null = null): Shape | null {
  if (layout === 'lastDim') return swapped(outer, swapAxis);
  if (outer.length !== 2) return null;
  const [l, c] = (layout === 'asImage' ? [outer[0], outer[1]] : [outer[1], outer[0]]) as [number | null, number | null];
  const length = l === null || pad === null ? l : l + pad[0] + pad[1];
  return layout === 'channelsFirst' ? [length, c] : [1, length, c];
}

/** The call's (engine) output for the inner layer's output, without the batch; null when not of the layout's rank. */
export function outerShape(layout: SequenceLayout, inner: Shape, swapAxis: number | null = null): Shape | null {
  if (layout === 'lastDim') return swapped(inner, swapAxis);
  if (layout === 'channelsFirst') return inner.length === 2 ? [inner[1]!, inner[0]!] : null;
  if (inner.length !== 3 || inner[0] !== 1) return null;
  return layout === 'asImage' ? [inner[1]!, inner[2]!] : [inner[2]!, inner[1]!];
}

/** `shape` with the axis `axis` and the last exchanged (its own inverse); null for an axis it does not have. */
function swapped(shape: Shape, axis: number | null): Shape | null {
  if (axis === null || !Number.isInteger(axis) || axis < 0 || axis >= shape.length) return null;
  const out = [...shape];
  [out[axis], out[shape.length - 1]] = [out[shape.length - 1]!, out[axis]!];
  return out;
}
