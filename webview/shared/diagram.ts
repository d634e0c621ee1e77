/**
 * The architecture diagram as data: the model's DAG as an ELK graph (layout runs in a worker, on plain
 * `{nodes, edges}` like netron's), the laid-out result flattened, and the SVG drawn from it. The same SVG
 * string is shown in the panel (styled by theme CSS classes) and saved by "Save diagram as SVG" (with a
 * `<style>` of resolved colours so the file stands alone).
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { LayerResult } from '../../extension/core/result';
import { escapeXml } from '../../extension/core/report/safeText';
import { formatPercent, formatShape } from './format';
import { heatLevel, type Rgb, heatFills } from './heat';

/** The id of the model input node: the name layers use for it in `inputs`. */
export const INPUT_NODE = 'input';

const CHAR_WIDTH = 6.6;
const NODE_HEIGHT = 36;
const LABEL_HEIGHT = 12;

/** Layout options: layered top-down, like a Keras `plot_model`, with orthogonal edges. */
const ELK_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.spacing.nodeNodeBetweenLayers': '26',
  'elk.layered.spacing.edgeNodeBetweenLayers': '12',
  'elk.spacing.nodeNode': '22',
  'elk.spacing.edgeLabel': '2',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
};

function nodeWidth(layer: Pick<LayerResult, 'name' | 'type'>): number {
  return Math.ceil(Math.max(layer.name.length, layer.type.length + 9, 10) * CHAR_WIDTH + 16);
}

/** The ELK input graph: one node per layer plus the input, one edge per consumed input labelled with its shape. */
export function toElkGraph(layers: readonly LayerResult[], input: readonly (number | null)[]): ElkNode {
  const shapes = new Map<string, string>([[INPUT_NODE, formatShape(input)]]);
  for (const l of layers) shapes.set(l.name, formatShape(l.outputShape));
  const children: ElkNode[] = [{ id: INPUT_NODE, width: nodeWidth({ name: 'input', type: '' }), height: NODE_HEIGHT }];
  const edges: ElkExtendedEdge[] = [];
  for (const l of layers) {
    children.push({ id: l.name, width: nodeWidth(l), height: NODE_HEIGHT });
    l.inputs.forEach((from, i) => {
      if (!shapes.has(from)) return;
      const text = shapes.get(from)!;
      edges.push({
        id: `e${l.index}_${i}`,
        sources: [from],
        targets: [l.name],
        labels: [{ text, width: Math.ceil(text.length * 5.6 + 4), height: LABEL_HEIGHT }],
      });
    });
  }
  return { id: 'root', layoutOptions: ELK_OPTIONS, children, edges };
}

/** A laid-out diagram, in plain numbers. */
export interface DiagramLayout {
  width: number;
  height: number;
  nodes: { id: string; x: number; y: number; width: number; height: number }[];
  edges: { id: string; source: string; target: string; points: [number, number][]; label: { text: string; x: number; y: number } | null }[];
}

/** Flattens ELK's result (a flat graph: coordinates are all relative to the root). */
export function fromElk(graph: ElkNode): DiagramLayout {
  const nodes = (graph.children ?? []).map((n) => ({ id: n.id, x: n.x ?? 0, y: n.y ?? 0, width: n.width ?? 0, height: n.height ?? 0 }));
  const edges = (graph.edges ?? []).map((e) => {
    const points: [number, number][] = [];
    for (const s of e.sections ?? []) {
      points.push([s.startPoint.x, s.startPoint.y]);
      for (const b of s.bendPoints ?? []) points.push([b.x, b.y]);
      points.push([s.endPoint.x, s.endPoint.y]);
    }
    const l = e.labels?.[0];
    const label = l && l.text ? { text: l.text, x: l.x ?? 0, y: (l.y ?? 0) + (l.height ?? LABEL_HEIGHT) - 2 } : null;
    return { id: e.id, source: e.sources[0] ?? '', target: e.targets[0] ?? '', points, label };
  });
  return { width: Math.ceil(graph.width ?? 0), height: Math.ceil(graph.height ?? 0), nodes, edges };
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
    `.node text{fill:${p.foreground};font-size:11px;}`,
    `.node .sub{opacity:.8;font-size:10px;}`,
    `.edge{fill:none;stroke:${p.edge};stroke-width:1;}`,
    `.arrow{fill:${p.edge};}`,
    `.edge-label{fill:${p.foreground};opacity:.75;font-size:9px;}`,
    ...fills.map((f, i) => `.heat-${i} rect{fill:${f};}`),
  ].join('\n');
}

/**
 * Draws the diagram. Nodes carry `data-layer` (for selection and tests) and a heat class; `selected` gets
 * the `selected` class. With `style`, the SVG embeds it and stands alone.
 */
export function renderSvg(
  layout: DiagramLayout,
  layers: readonly LayerResult[],
  options: { totalMacs: number; selected?: string | null; style?: string } = { totalMacs: 0 },
): string {
  const byName = new Map(layers.map((l) => [l.name, l]));
  const maxMacs = layers.reduce((m, l) => Math.max(m, l.macs), 0);
  const out: string[] = [];
  const pad = 8;
  const w = layout.width + 2 * pad;
  const h = layout.height + 2 * pad;
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="diagram-svg" viewBox="${-pad} ${-pad} ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="Architecture diagram">`,
  );
  if (options.style !== undefined) out.push(`<style>${options.style}</style>`);
  out.push('<defs><marker id="arrow" class="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0L8,4L0,8z"/></marker></defs>');
  out.push('<g class="edges">');
  for (const e of layout.edges) {
    if (e.points.length < 2) continue;
    const d = e.points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${r1(x)},${r1(y)}`).join('');
    out.push(`<path class="edge" d="${d}" marker-end="url(#arrow)" data-from="${escapeXml(e.source)}" data-to="${escapeXml(e.target)}"/>`);
    if (e.label) out.push(`<text class="edge-label" x="${r1(e.label.x)}" y="${r1(e.label.y)}">${escapeXml(e.label.text)}</text>`);
  }
  out.push('</g><g class="nodes">');
  for (const n of layout.nodes) {
    const layer = byName.get(n.id);
    const level = layer ? heatLevel(layer.macs, maxMacs) : 0;
    const selected = options.selected === n.id ? ' selected' : '';
    const name = escapeXml(n.id);
    const sub = layer ? `${layer.type} · ${formatPercent(layer.macs, options.totalMacs)}` : 'model input';
    const tip = layer ? `${layer.name} (${layer.type})\n${formatShape(layer.outputShape)}\n${formatPercent(layer.macs, options.totalMacs)} of MACs` : 'model input';
    out.push(
      `<g class="node heat-${level}${selected}${layer?.error ? ' error' : ''}" data-layer="${name}" transform="translate(${r1(n.x)},${r1(n.y)})" tabindex="-1">` +
        `<title>${escapeXml(tip)}</title>` +
        `<rect width="${r1(n.width)}" height="${r1(n.height)}" rx="3"/>` +
        `<text x="8" y="15" class="name">${name}</text>` +
        `<text x="8" y="29" class="sub">${escapeXml(sub)}</text>` +
        '</g>',
    );
  }
  out.push('</g></svg>');
  return out.join('');
}
