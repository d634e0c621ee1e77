/**
 * ONNX ops on (N, C, D, H, W) volumes (a PyTorch Conv3d model exported), read as the engine's (D, H, W, C) layers
 * the PyTorch source reader uses (source/torch3d.ts): Conv → Conv3D, MaxPool / AveragePool → 3-D pooling, global
 * pooling → GlobalPooling3D keeping (1, 1, 1). Padding maps only where tfjs' "same" or "valid" gives ONNX's size
 * on every axis (all zero, or symmetric d·(k−1)/2); anything else is refused, never approximated.
 */

export type Triple = [number, number, number];

export function triple(v: unknown): Triple | null {
  return Array.isArray(v) && v.length === 3 && v.every((d) => typeof d === 'number' && Number.isInteger(d)) ? (v as Triple) : null;
}

/**
 * tfjs padding that gives ONNX's output size for `pads` [d0, h0, w0, d1, h1, w1] (absent: zeros), or null. With
 * 2p = d·(k−1) on each axis, ⌊(n + 2p − d(k−1) − 1)/s⌋ + 1 = ⌈n/s⌉, which is tfjs' "same".
 */
export function volumePadding(pads: unknown, autoPad: unknown, kernel: Triple, dilations: Triple): 'same' | 'valid' | null {
  if (autoPad === 'VALID') return 'valid';
  if (autoPad !== undefined && autoPad !== 'NOTSET') return null;
  if (pads === undefined) return 'valid';
  if (!Array.isArray(pads) || pads.length !== 6 || !pads.every((p) => typeof p === 'number')) return null;
  const p = pads as number[];
  if (p.every((v) => v === 0)) return 'valid';
  if ([0, 1, 2].every((a) => p[a] === p[a + 3] && 2 * p[a]! === dilations[a]! * (kernel[a]! - 1))) return 'same';
  return null;
}

/** True when `axes` (ONNX axes of a rank-5 tensor) are exactly D, H and W. */
export function overVolume(axes: unknown): boolean {
  return Array.isArray(axes) && axes.length === 3 && axes.map((a) => (typeof a === 'number' && a < 0 ? a + 5 : a)).sort().join() === '2,3,4';
}
