/**
 * What the panel itself exports: "Copy table" copies the rows and columns the user sees (after search,
 * sort and collapse) as Markdown. Saving the whole report as Markdown, CSV or JSON is done on the host by
 * the core's exporters, the ones the CLI uses. Pure functions over plain data.
 */
import { formatSi } from './format';
import { groupCells, layerCells, type CellContext, type Column, type TableRow } from './table';

import { escapeMarkdown } from '../../extension/core/report/safeText';

/** A Markdown table cell: no HTML, links, code spans or column breaks from a model's names. */
export const mdCell = escapeMarkdown;

/** The visible rows as a GitHub-flavoured Markdown table, block headers in bold, under a one-line caption. */
export function visibleRowsMarkdown(
  caption: string,
  rows: readonly TableRow[],
  columns: readonly Column[],
  c: CellContext,
  blockTypes: ReadonlyMap<string, string>,
): string {
  const lines = [
    mdCell(caption),
    '',
    `| ${columns.map((col) => mdCell(col.title)).join(' | ')} |`,
    `|${columns.map((col) => (col.numeric ? '---:' : '---')).join('|')}|`,
  ];
  for (const row of rows) {
    if (row.kind === 'group') {
      const cells = groupCells(row.group, blockTypes.get(row.group.block ?? '') ?? null, c, columns);
      lines.push(`| ${columns.map((col) => (cells[col.id] ? `**${mdCell(cells[col.id]!)}**` : '')).join(' | ')} |`);
    } else {
      const cells = layerCells(row.layer, c, columns);
      lines.push(`| ${columns.map((col) => mdCell(cells[col.id] ?? '')).join(' | ')} |`);
    }
  }
  return lines.join('\n') + '\n';
}

/** "1×1 reductions save 2.84 GMACs: 4.19× fewer than naive" — one prefix chosen for the value (5.05 MMACs, not 0.00505 GMACs). */
export function savingsSentence(totals: { naiveMacs: number; actualMacs: number; savings: number }): string {
  return `1×1 reductions save ${formatSi(totals.naiveMacs - totals.actualMacs, 'MACs')}: ${totals.savings.toFixed(2)}× fewer than naive`;
}
