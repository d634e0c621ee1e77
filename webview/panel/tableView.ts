/**
 * The layer table in the DOM, virtualised: only the rows in view (plus a margin) are in the document, between
 * two spacer rows that keep the scroll height, so 5,000 layers scroll like 50. Rows, cells, search and sort
 * come from the pure row model in `shared/table.ts`; column widths are the widest text of each column over
 * all rows, so they do not jump while scrolling. Streamed rows are taken once per animation frame.
 */
import type { Framework } from '../../extension/core/spec';
import type { NumberFormat } from '../../extension/protocol';
import { heatLevel } from '../shared/heat';
import type { LayerComparison } from '../../extension/core/compare';
import {
  chosenColumns,
  columnById,
  COMPARE_COLUMN,
  shapeDiffers,
  groupCells,
  layerCells,
  visibleRows,
  type CellContext,
  type Column,
  type LayerGroup,
  type SortOrder,
  type TableRow,
} from '../shared/table';

export interface TableCallbacks {
  select(layer: string): void;
  open(layer: string): void;
  toggle(groupKey: string, collapsed: boolean): void;
  /** Layers taken into the table (after each flush). */
  flushed(layers: number): void;
  /** The sort changed by a click on a header (to remember it). */
  sorted?(sort: SortOrder | null): void;
}

/** Rows drawn beyond the visible ones on each side, so a fast wheel does not show blank space. */
const OVERSCAN = 12;
/** Until a row is measured (a real row height depends on the theme's font size). */
const DEFAULT_ROW_HEIGHT = 22;

export class TableView {
  readonly table: HTMLTableElement;
  private readonly colgroup: HTMLTableColElement;
  private readonly headRow: HTMLTableRowElement;
  private readonly body: HTMLTableSectionElement;
  private groups: readonly LayerGroup[] = [];
  private layerCount = 0;
  private frame = 0;
  private rows: TableRow[] = [];
  private rowIndex = new Map<string, number>();
  /** The widest text of each column, in `widthUnit`. */
  private widths: Record<string, number> = {};
  private widthUnit: 'px' | 'ch' = 'ch';
  private measureText: ((text: string, bold: boolean) => number) | null | undefined;
  private measured = 0;
  private rowHeight = DEFAULT_ROW_HEIGHT;
  private window: { first: number; last: number } = { first: 0, last: 0 };
  private selected: string | null = null;
  private maxMacs = 0;
  private totalMacs: number | null = null;
  private totalParams: number | null = null;
  /** The user's columns; `columns` adds A's output shape to them while comparing. */
  private chosen: Column[] = chosenColumns(null);
  private columns: Column[] = this.chosen;
  private compare: ReadonlyMap<string, LayerComparison> | null = null;
  format: NumberFormat = 'exact';
  framework: Framework = 'keras';
  blockTypes = new Map<string, string>();
  collapsed = new Set<string>();
  search = '';
  sort: SortOrder | null = null;

  /** `scroller` is the element that scrolls the table (the table pane). */
  constructor(
    private readonly scroller: HTMLElement,
    private readonly callbacks: TableCallbacks,
  ) {
    this.table = document.createElement('table');
    this.table.className = 'layers';
    this.table.dataset.testid = 'layer-table';
    this.table.dataset.complete = 'false';
    this.table.setAttribute('role', 'grid');
    this.colgroup = document.createElement('colgroup');
    this.table.append(this.colgroup);
    this.headRow = this.table.createTHead().insertRow();
    this.headRow.addEventListener('click', (e) => this.onHeaderClick(e));
    this.body = this.table.createTBody();
    this.body.addEventListener('click', (e) => this.onClick(e));
    this.body.addEventListener('dblclick', (e) => {
      const layer = (e.target as Element).closest('tr.layer')?.getAttribute('data-layer');
      if (layer) this.callbacks.open(layer);
    });
    this.body.addEventListener('keydown', (e) => this.onKey(e));
    scroller.addEventListener('scroll', () => this.renderWindow(false), { passive: true });
    if (typeof ResizeObserver !== 'undefined') new ResizeObserver(() => this.renderWindow(false)).observe(scroller);
    this.buildHeader();
  }

  /** The columns shown, in order. */
  get columnIds(): string[] {
    return this.chosen.map((c) => c.id);
  }

  /** The rows after collapse, search and sort (all of them, not only those in the DOM). */
  get visible(): readonly TableRow[] {
    return this.rows;
  }

  get cellContext(): CellContext {
    return { totalMacs: this.totalMacs, totalParams: this.totalParams, format: this.format, framework: this.framework, compare: this.compare };
  }

  setColumns(ids: readonly string[] | null): void {
    this.chosen = chosenColumns(ids);
    this.applyColumns();
  }

  /** Marks B's layers against model A (null: not comparing); A's shape shows right after B's. */
  setCompare(layers: readonly LayerComparison[] | null): void {
    this.compare = layers ? new Map(layers.map((l) => [l.name, l])) : null;
    this.applyColumns();
  }

  private applyColumns(): void {
    const columns = [...this.chosen];
    if (this.compare) {
      const after = columns.findIndex((c) => c.id === 'output');
      columns.splice(after === -1 ? 1 : after + 1, 0, COMPARE_COLUMN);
    }
    this.columns = columns;
    this.buildHeader();
    this.recomputeWidths();
    this.rebuild();
  }

  /** Empties the table for a new run. */
  reset(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.groups = [];
    this.layerCount = 0;
    this.rows = [];
    this.rowIndex.clear();
    this.totalMacs = null;
    this.totalParams = null;
    this.maxMacs = 0;
    this.measured = 0;
    this.widths = {};
    this.recomputeWidths();
    this.table.dataset.complete = 'false';
    this.table.dataset.rows = '0';
    this.table.removeAttribute('data-run');
    this.table.removeAttribute('data-first-row-at');
    this.table.removeAttribute('data-complete-at');
    this.rebuild();
  }

  /** New rows streamed into `groups` (the model's live list); they reach the DOM on the next frame. */
  append(groups: readonly LayerGroup[]): void {
    this.groups = groups;
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.flush();
    });
  }

  /** Takes the streamed rows now. */
  flush(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    const total = this.groups.reduce((a, g) => a + g.layers.length, 0);
    if (total !== this.layerCount) {
      this.widenFor(this.layerCount);
      this.layerCount = total;
      this.rebuild();
      // Wall-clock stamps (ms since the epoch) let the E2E test time the run without polling.
      if (this.table.dataset.firstRowAt === undefined && total > 0) this.table.dataset.firstRowAt = String(Date.now());
    }
    this.callbacks.flushed(this.layerCount);
  }

  /** The run is done: shares and heat marks can be drawn, the table is complete. */
  complete(groups: readonly LayerGroup[], totals: { macs: number; params: number }, runId: number): void {
    this.groups = groups;
    this.flush();
    this.totalMacs = totals.macs;
    this.totalParams = totals.params;
    this.refresh();
    this.table.dataset.complete = 'true';
    this.table.dataset.completeAt = String(Date.now());
    this.table.dataset.run = String(runId);
  }

  /** Rewrites every cell (number format changed, or the totals arrived). */
  refresh(): void {
    this.maxMacs = 0;
    for (const g of this.groups) for (const l of g.layers) this.maxMacs = Math.max(this.maxMacs, l.macs);
    this.recomputeWidths();
    this.rebuild();
  }

  /** Search text, sort or collapse changed: new rows, same data. */
  rebuild(): void {
    this.rows = visibleRows(this.groups, { collapsed: this.collapsed, search: this.search, sort: this.sort });
    this.rowIndex.clear();
    this.rows.forEach((r, i) => {
      if (r.kind === 'layer') this.rowIndex.set(r.layer.name, i);
    });
    this.table.dataset.rows = String(this.rows.length);
    this.table.dataset.layerRows = String(this.rows.filter((r) => r.kind === 'layer').length);
    this.renderWindow(true);
  }

  setCollapsed(key: string, collapsed: boolean): void {
    if (collapsed) this.collapsed.add(key);
    else this.collapsed.delete(key);
    this.rebuild();
  }

  setAllCollapsed(collapsed: boolean): void {
    if (collapsed) for (const g of this.groups) if (g.block !== null) this.collapsed.add(g.key);
    if (!collapsed) this.collapsed.clear();
    this.rebuild();
  }

  /** Selects a layer's row (expanding its block, clearing a search that hides it) and optionally scrolls to it. */
  select(layer: string | null, scroll: boolean): void {
    this.selected = layer;
    for (const tr of this.body.querySelectorAll('tr')) if (tr.dataset.layer !== undefined) tr.setAttribute('aria-selected', String(tr.dataset.layer === layer));
    if (layer === null) return;
    if (!this.rowIndex.has(layer)) {
      const group = this.groups.find((g) => g.layers.some((l) => l.name === layer));
      if (!group) return;
      if (this.collapsed.has(group.key)) {
        this.collapsed.delete(group.key);
        this.callbacks.toggle(group.key, false);
      }
      this.rebuild();
      if (!this.rowIndex.has(layer) && this.search !== '') {
        this.search = '';
        this.table.dispatchEvent(new CustomEvent('searchcleared', { bubbles: true }));
        this.rebuild();
      }
    }
    if (scroll) this.scrollToRow(this.rowIndex.get(layer));
  }

  /** The visible rows' first and last index in the DOM (for tests). */
  get renderedRange(): { first: number; last: number } {
    return { ...this.window };
  }

  private scrollToRow(index: number | undefined): void {
    if (index === undefined) return;
    const top = this.bodyTop() + index * this.rowHeight;
    const view = this.scroller.clientHeight;
    const head = this.headRow.getBoundingClientRect().height;
    if (top < this.scroller.scrollTop + head || top + this.rowHeight > this.scroller.scrollTop + view) {
      this.scroller.scrollTop = Math.max(0, top - view / 2);
    }
    this.renderWindow(false);
  }

  /** Where the first body row would start, in the scroller's content coordinates. */
  private bodyTop(): number {
    const s = this.scroller.getBoundingClientRect();
    const t = this.table.getBoundingClientRect();
    return t.top - s.top + this.scroller.scrollTop + this.headRow.getBoundingClientRect().height;
  }

  /** Draws the rows in view; `force` redraws even if the window did not move (the data changed). */
  private renderWindow(force: boolean): void {
    const view = this.scroller.clientHeight || 800;
    const offset = Math.max(0, this.scroller.scrollTop - this.bodyTop());
    const first = Math.max(0, Math.floor(offset / this.rowHeight) - OVERSCAN);
    const last = Math.min(this.rows.length, Math.ceil((offset + view) / this.rowHeight) + OVERSCAN);
    if (!force && first === this.window.first && last === this.window.last) return;
    this.window = { first, last };
    const fragment = document.createDocumentFragment();
    fragment.append(this.spacer(first * this.rowHeight, 'top'));
    const ctx = this.cellContext;
    for (let i = first; i < last; i++) fragment.append(this.rowElement(this.rows[i]!, i, ctx));
    fragment.append(this.spacer((this.rows.length - last) * this.rowHeight, 'bottom'));
    const focused = document.activeElement instanceof HTMLElement && this.body.contains(document.activeElement) ? document.activeElement.dataset.index : undefined;
    this.body.replaceChildren(fragment);
    if (focused !== undefined) (this.body.querySelector(`tr[data-index="${focused}"]`) as HTMLElement | null)?.focus({ preventScroll: true });
    this.measure();
  }

  /** Rows have one height (cells never wrap); it is measured once, from the theme's real font. */
  private measure(): void {
    if (this.measured >= 2) return;
    const row = this.body.querySelector('tr.layer, tr.group');
    const h = row?.getBoundingClientRect().height ?? 0;
    if (h > 0) {
      this.measured++;
      if (Math.abs(h - this.rowHeight) > 0.5) {
        this.rowHeight = h;
        this.renderWindow(true);
      }
    }
  }

  private spacer(height: number, where: string): HTMLTableRowElement {
    const tr = document.createElement('tr');
    tr.className = `spacer ${where}`;
    tr.setAttribute('aria-hidden', 'true');
    const td = document.createElement('td');
    td.colSpan = this.columns.length;
    // CSSOM, not a style attribute: allowed by the webview's CSP.
    td.style.height = `${height}px`;
    tr.append(td);
    return tr;
  }

  private rowElement(row: TableRow, index: number, ctx: CellContext): HTMLTableRowElement {
    const tr = document.createElement('tr');
    tr.dataset.index = String(index);
    tr.tabIndex = index === 0 ? 0 : -1;
    if (row.kind === 'group') {
      tr.className = 'group';
      tr.dataset.group = row.group.key;
      tr.setAttribute('aria-expanded', String(!row.collapsed));
      if (this.compare && row.group.layers.some((l) => shapeDiffers(l.name, ctx) !== null)) tr.classList.add('shape-changed');
      this.fill(tr, groupCells(row.group, this.blockTypes.get(row.group.block ?? '') ?? null, ctx, this.columns));
      const twisty = document.createElement('button');
      twisty.className = 'twisty';
      twisty.type = 'button';
      twisty.tabIndex = -1;
      twisty.setAttribute('aria-label', `Collapse or expand ${row.group.block ?? ''}`);
      tr.cells[0]?.prepend(twisty);
      return tr;
    }
    const { layer, group } = row;
    const flat = this.sort?.scope === 'flat' && this.sort !== null;
    tr.className = group.block === null || flat ? 'layer top' : 'layer';
    tr.dataset.layer = layer.name;
    tr.dataset.group = group.key;
    tr.setAttribute('aria-selected', String(layer.name === this.selected));
    if (layer.error) {
      tr.classList.add('issue');
      tr.title = layer.error.message;
    }
    if (layer.source) tr.classList.add('has-source');
    const differs = this.compare ? shapeDiffers(layer.name, ctx) : null;
    if (differs === 'changed') tr.classList.add('shape-changed');
    else if (differs === 'added') tr.classList.add('added-in-b');
    tr.dataset.heat = ctx.totalMacs === null ? '' : String(heatLevel(layer.macs, this.maxMacs));
    this.fill(tr, layerCells(layer, ctx, this.columns));
    return tr;
  }

  private fill(tr: HTMLTableRowElement, cells: Record<string, string>): void {
    for (const c of this.columns) {
      const td = tr.insertCell();
      td.className = c.numeric ? `num col-${c.id}` : `col-${c.id}`;
      const span = document.createElement('span');
      span.className = 'text';
      const text = cells[c.id] ?? '';
      span.textContent = text;
      // Long text (several input shapes, many producers) is cut by the column; the tooltip has it whole.
      if (text.length > 24) td.title = text;
      td.append(span);
    }
  }

  private buildHeader(): void {
    this.headRow.replaceChildren();
    for (const c of this.columns) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.className = c.numeric ? `num col-${c.id}` : `col-${c.id}`;
      th.dataset.column = c.id;
      th.title = c.numeric ? `${c.description}. Click to sort.` : c.description;
      const sorted = this.sort?.column === c.id;
      if (c.sortLayer) {
        th.classList.add('sortable');
        th.setAttribute('aria-sort', sorted ? (this.sort!.descending ? 'descending' : 'ascending') : 'none');
      }
      th.textContent = c.title + (sorted ? (this.sort!.descending ? ' ▼' : ' ▲') : '');
      this.headRow.append(th);
    }
    this.applyWidths();
  }

  /** Sort cycle on a numeric header: largest first, smallest first, model order. */
  private onHeaderClick(e: MouseEvent): void {
    const id = (e.target as Element).closest('th')?.getAttribute('data-column');
    const column = id ? columnById(id) : undefined;
    if (!column?.sortLayer) return;
    const scope = this.sort?.scope ?? 'blocks';
    if (this.sort?.column !== column.id) this.sort = { column: column.id, descending: true, scope };
    else if (this.sort.descending) this.sort = { ...this.sort, descending: false };
    else this.sort = null;
    this.callbacks.sorted?.(this.sort);
    this.setSort(this.sort);
  }

  setSort(sort: SortOrder | null): void {
    this.sort = sort;
    this.buildHeader();
    this.rebuild();
  }

  /** Widths from every layer since `from` (streaming only widens). */
  private widenFor(from: number): void {
    const ctx = this.cellContext;
    let seen = 0;
    let changed = false;
    for (const g of this.groups) {
      const end = seen + g.layers.length;
      if (end > from) {
        if (g.block !== null) changed = this.widen(groupCells(g, this.blockTypes.get(g.block) ?? null, ctx, this.columns), true) || changed;
        for (let i = Math.max(0, from - seen); i < g.layers.length; i++) changed = this.widen(layerCells(g.layers[i]!, ctx, this.columns), false) || changed;
      }
      seen = end;
    }
    if (changed) this.applyWidths();
  }

  /** Widens columns to fit `cells`: in pixels of the table's own font when it can be measured, else characters. */
  private widen(cells: Record<string, string>, bold: boolean): boolean {
    const measure = this.measurer();
    let changed = false;
    for (const c of this.columns) {
      const text = (cells[c.id] ?? '').slice(0, 60);
      const w = measure ? measure(text, bold) : text.length;
      if (w > (this.widths[c.id] ?? 0)) {
        this.widths[c.id] = w;
        changed = true;
      }
    }
    return changed;
  }

  /** Measures text in the table's font with a canvas (exact, no layout); null without a canvas or a font (tests). */
  private measurer(): ((text: string, bold: boolean) => number) | null {
    if (this.measureText !== undefined) return this.measureText;
    const canvas = this.table.isConnected ? document.createElement('canvas').getContext?.('2d') : null;
    const style = this.table.isConnected ? getComputedStyle(this.table) : null;
    if (!canvas || !style || !style.fontFamily) {
      if (this.table.isConnected) this.measureText = null;
      return null;
    }
    const font = `${style.fontSize} ${style.fontFamily}`;
    const cache = new Map<string, number>();
    this.measureText = (text, bold) => {
      const key = bold ? `b${text}` : text;
      let w = cache.get(key);
      if (w === undefined) {
        canvas.font = `${bold ? '600 ' : ''}${font}`;
        w = Math.ceil(canvas.measureText(text).width);
        cache.set(key, w);
      }
      return w;
    };
    this.widthUnit = 'px';
    return this.measureText;
  }

  private recomputeWidths(): void {
    const measure = this.measurer();
    this.widths = Object.fromEntries(
      this.columns.map((c) => {
        const head = c.title + (c.sortLayer ? ' ▼' : '');
        return [c.id, measure ? measure(head, true) : head.length];
      }),
    );
    this.widenFor(0);
    this.applyWidths();
  }

  /** The width the chosen columns need, in px (null until the table's font could be measured). */
  get naturalWidth(): number | null {
    if (this.widthUnit !== 'px') return null;
    return this.columns.reduce((a, c) => a + (this.widths[c.id] ?? 0) + (c.id === 'name' ? 44 : 18), 0);
  }

  /** Fixed widths from the widest text (plus the cell padding, and the twisty and indent for names). */
  private applyWidths(): void {
    const cols = this.columns.map((c) => {
      const col = document.createElement('col');
      const extra = c.id === 'name' ? 44 : 18;
      const w = this.widths[c.id] ?? c.title.length;
      col.style.width = this.widthUnit === 'px' ? `${w + extra}px` : `calc(${w.toFixed(1)}ch + ${extra}px)`;
      col.dataset.column = c.id;
      return col;
    });
    this.colgroup.replaceChildren(...cols);
  }

  private onClick(e: MouseEvent): void {
    const tr = (e.target as Element).closest('tr');
    if (!tr) return;
    if (tr.classList.contains('group')) {
      const key = tr.dataset.group;
      if (!key) return;
      const collapse = tr.getAttribute('aria-expanded') === 'true';
      this.setCollapsed(key, collapse);
      this.callbacks.toggle(key, collapse);
      return;
    }
    const layer = tr.dataset.layer;
    if (layer) {
      this.select(layer, false);
      this.callbacks.select(layer);
    }
  }

  /** Up/down move the selection, Enter opens the source, left/right collapse/expand the block. */
  private onKey(e: KeyboardEvent): void {
    const tr = (e.target as Element).closest('tr');
    const index = Number(tr?.dataset.index);
    if (!tr || !Number.isInteger(index)) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const next = index + (e.key === 'ArrowDown' ? 1 : -1);
      const row = this.rows[next];
      if (!row) return;
      e.preventDefault();
      if (row.kind === 'layer') {
        this.select(row.layer.name, true);
        this.callbacks.select(row.layer.name);
      } else {
        this.scrollToRow(next);
      }
      (this.body.querySelector(`tr[data-index="${next}"]`) as HTMLElement | null)?.focus({ preventScroll: true });
    } else if (e.key === 'Enter' && tr.dataset.layer) {
      this.callbacks.open(tr.dataset.layer);
    } else if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && tr.dataset.group && this.sort?.scope !== 'flat') {
      const collapse = e.key === 'ArrowLeft';
      this.setCollapsed(tr.dataset.group, collapse);
      this.callbacks.toggle(tr.dataset.group, collapse);
    }
  }
}

