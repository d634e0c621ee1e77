/**
 * Number, shape and percentage formatting for both webviews. Pure functions: the unit tests run them in
 * Node. Counts follow the `numberFormat` setting; every MAC/FLOP label says which unit it is.
 */
import type { NumberFormat, ViewSettings } from '../../extension/protocol';
import { formatBytes as formatBinaryBytes, formatExact, formatSignificant as formatSi } from '../../extension/core/report/numberFormat';

// Shared with the CLI, the reports and the editor: the engine's pure formatting modules.
export { formatShape } from '../../extension/core/shape';
export { shapeText } from '../../extension/core/report/shapes';
export { formatExact, formatSi };

/** A count in the chosen format. */
export function formatCount(n: number, format: NumberFormat): string {
  return format === 'exact' ? formatExact(n) : formatSi(n);
}

/** Bytes in binary units, as the CLI and the hover print them ("3.1 MiB"); "—" when unknown. */
export function formatBytes(n: number | null): string {
  return n === null ? '—' : formatBinaryBytes(n);
}

/** Share of a total as a percentage: "12.3 %", "<0.1 %" for tiny non-zero shares, "—" when the total is unknown. */
export function formatPercent(part: number, total: number | null): string {
  if (total === null || total <= 0) return '—';
  if (part === 0) return '0 %';
  const pct = (part / total) * 100;
  if (pct < 0.1) return '<0.1 %';
  return `${pct >= 10 ? pct.toFixed(1) : pct.toFixed(2)} %`;
}

/** How FLOPs relate to MACs, stated once wherever FLOPs appear. */
export function flopConvention(settings: ViewSettings): string {
  return settings.flopsPerMac === 2 ? 'FLOPs = 2 × MACs (multiply + add)' : 'FLOPs = MACs (1 FLOP per multiply-accumulate)';
}

/** Header total of MACs with the FLOPs it means: "15.5 GMACs = 30.9 GFLOPs". */
export function formatMacsAndFlops(macs: number, settings: ViewSettings): { macs: string; flops: string } {
  const flops = macs * settings.flopsPerMac;
  if (settings.numberFormat === 'exact') return { macs: `${formatExact(macs)} MACs`, flops: `${formatExact(flops)} FLOPs` };
  return { macs: formatSi(macs, 'MACs'), flops: formatSi(flops, 'FLOPs') };
}
