/**
 * Exact integer counts. Counts are computed as BigInt where they can pass 2^53 and kept as numbers for
 * everything that displays or compares them; the exact decimal string travels beside the number only when
 * the number is rounded, so reports stay plain JSON-safe data (no bigint crosses to a webview).
 */
import type { ExactCounts } from './result';

/** The decimal string when `value` cannot be held exactly by a double, else undefined. */
export function exactIfUnsafe(value: bigint): string | undefined {
  return value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER) ? value.toString() : undefined;
}

/** The exact value of a count: its exact string when there is one, else the (exact) number. */
export function exactOf(number: number, exact: string | undefined): bigint {
  if (exact !== undefined) return BigInt(exact);
  return Number.isFinite(number) ? BigInt(Math.round(number)) : 0n;
}

/** Only the fields that need an exact string, or undefined when none does. */
export function exactCounts(values: Partial<Record<keyof ExactCounts, bigint>>): ExactCounts | undefined {
  const out: ExactCounts = {};
  for (const [key, value] of Object.entries(values) as [keyof ExactCounts, bigint | undefined][]) {
    const exact = value === undefined ? undefined : exactIfUnsafe(value);
    if (exact !== undefined) out[key] = exact;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
