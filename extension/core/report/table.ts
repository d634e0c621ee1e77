/**
 * Text reports: a Keras `summary()` / torchinfo-style table (aligned columns, thousands separators, totals)
 * plus the 1×1 savings and factorisation sections, and the same content as Markdown.
 */
import { escapeMarkdown, oneLine } from './safeText';
import type { AnalysisReport, LayerResult } from '../result';
import { formatBytes, formatExact, formatPercent, formatRatio, formatSI } from './numberFormat';
import { shapeText } from './shapes';

interface Column {
  title: string;
  align: 'left' | 'right';
  cell: (layer: LayerResult, report: AnalysisReport) => string;
}

const COLUMNS: readonly Column[] = [
  { title: 'Layer (type)', align: 'left', cell: (l) => oneLine(`${l.name} (${l.frameworkType ?? l.type})`) },
  // torchinfo lists a module forward() never calls without a shape; it has none, which is not "unknown".
  { title: 'Output Shape', align: 'left', cell: (l, r) => (l.notCalled ? 'not called' : shapeText(l.outputShape, r.framework)) },
  { title: 'Param #', align: 'right', cell: (l) => (l.unknown?.params ? 'unknown' : formatExact(l.exact?.params ?? l.params)) },
  { title: 'MACs', align: 'right', cell: (l) => (l.unknown?.macs ? 'unknown' : formatExact(l.exact?.macs ?? l.macs)) },
  { title: '% MACs', align: 'right', cell: (l, r) => (r.totals.macs > 0 && l.macs > 0 ? formatPercent(l.macs / r.totals.macs) : '') },
  { title: 'RF', align: 'right', cell: (l) => (l.receptiveField === null ? '' : String(l.receptiveField)) },
];

function pad(text: string, width: number, align: 'left' | 'right'): string {
  return align === 'left' ? text.padEnd(width) : text.padStart(width);
}

/** Lines of totals shared by the table and Markdown reports. */
export function totalsLines(report: AnalysisReport): string[] {
  const t = report.totals;
  const counted = report.layers.filter((l) => !l.notCalled);
  // With unknown layers the sums are lower bounds, and say so; a figure no layer knows is unknown.
  const atLeast = t.lowerBound ? 'at least ' : '';
  const noMacs = counted.length > 0 && counted.every((l) => l.unknown?.macs);
  // A checkpoint's report: every MAC unknown, every parameter counted.
  const paramsAtLeast = noMacs && !report.layers.some((l) => l.unknown?.params) ? '' : atLeast;
  const noShapes = counted.length > 0 && counted.every((l) => l.outputShape === null);
  // Unknown shapes hold memory the sums cannot see.
  const memoryAtLeast = counted.some((l) => l.outputShape === null) ? 'at least ' : '';
  const memory = (bytes: number): string => (noShapes ? 'unknown' : `${memoryAtLeast}${formatBytes(bytes)}`);
  const lines = [
    `Total params: ${paramsAtLeast}${formatExact(t.exact?.params ?? t.params)} (${formatBytes(t.paramBytes)})`,
    `Trainable params: ${t.trainableUnknown ? 'unknown' : `${paramsAtLeast}${formatExact(t.trainableParams)}`}`,
    `Non-trainable params: ${t.trainableUnknown ? 'unknown' : `${paramsAtLeast}${formatExact(t.nonTrainableParams)}`}`,
    `Total MACs: ${noMacs ? 'unknown' : `${atLeast}${formatExact(t.exact?.macs ?? t.macs)} (${formatSI(t.macs)})`}`,
    `Total FLOPs: ${noMacs ? 'unknown' : `${atLeast}${formatExact(t.exact?.flops ?? t.flops)} (${formatSI(t.flops)}; ${report.flopsPerMac} FLOP${report.flopsPerMac === 1 ? '' : 's'} per MAC)`}`,
    `Activations, sum of layer outputs: ${memory(t.activationBytes)} (float32, one sample)`,
    `Peak activation memory: ${memory(t.peakActivationBytes)} (forward pass, one sample)`,
  ];
  if (report.outputs) lines.push(`Outputs: ${report.outputs.map((o) => `${o.name} ${shapeText(o.outputShape, report.framework)}`).join(', ')}`);
  if (t.trainableUnknown) lines.push(`Which parameters are trainable is unknown: ${t.trainableUnknown.message} (line ${t.trainableUnknown.source.line}).`);
  if (report.layers.some((l) => l.outputShape === null && !l.notCalled) || t.lowerBound) lines.push('Some shapes are unknown (see the problems below): totals cover the known layers only.');
  return lines;
}

export function oneByOneLines(report: AnalysisReport): string[][] {
  return report.oneByOne.map((s) => [s.layer, s.reducer, formatExact(s.naiveMacs), formatExact(s.actualMacs), formatRatio(s.savings)]);
}

export function factorisationLines(report: AnalysisReport): string[][] {
  return (report.factorisations ?? []).map((s) => [`${s.first} + ${s.layer}`, s.kernel.join('×'), formatExact(s.naiveMacs), formatExact(s.actualMacs), formatRatio(s.savings)]);
}

const FACTORISATION_HEADER = ['Convs', 'Instead of', 'Naive MACs', 'Actual MACs', 'Fewer'];
const factorisationSentence = (t: NonNullable<AnalysisReport['factorisationTotals']>): string =>
  `1×n + n×1 factorisations save ${formatSI(t.naiveMacs - t.actualMacs)} MACs: ${formatRatio(t.savings)} fewer than naive`;

function aligned(header: readonly string[], rows: readonly string[][], aligns: readonly ('left' | 'right')[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => pad(c, widths[i] ?? 0, aligns[i] ?? 'left')).join('   ').trimEnd();
  const total = widths.reduce((a, w) => a + w, 0) + 3 * (widths.length - 1);
  return [line(header), '='.repeat(total), ...rows.map(line)];
}

export function toTable(report: AnalysisReport): string {
  const rows = report.layers.map((l) => COLUMNS.map((c) => c.cell(l, report)));
  const body = aligned(
    COLUMNS.map((c) => c.title),
    rows,
    COLUMNS.map((c) => c.align),
  );
  const rule = '─'.repeat(Math.max(...body.map((l) => l.length)));
  const out = [
    `Model: "${oneLine(report.model)}"   input ${shapeText(report.input.slice(1), report.framework)}   backend: ${report.backend}`,
    rule,
    ...body,
    rule,
    ...totalsLines(report),
    rule,
  ];
  if (report.oneByOne.length > 0 && report.oneByOneTotals) {
    const t = report.oneByOneTotals;
    out.push(
      '1×1 reductions (the k×k conv applied to the 1×1 input, against the 1×1 + k×k pair)',
      ...aligned(['Conv', 'Reduced by', 'Naive MACs', 'Actual MACs', 'Fewer'], oneByOneLines(report), ['left', 'left', 'right', 'right', 'right']),
      `1×1 reductions save ${formatSI(t.naiveMacs - t.actualMacs)} MACs: ${formatRatio(t.savings)} fewer than naive`,
      rule,
    );
  }
  if (report.factorisationTotals) {
    out.push(
      'Factorised convolutions (a 1×n then an n×1, against one n×n from the same input to the same output)',
      ...aligned(FACTORISATION_HEADER, factorisationLines(report), ['left', 'left', 'right', 'right', 'right']),
      factorisationSentence(report.factorisationTotals),
      rule,
    );
  }
  for (const issue of report.issues) out.push(`problem: ${issue.message}`);
  return out.join('\n');
}

function mdRow(cells: readonly string[]): string {
  return `| ${cells.map(escapeMarkdown).join(' | ')} |`;
}

export function toMarkdown(report: AnalysisReport): string {
  const out = [
    `### ${escapeMarkdown(report.model)}`,
    '',
    `Input \`${shapeText(report.input.slice(1), report.framework)}\`, backend \`${report.backend}\`, ${report.flopsPerMac} FLOPs per MAC.`,
    '',
    mdRow(COLUMNS.map((c) => c.title)),
    mdRow(COLUMNS.map((c) => (c.align === 'right' ? '---:' : '---'))),
    ...report.layers.map((l) => mdRow(COLUMNS.map((c) => c.cell(l, report)))),
    '',
    ...totalsLines(report).map((l) => `- ${l}`),
  ];
  if (report.oneByOne.length > 0 && report.oneByOneTotals) {
    const t = report.oneByOneTotals;
    out.push(
      '',
      '#### 1×1 reductions',
      '',
      mdRow(['Conv', 'Reduced by', 'Naive MACs', 'Actual MACs', 'Fewer']),
      mdRow(['---', '---', '---:', '---:', '---:']),
      ...oneByOneLines(report).map(mdRow),
      '',
      `1×1 reductions save ${formatSI(t.naiveMacs - t.actualMacs)} MACs: ${formatRatio(t.savings)} fewer than naive.`,
    );
  }
  if (report.factorisationTotals) {
    out.push(
      '',
      '#### Factorised convolutions',
      '',
      mdRow(FACTORISATION_HEADER),
      mdRow(['---', '---', '---:', '---:', '---:']),
      ...factorisationLines(report).map(mdRow),
      '',
      `${factorisationSentence(report.factorisationTotals)}.`,
    );
  }
  if (report.issues.length > 0) out.push('', '#### Problems', '', ...report.issues.map((i) => `- ${i.message}`));
  return out.join('\n') + '\n';
}
