/**
 * The layer table as data: consecutive layers of one block form a group with a header row showing the
 * block's totals; collapsed groups show only that header. The DOM code in `webview/panel/` renders these
 * rows; nothing here touches the DOM.
 */
import type { LayerResult } from '../../extension/core/result';
import type { NumberFormat } from '../../extension/protocol';
import { formatBytes, formatCount, formatPercent, formatShape } from './format';

/** A run of consecutive layers sharing a block (or a run of layers outside any block, `block` null). */
export interface LayerGroup {
  /** Unique within a table: the block name, suffixed when a block name recurs non-consecutively. */
  key: string;
  block: string | null;
  layers: LayerResult[];
  macs: number;
  params: number;
  activationBytes: number;
}

/** Adds a layer to the groups being streamed; returns its group and whether the group is new. */
export function appendLayer(groups: LayerGroup[], layer: LayerResult): { group: LayerGroup; created: boolean } {
  const last = groups[groups.length - 1];
  if (last && last.block === layer.block) {
    addTo(last, layer);
    return { group: last, created: false };
  }
  const base = layer.block ?? `(top level ${groups.length})`;
  const taken = new Set(groups.map((g) => g.key));
  let key = base;
  for (let i = 2; taken.has(key); i++) key = `${base} #${i}`;
  const group: LayerGroup = { key, block: layer.block, layers: [], macs: 0, params: 0, activationBytes: 0 };
  addTo(group, layer);
  groups.push(group);
  return { group, created: true };
}

function addTo(group: LayerGroup, layer: LayerResult): void {
  group.layers.push(layer);
  group.macs += layer.macs;
  group.params += layer.params;
  group.activationBytes += layer.activationBytes ?? 0;
}

/** Groups a whole list of layers. */
export function groupLayers(layers: readonly LayerResult[]): LayerGroup[] {
  const groups: LayerGroup[] = [];
  for (const layer of layers) appendLayer(groups, layer);
  return groups;
}

/** The table's columns, in order; `numeric` columns align right. */
export const COLUMNS = [
  { id: 'name', title: 'Layer', numeric: false },
  { id: 'type', title: 'Type', numeric: false },
  { id: 'output', title: 'Output shape', numeric: false },
  { id: 'params', title: 'Params', numeric: true },
  { id: 'macs', title: 'MACs', numeric: true },
  { id: 'share', title: '% of MACs', numeric: true },
  { id: 'activation', title: 'Activation', numeric: true },
] as const;

export type ColumnId = (typeof COLUMNS)[number]['id'];
export type RowCells = Record<ColumnId, string>;

/** Cells of one layer row. `totalMacs` is null while the run streams (the share is not known yet). */
export function layerCells(layer: LayerResult, totalMacs: number | null, format: NumberFormat): RowCells {
  return {
    name: layer.name,
    type: layer.type,
    output: layer.error ? `${formatShape(layer.outputShape)} ⚠` : formatShape(layer.outputShape),
    params: formatCount(layer.params, format),
    macs: formatCount(layer.macs, format),
    share: formatPercent(layer.macs, totalMacs),
    activation: formatBytes(layer.activationBytes, format),
  };
}

/** Cells of a block header row: the block's totals; the output is the block's last layer's output. */
export function groupCells(group: LayerGroup, blockType: string | null, totalMacs: number | null, format: NumberFormat): RowCells {
  const last = group.layers[group.layers.length - 1];
  const count = `${group.layers.length} layer${group.layers.length === 1 ? '' : 's'}`;
  return {
    name: group.block ?? 'top level',
    type: blockType ? `${blockType} · ${count}` : count,
    output: last ? formatShape(last.outputShape) : '',
    params: formatCount(group.params, format),
    macs: formatCount(group.macs, format),
    share: formatPercent(group.macs, totalMacs),
    activation: formatBytes(group.activationBytes, format),
  };
}

/** One visible table row. */
export type TableRow = { kind: 'group'; group: LayerGroup; collapsed: boolean } | { kind: 'layer'; layer: LayerResult; group: LayerGroup };

/**
 * The rows to show: every block group gets a header row and, unless collapsed, its layers; layers outside
 * any block are shown without a header.
 */
export function visibleRows(groups: readonly LayerGroup[], collapsed: ReadonlySet<string>): TableRow[] {
  const rows: TableRow[] = [];
  for (const group of groups) {
    const isCollapsed = group.block !== null && collapsed.has(group.key);
    if (group.block !== null) rows.push({ kind: 'group', group, collapsed: isCollapsed });
    if (!isCollapsed) for (const layer of group.layers) rows.push({ kind: 'layer', layer, group });
  }
  return rows;
}

/** The group holding a layer, for expanding a collapsed block when a diagram node is selected. */
export function groupOf(groups: readonly LayerGroup[], layer: string): LayerGroup | undefined {
  return groups.find((g) => g.layers.some((l) => l.name === layer));
}
