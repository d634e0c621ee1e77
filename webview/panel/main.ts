/**
 * The architecture panel's entry: builds the page, connects the protocol model to the table, the diagram
 * and the header, and keeps UI state (collapsed blocks, selection, scroll, zoom) in `setState` so it
 * survives the panel being hidden and VS Code reloading.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-split-layout/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import type { FromPanel } from '../../extension/protocol';
import { savingsSentence, visibleRowsMarkdown } from '../shared/export';
import { formatInputSize } from '../../extension/core/inputSize';
import { flopConvention, formatBytes, formatCount, formatExact, formatMacsAndFlops, formatSi, shapeText } from '../shared/format';
import { chosenColumns, DEFAULT_COLUMNS, type SortOrder } from '../shared/table';
import { SplitView, type SplitState } from './splitView';
import { columnChooser, showChosenColumns } from './columnChooser';
import { compareSummary } from './compareSummary';
import { BLOCK_PREFIX, chainLayout, fromElk, standaloneStyle, toElkGraph, type DiagramLayout } from '../shared/diagram';
import { Minimap } from './minimap';
import { HEAT_LEVELS, heatThresholds, parseColor } from '../shared/heat';
import { PanelModel } from './model';
import { TableView } from './tableView';
import { DiagramView } from './diagramView';
import { cancelLayout, layoutGraph, prewarmLayout } from './layout';
import { el, acquireHost } from '../shared/dom';

/** What survives hiding and reloads. `modelKey` and `input` also let the host's serializer revive the panel. */
interface PanelState {
  modelKey: string | null;
  input: number[] | null;
  collapsed: string[];
  selected: string | null;
  scrollTop: number;
  diagramView: { x: number; y: number; scale: number } | null;
  /** The user's table columns (null: the defaults), sort, search and split. */
  columns: string[] | null;
  sort: SortOrder | null;
  search: string;
  split: SplitState;
  /** Blocks the user expanded in the diagram (every other block is one node). */
  diagramExpanded: string[];
}

// Wall-clock stamps on <body> (not protocol messages) let the E2E test see where the time to the first row goes.
document.body.dataset.scriptAt = String(Date.now());
const vscode = acquireHost<PanelState, FromPanel>();
const saved: PanelState = {
  modelKey: null,
  input: null,
  collapsed: [],
  selected: null,
  scrollTop: 0,
  diagramView: null,
  columns: null,
  sort: null,
  search: '',
  split: { fraction: null, mode: 'both' },
  diagramExpanded: [],
  ...vscode.getState(),
};
const state: PanelState = { ...saved };
let restoring = true;

function persist(): void {
  vscode.setState(state);
}

// ---- page --------------------------------------------------------------------------------------------
const title = el('h1', { 'data-testid': 'model-title' }, 'CNN Inspector');
const meta = el('p', { class: 'meta', 'data-testid': 'run-meta' });
const totals = el('dl', { class: 'totals', 'data-testid': 'totals' });
const inputField = el('vscode-textfield', { id: 'input-size', 'data-testid': 'input-size', placeholder: '224×224×3', 'aria-describedby': 'input-error' });
const inputError = el('span', { id: 'input-error', class: 'validation', 'data-testid': 'input-error', role: 'alert' });
const runButton = el('vscode-button', { 'data-testid': 'run-button', title: 'Re-run the analysis with this input size' }, 'Analyse');
const resetButton = el('vscode-button', { secondary: '', 'data-testid': 'reset-input', title: "Back to the model's own input size" }, 'Default');
const status = el('span', { class: 'status', 'data-testid': 'export-status', role: 'status' });
const progress = el('vscode-progress-bar', { 'data-testid': 'progress', 'aria-label': 'Analysing' });
const compareHost = el('div', { 'data-testid': 'compare-host', hidden: '' });
const errorBanner = el('div', { class: 'error-banner', 'data-testid': 'analysis-error', role: 'alert', hidden: '' });
const savings = el('section', { class: 'savings', 'data-testid': 'savings-section' });
const diagramHost = el('div', { class: 'diagram', 'data-testid': 'diagram', 'data-ready': 'false' });
const tableScroller = el('div', { class: 'table-scroll', 'data-testid': 'table-pane' });
const searchField = el('input', {
  type: 'search',
  class: 'search',
  'data-testid': 'table-search',
  placeholder: 'Filter by name, type or block (Ctrl+F)',
  'aria-label': 'Filter layers by name, type or block',
}) as HTMLInputElement;
const rowCount = el('span', { class: 'row-count', 'data-testid': 'row-count', role: 'status' });

function button(label: string, testid: string, tip: string, onClick: () => void): HTMLElement {
  const b = el('vscode-button', { secondary: '', 'data-testid': testid, title: tip }, label);
  b.addEventListener('click', onClick);
  return b;
}

const layoutButtons = {
  table: button('Table', 'show-table-only', 'Show only the table', () => setSplitMode('table')),
  both: button('Both', 'show-both', 'Show the table and the diagram', () => setSplitMode('both')),
  diagram: button('Diagram', 'show-diagram-only', 'Show only the diagram', () => setSplitMode('diagram')),
};

const toolbar = el(
  'div',
  { class: 'toolbar' },
  el('vscode-label', { for: 'input-size' }, 'Input size'),
  inputField,
  runButton,
  resetButton,
  inputError,
  el('span', { class: 'spacer' }),
  button('Copy table', 'copy-markdown', 'Copy the rows and columns shown (after filter and sort) as Markdown', () => copyVisibleRows()),
  button('Markdown…', 'save-markdown', 'Save the whole report as Markdown (as `cnn-inspect --format markdown`)', () => doExport('markdown')),
  button('CSV…', 'save-csv', 'Save every layer as CSV', () => doExport('csv')),
  button('JSON…', 'save-json', 'Save the whole report as JSON (the schema of `cnn-inspect --format json`)', () => doExport('json')),
  button('SVG…', 'save-svg', 'Save the diagram as SVG', () => doExport('svg')),
  el('span', { class: 'layout-buttons', role: 'group', 'aria-label': 'Layout' }, layoutButtons.table, layoutButtons.both, layoutButtons.diagram),
  status,
);

function chooseColumns(ids: string[]): void {
  state.columns = ids;
  persist();
  table.setColumns(ids);
  split.setNaturalWidth(table.naturalWidth ?? table.table.getBoundingClientRect().width);
}

const scopeButton = button('Sort: within blocks', 'sort-scope', 'Sort layers within their blocks, or all layers in one list', () => toggleSortScope());
const chooser = columnChooser(state.columns ?? DEFAULT_COLUMNS, (ids) => {
  chooseColumns(ids);
  model.chooseColumns(ids);
});
const tableToolbar = el(
  'div',
  { class: 'table-toolbar' },
  searchField,
  chooser,
  button('Collapse', 'collapse-all', 'Collapse every block to its totals', () => setAllCollapsed(true)),
  button('Expand', 'expand-all', 'Show every layer', () => setAllCollapsed(false)),
  scopeButton,
  rowCount,
);
const tablePane = el('div', { class: 'table-pane', 'data-testid': 'table-area' }, tableToolbar, tableScroller);

const zoomBar = el(
  'div',
  { class: 'diagram-toolbar' },
  button('−', 'zoom-out', 'Zoom out (Ctrl + wheel)', () => diagram.zoom(1 / 1.25)),
  button('+', 'zoom-in', 'Zoom in (Ctrl + wheel)', () => diagram.zoom(1.25)),
  button('Fit width', 'zoom-fit-width', 'Fit the diagram to the pane width', () => diagram.fitWidth()),
  button('Fit all', 'zoom-fit', 'Show the whole diagram', () => diagram.fitAll()),
  legend(),
);

function legend(): HTMLElement {
  const box = el('span', { class: 'legend', 'data-testid': 'heat-legend', title: 'Node colour: MACs relative to the heaviest layer' }, 'MACs ');
  const t = heatThresholds();
  for (let level = 1; level < HEAT_LEVELS; level++) {
    box.append(el('span', { class: `swatch heat-${level}`, title: `≥ ${Math.round((t[level - 1] ?? 0) * 100)} % of the heaviest layer` }));
  }
  box.append(' heaviest');
  return box;
}

const diagramPane = el('div', { class: 'diagram-pane', 'data-testid': 'diagram-pane' }, zoomBar, diagramHost);
const split = new SplitView(tablePane, diagramPane, state.split, (s) => {
  state.split = s;
  persist();
  markLayoutButtons();
});

function setSplitMode(mode: SplitState['mode']): void {
  split.setMode(mode);
  markLayoutButtons();
}

function markLayoutButtons(): void {
  for (const [mode, b] of Object.entries(layoutButtons)) {
    if (mode === split.mode) b.removeAttribute('secondary');
    else b.setAttribute('secondary', '');
  }
}
markLayoutButtons();

document.body.append(el('header', { class: 'header' }, title, meta, totals), compareHost, toolbar, progress, errorBanner, split.element);

// ---- views -------------------------------------------------------------------------------------------
const table = new TableView(tableScroller, {
  select: (layer) => selectLayer(layer, 'table'),
  open: (layer) => model.openSource(layer),
  toggle: (key, collapsed) => {
    state.collapsed = collapsed ? [...new Set([...state.collapsed, key])] : state.collapsed.filter((k) => k !== key);
    persist();
    updateRowCount();
  },
  flushed: (rows) => {
    progress.setAttribute('value', String(model.layerCount > 0 ? Math.round((rows / model.layerCount) * 100) : 0));
    updateRowCount();
    if (rows > 0 && !firstRowReported) {
      firstRowReported = true;
      model.rendered(rows, false);
      // Only now: compiling 1.6 MB of ELK in a worker competes for the CPU with the first rows.
      prewarmLayout(document.body.dataset.elkWorker ?? '');
    }
  },
  sorted: (sort) => {
    state.sort = sort;
    persist();
  },
});
table.collapsed = new Set(state.collapsed);
table.sort = state.sort;
table.search = state.search;
searchField.value = state.search;
table.setColumns(state.columns);
markSortScope();
tableScroller.append(table.table, savings);
tableScroller.addEventListener('scroll', () => {
  state.scrollTop = tableScroller.scrollTop;
  persistSoon();
});

searchField.addEventListener('input', () => {
  state.search = searchField.value;
  table.search = searchField.value;
  table.rebuild();
  tableScroller.scrollTop = 0;
  updateRowCount();
  persistSoon();
});
searchField.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && searchField.value !== '') {
    e.stopPropagation();
    searchField.value = '';
    searchField.dispatchEvent(new Event('input'));
  }
});
table.table.addEventListener('searchcleared', () => {
  searchField.value = '';
  state.search = '';
  updateRowCount();
  persist();
});
// Ctrl+F (⌘F) filters the table: the webview has no find widget of its own.
document.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'f') {
    e.preventDefault();
    if (split.mode === 'diagram') setSplitMode('both');
    searchField.focus();
    searchField.select();
  }
});

function updateRowCount(): void {
  const shown = Number(table.table.dataset.layerRows ?? 0);
  const all = model.layers.length;
  rowCount.textContent = state.search.trim() === '' ? `${all} layers` : `${shown} of ${all} layers match`;
}

function toggleSortScope(): void {
  const sort = table.sort ?? { column: 'macs', descending: true, scope: 'blocks' as const };
  const next = { ...sort, scope: sort.scope === 'blocks' ? ('flat' as const) : ('blocks' as const) };
  state.sort = next;
  persist();
  table.setSort(next);
  markSortScope();
}

function markSortScope(): void {
  scopeButton.textContent = table.sort?.scope === 'flat' ? 'Sort: all layers' : 'Sort: within blocks';
}

const diagram = new DiagramView(diagramHost, (layer) => selectLayer(layer, 'diagram'), toggleBlock);
diagram.message('The diagram appears when the analysis is complete.');
const minimap = new Minimap(
  () => diagram.visibleArea,
  (x, y) => diagram.moveTo(x, y),
);
diagram.onViewChange = () => minimap.draw();
diagramPane.append(minimap.element);

let persistTimer = 0;
function persistSoon(): void {
  clearTimeout(persistTimer);
  persistTimer = window.setTimeout(persist, 200);
}

let firstRowReported = false;
let layoutGeneration = 0;

function selectLayer(layer: string, from: 'table' | 'diagram' | 'host'): void {
  state.selected = layer;
  persist();
  table.select(layer, from !== 'table');
  diagram.select(layer, from !== 'diagram');
  if (from !== 'host') model.select(layer);
}

function setAllCollapsed(collapsed: boolean): void {
  table.setAllCollapsed(collapsed);
  state.collapsed = collapsed ? model.groups.filter((g) => g.block !== null).map((g) => g.key) : [];
  persist();
  updateRowCount();
}

// ---- protocol ----------------------------------------------------------------------------------------
const model = new PanelModel((m) => vscode.postMessage(m), {
  init() {
    state.modelKey = model.modelKey;
    // The user's choice in any panel wins over this panel's own older one.
    if (model.columns && model.columns.join() !== (state.columns ?? DEFAULT_COLUMNS).join()) {
      showChosenColumns(chooser, model.columns);
      chooseColumns(model.columns);
    }
    persist();
    document.title = model.title;
    title.textContent = model.title;
  },
  start() {
    document.body.dataset.startAt ??= String(Date.now());
    firstRowReported = false;
    cancelLayout();
    layoutGeneration++;
    layouts.clear();
    minimap.show(null);
    table.format = model.settings.numberFormat;
    table.framework = model.framework;
    table.blockTypes.clear();
    table.reset();
    state.input = model.input;
    persist();
    inputField.setAttribute('placeholder', formatInputSize([224, 224, 3], model.framework));
    if (document.activeElement !== inputField) setFieldValue(formatInputSize(model.input, model.framework));
    progress.hidden = false;
    progress.removeAttribute('value');
    errorBanner.hidden = true;
    savings.replaceChildren();
    renderHeader();
    renderCompare();
    diagram.message('The diagram appears when the analysis is complete.');
  },
  compare() {
    renderCompare();
  },
  layers() {
    table.append(model.groups);
  },
  done() {
    const summary = model.summary!;
    for (const b of summary.blocks) table.blockTypes.set(b.name, b.type);
    table.complete(model.groups, summary.totals, model.runId ?? 0);
    split.setNaturalWidth(table.naturalWidth ?? table.table.getBoundingClientRect().width);
    progress.hidden = true;
    renderHeader();
    renderSavings();
    updateRowCount();
    if (summary.issues.length > 0) {
      // The model does not fit this input: say where it breaks; the ⚠ rows carry each message.
      const first = summary.issues[0]!;
      const more = summary.issues.length > 1 ? ` (${summary.issues.length} issues; see the ⚠ rows)` : '';
      errorBanner.hidden = false;
      errorBanner.classList.add('user-error');
      errorBanner.textContent = `${first.message}${more}`;
    }
    model.rendered(model.layers.length, true);
    if (restoring) {
      restoring = false;
      if (state.selected && model.layer(state.selected)) table.select(state.selected, false);
      tableScroller.scrollTop = saved.scrollTop;
    } else if (state.selected && model.layer(state.selected)) {
      table.select(state.selected, false);
    }
    void drawDiagram();
  },
  error() {
    progress.hidden = true;
    const e = model.error!;
    errorBanner.hidden = false;
    errorBanner.textContent = e.userError ? e.message : `Internal error: ${e.message} (details in Output › CNN Inspector)`;
    errorBanner.classList.toggle('user-error', e.userError);
    table.flush();
    table.table.dataset.complete = 'error';
  },
  settings() {
    table.format = model.settings.numberFormat;
    table.refresh();
    renderHeader();
    renderCompare();
    renderSavings();
  },
  reveal(layer) {
    selectLayer(layer, 'host');
  },
  exportResult(ok, message) {
    status.textContent = message;
    status.classList.toggle('failed', !ok);
  },
});

window.addEventListener('message', (event) => {
  try {
    model.receive(event.data);
  } catch (error) {
    model.reportError(`while handling ${describe(event.data)}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
});
window.addEventListener('error', (e) => model.reportError(e.message));
window.addEventListener('unhandledrejection', (e) => model.reportError(String(e.reason)));

function describe(data: unknown): string {
  return typeof data === 'object' && data !== null && 'kind' in data ? String((data as { kind: unknown }).kind) : 'a message';
}

// ---- header and sections -----------------------------------------------------------------------------
function renderHeader(): void {
  const s = model.settings;
  title.textContent = model.title || model.model;
  document.title = title.textContent;
  meta.textContent = `${model.model} · input ${shapeText(model.input.map((d) => (d === 0 ? null : d)), model.framework)} · backend ${model.backend || '…'} · ${flopConvention(s)}`;
  const summary = model.summary;
  const f = s.numberFormat;
  const items: [string, string, string][] = [];
  if (summary) {
    const t = summary.totals;
    const mf = formatMacsAndFlops(t.macs, s);
    items.push(
      // With unknown layers the sums are lower bounds, and say so; an unread freezing leaves the split unknown.
      ['Parameters', `${t.lowerBound ? '≥ ' : ''}${f === 'exact' ? `${formatExact(t.params)} (${formatSi(t.params)})` : formatSi(t.params)}`, 'total-params'],
      ['Trainable', t.trainableUnknown ? 'unknown' : `${t.lowerBound ? '≥ ' : ''}${formatCount(t.trainableParams, f)}`, 'total-trainable'],
      ['MACs', mf.macs, 'total-macs'],
      [`FLOPs (${s.flopsPerMac} per MAC)`, mf.flops, 'total-flops'],
      ['Weights', formatBytes(t.paramBytes), 'total-weight-bytes'],
      ['Peak activations', formatBytes(t.peakActivationBytes), 'peak-activation'],
      ['Layers', String(model.layers.length), 'layer-count'],
    );
    if (summary.issues.length > 0) items.push(['Issues', `${summary.issues.length} (see ⚠ rows)`, 'issue-count']);
  } else {
    items.push(['Layers', `${model.layers.length} / ${model.layerCount}`, 'layer-count']);
  }
  totals.replaceChildren(...items.map(([k, v, id]) => el('div', {}, el('dt', {}, k), el('dd', { 'data-testid': id }, v))));
}

/** B compared with A: the totals side by side; the table and (once laid out) the diagram mark what differs. */
function renderCompare(): void {
  const c = model.comparison;
  table.setCompare(c ? c.layers : null);
  compareHost.replaceChildren();
  compareHost.hidden = c === null;
  if (c) compareHost.append(compareSummary(c, model.settings.numberFormat, () => model.openComparison()));
}

function renderSavings(): void {
  const summary = model.summary;
  savings.replaceChildren();
  if (!summary) return;
  const f = model.settings.numberFormat;
  savings.append(el('h2', {}, '1×1 bottleneck savings'));
  if (!summary.oneByOneTotals) {
    savings.append(el('p', { 'data-testid': 'savings-summary' }, 'No k×k convolution here is fed by a channel-reducing 1×1 convolution.'));
    return;
  }
  const t = summary.oneByOneTotals;
  savings.append(
    el('p', { 'data-testid': 'savings-summary', class: 'headline' }, savingsSentence(t)),
    el(
      'p',
      { class: 'note' },
      `Naive k×k convolutions on the unreduced channels: ${formatCount(t.naiveMacs, f)} MACs; with the 1×1 reductions: ${formatCount(t.actualMacs, f)} MACs.`,
    ),
  );
  const rows = summary.oneByOne.map((s) =>
    el(
      'tr',
      { 'data-layer': s.layer },
      el('td', {}, s.block ?? ''),
      el('td', {}, `${s.reducer} → ${s.layer}`),
      el('td', { class: 'num' }, formatCount(s.naiveMacs, f)),
      el('td', { class: 'num' }, formatCount(s.actualMacs, f)),
      el('td', { class: 'num' }, `${s.savings.toFixed(2)}×`),
    ),
  );
  const tbl = el(
    'table',
    { class: 'savings-table', 'data-testid': 'savings-table' },
    el('thead', {}, el('tr', {}, ...['Block', '1×1 → k×k', 'Naive MACs', 'Actual MACs', 'Fewer'].map((h, i) => el('th', i >= 2 ? { class: 'num' } : {}, h)))),
    el('tbody', {}, ...rows),
  );
  tbl.addEventListener('click', (e) => {
    const layer = (e.target as Element).closest('tr')?.getAttribute('data-layer');
    if (layer) selectLayer(layer, 'diagram');
  });
  savings.append(tbl);
}

// ---- diagram -----------------------------------------------------------------------------------------
/** Layouts of this run, by the set of expanded blocks: expanding and collapsing again costs nothing. */
const layouts = new Map<string, DiagramLayout>();

function toggleBlock(block: string, expand: boolean): void {
  const current = new Set(state.diagramExpanded);
  if (expand) current.add(block);
  else current.delete(block);
  state.diagramExpanded = [...current];
  persist();
  state.diagramView = diagram.currentView;
  void drawDiagram().then(() => diagram.focusNode(BLOCK_PREFIX + block));
}

async function drawDiagram(): Promise<void> {
  const generation = ++layoutGeneration;
  const layers = model.layers;
  const summary = model.summary;
  if (!summary) return;
  const blocks = new Set(layers.map((l) => l.block).filter((b): b is string => b !== null));
  const expanded = new Set(state.diagramExpanded.filter((b) => blocks.has(b)));
  const key = [...expanded].sort().join('\u0000');
  let laid = layouts.get(key);
  if (!laid) {
    const nodes = layers.filter((l) => l.block === null || expanded.has(l.block)).length + blocks.size - expanded.size;
    if (diagramHost.dataset.ready !== 'true') diagram.message(`Laying out ${nodes} nodes…`);
    try {
      const { graph, info } = toElkGraph(layers, model.input, {
        expanded,
        framework: model.framework,
        totalMacs: summary.totals.macs,
        blockTypes: new Map(summary.blocks.map((b) => [b.name, b.type])),
        ...(model.comparison ? { compare: new Map(model.comparison.layers.map((l) => [l.name, l])) } : {}),
      });
      // A chain (every collapsed zoo model) needs no ELK; branches and expanded blocks do.
      const result = chainLayout(graph) ?? (await layoutGraph(graph, document.body.dataset.elkWorker ?? ''));
      if (generation !== layoutGeneration) return;
      laid = fromElk(result, info);
      layouts.set(key, laid);
    } catch (error) {
      if (generation !== layoutGeneration) return;
      diagram.message(`The diagram could not be laid out: ${error instanceof Error ? error.message : String(error)}`);
      model.reportError(`layout failed: ${String(error)}`);
      return;
    }
  }
  diagram.show(laid, state.diagramView);
  minimap.show(laid);
  diagramHost.dataset.readyAt = String(Date.now());
  if (state.selected) diagram.select(state.selected, state.diagramView === null);
  state.diagramView = null;
}

// Remember the diagram's pan and zoom when the panel is hidden (a revived webview starts from its state).
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden' && diagramHost.dataset.ready === 'true') {
    state.diagramView = diagram.currentView;
    persist();
    state.diagramView = null;
  }
});

// ---- input size --------------------------------------------------------------------------------------
type TextField = HTMLElement & { value: string; invalid: boolean };
const field = inputField as TextField;

function setFieldValue(text: string): void {
  field.value = text;
}

function submitInput(): void {
  const text = field.value;
  const error = model.requestInput(text);
  inputError.textContent = error ?? '';
  field.invalid = error !== null;
}
runButton.addEventListener('click', submitInput);
resetButton.addEventListener('click', () => {
  setFieldValue(formatInputSize(model.defaultInput, model.framework));
  submitInput();
});
inputField.addEventListener('keydown', (e) => {
  if ((e as KeyboardEvent).key === 'Enter') submitInput();
});
inputField.addEventListener('input', () => {
  if (inputError.textContent) {
    inputError.textContent = '';
    field.invalid = false;
  }
});

// ---- export ------------------------------------------------------------------------------------------
/** "Copy table": what the user sees — the rows after filter, sort and collapse, the chosen columns. */
function copyVisibleRows(): void {
  if (!model.summary) {
    status.textContent = 'Wait for the analysis to finish.';
    return;
  }
  const shown = table.visible;
  const filter = state.search.trim() === '' ? '' : `, filter “${state.search.trim()}”`;
  const caption = `${model.title || model.model}: ${shown.length} rows shown${filter} · input ${shapeText(model.input, model.framework)} · ${flopConvention(model.settings)}`;
  const content = visibleRowsMarkdown(caption, shown, chosenColumns(table.columnIds), table.cellContext, table.blockTypes);
  status.textContent = '';
  model.exportContent('markdown', 'clipboard', content);
}

/** Saving: the whole report by the host's core exporters (the CLI's formats); the SVG from the diagram here. */
function doExport(format: 'markdown' | 'csv' | 'json' | 'svg'): void {
  const summary = model.summary;
  if (!summary) {
    status.textContent = 'Wait for the analysis to finish.';
    return;
  }
  let content: string | null = null;
  if (format === 'svg') {
    content = diagram.exportSvg(standaloneStyle(themePalette()));
    if (content === null) {
      status.textContent = 'The diagram is not ready yet.';
      return;
    }
  }
  status.textContent = '';
  model.exportContent(format, 'file', content);
}

/** The theme's colours now, resolved, for a standalone SVG. */
function themePalette(): Parameters<typeof standaloneStyle>[0] {
  const css = getComputedStyle(document.body);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  return {
    background: parseColor(v('--vscode-editor-background', '#ffffff')) ?? [255, 255, 255],
    foreground: v('--vscode-editor-foreground', '#1f1f1f'),
    border: v('--vscode-panel-border', '#888888'),
    edge: v('--vscode-descriptionForeground', '#777777'),
    hot: parseColor(v('--vscode-charts-orange', '#d18616')) ?? [209, 134, 22],
    font: v('--vscode-font-family', 'sans-serif'),
  };
}

model.ready();
document.body.dataset.readyAt = String(Date.now());
