/**
 * The FLOP report side view: where a model's MACs go (by layer kind, heaviest layers, per block) and what
 * its 1×1 reductions save. Bars are plain DOM with theme colours; clicking a layer reveals it in the panel.
 */
import type { FromReport, ReportShowMessage, ViewSettings } from '../../extension/protocol';
import { checkToReport } from '../../extension/protocol';
import type { AnalysisReport } from '../../extension/core/result';
import { blockBars, heaviestLayers, macsByKind, middleTruncation, type Bar } from '../shared/flopReport';
import { savingsSentence } from '../shared/export';
import { flopConvention, formatCount, formatMacsAndFlops, formatPercent, formatSi, shapeText } from '../shared/format';
import { acquireHost, el } from '../shared/dom';

interface ReportState {
  /** Which sections are folded. */
  folded: string[];
}

const vscode = acquireHost<ReportState, FromReport>();
const state: ReportState = { folded: [], ...vscode.getState() };
const root = el('main', { class: 'report', 'data-testid': 'flop-report' });
document.body.append(root);
let current: ReportShowMessage | null = null;

function post(message: FromReport): void {
  vscode.postMessage(message);
}

window.addEventListener('message', (event) => {
  const checked = checkToReport(event.data);
  if (!checked.ok) {
    post({ kind: 'webview/error', message: `FLOP report ignored a message: ${checked.error}` });
    return;
  }
  const message = checked.message;
  try {
    if (message.kind === 'report/show') {
      current = message;
      render(message.report, message.settings);
    } else if (message.kind === 'report/empty') {
      current = null;
      renderEmpty(message.message);
    } else if (current) {
      current = { ...current, settings: message.settings };
      render(current.report, current.settings);
    }
  } catch (error) {
    post({ kind: 'webview/error', message: `FLOP report: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` });
  }
});

function renderEmpty(message: string): void {
  root.dataset.model = '';
  root.replaceChildren(el('p', { class: 'empty', 'data-testid': 'report-empty' }, message));
}

function section(id: string, heading: string, ...content: Node[]): HTMLElement {
  const details = el('details', { 'data-section': id });
  details.open = !state.folded.includes(id);
  details.addEventListener('toggle', () => {
    state.folded = details.open ? state.folded.filter((s) => s !== id) : [...new Set([...state.folded, id])];
    vscode.setState(state);
  });
  details.append(el('summary', {}, heading), ...content);
  return details;
}

/**
 * A labelled horizontal bar; the width is set through CSSOM (allowed by the CSP, unlike style attributes).
 * A long label loses its middle, not its end (the part that tells layers apart); the tooltip has it whole.
 */
function barRow(bar: Bar, value: string, options: { layer?: string; testid?: string; extra?: string } = {}): HTMLElement {
  const fill = el('span', { class: 'fill' });
  fill.style.width = `${Math.max(0.5, bar.share * 100).toFixed(2)}%`;
  const { head, tail } = middleTruncation(bar.label);
  const tip = `${bar.label}${options.extra ? ` (${options.extra})` : ''}: ${value}`;
  const attrs: Record<string, string> = { class: options.layer ? 'bar link' : 'bar', title: tip, 'data-label': bar.label };
  if (options.layer) {
    attrs['data-layer'] = options.layer;
    attrs['role'] = 'button';
    attrs['tabindex'] = '0';
  }
  if (options.testid) attrs['data-testid'] = options.testid;
  return el(
    'div',
    attrs,
    el('span', { class: 'label', 'aria-label': bar.label }, el('span', { class: 'head' }, head), el('span', { class: 'tail' }, tail)),
    el('span', { class: 'value' }, value),
    el('span', { class: 'track' }, fill),
  );
}

function render(report: AnalysisReport, settings: ViewSettings): void {
  const f = settings.numberFormat;
  const t = report.totals;
  const mf = formatMacsAndFlops(t.macs, settings);
  /** A bar's value: its share of the model's MACs and the MACs themselves. */
  const shareOfMacs = (macs: number): string => `${formatPercent(macs, t.macs)} · ${formatSi(macs, 'MACs')}`;
  root.dataset.model = report.model;
  const children: Node[] = [];
  if (current?.note) children.push(el('p', { class: 'note-banner', 'data-testid': 'report-note', role: 'status' }, current.note));
  children.push(
    el('h2', { 'data-testid': 'report-model', title: current?.title ?? report.model }, current?.title ?? report.model),
    el('p', { class: 'meta', 'data-testid': 'report-origin' }, `${current?.origin ?? ''} · input ${shapeText(report.input.slice(1), report.framework)}`),
    el('p', { class: 'meta' }, `${mf.macs} · ${mf.flops} · ${formatCount(t.params, f)} params`),
    el('p', { class: 'meta' }, flopConvention(settings)),
  );

  const headline = report.oneByOneTotals
    ? el('p', { class: 'headline', 'data-testid': 'report-savings-summary' }, savingsSentence(report.oneByOneTotals))
    : el('p', { class: 'meta', 'data-testid': 'report-savings-summary' }, 'No 1×1 reductions in this model.');
  children.push(headline);

  const kinds = macsByKind(report.layers);
  children.push(
    section(
      'kinds',
      'MACs by layer kind',
      el('div', { class: 'bars', 'data-testid': 'macs-by-kind' }, ...kinds.map((k) => barRow(k, shareOfMacs(k.macs)))),
    ),
  );

  const heavy = heaviestLayers(report.layers, 10);
  children.push(
    section(
      'heaviest',
      'Ten heaviest layers',
      el(
        'div',
        { class: 'bars', 'data-testid': 'heaviest-layers' },
        ...heavy.map((h) => barRow(h, shareOfMacs(h.macs), { layer: h.layer, extra: h.type })),
      ),
    ),
  );

  const blocks = blockBars(report);
  if (blocks.length > 0) {
    children.push(
      section(
        'blocks',
        'MACs per block',
        el(
          'div',
          { class: 'bars', 'data-testid': 'macs-per-block' },
          ...blocks.map((b) =>
            barRow(b, shareOfMacs(b.macs), {
              layer: firstLayerOf(report, b.label),
              extra: b.type,
            }),
          ),
        ),
      ),
    );
  }

  const saving = blocks.filter((b) => b.savedMacs > 0);
  if (report.oneByOneTotals && saving.length > 0) {
    const maxSaved = Math.max(...saving.map((b) => b.savedMacs));
    children.push(
      section(
        'savings',
        '1×1 savings per block',
        el(
          'div',
          { class: 'bars savings', 'data-testid': 'savings-per-block' },
          ...saving.map((b) => barRow({ label: b.label, macs: b.savedMacs, share: b.savedMacs / maxSaved }, `saves ${formatSi(b.savedMacs, 'MACs')}`, { layer: firstLayerOf(report, b.label) })),
        ),
        el(
          'p',
          { class: 'meta' },
          `Total: naive ${formatSi(report.oneByOneTotals.naiveMacs, 'MACs')} → ${formatSi(report.oneByOneTotals.actualMacs, 'MACs')} with the 1×1 reductions.`,
        ),
      ),
    );
  }
  root.replaceChildren(...children);
}

function firstLayerOf(report: AnalysisReport, block: string): string | undefined {
  return report.layers.find((l) => l.block === block)?.name;
}

function openLayer(target: EventTarget | null): void {
  const layer = (target as Element | null)?.closest?.('[data-layer]')?.getAttribute('data-layer');
  if (layer && current) post({ kind: 'report/openLayer', panelKey: current.panelKey, layer });
}
root.addEventListener('click', (e) => openLayer(e.target));
root.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' || e.key === ' ') openLayer(e.target);
});

renderEmpty('Run “CNN Inspector: Show architecture”, or open a model file, to see where a model’s MACs go.');
post({ kind: 'report/ready' });
