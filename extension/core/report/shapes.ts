import type { Shape } from '../shape';
import { isChannelsFirst, type Framework } from '../spec';

/**
 * An engine shape (channels-last, no batch) in the framework's own order: PyTorch [N, C, H, W], Keras/tfjs
 * [None, H, W, C]. `batch` null prints as N/None.
 */
export function toFrameworkShape(framework: Framework, shape: Shape | null, batch: number | null = null): (number | null)[] | null {
  if (shape === null) return null;
  if (!isChannelsFirst(framework)) return [batch, ...shape];
  if (shape.length === 3) return [batch, shape[2]!, shape[0]!, shape[1]!];
  // Volumetric (video) tensors: the engine's (D, H, W, C) is PyTorch's (N, C, D, H, W).
  if (shape.length === 4) return [batch, shape[3]!, shape[0]!, shape[1]!, shape[2]!];
  return [batch, ...shape];
}

/** "(N, 64, 56, 56)" for PyTorch, "(None, 56, 56, 64)" for Keras, "unknown" when unknown. */
export function formatFrameworkShape(framework: Framework, shape: Shape | null, batch: number | null = null): string {
  const s = toFrameworkShape(framework, shape, batch);
  if (s === null) return 'unknown';
  const none = isChannelsFirst(framework) ? 'N' : framework === 'tfjs' ? 'null' : 'None';
  // A batch of scalars (PyTorch's x.squeeze(-1) of (N, 1)) is a 1-tuple, which Python writes (N,).
  return `(${s.map((d) => (d === null ? none : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;
}

/** A shape as the framework's users read it, batch first (null): Keras/tfjs [null, H, W, C], PyTorch [null, C, H, W]. */
export function presentShape(shape: Shape | null, framework: Framework): (number | null)[] | null {
  return toFrameworkShape(framework, shape);
}

/** "(None, 28, 28, 192)" for Keras, "(N, 192, 28, 28)" for PyTorch, "unknown" when unknown. */
export function shapeText(shape: Shape | null, framework: Framework): string {
  return formatFrameworkShape(framework, shape);
}
