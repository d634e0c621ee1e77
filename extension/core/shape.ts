/**
 * Shapes follow Keras: no batch dimension inside the engine, channels last (H, W, C).
 * `null` marks a dimension we do not know; a whole unknown shape is `null` where a shape is expected.
 */
export type Shape = readonly (number | null)[];

/** Number of elements in a shape, or null when any dimension is unknown. */
export function elementCount(shape: Shape | null): number | null {
  if (shape === null) return null;
  let n = 1;
  for (const d of shape) {
    if (d === null) return null;
    n *= d;
  }
  return n;
}

/** True when every dimension is a positive integer. */
export function isFullyKnown(shape: Shape | null): shape is readonly number[] {
  return shape !== null && shape.every((d) => d !== null && Number.isInteger(d) && d > 0);
}

/** "28×28×192", or "unknown". */
export function formatShape(shape: Shape | null): string {
  if (shape === null) return 'unknown';
  return shape.map((d) => (d === null ? '?' : String(d))).join('×');
}

/** "28×28×192" in Keras order, "192×28×28" (C×H×W) for PyTorch models, whose users read NCHW. */
export function formatShapeFor(shape: Shape | null, framework: string | undefined): string {
  if ((framework === 'pytorch' || framework === 'onnx') && shape !== null && shape.length === 3) return formatShape([shape[2] ?? null, shape[0] ?? null, shape[1] ?? null]);
  // A volume (D, H, W, C) is PyTorch's C×D×H×W.
  if (framework === 'pytorch' && shape !== null && shape.length === 4) return formatShape([shape[3] ?? null, shape[0] ?? null, shape[1] ?? null, shape[2] ?? null]);
  return formatShape(shape);
}

/** Keras-style batch-first shape for output: [null, H, W, C]. */
export function withBatch(shape: Shape | null): (number | null)[] | null {
  return shape === null ? null : [null, ...shape];
}

/** Activations and parameters are counted as float32. */
export const BYTES_PER_FLOAT32 = 4;
