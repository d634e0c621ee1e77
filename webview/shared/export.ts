/**
 * Exports of a finished analysis: the table as Markdown (what "Copy table" puts on the clipboard), CSV with
 * raw numbers for spreadsheets, and the full report as JSON. Pure functions over plain report data.
 */
import type { AnalysisReport, LayerResult } from '../../extension/core/result';
import type { ReportSummary, ViewSettings } from '../../extension/protocol';
import { csvField, escapeMarkdown } from '../../extension/core/report/safeText';
import { flopConvention, formatBytes, formatCount, formatPercent, formatShape } from './format';

/** A Markdown table cell: no HTML, links, code spans or column breaks from a model's names. */
const mdCell = escapeMarkdown;

/** The layer table as GitHub-flavoured Markdown, with a title line and the totals. */
export function toMarkdown(summary: ReportSummary, layers: readonly LayerResult[], settings: ViewSettings): string {
  const f = settings.numberFormat;
  const total = summary.totals.macs;
  const lines = [
    `## ${mdCell(summary.model)}`,
    '',
    `Input ${formatShape(summary.input.slice(1))} · backend ${summary.backend} · ${flopConvention(settings)}`,
    '',
    '| # | Layer | Type | Block | Output shape | Params | MACs | % of MACs | Activation |',
    '|---:|---|---|---|---|---:|---:|---:|---:|',
  ];
  for (const l of layers) {
    const cells = [
      String(l.index),
      l.name,
      l.type,
      l.block ?? '',
      formatShape(l.outputShape),
      formatCount(l.params, f),
      formatCount(l.macs, f),
      formatPercent(l.macs, total),
      formatBytes(l.activationBytes, f),
    ];
    lines.push(`| ${cells.map(mdCell).join(' | ')} |`);
  }
  const t = summary.totals;
  lines.push(
    `| | **Total** | | | | **${formatCount(t.params, f)}** | **${formatCount(t.macs, f)}** | 100 % | ${formatBytes(t.activationBytes, f)} |`,
    '',
    `Total FLOPs: ${formatCount(t.flops, f)} (${flopConvention(settings)}).`,
  );
  if (summary.oneByOneTotals) lines.push('', savingsSentence(summary.oneByOneTotals) + '.');
  return lines.join('\n') + '\n';
}

/** One row per layer with raw numbers (no grouping separators), for spreadsheets. */
export function toCsv(layers: readonly LayerResult[], flopsPerMac: 1 | 2): string {
  const total = layers.reduce((a, l) => a + l.macs, 0);
  const header = ['index', 'name', 'type', 'block', 'output_shape', 'params', 'macs', `flops_${flopsPerMac}_per_mac`, 'macs_share', 'activation_bytes'];
  const rows = layers.map((l) =>
    [
      l.index,
      l.name,
      l.type,
      l.block,
      l.outputShape === null ? null : formatShape(l.outputShape).replace(/×/g, 'x'),
      // Exact digits past 2^53 (the report carries them as strings), unknown counts as empty fields.
      l.unknown?.params ? null : (l.exact?.params ?? l.params),
      l.unknown?.macs ? null : (l.exact?.macs ?? l.macs),
      l.unknown?.macs ? null : l.exact?.macs !== undefined ? (BigInt(l.exact.macs) * BigInt(flopsPerMac)).toString() : l.macs * flopsPerMac,
      total > 0 ? Number((l.macs / total).toFixed(6)) : 0,
      l.activationBytes,
    ]
      .map(csvField)
      .join(','),
  );
  return [header.join(','), ...rows].join('\r\n') + '\r\n';
}

/** The whole report, layers included, as the engine produced it. */
export function toJson(summary: ReportSummary, layers: readonly LayerResult[]): string {
  const report: AnalysisReport = { ...summary, layers: [...layers] };
  return JSON.stringify(report, null, 2) + '\n';
}

/** "1×1 reductions save 2.84 GMACs: 4.19× fewer than naive" — the FLOP report's headline. */
export function savingsSentence(totals: { naiveMacs: number; actualMacs: number; savings: number }): string {
  const saved = (totals.naiveMacs - totals.actualMacs) / 1e9;
  const text = saved >= 1 || saved === 0 ? saved.toFixed(2) : saved.toPrecision(3);
  return `1×1 reductions save ${text} GMACs: ${totals.savings.toFixed(2)}× fewer than naive`;
}
