/**
 * The head of a panel that shows model B compared with model A: both models and inputs, the totals side by
 * side with the change, how many layers have another output shape (marked in the table and the diagram),
 * and a button for the Markdown `cnn-inspect diff --format markdown` prints. Text only, never HTML.
 */
import type { Comparison, Delta } from '../../extension/core/compare';
import { percent } from '../../extension/core/report/compare';
import type { NumberFormat } from '../../extension/protocol';
import { el } from '../shared/dom';
import { formatBytes, formatCount } from '../shared/format';

function signed(text: string, n: number): string {
  return n > 0 ? `+${text}` : n < 0 ? `−${text.replace(/^-/, '')}` : '0';
}

/** An unknown figure (a layer the model could not analyse) reads unknown, never 0. */
const orUnknown = (n: number | null, show: (n: number) => string): string => (n === null ? 'unknown' : show(n));

export function compareSummary(c: Comparison, format: NumberFormat, openMarkdown: () => void): HTMLElement {
  const cells = (d: Delta, show: (n: number) => string): string[] => [orUnknown(d.a, show), orUnknown(d.b, show), orUnknown(d.delta, (n) => signed(show(Math.abs(n)), n)), percent(d)];
  const count = (d: Delta): string[] => cells(d, (n) => formatCount(n, format));
  const bytes = (d: Delta): string[] => cells(d, formatBytes);
  const t = c.totals;
  const rows: [string, string, string[]][] = [
    ['Parameters', 'compare-params', count(t.params)],
    ['Trainable', 'compare-trainable', count(t.trainableParams)],
    ['MACs', 'compare-macs', count(t.macs)],
    ['Activations', 'compare-activations', bytes(t.activationBytes)],
    ['Peak activations', 'compare-peak', bytes(t.peakActivationBytes)],
  ];
  const table = el(
    'table',
    { 'data-testid': 'compare-totals' },
    el('thead', {}, el('tr', {}, ...['', 'A', 'B', 'Change', '%'].map((h) => el('th', {}, h)))),
    el('tbody', {}, ...rows.map(([label, id, cells]) => el('tr', { 'data-testid': id }, el('td', {}, label), ...cells.map((x) => el('td', {}, x))))),
  );
  const changed = c.layers.filter((l) => l.shapeChanged).length;
  const added = c.layers.filter((l) => l.status === 'added').length;
  const removed = c.layers.filter((l) => l.status === 'removed').length;
  const parts = [`${changed} of B's ${c.b.layers} layers have another output shape in A (≠ in the diagram, “Output in A” in the table)`];
  if (added > 0) parts.push(`${added} are new in B (+)`);
  if (removed > 0) parts.push(`${removed} of A's layers are not in B`);
  const markdown = el('vscode-button', { secondary: '', 'data-testid': 'open-comparison', title: 'The comparison as `cnn-inspect diff --format markdown` prints it, for a pull-request comment' }, 'Comparison as Markdown');
  markdown.addEventListener('click', openMarkdown);
  return el(
    'section',
    { class: 'compare', 'data-testid': 'compare-summary' },
    el('p', { 'data-testid': 'compare-title' }, `A: ${c.a.model} ${c.a.input} → B (this panel): ${c.b.model} ${c.b.input}`),
    table,
    el('p', { class: 'compare-note', 'data-testid': 'compare-shapes' }, `${parts.join('; ')}.`),
    markdown,
  );
}
