/**
 * The arguments of a 1-D ONNX Conv / pooling on an (N, C, L) sequence: explicit pads [begin, end] (or auto_pad
 * VALID), one stride and one dilation. The length each op gives is ONNX's (and PyTorch's)
 * ⌊(L + p0 + p1 − d·(k − 1) − 1)/s⌋ + 1, which the engine's layer computes too (its padding inside, then
 * "valid"); the reader follows it only to size a global pooling over the whole length.
 */

export interface SequenceWindow {
  pads: [number, number];
  stride: number;
  dilation: number;
}

const one = (v: unknown, fallback: number): number | null => {
  if (v === undefined) return fallback;
  return Array.isArray(v) && v.length === 1 && typeof v[0] === 'number' && Number.isInteger(v[0]) && v[0] > 0 ? v[0] : null;
};

/** The window's pads, stride and dilation; null when they are not plain 1-D values (SAME_* auto_pad too). */
export function sequenceWindow(attrs: Map<string, unknown>): SequenceWindow | null {
  // ONNX's default stride is 1 for pooling too (PyTorch's is the kernel, which its exporters write out).
  const stride = one(attrs.get('strides'), 1);
  const dilation = one(attrs.get('dilations'), 1);
  const auto = attrs.get('auto_pad');
  if (stride === null || dilation === null || (auto !== undefined && auto !== 'NOTSET' && auto !== 'VALID')) return null;
  const pads = auto === 'VALID' ? undefined : attrs.get('pads');
  if (pads === undefined) return { pads: [0, 0], stride, dilation };
  if (!Array.isArray(pads) || pads.length !== 2 || !pads.every((p) => typeof p === 'number' && Number.isInteger(p) && p >= 0)) return null;
  return { pads: [pads[0], pads[1]], stride, dilation };
}

/** ONNX's output length. */
export function windowLength(length: number, kernel: number, w: SequenceWindow): number {
  return Math.floor((length + w.pads[0] + w.pads[1] - w.dilation * (kernel - 1) - 1) / w.stride) + 1;
}

/** The engine layer's padding of the length inside itself (none when there is none). */
export function lengthPadding(pads: [number, number]): { lengthPadding?: [number, number] } {
  return pads[0] === 0 && pads[1] === 0 ? {} : { lengthPadding: pads };
}
