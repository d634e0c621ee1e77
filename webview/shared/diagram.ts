/**
 * The architecture diagram as data: the model's DAG as an ELK graph (layout runs in a worker, on plain
 * `{nodes, edges}` like netron's), the laid-out result flattened, and the SVG drawn from it. The graph is a
 * hierarchy, as in Model Explorer: a block (inception module, residual block) is one node until it is
 * expanded, then a frame around its layers, laid out in place. The same SVG string is shown in the panel
 * (styled by theme CSS classes) and saved by "SVG…" (with a `<style>` of resolved colours so it stands alone).
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { LayerComparison } from '../../extension/core/compare';
import type { LayerResult } from '../../extension/core/result';
import { escapeXml } from '../../extension/core/report/safeText';
import type { Framework } from '../../extension/core/spec';
import type { Shape } from '../../extension/core/shape';
import { toFrameworkShape } from '../../extension/core/report/shapes';
import { formatPercent, shapeText } from './format';
import { heatLevel, type Rgb, heatFills } from './heat';

/** The id of the model input node: the name layers use for it in `inputs`. */
export const INPUT_NODE = 'input';
/** Block nodes and frames are `block:<name>`; layer names cannot clash with them (they hold no colon in the zoo, and a clash only merges a label). */
export const BLOCK_PREFIX = 'block:';

/** Text metrics for sizing nodes before the browser draws them (12 px titles, 11 px details). */
const TITLE_CHAR = 7.3;
const DETAIL_CHAR = 6.6;
const NODE_HEIGHT = 52;
const LABEL_HEIGHT = 14;
const FRAME_TOP = 26;

/** Layout options: layered top-down, like a Keras `plot_model`, orthogonal edges, blocks laid out in place. */
const ELK_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  // Every coordinate relative to the root, so the result flattens without offsets.
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
  'elk.layered.spacing.nodeNodeBetweenLayers': '30',
  'elk.layered.spacing.edgeNodeBetweenLayers': '14',
  'elk.spacing.nodeNode': '24',
  'elk.spacing.edgeLabel': '3',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
};

export type NodeKind = 'input' | 'layer' | 'block' | 'frame';

/** What a node says, in three lines, and what colours it. */
export interface NodeInfo {
  kind: NodeKind;
  /** The layer name, or the block name for block nodes and frames. */
  name: string;
  title: string;
  detail: string;
  shape: string;
  macs: number;
  tooltip: string;
  error: boolean;
  /** The layers a block node stands for (selection maps a layer to its block node). */
  layers?: string[];
  /** Comparing with model A: the output shape differs from A's ('changed'; for a block, in one of its layers) or the layer is new. */
  differs?: 'changed' | 'added';
}

/** A shape in the framework's order without the batch, for edge labels: "56×56×256" (Keras), "256×56×56" (PyTorch). */
export function shortShape(shape: Shape | readonly (number | null)[] | null, framework: Framework): string {
  const s = toFrameworkShape(framework, shape as Shape | null);
  return s === null ? '?' : s.slice(1).map((d) => (d === null ? '?' : String(d))).join('×');
}

const CONVS = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'Conv2DTranspose', 'Conv1D']);

/** "Conv2D 3×3/2 · 64": the type with kernel, stride and filters (convolutions), kernel and stride (pooling), units (Dense). */
export function layerDetail(l: Pick<LayerResult, 'type' | 'kernel' | 'strides' | 'outputShape'>): string {
  const k = l.kernel ? l.kernel.join('×') : null;
  const s = l.strides && l.strides.some((d) => d !== 1) ? `/${l.strides[0] === l.strides[1] ? l.strides[0] : l.strides.join('×')}` : '';
  const channels = l.outputShape ? l.outputShape[l.outputShape.length - 1] : null;
  if (CONVS.has(l.type)) return `${l.type} ${k ?? ''}${s}${channels ? ` · ${channels}` : ''}`.replace(/ {2,}/g, ' ');
  if (k !== null) return `${l.type} ${k}${s}`;
  if (l.type === 'Dense' && channels) return `Dense · ${channels}`;
  return l.type;
}

export interface GraphOptions {
  /** Blocks shown as frames with their layers; every other block is one node. 'all': every block expanded. */
  expanded?: ReadonlySet<string> | 'all';
  framework?: Framework;
  totalMacs?: number;
  /** Block name → block type ("inception", "bottleneck"). */
  blockTypes?: ReadonlyMap<string, string>;
  /** Model B compared with A, by layer name: differing shapes are marked ("≠") and their nodes get a class. */
  compare?: ReadonlyMap<string, LayerComparison>;
}

/** The mark before a node's shape line when it differs from model A. */
const DIFFERS_MARK = { changed: '≠ ', added: '+ ' } as const;

/** An ELK graph and what each of its nodes says. */
export interface DiagramGraph {
  graph: ElkNode;
  info: Map<string, NodeInfo>;
}

function nodeWidth(info: NodeInfo): number {
  return Math.ceil(Math.max(info.title.length * TITLE_CHAR, info.detail.length * DETAIL_CHAR, info.shape.length * DETAIL_CHAR, 60) + 18);
}

/**
 * The ELK input graph: the input, one node per layer outside collapsed blocks, one node per collapsed
 * block, one frame per expanded block holding its layers; one edge per producer → consumer pair between
 * distinct nodes, labelled with the shape that flows along it.
 */
export function toElkGraph(layers: readonly LayerResult[], input: readonly (number | null)[], options: GraphOptions = {}): DiagramGraph {
  const framework = options.framework ?? 'keras';
  const total = options.totalMacs ?? layers.reduce((a, l) => a + l.macs, 0);
  const expanded = options.expanded ?? new Set<string>();
  const isExpanded = (block: string): boolean => expanded === 'all' || expanded.has(block);
  const info = new Map<string, NodeInfo>();
  const share = (macs: number): string => (macs > 0 ? ` · ${formatPercent(macs, total)}` : '');
  const differsOf = (l: LayerResult): 'changed' | 'added' | undefined => {
    const d = options.compare?.get(l.name);
    return d?.status === 'added' ? 'added' : d?.shapeChanged ? 'changed' : undefined;
  };

  const inputShape = shapeText(input, framework);
  info.set(INPUT_NODE, { kind: 'input', name: INPUT_NODE, title: 'input', detail: 'model input', shape: inputShape, macs: 0, tooltip: `model input\n${inputShape}`, error: false });

  // Where each layer is drawn: its own node, or its collapsed block's node.
  const drawnAs = new Map<string, string>([[INPUT_NODE, INPUT_NODE]]);
  const byBlock = new Map<string, LayerResult[]>();
  for (const l of layers) {
    if (l.block === null) continue;
    const list = byBlock.get(l.block) ?? [];
    list.push(l);
    byBlock.set(l.block, list);
  }

  const root: ElkNode = { id: 'root', layoutOptions: ELK_OPTIONS, children: [{ id: INPUT_NODE, width: nodeWidth(info.get(INPUT_NODE)!), height: NODE_HEIGHT }], edges: [] };
  const frames = new Map<string, ElkNode>();
  for (const l of layers) {
    const block = l.block;
    if (block !== null && !isExpanded(block)) {
      const id = BLOCK_PREFIX + block;
      drawnAs.set(l.name, id);
      if (info.has(id)) continue;
      const members = byBlock.get(block) ?? [l];
      const macs = members.reduce((a, m) => a + m.macs, 0);
      const last = members[members.length - 1]!;
      const type = options.blockTypes?.get(block) || 'block';
      const changed = members.filter((m) => differsOf(m) !== undefined).length;
      const differs = changed > 0 ? 'changed' : undefined;
      const node: NodeInfo = {
        kind: 'block',
        name: block,
        title: `▸ ${block}`,
        // A block's own output may well be A's: the mark says how many of its layers differ.
        detail: `${type} · ${members.length} layers${differs ? ` · ${changed} ≠ A` : ''}`,
        shape: `${shapeText(last.outputShape, framework)}${share(macs)}`,
        macs,
        tooltip:
          `${block} (${type}, ${members.length} layers): click to expand\n${shapeText(last.outputShape, framework)}\n${formatPercent(macs, total)} of MACs` +
          (differs ? `\n${changed} of ${members.length} layers have another output shape in A` : ''),
        error: members.some((m) => m.error !== null),
        layers: members.map((m) => m.name),
        ...(differs ? { differs } : {}),
      };
      info.set(id, node);
      root.children!.push({ id, width: nodeWidth(node), height: NODE_HEIGHT });
      continue;
    }
    drawnAs.set(l.name, l.name);
    const differs = differsOf(l);
    const inA = differs === 'changed' ? `\nin A: ${options.compare?.get(l.name)?.shapeA ?? ''}` : differs === 'added' ? '\nnew in B (A has no layer of this name)' : '';
    const node: NodeInfo = {
      kind: 'layer',
      name: l.name,
      title: l.name,
      detail: layerDetail(l),
      shape: `${differs ? DIFFERS_MARK[differs] : ''}${shapeText(l.outputShape, framework)}${share(l.macs)}`,
      macs: l.macs,
      tooltip: `${l.name} (${l.type})\n${shapeText(l.outputShape, framework)}${inA}\n${formatPercent(l.macs, total)} of MACs${l.error ? `\n⚠ ${l.error.message}` : ''}`,
      error: l.error !== null,
      ...(differs ? { differs } : {}),
    };
    info.set(l.name, node);
    const elkNode: ElkNode = { id: l.name, width: nodeWidth(node), height: NODE_HEIGHT };
    if (block === null) {
      root.children!.push(elkNode);
      continue;
    }
    let frame = frames.get(block);
    if (!frame) {
      const id = BLOCK_PREFIX + block;
      const members = byBlock.get(block) ?? [];
      const macs = members.reduce((a, m) => a + m.macs, 0);
      const type = options.blockTypes?.get(block) || 'block';
      info.set(id, { kind: 'frame', name: block, title: `▾ ${block}`, detail: `${type} · ${members.length} layers${share(macs)}`, shape: '', macs, tooltip: `${block}: click the title to collapse`, error: false, layers: members.map((m) => m.name) });
      frame = { id, children: [], layoutOptions: { 'elk.padding': `[top=${FRAME_TOP},left=10,bottom=10,right=10]` } };
      frames.set(block, frame);
      root.children!.push(frame);
    }
    frame.children!.push(elkNode);
  }

  const shapes = new Map<string, string>([[INPUT_NODE, shortShape(input, framework)]]);
  for (const l of layers) shapes.set(l.name, shortShape(l.outputShape, framework));
  const seen = new Set<string>();
  for (const l of layers) {
    const to = drawnAs.get(l.name)!;
    l.inputs.forEach((from, i) => {
      const src = drawnAs.get(from);
      if (src === undefined || src === to) return;
      const key = `${src}\u0000${to}`;
      if (seen.has(key)) return;
      seen.add(key);
      const text = shapes.get(from) ?? '';
      const edge: ElkExtendedEdge = { id: `e${l.index}_${i}`, sources: [src], targets: [to], labels: [{ text, width: Math.ceil(text.length * DETAIL_CHAR + 6), height: LABEL_HEIGHT }] };
      root.edges!.push(edge);
    });
  }
  return { graph: root, info };
}

/** Vertical gap between two nodes of a chain: room for the edge and its shape label. */
const CHAIN_GAP = 34;

/**
 * The layout of a graph that is one chain (each node feeds the next, no branches, no frames), without ELK:
 * nodes centred in one column, straight edges, the shape label beside each. A collapsed ResNet or GoogLeNet
 * is such a chain, and ELK spends most of a second on it (longer on a busy machine); this takes none.
 * Returns ELK's output form, or null when the graph is not a chain.
 */
export function chainLayout(graph: ElkNode): ElkNode | null {
  const nodes = graph.children ?? [];
  const edges = graph.edges ?? [];
  if (nodes.some((n) => (n.children?.length ?? 0) > 0) || edges.length !== nodes.length - 1) return null;
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  for (const [i, e] of edges.entries()) {
    if (e.sources.length !== 1 || e.targets.length !== 1) return null;
    // Edges are made in layer order: in a chain, edge i joins node i to node i + 1.
    if (index.get(e.sources[0]!) !== i || index.get(e.targets[0]!) !== i + 1) return null;
  }
  const width = Math.max(0, ...nodes.map((n) => n.width ?? 0));
  const labelWidth = Math.max(0, ...edges.map((e) => e.labels?.[0]?.width ?? 0));
  const centre = width / 2;
  const total = Math.max(width, centre + 8 + labelWidth * 2);
  const offset = (total - width) / 2;
  let y = 0;
  const placed = nodes.map((n) => {
    const out = { ...n, x: offset + (width - (n.width ?? 0)) / 2, y };
    y += (n.height ?? 0) + CHAIN_GAP;
    return out;
  });
  const laidEdges = edges.map((e, i) => {
    const from = placed[i]!;
    const to = placed[i + 1]!;
    const x = offset + centre;
    const start = (from.y ?? 0) + (from.height ?? 0);
    const end = to.y ?? 0;
    const label = e.labels?.[0];
    return {
      ...e,
      sections: [{ id: `${e.id}_s`, startPoint: { x, y: start }, endPoint: { x, y: end } }],
      labels: label ? [{ ...label, x: x + 6, y: (start + end) / 2 - (label.height ?? LABEL_HEIGHT) / 2 }] : [],
    };
  });
  return { ...graph, x: 0, y: 0, width: total, height: Math.max(0, y - CHAIN_GAP), children: placed, edges: laidEdges };
}

/** A laid-out diagram, in plain numbers (absolute coordinates). */
export interface DiagramLayout {
  width: number;
  height: number;
  nodes: { id: string; x: number; y: number; width: number; height: number }[];
  edges: { id: string; source: string; target: string; points: [number, number][]; label: { text: string; x: number; y: number } | null }[];
  info: Map<string, NodeInfo>;
}

/** Flattens ELK's result; frames come before the nodes they hold, so they are drawn underneath. */
export function fromElk(graph: ElkNode, info: Map<string, NodeInfo> = new Map()): DiagramLayout {
  const nodes: DiagramLayout['nodes'] = [];
  const walk = (n: ElkNode): void => {
    for (const c of n.children ?? []) {
      nodes.push({ id: c.id, x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 });
      walk(c);
    }
  };
  walk(graph);
  const edges = (graph.edges ?? []).map((e) => {
    const points: [number, number][] = [];
    for (const s of e.sections ?? []) {
      points.push([s.startPoint.x, s.startPoint.y]);
      for (const b of s.bendPoints ?? []) points.push([b.x, b.y]);
      points.push([s.endPoint.x, s.endPoint.y]);
    }
    const l = e.labels?.[0];
    const label = l && l.text ? { text: l.text, x: l.x ?? 0, y: (l.y ?? 0) + (l.height ?? LABEL_HEIGHT) - 3 } : null;
    return { id: e.id, source: e.sources[0] ?? '', target: e.targets[0] ?? '', points, label };
  });
  return { width: Math.ceil(graph.width ?? 0), height: Math.ceil(graph.height ?? 0), nodes, edges, info };
}

/** Text safe inside SVG/XML content and attribute values, for any name (control characters included). */
export { escapeXml };

const r1 = (n: number): string => String(Math.round(n * 10) / 10);

/** Resolved theme colours for a standalone SVG. */
export interface SvgPalette {
  background: Rgb;
  foreground: string;
  border: string;
  edge: string;
  hot: Rgb;
  font: string;
}

/** The `<style>` that makes an exported SVG look like the panel did, without the theme's CSS variables. */
export function standaloneStyle(p: SvgPalette): string {
  const fills = heatFills(p.background, p.hot);
  const bg = `rgb(${p.background.join(',')})`;
  return [
    `svg{background:${bg};font-family:${p.font};}`,
    `.node rect{stroke:${p.border};stroke-width:1;}`,
    `.node text{fill:${p.foreground};font-size:12px;}`,
    `.node .name{font-weight:600;}`,
    `.node .sub{opacity:.85;font-size:11px;}`,
    `.frame rect{fill:none;stroke:${p.border};stroke-dasharray:4 3;}`,
    `.edge{fill:none;stroke:${p.edge};stroke-width:1;}`,
    `.shape-changed rect,.added-in-b rect{stroke:${p.foreground};stroke-width:2.5;stroke-dasharray:6 3;}`,
    `.arrow{fill:${p.edge};}`,
    `.edge-label{fill:${p.foreground};opacity:.75;font-size:11px;}`,
    ...fills.map((f, i) => `.heat-${i} rect{fill:${f};}`),
  ].join('\n');
}

/**
 * Draws the diagram. Nodes carry `data-layer` (the layer name, or `block:<name>` for a block) for selection
 * and tests, and a heat class; `selected` gets the `selected` class. With `style`, the SVG embeds it and
 * stands alone.
 */
export function renderSvg(layout: DiagramLayout, options: { selected?: string | null; style?: string } = {}): string {
  let maxMacs = 0;
  for (const i of layout.info.values()) if (i.kind === 'layer' || i.kind === 'block') maxMacs = Math.max(maxMacs, i.macs);
  const out: string[] = [];
  const pad = 8;
  const w = layout.width + 2 * pad;
  const h = layout.height + 2 * pad;
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="diagram-svg" viewBox="${-pad} ${-pad} ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="Architecture diagram">`,
  );
  if (options.style !== undefined) out.push(`<style>${options.style}</style>`);
  out.push('<defs><marker id="arrow" class="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0L8,4L0,8z"/></marker></defs>');
  const frames = layout.nodes.filter((n) => layout.info.get(n.id)?.kind === 'frame');
  out.push('<g class="frames">');
  for (const n of frames) {
    const i = layout.info.get(n.id)!;
    out.push(
      `<g class="frame" data-block="${escapeXml(i.name)}" transform="translate(${r1(n.x)},${r1(n.y)})">` +
        `<title>${escapeXml(i.tooltip)}</title>` +
        `<rect width="${r1(n.width)}" height="${r1(n.height)}" rx="4"/>` +
        `<text x="8" y="17" class="frame-title">${escapeXml(i.title)}</text>` +
        `<text x="${r1(8 + i.title.length * TITLE_CHAR + 8)}" y="17" class="sub">${escapeXml(i.detail)}</text>` +
        '</g>',
    );
  }
  out.push('</g><g class="edges">');
  for (const e of layout.edges) {
    if (e.points.length < 2) continue;
    const d = e.points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${r1(x)},${r1(y)}`).join('');
    out.push(`<path class="edge" d="${d}" marker-end="url(#arrow)" data-from="${escapeXml(e.source)}" data-to="${escapeXml(e.target)}"/>`);
    if (e.label) out.push(`<text class="edge-label" x="${r1(e.label.x)}" y="${r1(e.label.y)}">${escapeXml(e.label.text)}</text>`);
  }
  out.push('</g><g class="nodes">');
  for (const n of layout.nodes) {
    const i = layout.info.get(n.id);
    if (i?.kind === 'frame') continue;
    const level = i ? heatLevel(i.macs, maxMacs) : 0;
    const selected = options.selected === n.id ? ' selected' : '';
    const kind = i?.kind === 'block' ? ' block' : '';
    out.push(
      `<g class="node heat-${level}${kind}${selected}${i?.error ? ' error' : ''}${i?.differs ? (i.differs === 'changed' ? ' shape-changed' : ' added-in-b') : ''}" data-layer="${escapeXml(n.id)}" transform="translate(${r1(n.x)},${r1(n.y)})" tabindex="-1">` +
        `<title>${escapeXml(i?.tooltip ?? n.id)}</title>` +
        `<rect width="${r1(n.width)}" height="${r1(n.height)}" rx="3"/>` +
        `<text x="9" y="16" class="name">${escapeXml(i?.title ?? n.id)}</text>` +
        `<text x="9" y="31" class="sub">${escapeXml(i?.detail ?? '')}</text>` +
        `<text x="9" y="45" class="sub shape">${escapeXml(i?.shape ?? '')}</text>` +
        '</g>',
    );
  }
  out.push('</g></svg>');
  return out.join('');
}

/** The node a layer is drawn in: its own, or its collapsed block's; undefined when not in the diagram. */
export function nodeForLayer(layout: Pick<DiagramLayout, 'info'>, layer: string): string | undefined {
  const own = layout.info.get(layer);
  if (own && own.kind !== 'frame') return layer;
  for (const [id, i] of layout.info) if (i.kind === 'block' && i.layers?.includes(layer)) return id;
  return undefined;
}
