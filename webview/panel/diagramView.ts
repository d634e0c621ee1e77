/**
 * The diagram pane: shows the SVG from `shared/diagram.ts`, pans (drag) and zooms (wheel, buttons) by
 * moving the SVG's viewBox, and reports clicks: on a layer (select it), on a block node (expand it), on an
 * expanded block's frame title (collapse it). Selection only toggles a class, so a 500-node diagram is
 * never redrawn for it. A minimap in the corner shows the whole graph and where the view is.
 */
import { BLOCK_PREFIX, nodeForLayer, renderSvg, type DiagramLayout } from '../shared/diagram';

interface View {
  x: number;
  y: number;
  /** Screen pixels per diagram unit. */
  scale: number;
}

const MIN_SCALE = 0.05;
const MAX_SCALE = 4;
/** 11 px details stay ≥ 8 px on screen. */
const LEGIBLE_SCALE = 0.72;
/** Centring on a selection zooms in at least this far. */
const READABLE_SCALE = 0.9;

export class DiagramView {
  private svg: SVGSVGElement | null = null;
  private layout: DiagramLayout | null = null;
  private view: View = { x: 0, y: 0, scale: 1 };
  private drag: { x: number; y: number; view: View; moved: boolean } | null = null;
  private selected: string | null = null;

  constructor(
    private readonly host: HTMLElement,
    private readonly onSelect: (layer: string) => void,
    private readonly onBlock: (block: string, expand: boolean) => void = () => undefined,
  ) {
    host.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    host.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    host.addEventListener('pointermove', (e) => this.onPointerMove(e));
    host.addEventListener('pointerup', (e) => this.onPointerUp(e));
    host.addEventListener('pointercancel', () => (this.drag = null));
    new ResizeObserver(() => this.apply()).observe(host);
  }

  /** Shows a message instead of a diagram ("Laying out…", an error). */
  message(text: string): void {
    this.svg = null;
    this.layout = null;
    this.host.dataset.ready = 'false';
    this.host.replaceChildren();
    const p = document.createElement('p');
    p.className = 'placeholder';
    p.textContent = text;
    this.host.append(p);
  }

  show(layout: DiagramLayout, view?: View | null): void {
    this.layout = layout;
    const selectedNode = this.selected === null ? null : (nodeForLayer(layout, this.selected) ?? null);
    // Our own markup, every model-provided string escaped by renderSvg; parsed as SVG, never executed.
    const doc = new DOMParser().parseFromString(renderSvg(layout, { selected: selectedNode }), 'image/svg+xml');
    const svg = document.importNode(doc.documentElement, true) as unknown as SVGSVGElement;
    svg.setAttribute('width', '100%');
    svg.setAttribute('height', '100%');
    svg.setAttribute('preserveAspectRatio', 'xMinYMin meet');
    this.svg = svg;
    this.host.replaceChildren(svg);
    this.host.dataset.ready = 'true';
    if (view) {
      this.view = view;
      this.apply();
    } else {
      this.home();
    }
  }

  /** The SVG markup for export, with a standalone `<style>`. */
  exportSvg(style: string): string | null {
    if (!this.layout) return null;
    return renderSvg(this.layout, { selected: null, style });
  }

  get currentView(): View {
    return { ...this.view };
  }

  select(layer: string | null, center: boolean): void {
    if (!this.svg) {
      this.selected = layer;
      return;
    }
    if (this.selected !== null) this.nodeOf(this.selected)?.classList.remove('selected');
    this.selected = layer;
    const node = layer === null ? null : this.nodeOf(layer);
    node?.classList.add('selected');
    if (center && layer !== null) this.centerOn(layer);
  }

  /** The node that shows a layer: its own, or its collapsed block's. */
  private nodeOf(layer: string): SVGGElement | null {
    const id = this.layout ? nodeForLayer(this.layout, layer) : undefined;
    return id === undefined ? null : (this.svg?.querySelector(`g.node[data-layer="${CSS.escape(id)}"]`) ?? null);
  }

  private centerOn(layer: string): void {
    const id = this.layout ? nodeForLayer(this.layout, layer) : undefined;
    const n = this.layout?.nodes.find((node) => node.id === id);
    if (!n) return;
    const { width, height } = this.host.getBoundingClientRect();
    const s = Math.max(this.view.scale, READABLE_SCALE);
    this.view = { scale: s, x: n.x + n.width / 2 - width / 2 / s, y: n.y + n.height / 2 - height / 2 / s };
    this.apply();
  }

  /**
   * The first view: at 100 %, so node text is 11–12 px on screen; centred when the graph is narrower than
   * the pane, else on the input node; from the top, since a deep model reads downwards.
   */
  home(): void {
    if (!this.layout) return;
    const { width } = this.host.getBoundingClientRect();
    const scale = 1;
    const input = this.layout.nodes.find((n) => n.id === 'input');
    const x = this.layout.width + 16 <= width || !input ? (this.layout.width - width) / 2 : input.x + input.width / 2 - width / 2;
    this.view = { scale, x, y: -8 };
    this.apply();
  }

  /** Fits the diagram's width (a deep model is tall: it scrolls down from the input). */
  fitWidth(): void {
    if (!this.layout) return;
    const { width } = this.host.getBoundingClientRect();
    const scale = clamp(width > 0 ? (width - 16) / (this.layout.width + 16) : 1, MIN_SCALE, 1);
    this.view = { scale, x: -8, y: -8 };
    this.apply();
  }

  /**
   * Fits the whole diagram, but never below the scale where text is still legible (8 px): a 500-layer
   * model fits its collapsed blocks, and what does not fit scrolls (the minimap shows where).
   */
  fitAll(): void {
    if (!this.layout) return;
    const { width, height } = this.host.getBoundingClientRect();
    const fit = Math.min((width - 16) / (this.layout.width + 16), (height - 16) / (this.layout.height + 16));
    const scale = clamp(fit, LEGIBLE_SCALE, 1);
    const x = this.layout.width * scale + 16 <= width ? (this.layout.width - width / scale) / 2 : -8;
    this.view = { scale, x, y: -8 };
    this.apply();
  }

  /** Brings a node (a block just expanded or collapsed) to the top centre of the view, at the current zoom. */
  focusNode(id: string): void {
    const n = this.layout?.nodes.find((node) => node.id === id);
    if (!n) return;
    const { width } = this.host.getBoundingClientRect();
    const s = this.view.scale;
    this.view = { scale: s, x: n.x + n.width / 2 - width / 2 / s, y: n.y - 24 / s };
    this.apply();
  }

  /** Where the view is, in diagram units (for the minimap). */
  get visibleArea(): { x: number; y: number; width: number; height: number } | null {
    if (!this.layout) return null;
    const { width, height } = this.host.getBoundingClientRect();
    return { x: this.view.x, y: this.view.y, width: width / this.view.scale, height: height / this.view.scale };
  }

  /** Centres the view on a diagram point (a click in the minimap). */
  moveTo(x: number, y: number): void {
    const area = this.visibleArea;
    if (!area) return;
    this.view = { ...this.view, x: x - area.width / 2, y: y - area.height / 2 };
    this.apply();
  }

  zoom(factor: number, atX?: number, atY?: number): void {
    const rect = this.host.getBoundingClientRect();
    const px = atX ?? rect.width / 2;
    const py = atY ?? rect.height / 2;
    const scale = clamp(this.view.scale * factor, MIN_SCALE, MAX_SCALE);
    // Keep the diagram point under the cursor where it is.
    const gx = this.view.x + px / this.view.scale;
    const gy = this.view.y + py / this.view.scale;
    this.view = { scale, x: gx - px / scale, y: gy - py / scale };
    this.apply();
  }

  private apply(): void {
    if (!this.svg) return;
    const { width, height } = this.host.getBoundingClientRect();
    if (width === 0 || height === 0) return;
    const { x, y, scale } = this.view;
    this.svg.setAttribute('viewBox', `${x} ${y} ${width / scale} ${height / scale}`);
    this.host.dataset.scale = String(Math.round(scale * 100) / 100);
    this.onViewChange?.();
  }

  /** Called after every pan or zoom (the minimap follows). */
  onViewChange: (() => void) | undefined;

  private onWheel(e: WheelEvent): void {
    if (!this.svg) return;
    e.preventDefault();
    const rect = this.host.getBoundingClientRect();
    // Ctrl/⌘ + wheel (and trackpad pinch, which arrives as Ctrl + wheel) zooms around the pointer.
    if (e.ctrlKey || e.metaKey) {
      this.zoom(Math.exp(-e.deltaY / 300), e.clientX - rect.left, e.clientY - rect.top);
      return;
    }
    // Plain wheel scrolls: a deep model's diagram reads top to bottom.
    this.view = { ...this.view, x: this.view.x + (e.shiftKey ? e.deltaY : e.deltaX) / this.view.scale, y: this.view.y + (e.shiftKey ? 0 : e.deltaY) / this.view.scale };
    this.apply();
  }

  private onPointerDown(e: PointerEvent): void {
    if (!this.svg || e.button !== 0) return;
    this.drag = { x: e.clientX, y: e.clientY, view: { ...this.view }, moved: false };
  }

  private onPointerMove(e: PointerEvent): void {
    if (!this.drag) return;
    const dx = e.clientX - this.drag.x;
    const dy = e.clientY - this.drag.y;
    if (!this.drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!this.drag.moved) this.host.setPointerCapture(e.pointerId);
    this.drag.moved = true;
    this.host.classList.add('panning');
    const { view } = this.drag;
    this.view = { scale: view.scale, x: view.x - dx / view.scale, y: view.y - dy / view.scale };
    this.apply();
  }

  private onPointerUp(e: PointerEvent): void {
    const drag = this.drag;
    this.drag = null;
    this.host.classList.remove('panning');
    if (drag?.moved) return;
    // A click, not a drag: expand a block, collapse a frame, or select the layer under the pointer.
    const target = e.target as Element | null;
    const frame = target?.closest?.('g.frame');
    if (frame) {
      const block = frame.getAttribute('data-block');
      if (block !== null) this.onBlock(block, false);
      return;
    }
    const layer = target?.closest?.('g.node')?.getAttribute('data-layer');
    if (!layer || layer === 'input') return;
    if (layer.startsWith(BLOCK_PREFIX)) this.onBlock(layer.slice(BLOCK_PREFIX.length), true);
    else this.onSelect(layer);
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
