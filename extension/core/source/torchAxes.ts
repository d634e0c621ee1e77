/**
 * Where a PyTorch dim lives in the engine's tensor. The engine holds a PyTorch sample (no batch) of rank r
 * channels-last when r ≥ 3 — (C, H, W) as (H, W, C), (C, D, H, W) as (D, H, W, C) — and in PyTorch's own order
 * when r ≤ 2 ((C, L), (F)); report/shapes.ts prints it back the same way. Every op that names a PyTorch dim
 * (permute, LayerNorm's and Linear's last dim) goes through this one mapping, so a permuted tensor
 * (ConvNeXt's (N, H, W, C)) stays consistent with every layer after it.
 */

/** PyTorch dim (1-based, 0 is the batch) held by each engine axis of a sample of engine rank `rank`. */
export function torchDimsOfEngineAxes(rank: number): number[] {
  const dims = Array.from({ length: rank }, (_, i) => i + 1);
  return rank >= 3 ? [...dims.slice(1), 1] : dims;
}

/** The 0-based engine axis of PyTorch dim `dim` (negative counts from the end; 0, the batch, has none). */
export function engineAxisOfTorchDim(dim: number, rank: number): number | null {
  const d = dim < 0 ? dim + rank + 1 : dim;
  if (!Number.isInteger(d) || d <= 0 || d > rank) return null;
  return torchDimsOfEngineAxes(rank).indexOf(d);
}

/**
 * tfjs Permute `dims` (1-based, without the batch) that gives PyTorch's `x.permute(order)` (`order` with the
 * batch, as PyTorch takes it); null when the order is not a permutation of the dims or moves the batch.
 */
export function enginePermuteDims(order: readonly number[], rank: number): number[] | null {
  const full = rank + 1;
  const q = order.map((d) => (d < 0 ? d + full : d));
  if (q.length !== full || q[0] !== 0 || new Set(q).size !== full || q.some((d) => !Number.isInteger(d) || d < 0 || d >= full)) return null;
  const held = torchDimsOfEngineAxes(rank);
  // Output engine axis i holds output PyTorch dim held[i], which is input PyTorch dim q[held[i]].
  return held.map((d) => held.indexOf(q[d]!) + 1);
}
