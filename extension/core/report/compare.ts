/**
 * A comparison as text: aligned columns for a terminal, GitHub Markdown for a pull-request comment. Counts
 * exact with signs, bytes in MiB, changes in percent of A. Only what differs is listed per block and layer.
 */
import type { Comparison, Delta, LayerComparison } from '../compare';
import { formatBytes, formatExact } from './numberFormat';

const UNKNOWN = 'unknown';
const count = (n: number | null): string => (n === null ? UNKNOWN : formatExact(n));
const bytes = (n: number | null): string => (n === null ? UNKNOWN : formatBytes(n));
const signed = (n: number | null): string => (n === null ? UNKNOWN : n > 0 ? `+${formatExact(n)}` : n < 0 ? formatExact(n) : '0');
const signedBytes = (n: number | null): string => (n === null ? UNKNOWN : n > 0 ? `+${formatBytes(n)}` : n < 0 ? `-${formatBytes(-n)}` : '0');
/** "+5.2 %", "new" when A had none, "unknown" when a side's figure is. */
export function percent(d: Delta): string {
  if (d.delta === null) return UNKNOWN;
  if (d.relative === null) return 'new';
  if (d.relative === 0) return '0 %';
  return `${d.relative > 0 ? '+' : ''}${Math.abs(d.relative) < 0.05 ? d.relative.toFixed(3) : d.relative.toFixed(1)} %`;
}

type Row = string[];

function totalsRows(c: Comparison): Row[] {
  const t = c.totals;
  return [
    ['Parameters', count(t.params.a), count(t.params.b), signed(t.params.delta), percent(t.params)],
    ['Trainable parameters', count(t.trainableParams.a), count(t.trainableParams.b), signed(t.trainableParams.delta), percent(t.trainableParams)],
    ['MACs', count(t.macs.a), count(t.macs.b), signed(t.macs.delta), percent(t.macs)],
    ['Activations (sum of outputs)', bytes(t.activationBytes.a), bytes(t.activationBytes.b), signedBytes(t.activationBytes.delta), percent(t.activationBytes)],
    ['Peak activation memory', bytes(t.peakActivationBytes.a), bytes(t.peakActivationBytes.b), signedBytes(t.peakActivationBytes.delta), percent(t.peakActivationBytes)],
  ];
}

function blockRows(c: Comparison): Row[] {
  return c.blocks
    .filter((b) => b.status !== 'same')
    .map((b) => [b.name, b.status, signed(b.params.delta), percent(b.params), signed(b.macs.delta), percent(b.macs)]);
}

function shapeCell(l: LayerComparison): string {
  if (l.status === 'added') return `→ ${l.shapeB}`;
  if (l.status === 'removed') return `${l.shapeA} →`;
  return l.shapeChanged ? `${l.shapeA} → ${l.shapeB}` : (l.shapeB ?? '');
}

function layerRows(c: Comparison): Row[] {
  return c.layers
    .filter((l) => l.status !== 'same')
    .map((l) => [l.name, l.status, l.typeA === l.typeB || l.typeA === null ? (l.typeB ?? '') : `${l.typeA} → ${l.typeB ?? ''}`, shapeCell(l), signed(l.params.delta), signed(l.macs.delta)]);
}

const TOTALS_HEAD = ['', 'A', 'B', 'Change', '%'];
const BLOCK_HEAD = ['Block', 'Status', 'Δ params', '%', 'Δ MACs', '%'];
const LAYER_HEAD = ['Layer', 'Status', 'Type', 'Output shape (A → B)', 'Δ params', 'Δ MACs'];

function title(c: Comparison): string {
  return `${c.a.model} ${c.a.input} → ${c.b.model} ${c.b.input}`;
}

function mdRow(cells: readonly string[]): string {
  return `| ${cells.map((x) => x.replace(/\|/g, '\\|')).join(' | ')} |`;
}

export function comparisonMarkdown(c: Comparison, failures: readonly string[] = []): string {
  const out = [`### cnn-inspect diff: ${title(c)}`, ''];
  out.push(mdRow(TOTALS_HEAD.map((h, i) => (i === 1 ? `A: ${c.a.model}` : i === 2 ? `B: ${c.b.model}` : h))), '|---|---:|---:|---:|---:|', ...totalsRows(c).map(mdRow));
  const blocks = blockRows(c);
  out.push('', `#### Blocks that differ (${blocks.length} of ${c.blocks.length})`);
  if (blocks.length > 0) out.push('', mdRow(BLOCK_HEAD), '|---|---|---:|---:|---:|---:|', ...blocks.map(mdRow));
  const layers = layerRows(c);
  out.push('', `#### Layers that differ (${layers.length} of ${c.layers.length})`);
  if (layers.length > 0) out.push('', mdRow(LAYER_HEAD), '|---|---|---|---|---:|---:|', ...layers.map(mdRow));
  const incomplete = incompleteNote(c);
  if (incomplete) out.push('', incomplete);
  if (failures.length > 0) out.push('', ...failures.map((f) => `**Over the threshold:** ${f}`));
  return out.join('\n') + '\n';
}

/** Which side is incomplete, and what that makes of its figures; null when both are complete. */
export function incompleteNote(c: Comparison): string | null {
  const sides = [!c.a.complete ? `A (${c.a.model})` : null, !c.b.complete ? `B (${c.b.model})` : null].filter((x) => x !== null);
  if (sides.length === 0) return null;
  return `${sides.join(' and ')} ${sides.length > 1 ? 'are' : 'is'} incomplete (some shapes or counts are unknown): its unknown figures and the changes from them are shown as unknown.`;
}

function aligned(head: Row, rows: readonly Row[], right: ReadonlySet<number>): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: Row): string => r.map((x, i) => (right.has(i) ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join('   ').trimEnd();
  return [line(head), '-'.repeat(widths.reduce((a, w) => a + w, 0) + 3 * (widths.length - 1)), ...rows.map(line)];
}

export function comparisonTable(c: Comparison, failures: readonly string[] = []): string {
  const out = [`A: ${c.a.model} ${c.a.input}`, `B: ${c.b.model} ${c.b.input}`, '', ...aligned(TOTALS_HEAD, totalsRows(c), new Set([1, 2, 3, 4]))];
  const blocks = blockRows(c);
  out.push('', `Blocks that differ: ${blocks.length} of ${c.blocks.length}`);
  if (blocks.length > 0) out.push(...aligned(BLOCK_HEAD, blocks, new Set([2, 3, 4, 5])));
  const layers = layerRows(c);
  out.push('', `Layers that differ: ${layers.length} of ${c.layers.length}`);
  if (layers.length > 0) out.push(...aligned(LAYER_HEAD, layers, new Set([4, 5])));
  const incomplete = incompleteNote(c);
  if (incomplete) out.push('', incomplete);
  for (const f of failures) out.push(`over the threshold: ${f}`);
  return out.join('\n');
}
