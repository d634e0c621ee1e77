/**
 * Output lengths of convolutions along one axis, as Keras computes them (keras/src/utils/conv_utils.py,
 * `conv_output_length` and `deconv_output_length`; tfjs-layers utils/conv_utils.ts has the same formulas
 * without output padding). Pure arithmetic, shared by the custom layers that tfjs lacks.
 */

export type PaddingMode = 'valid' | 'same';

/** The kernel's extent once dilated: k + (k − 1)(d − 1). */
export function dilatedKernel(kernel: number, dilation: number): number {
  return kernel + (kernel - 1) * (dilation - 1);
}

/** Conv2D: 'same' gives ⌈in / s⌉, 'valid' gives ⌈(in − k_eff + 1) / s⌉ (may be ≤ 0: the input is too small). */
export function convOutputLength(input: number, kernel: number, padding: PaddingMode, stride: number, dilation = 1): number {
  const length = padding === 'same' ? input : input - dilatedKernel(kernel, dilation) + 1;
  return Math.floor((length + stride - 1) / stride);
}

/**
 * Conv2DTranspose with an explicit output padding (PyTorch's `output_padding`):
 * (in − 1)·s + k_eff − 2·pad + outputPadding, pad = ⌊k_eff / 2⌋ for 'same', 0 for 'valid'.
 */
export function deconvOutputLength(
  input: number,
  kernel: number,
  padding: PaddingMode,
  stride: number,
  dilation: number,
  outputPadding: number,
): number {
  const k = dilatedKernel(kernel, dilation);
  const pad = padding === 'same' ? Math.floor(k / 2) : 0;
  return (input - 1) * stride + k - 2 * pad + outputPadding;
}

/** A number or an [h, w] pair, as tfjs layer arguments allow. */
export function pairOf(value: unknown, fallback: number): [number, number] {
  if (value === undefined || value === null) return [fallback, fallback];
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length >= 1 && value.length <= 2 && value.every((v) => typeof v === 'number')) {
    const [h, w = h] = value as number[];
    return [h as number, w as number];
  }
  throw new Error(`expected a number or an [h, w] pair, got ${JSON.stringify(value)}`);
}

export function paddingOf(value: unknown): PaddingMode {
  const p = value === undefined ? 'valid' : value;
  if (p !== 'valid' && p !== 'same') throw new Error(`padding must be 'valid' or 'same', got ${JSON.stringify(value)}`);
  return p;
}
