/**
 * Which constant shapes broadcast as one value per channel (a bias or a scale: ConvNeXt's layer_scale of
 * shape (C, 1, 1), a MatMul's bias of shape (C)) against an activation, by NumPy's rule and the tensor's ONNX
 * layout: (N, C, H, W), (N, H, W, C) after a Transpose to channels-last, or (N, C) after a flatten.
 */
export type OnnxLayout = 'nchw' | 'nhwc' | 'vector';

/** True when a constant of `dims` holds exactly one value per channel of a `layout` tensor with `channels`. */
export function isPerChannel(dims: readonly (number | null)[], layout: OnnxLayout, channels: number): boolean {
  if (dims.some((d) => d === null)) return false;
  const d = dims as number[];
  const at = (shape: number[]): boolean => shape.length === d.length && shape.every((s, i) => s === d[i]);
  if (layout === 'nchw') return at([channels, 1, 1]) || at([1, channels, 1, 1]);
  if (layout === 'nhwc') return at([channels]) || at([1, channels]) || at([1, 1, channels]) || at([1, 1, 1, channels]);
  return at([channels]) || at([1, channels]);
}

/** True for a constant with one element (x * 0.5, x / sqrt(2)): it changes no shape and is not a parameter. */
export const isScalar = (dims: readonly (number | null)[]): boolean => dims.every((d) => d === 1);
