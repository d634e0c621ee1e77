/**
 * The layer table in the DOM. Rows arrive in batches and are appended once per animation frame with one
 * DocumentFragment, so a 500-layer stream costs a few dozen layouts, not 500. Cell text comes from the pure
 * row model in `shared/table.ts`.
 */
import type { LayerResult } from '../../extension/core/result';
import type { NumberFormat } from '../../extension/protocol';
import { heatLevel } from '../shared/heat';
import { COLUMNS, groupCells, layerCells, type LayerGroup, type RowCells } from '../shared/table';

export interface TableCallbacks {
  select(layer: string): void;
  open(layer: string): void;
  toggle(groupKey: string, collapsed: boolean): void;
  /** Rows now in the DOM (after each flush). */
  flushed(rows: number): void;
}

type Pending = { kind: 'group'; group: LayerGroup } | { kind: 'layer'; layer: LayerResult; group: LayerGroup };

export class TableView {
  readonly table: HTMLTableElement;
  private readonly body: HTMLTableSectionElement;
  private pending: Pending[] = [];
  private frame = 0;
  private readonly rowsByLayer = new Map<string, HTMLTableRowElement>();
  private readonly groupRows = new Map<string, { header: HTMLTableRowElement | null; rows: HTMLTableRowElement[]; group: LayerGroup }>();
  private readonly dirtyGroups = new Set<LayerGroup>();
  private selected: string | null = null;
  private layerCount = 0;
  format: NumberFormat = 'exact';
  blockTypes = new Map<string, string>();
  collapsed = new Set<string>();

  constructor(private readonly callbacks: TableCallbacks) {
    this.table = document.createElement('table');
    this.table.className = 'layers';
    this.table.dataset.testid = 'layer-table';
    this.table.dataset.complete = 'false';
    this.table.setAttribute('role', 'grid');
    const head = this.table.createTHead().insertRow();
    for (const c of COLUMNS) {
      const th = document.createElement('th');
      th.textContent = c.title;
      th.scope = 'col';
      if (c.numeric) th.className = 'num';
      head.append(th);
    }
    this.body = this.table.createTBody();
    this.body.addEventListener('click', (e) => this.onClick(e));
    this.body.addEventListener('dblclick', (e) => {
      const row = (e.target as Element).closest('tr.layer');
      const layer = row?.getAttribute('data-layer');
      if (layer) this.callbacks.open(layer);
    });
    this.body.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** Empties the table for a new run. */
  reset(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.pending = [];
    this.body.replaceChildren();
    this.rowsByLayer.clear();
    this.groupRows.clear();
    this.dirtyGroups.clear();
    this.layerCount = 0;
    this.table.dataset.complete = 'false';
    this.table.removeAttribute('data-run');
    this.table.removeAttribute('data-first-row-at');
    this.table.removeAttribute('data-complete-at');
  }

  /** Queues streamed rows; they reach the DOM on the next frame. */
  append(added: readonly { layer: LayerResult; group: LayerGroup }[], newGroups: readonly LayerGroup[]): void {
    const fresh = new Set(newGroups);
    for (const { layer, group } of added) {
      if (fresh.has(group)) {
        this.pending.push({ kind: 'group', group });
        fresh.delete(group);
      }
      this.pending.push({ kind: 'layer', layer, group });
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.flush(null);
    });
  }

  /** Writes queued rows now. `totalMacs` fills the % column once the run is done. */
  flush(totalMacs: number | null): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (this.pending.length > 0) {
      const fragment = document.createDocumentFragment();
      for (const item of this.pending) {
        if (item.kind === 'group') {
          const entry = { header: null as HTMLTableRowElement | null, rows: [] as HTMLTableRowElement[], group: item.group };
          if (item.group.block !== null) {
            entry.header = this.groupRow(item.group, totalMacs);
            fragment.append(entry.header);
          }
          this.groupRows.set(item.group.key, entry);
        } else {
          const row = this.layerRow(item.layer, item.group, totalMacs);
          this.groupRows.get(item.group.key)?.rows.push(row);
          this.rowsByLayer.set(item.layer.name, row);
          fragment.append(row);
          this.dirtyGroups.add(item.group);
          this.layerCount++;
        }
      }
      this.pending = [];
      this.body.append(fragment);
      // Wall-clock stamps (ms since the epoch) let the E2E test time the run without polling.
      if (this.table.dataset.firstRowAt === undefined) this.table.dataset.firstRowAt = String(Date.now());
      // One row is in the tab order so keyboard users can enter the table; arrows move from there.
      const first = this.body.rows[0];
      if (first && first.tabIndex !== 0) first.tabIndex = 0;
    }
    for (const group of this.dirtyGroups) {
      const header = this.groupRows.get(group.key)?.header;
      if (header) fillCells(header, groupCells(group, this.blockTypes.get(group.block ?? '') ?? null, totalMacs, this.format));
    }
    this.dirtyGroups.clear();
    this.callbacks.flushed(this.layerCount);
  }

  /** The run is done: fill the % column and heat marks, mark the table complete. */
  complete(totalMacs: number, runId: number): void {
    this.flush(totalMacs);
    this.refresh(totalMacs);
    this.table.dataset.complete = 'true';
    this.table.dataset.completeAt = String(Date.now());
    this.table.dataset.run = String(runId);
  }

  /** Rewrites every cell (number format changed, or the totals arrived). */
  refresh(totalMacs: number | null): void {
    let maxMacs = 0;
    for (const { group } of this.groupRows.values()) for (const l of group.layers) maxMacs = Math.max(maxMacs, l.macs);
    for (const { header, rows, group } of this.groupRows.values()) {
      if (header) fillCells(header, groupCells(group, this.blockTypes.get(group.block ?? '') ?? null, totalMacs, this.format));
      group.layers.forEach((layer, i) => {
        const row = rows[i];
        if (!row) return;
        fillCells(row, layerCells(layer, totalMacs, this.format));
        row.dataset.heat = totalMacs === null ? '' : String(heatLevel(layer.macs, maxMacs));
      });
    }
  }

  private groupRow(group: LayerGroup, totalMacs: number | null): HTMLTableRowElement {
    const row = document.createElement('tr');
    row.className = 'group';
    row.dataset.group = group.key;
    const collapsed = this.collapsed.has(group.key);
    row.setAttribute('aria-expanded', String(!collapsed));
    row.tabIndex = -1;
    createCells(row, groupCells(group, this.blockTypes.get(group.block ?? '') ?? null, totalMacs, this.format));
    const twisty = document.createElement('button');
    twisty.className = 'twisty';
    twisty.type = 'button';
    twisty.setAttribute('aria-label', `Collapse or expand ${group.block ?? ''}`);
    row.cells[0]?.prepend(twisty);
    return row;
  }

  private layerRow(layer: LayerResult, group: LayerGroup, totalMacs: number | null): HTMLTableRowElement {
    const row = document.createElement('tr');
    row.className = group.block === null ? 'layer top' : 'layer';
    row.dataset.layer = layer.name;
    row.dataset.group = group.key;
    row.tabIndex = -1;
    row.setAttribute('aria-selected', String(layer.name === this.selected));
    if (layer.error) {
      row.classList.add('issue');
      row.title = layer.error.message;
    }
    if (layer.source) row.classList.add('has-source');
    if (group.block !== null && this.collapsed.has(group.key)) row.hidden = true;
    createCells(row, layerCells(layer, totalMacs, this.format));
    return row;
  }

  setCollapsed(key: string, collapsed: boolean): void {
    if (collapsed) this.collapsed.add(key);
    else this.collapsed.delete(key);
    const entry = this.groupRows.get(key);
    if (!entry || !entry.header) return;
    entry.header.setAttribute('aria-expanded', String(!collapsed));
    for (const row of entry.rows) row.hidden = collapsed;
  }

  setAllCollapsed(collapsed: boolean): void {
    for (const [key, entry] of this.groupRows) if (entry.header) this.setCollapsed(key, collapsed);
  }

  /** Selects a layer's row (expanding its block) and optionally scrolls it into view. */
  select(layer: string | null, scroll: boolean): void {
    if (this.selected !== null) this.rowsByLayer.get(this.selected)?.setAttribute('aria-selected', 'false');
    this.selected = layer;
    if (layer === null) return;
    const row = this.rowsByLayer.get(layer);
    if (!row) return;
    const key = row.dataset.group;
    if (row.hidden && key) {
      this.setCollapsed(key, false);
      this.callbacks.toggle(key, false);
    }
    row.setAttribute('aria-selected', 'true');
    if (scroll) row.scrollIntoView({ block: 'nearest' });
  }

  private onClick(e: MouseEvent): void {
    const target = e.target as Element;
    const groupRow = target.closest('tr.group');
    if (groupRow) {
      const key = groupRow.getAttribute('data-group');
      if (!key) return;
      const collapsed = groupRow.getAttribute('aria-expanded') === 'true';
      this.setCollapsed(key, collapsed);
      this.callbacks.toggle(key, collapsed);
      return;
    }
    const layer = target.closest('tr.layer')?.getAttribute('data-layer');
    if (layer) {
      this.select(layer, false);
      this.callbacks.select(layer);
    }
  }

  /** Up/down move the selection, Enter opens the source, left/right collapse/expand the block. */
  private onKey(e: KeyboardEvent): void {
    const row = (e.target as Element).closest('tr');
    if (!row) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      let next = (e.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling) as HTMLTableRowElement | null;
      while (next && next.hidden) next = (e.key === 'ArrowDown' ? next.nextElementSibling : next.previousElementSibling) as HTMLTableRowElement | null;
      if (!next) return;
      e.preventDefault();
      next.tabIndex = -1;
      next.focus();
      const layer = next.dataset.layer;
      if (layer) {
        this.select(layer, true);
        this.callbacks.select(layer);
      }
    } else if (e.key === 'Enter' && row.dataset.layer) {
      this.callbacks.open(row.dataset.layer);
    } else if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && row.dataset.group) {
      const collapsed = e.key === 'ArrowLeft';
      this.setCollapsed(row.dataset.group, collapsed);
      this.callbacks.toggle(row.dataset.group, collapsed);
    }
  }
}

function createCells(row: HTMLTableRowElement, cells: RowCells): void {
  for (const c of COLUMNS) {
    const td = row.insertCell();
    td.className = c.numeric ? `num col-${c.id}` : `col-${c.id}`;
    const span = document.createElement('span');
    span.className = 'text';
    span.textContent = cells[c.id];
    td.append(span);
  }
}

function fillCells(row: HTMLTableRowElement, cells: RowCells): void {
  COLUMNS.forEach((c, i) => {
    const span = row.cells[i]?.querySelector('span.text');
    if (span && span.textContent !== cells[c.id]) span.textContent = cells[c.id];
  });
}
