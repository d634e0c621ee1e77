/**
 * The layer table as data: the columns a user can choose from, consecutive layers of one block grouped under
 * a header row with the block's totals, and the rows to show after collapse, search and sort. The DOM code
 * in `webview/panel/` renders these rows; nothing here touches the DOM.
 */
import type { LayerComparison } from '../../extension/core/compare';
import type { LayerResult } from '../../extension/core/result';
import type { Framework } from '../../extension/core/spec';
import type { NumberFormat } from '../../extension/protocol';
import { formatBytes, formatCount, formatPercent, shapeText } from './format';

/** A run of consecutive layers sharing a block (or a run of layers outside any block, `block` null). */
export interface LayerGroup {
  /** Unique within a table: the block name, suffixed when a block name recurs non-consecutively. */
  key: string;
  block: string | null;
  layers: LayerResult[];
  macs: number;
  params: number;
  trainableParams: number;
  nonTrainableParams: number;
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
  const group: LayerGroup = { key, block: layer.block, layers: [], macs: 0, params: 0, trainableParams: 0, nonTrainableParams: 0, activationBytes: 0 };
  addTo(group, layer);
  groups.push(group);
  return { group, created: true };
}

function addTo(group: LayerGroup, layer: LayerResult): void {
  group.layers.push(layer);
  group.macs += layer.macs;
  group.params += layer.params;
  group.trainableParams += layer.trainableParams;
  group.nonTrainableParams += layer.nonTrainableParams;
  group.activationBytes += layer.activationBytes ?? 0;
}

/** Groups a whole list of layers. */
export function groupLayers(layers: readonly LayerResult[]): LayerGroup[] {
  const groups: LayerGroup[] = [];
  for (const layer of layers) appendLayer(groups, layer);
  return groups;
}

/** What a cell needs besides its layer: the totals for shares (null while streaming) and how to print. */
export interface CellContext {
  totalMacs: number | null;
  totalParams: number | null;
  format: NumberFormat;
  framework: Framework;
  /** Model B compared with A: each of B's layers against A's layer of the same name. */
  compare?: ReadonlyMap<string, LayerComparison> | null;
}

/** One column: its title, how a layer and a block header fill it, and its sort key when it is numeric. */
export interface Column {
  id: string;
  title: string;
  /** Shown in the column chooser and the header's tooltip. */
  description: string;
  numeric: boolean;
  /** Shown until the user chooses otherwise. */
  byDefault: boolean;
  layer(l: LayerResult, c: CellContext): string;
  group(g: LayerGroup, c: CellContext): string;
  /** Sort key of a layer and of a block (null: unknown, sorted last). Only numeric columns have one. */
  sortLayer?(l: LayerResult): number | null;
  sortGroup?(g: LayerGroup): number | null;
}

const pair = (v: readonly number[] | null): string => (v === null ? '' : v.join('×'));
const count = (n: number, c: CellContext): string => formatCount(n, c.format);
/** A layer's count, or "unknown" (its number field then holds 0, never a count to show). */
const known = (n: number, unknown: boolean | undefined, c: CellContext): string => (unknown ? 'unknown' : count(n, c));
/** A block's sum: "≥ n" when some of its layers' counts are unknown, "unknown" when all are. */
function summed(g: LayerGroup, n: number, unknown: (l: LayerResult) => boolean | undefined, c: CellContext): string {
  const missing = g.layers.filter((l) => unknown(l)).length;
  if (missing === 0) return count(n, c);
  return missing === g.layers.length ? 'unknown' : `≥ ${count(n, c)}`;
}
const unknownParams = (l: LayerResult): boolean | undefined => l.unknown?.params;
const unknownSplit = (l: LayerResult): boolean | undefined => l.unknown?.params || l.unknown?.trainable;
const unknownMacs = (l: LayerResult): boolean | undefined => l.unknown?.macs;
const shape = (s: LayerResult['outputShape'], c: CellContext): string => shapeText(s, c.framework);
const lastOf = (g: LayerGroup): LayerResult | undefined => g.layers[g.layers.length - 1];
const none = (): string => '';

/**
 * A convolution's groups as PyTorch's `groups=` states them: the recorded groups of a grouped one, the input
 * channels of a depthwise one (each channel its own group), 1 for the others; null for other layers and for
 * a depthwise one whose channels are unknown.
 */
function groupsOf(l: LayerResult): number | null {
  if (l.groups !== undefined) return l.groups;
  if (l.type === 'DepthwiseConv2D') {
    const channels = l.inputShapes[0]?.[2];
    return typeof channels === 'number' ? channels : null;
  }
  // SeparableConv2D is two convolutions (depthwise, then 1×1), so no one number is its groups.
  return l.type === 'Conv2D' || l.type === 'Conv2DTranspose' ? 1 : null;
}

/** Every column the table offers, in display order. `name` is always shown and stays visible when scrolling. */
export const COLUMNS: readonly Column[] = [
  { id: 'name', title: 'Layer', description: 'Layer name (block headers: the block)', numeric: false, byDefault: true, layer: (l) => l.name, group: (g) => g.block ?? 'top level' },
  { id: 'type', title: 'Type', description: 'Layer class', numeric: false, byDefault: true, layer: (l) => l.frameworkType ?? l.type, group: () => '' },
  {
    id: 'input',
    title: 'Input shape',
    description: 'Shape of each input, batch first',
    numeric: false,
    byDefault: false,
    layer: (l, c) => l.inputShapes.map((s) => shape(s, c)).join('; '),
    group: (g, c) => {
      const first = g.layers[0];
      return first ? first.inputShapes.map((s) => shape(s, c)).join('; ') : '';
    },
  },
  {
    id: 'output',
    title: 'Output shape',
    description: 'Output shape, batch first (⚠: the layer has a problem)',
    numeric: false,
    byDefault: true,
    layer: (l, c) => (l.notCalled ? 'not called' : l.error ? `${shape(l.outputShape, c)} ⚠` : shape(l.outputShape, c)),
    group: (g, c) => {
      const last = lastOf(g);
      return last ? shape(last.outputShape, c) : '';
    },
  },
  { id: 'kernel', title: 'Kernel', description: 'Kernel size (H×W) of convolutions and pooling', numeric: false, byDefault: false, layer: (l) => pair(l.kernel), group: none },
  { id: 'stride', title: 'Stride', description: 'Stride (H×W) of convolutions and pooling', numeric: false, byDefault: false, layer: (l) => pair(l.strides), group: none },
  { id: 'padding', title: 'Padding', description: "Padding ('same', 'valid', or explicit)", numeric: false, byDefault: false, layer: (l) => l.padding ?? '', group: none },
  { id: 'dilation', title: 'Dilation', description: 'Dilation (H×W) of convolutions; 1×1 is none', numeric: false, byDefault: false, layer: (l) => pair(l.dilation), group: none },
  {
    id: 'groups',
    title: 'Groups',
    description: 'Channel groups of a convolution: 1 for an ordinary one, the channel count for a depthwise one',
    numeric: true,
    byDefault: false,
    layer: (l) => {
      const g = groupsOf(l);
      return g === null ? '' : String(g);
    },
    group: none,
    sortLayer: (l) => groupsOf(l),
  },
  {
    id: 'params',
    title: 'Params',
    description: 'Parameters (trainable + non-trainable)',
    numeric: true,
    byDefault: true,
    layer: (l, c) => known(l.params, unknownParams(l), c),
    group: (g, c) => summed(g, g.params, unknownParams, c),
    sortLayer: (l) => l.params,
    sortGroup: (g) => g.params,
  },
  {
    id: 'trainable',
    title: 'Trainable',
    description: 'Trainable parameters',
    numeric: true,
    byDefault: false,
    layer: (l, c) => known(l.trainableParams, unknownSplit(l), c),
    group: (g, c) => summed(g, g.trainableParams, unknownSplit, c),
    sortLayer: (l) => l.trainableParams,
    sortGroup: (g) => g.trainableParams,
  },
  {
    id: 'nonTrainable',
    title: 'Non-trainable',
    description: 'Non-trainable parameters (Keras batch-norm moving statistics)',
    numeric: true,
    byDefault: false,
    layer: (l, c) => known(l.nonTrainableParams, unknownSplit(l), c),
    group: (g, c) => summed(g, g.nonTrainableParams, unknownSplit, c),
    sortLayer: (l) => l.nonTrainableParams,
    sortGroup: (g) => g.nonTrainableParams,
  },
  {
    id: 'paramsShare',
    title: '% params',
    description: "Share of the model's parameters",
    numeric: true,
    byDefault: false,
    layer: (l, c) => formatPercent(l.params, c.totalParams),
    group: (g, c) => formatPercent(g.params, c.totalParams),
    sortLayer: (l) => l.params,
    sortGroup: (g) => g.params,
  },
  {
    id: 'macs',
    title: 'MACs',
    description: 'Multiply-accumulates',
    numeric: true,
    byDefault: true,
    layer: (l, c) => known(l.macs, unknownMacs(l), c),
    group: (g, c) => summed(g, g.macs, unknownMacs, c),
    sortLayer: (l) => l.macs,
    sortGroup: (g) => g.macs,
  },
  {
    id: 'share',
    title: '% MACs',
    description: "Share of the model's MACs (the heat colour)",
    numeric: true,
    byDefault: true,
    layer: (l, c) => formatPercent(l.macs, c.totalMacs),
    group: (g, c) => formatPercent(g.macs, c.totalMacs),
    sortLayer: (l) => l.macs,
    sortGroup: (g) => g.macs,
  },
  {
    id: 'activation',
    title: 'Activation',
    description: 'Output size of one float32 sample',
    numeric: true,
    byDefault: true,
    layer: (l) => (l.activationBytes === null ? '—' : formatBytes(l.activationBytes)),
    group: (g) => formatBytes(g.activationBytes),
    sortLayer: (l) => l.activationBytes,
    sortGroup: (g) => g.activationBytes,
  },
  {
    id: 'rf',
    title: 'RF',
    description: 'Receptive field in input pixels (Araujo et al. 2019)',
    numeric: true,
    byDefault: false,
    layer: (l) => (l.receptiveField === null ? '' : String(l.receptiveField)),
    group: (g) => {
      const rf = lastOf(g)?.receptiveField;
      return rf === null || rf === undefined ? '' : String(rf);
    },
    sortLayer: (l) => l.receptiveField,
    sortGroup: (g) => lastOf(g)?.receptiveField ?? null,
  },
  {
    id: 'jump',
    title: 'Jump',
    description: 'Effective stride in input pixels',
    numeric: true,
    byDefault: false,
    layer: (l) => (l.jump === null ? '' : String(l.jump)),
    group: (g) => {
      const j = lastOf(g)?.jump;
      return j === null || j === undefined ? '' : String(j);
    },
    sortLayer: (l) => l.jump,
    sortGroup: (g) => lastOf(g)?.jump ?? null,
  },
  { id: 'connected', title: 'Connected to', description: 'The layers this one reads from', numeric: false, byDefault: false, layer: (l) => l.inputs.join(', '), group: none },
];

/**
 * Shown after "Output shape" only when the panel compares B with A: A's output shape where it differs,
 * "same" where it does not, "new in B" for a layer A does not have. Not in the chooser: it means nothing
 * without a comparison.
 */
export const COMPARE_COLUMN: Column = {
  id: 'shapeInA',
  title: 'Output in A',
  description: "Model A's output shape for the layer of the same name, where it differs from B's",
  numeric: false,
  byDefault: false,
  layer: (l, c) => {
    const d = c.compare?.get(l.name);
    if (!d) return '';
    if (d.status === 'added') return 'new in B';
    return d.shapeChanged ? (d.shapeA ?? '') : 'same';
  },
  group: (g, c) => {
    const n = g.layers.filter((l) => c.compare?.get(l.name)?.shapeChanged).length;
    return n === 0 ? '' : `${n} differ`;
  },
};

/** Does B's layer have another output shape in A (or is it new in B)? */
export function shapeDiffers(layer: string, c: CellContext): 'changed' | 'added' | null {
  const d = c.compare?.get(layer);
  return d?.status === 'added' ? 'added' : d?.shapeChanged ? 'changed' : null;
}

export type ColumnId = string;

export const DEFAULT_COLUMNS: readonly string[] = COLUMNS.filter((c) => c.byDefault).map((c) => c.id);

/** The chosen columns in display order; unknown ids (from an older state) are dropped, `name` is always in. */
export function chosenColumns(ids: readonly string[] | null | undefined): Column[] {
  const wanted = new Set(ids ?? DEFAULT_COLUMNS);
  wanted.add('name');
  return COLUMNS.filter((c) => wanted.has(c.id));
}

export function columnById(id: string): Column | undefined {
  return COLUMNS.find((c) => c.id === id);
}

/** The cell texts of one layer row, by column id. */
export function layerCells(layer: LayerResult, c: CellContext, columns: readonly Column[] = COLUMNS): Record<string, string> {
  return Object.fromEntries(columns.map((col) => [col.id, col.layer(layer, c)]));
}

/** The cell texts of a block header row: the block's totals; its type column says what it is and its size. */
export function groupCells(group: LayerGroup, blockType: string | null, c: CellContext, columns: readonly Column[] = COLUMNS): Record<string, string> {
  const size = `${group.layers.length} layer${group.layers.length === 1 ? '' : 's'}`;
  return Object.fromEntries(columns.map((col) => [col.id, col.id === 'type' ? (blockType ? `${blockType} · ${size}` : size) : col.group(group, c)]));
}

/** One table row. */
export type TableRow = { kind: 'group'; group: LayerGroup; collapsed: boolean } | { kind: 'layer'; layer: LayerResult; group: LayerGroup };

/** How rows are ordered: model order, or by a numeric column within each block or over all layers. */
export interface SortOrder {
  column: string;
  descending: boolean;
  /** 'blocks': blocks by their totals, layers within each; 'flat': every layer, no block headers. */
  scope: 'blocks' | 'flat';
}

export interface RowQuery {
  collapsed: ReadonlySet<string>;
  /** Case-insensitive text matched against a layer's name, type and block; empty shows everything. */
  search?: string;
  sort?: SortOrder | null;
}

/** Does a layer match the search text (its name, type or block contains it)? */
export function matches(layer: LayerResult, search: string): boolean {
  const q = search.trim().toLowerCase();
  if (q === '') return true;
  return layer.name.toLowerCase().includes(q) || layer.type.toLowerCase().includes(q) || (layer.block ?? '').toLowerCase().includes(q);
}

/** Numbers descending or ascending; unknown (null) always last; ties keep model order. */
function compareKeys(a: number | null, b: number | null, descending: boolean): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return descending ? b - a : a - b;
}

/**
 * The rows to show. Every block group gets a header row and, unless collapsed, its layers; layers outside
 * any block are shown without a header. A search keeps the matching layers and opens their blocks (a match
 * hidden in a collapsed block would look like no match). A flat sort drops the headers.
 */
export function visibleRows(groups: readonly LayerGroup[], query: RowQuery | ReadonlySet<string>): TableRow[] {
  const q: RowQuery = query instanceof Set ? { collapsed: query } : (query as RowQuery);
  const search = q.search?.trim() ?? '';
  const sort = q.sort ?? null;
  const column = sort ? columnById(sort.column) : undefined;
  const sortLayer = column?.sortLayer;
  const sortGroup = column?.sortGroup;
  const layersOf = (g: LayerGroup): LayerResult[] => (search === '' ? g.layers : g.layers.filter((l) => matches(l, search)));

  if (sort && sortLayer && sort.scope === 'flat') {
    const all = groups.flatMap((g) => layersOf(g).map((layer) => ({ layer, group: g })));
    all.sort((a, b) => compareKeys(sortLayer(a.layer), sortLayer(b.layer), sort.descending) || a.layer.index - b.layer.index);
    return all.map(({ layer, group }) => ({ kind: 'layer', layer, group }));
  }

  let ordered = groups.map((g, i) => ({ g, i, layers: layersOf(g) })).filter((x) => x.layers.length > 0);
  if (sort && sortLayer) {
    if (sortGroup) ordered = [...ordered].sort((a, b) => compareKeys(sortGroup(a.g), sortGroup(b.g), sort.descending) || a.i - b.i);
    ordered = ordered.map((x) => ({ ...x, layers: [...x.layers].sort((a, b) => compareKeys(sortLayer(a), sortLayer(b), sort.descending) || a.index - b.index) }));
  }
  const rows: TableRow[] = [];
  for (const { g, layers } of ordered) {
    const isCollapsed = g.block !== null && search === '' && q.collapsed.has(g.key);
    if (g.block !== null) rows.push({ kind: 'group', group: g, collapsed: isCollapsed });
    if (!isCollapsed) for (const layer of layers) rows.push({ kind: 'layer', layer, group: g });
  }
  return rows;
}

/** The widest text of each column over all layers and headers, in characters: fixed column widths for the virtual table. */
export function columnWidths(groups: readonly LayerGroup[], blockTypes: ReadonlyMap<string, string>, c: CellContext, columns: readonly Column[]): Record<string, number> {
  const widths: Record<string, number> = Object.fromEntries(columns.map((col) => [col.id, col.title.length]));
  const widen = (cells: Record<string, string>): void => {
    for (const col of columns) widths[col.id] = Math.max(widths[col.id] ?? 0, (cells[col.id] ?? '').length);
  };
  for (const g of groups) {
    if (g.block !== null) widen(groupCells(g, blockTypes.get(g.block) ?? null, c, columns));
    for (const l of g.layers) widen(layerCells(l, c, columns));
  }
  return widths;
}
