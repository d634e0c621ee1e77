import type { Shape } from '../shape';
import type { Framework } from '../spec';

/**
 * A shape as the framework's users read it, batch first: Keras and tfjs `[null, H, W, C]`, PyTorch
 * `[null, C, H, W]` (NCHW). null for an unknown shape.
 */
export function presentShape(shape: Shape | null, framework: Framework): (number | null)[] | null {
  if (shape === null) return null;
  if (framework === 'pytorch' && shape.length === 3) return [null, shape[2] ?? null, shape[0] ?? null, shape[1] ?? null];
  return [null, ...shape];
}

/** "(None, 28, 28, 192)" for Keras/tfjs, "[N, 192, 28, 28]" for PyTorch, "unknown" when unknown. */
export function shapeText(shape: Shape | null, framework: Framework): string {
  const shown = presentShape(shape, framework);
  if (shown === null) return 'unknown';
  const dims = shown.slice(1).map((d) => (d === null ? '?' : String(d)));
  return framework === 'pytorch' ? `[N, ${dims.join(', ')}]` : `(None, ${dims.join(', ')})`;
}
