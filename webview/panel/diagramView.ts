/**
 * The diagram pane: shows the SVG from `shared/diagram.ts`, pans (drag) and zooms (wheel, buttons) by
 * moving the SVG's viewBox, and reports clicks on nodes. Selection only toggles a class, so a 500-node
 * diagram is never redrawn for it.
 */
import { renderSvg, type DiagramLayout } from '../shared/diagram';
import type { LayerResult } from '../../extension/core/result';

interface View {
  x: number;
  y: number;
  /** Screen pixels per diagram unit. */
  scale: number;
}

const MIN_SCALE = 0.05;
const MAX_SCALE = 4;

export class DiagramView {
  private svg: SVGSVGElement | null = null;
  private layout: DiagramLayout | null = null;
  private view: View = { x: 0, y: 0, scale: 1 };
  private drag: { x: number; y: number; view: View; moved: boolean } | null = null;
  private selected: string | null = null;

  constructor(
    private readonly host: HTMLElement,
    private readonly onSelect: (layer: string) => void,
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

  show(layout: DiagramLayout, layers: readonly LayerResult[], totalMacs: number, view?: View | null): void {
    this.layout = layout;
    // Our own markup, every model-provided string escaped by renderSvg; parsed as SVG, never executed.
    const doc = new DOMParser().parseFromString(renderSvg(layout, layers, { totalMacs, selected: this.selected }), 'image/svg+xml');
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
  exportSvg(layers: readonly LayerResult[], totalMacs: number, style: string): string | null {
    if (!this.layout) return null;
    return renderSvg(this.layout, layers, { totalMacs, selected: null, style });
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

  private nodeOf(layer: string): SVGGElement | null {
    return this.svg?.querySelector(`g.node[data-layer="${CSS.escape(layer)}"]`) ?? null;
  }

  private centerOn(layer: string): void {
    const n = this.layout?.nodes.find((node) => node.id === layer);
    if (!n) return;
    const { width, height } = this.host.getBoundingClientRect();
    const s = Math.max(this.view.scale, 0.5);
    this.view = { scale: s, x: n.x + n.width / 2 - width / 2 / s, y: n.y + n.height / 2 - height / 2 / s };
    this.apply();
  }

  /**
   * The first view: the whole width when it stays readable, else readable text centred on the input
   * node; either way from the top, since a deep model reads downwards.
   */
  home(): void {
    if (!this.layout) return;
    const { width } = this.host.getBoundingClientRect();
    const fit = width > 0 ? (width - 16) / (this.layout.width + 16) : 1;
    const scale = clamp(fit, 0.6, 1);
    const input = this.layout.nodes.find((n) => n.id === 'input');
    const x = fit >= 0.6 || !input ? -8 : input.x + input.width / 2 - width / 2 / scale;
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

  /** Fits the whole diagram. */
  fitAll(): void {
    if (!this.layout) return;
    const { width, height } = this.host.getBoundingClientRect();
    const scale = clamp(Math.min((width - 16) / (this.layout.width + 16), (height - 16) / (this.layout.height + 16)), MIN_SCALE, 1);
    this.view = { scale, x: -8, y: -8 };
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
  }

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
    // A click, not a drag: select the node under the pointer.
    const node = (e.target as Element | null)?.closest?.('g.node');
    const layer = node?.getAttribute('data-layer');
    if (layer && layer !== 'input') this.onSelect(layer);
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
