/**
 * The diagram's minimap: the whole graph drawn small on a canvas (one rectangle per node, heavier nodes
 * darker), the visible area outlined; a click or drag moves the view there. A canvas rather than a second
 * SVG: 500 nodes cost one draw, not 500 more elements.
 */
import type { DiagramLayout } from '../shared/diagram';
import { heatLevel, HEAT_LEVELS } from '../shared/heat';

const MAX_W = 150;
const MAX_H = 190;

export class Minimap {
  readonly element: HTMLCanvasElement;
  private layout: DiagramLayout | null = null;
  private scale = 1;

  constructor(
    private readonly area: () => { x: number; y: number; width: number; height: number } | null,
    private readonly moveTo: (x: number, y: number) => void,
  ) {
    this.element = document.createElement('canvas');
    this.element.className = 'minimap';
    this.element.dataset.testid = 'minimap';
    this.element.setAttribute('aria-label', 'Minimap: click to move the view');
    this.element.hidden = true;
    let dragging = false;
    const go = (e: PointerEvent): void => {
      const r = this.element.getBoundingClientRect();
      this.moveTo((e.clientX - r.left) / this.scale, (e.clientY - r.top) / this.scale);
    };
    this.element.addEventListener('pointerdown', (e) => {
      e.stopPropagation();
      dragging = true;
      this.element.setPointerCapture(e.pointerId);
      go(e);
    });
    this.element.addEventListener('pointermove', (e) => dragging && go(e));
    this.element.addEventListener('pointerup', () => (dragging = false));
    this.element.addEventListener('wheel', (e) => e.stopPropagation(), { passive: true });
  }

  show(layout: DiagramLayout | null): void {
    this.layout = layout;
    this.draw();
  }

  /** Redraws (the view moved); hidden while the whole graph is in view, where it would only cover it. */
  draw(): void {
    const layout = this.layout;
    const view = this.area();
    const all = view !== null && layout !== null && view.x <= 0 && view.y <= 0 && view.x + view.width >= layout.width && view.y + view.height >= layout.height;
    this.element.hidden = layout === null || all;
    const ctx = this.element.getContext?.('2d');
    if (!layout || !ctx || all) return;
    this.scale = Math.min(MAX_W / Math.max(1, layout.width), MAX_H / Math.max(1, layout.height));
    const w = Math.max(20, Math.ceil(layout.width * this.scale));
    const h = Math.max(20, Math.ceil(layout.height * this.scale));
    const ratio = window.devicePixelRatio || 1;
    if (this.element.width !== w * ratio || this.element.height !== h * ratio) {
      this.element.width = w * ratio;
      this.element.height = h * ratio;
      this.element.style.width = `${w}px`;
      this.element.style.height = `${h}px`;
    }
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const css = getComputedStyle(this.element);
    const fg = css.getPropertyValue('--vscode-editor-foreground').trim() || '#888';
    const hot = css.getPropertyValue('--vscode-charts-orange').trim() || '#d18616';
    const focus = css.getPropertyValue('--vscode-focusBorder').trim() || '#0078d4';
    let maxMacs = 0;
    for (const i of layout.info.values()) if (i.kind !== 'frame') maxMacs = Math.max(maxMacs, i.macs);
    for (const n of layout.nodes) {
      const info = layout.info.get(n.id);
      const s = this.scale;
      if (info?.kind === 'frame') {
        ctx.strokeStyle = fg;
        ctx.globalAlpha = 0.35;
        ctx.strokeRect(n.x * s, n.y * s, n.width * s, n.height * s);
        continue;
      }
      const level = info ? heatLevel(info.macs, maxMacs) : 0;
      ctx.globalAlpha = level === 0 ? 0.3 : 0.3 + (0.7 * level) / (HEAT_LEVELS - 1);
      ctx.fillStyle = level === 0 ? fg : hot;
      ctx.fillRect(n.x * s, n.y * s, Math.max(1, n.width * s), Math.max(1, n.height * s));
    }
    const a = view;
    if (a) {
      ctx.globalAlpha = 1;
      ctx.strokeStyle = focus;
      ctx.lineWidth = 1.5;
      ctx.strokeRect(a.x * this.scale, a.y * this.scale, a.width * this.scale, a.height * this.scale);
    }
    ctx.globalAlpha = 1;
  }
}
