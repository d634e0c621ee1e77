/**
 * The table and the diagram side by side (stacked when the panel is narrower than 900 px), with a handle to
 * drag the split and modes that show only one of them. The split and the mode are the user's and are
 * remembered; until the user drags, the table gets the width its columns need (within limits).
 */
export type SplitMode = 'both' | 'table' | 'diagram';

export interface SplitState {
  /** The table's share of the split, 0.15..0.85; null until the user drags (the table's own width then). */
  fraction: number | null;
  mode: SplitMode;
}

/** Below this width the panes stack: two side-by-side panes of 300 px help nobody. */
export const STACK_BELOW_PX = 900;
/** On a wide panel the diagram keeps this much and the table may take the rest (80 % is the cap below 2,000 px). */
export const DIAGRAM_KEEPS_PX = 400;

export class SplitView {
  readonly element: HTMLElement;
  private readonly handle: HTMLElement;
  private natural: number | null = null;

  constructor(
    private readonly first: HTMLElement,
    private readonly second: HTMLElement,
    private state: SplitState,
    private readonly changed: (state: SplitState) => void,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'split';
    this.element.dataset.testid = 'split';
    this.handle = document.createElement('div');
    this.handle.className = 'split-handle';
    this.handle.dataset.testid = 'split-handle';
    this.handle.setAttribute('role', 'separator');
    this.handle.tabIndex = 0;
    this.handle.title = 'Drag to resize the table and the diagram (arrow keys too)';
    this.element.append(first, this.handle, second);
    this.handle.addEventListener('pointerdown', (e) => this.startDrag(e));
    this.handle.addEventListener('keydown', (e) => this.onKey(e));
    if (typeof ResizeObserver !== 'undefined') new ResizeObserver(() => this.apply()).observe(this.element);
    this.apply();
  }

  get mode(): SplitMode {
    return this.state.mode;
  }

  setMode(mode: SplitMode): void {
    this.state = { ...this.state, mode };
    this.apply();
    this.changed(this.state);
  }

  /** The table's preferred width in px (its columns' total), used until the user drags the split. */
  setNaturalWidth(px: number): void {
    this.natural = px;
    this.apply();
  }

  private get stacked(): boolean {
    const w = this.element.getBoundingClientRect().width;
    return w > 0 && w < STACK_BELOW_PX;
  }

  /**
   * The table's share now: the user's, else its natural width (+ scrollbar), kept between 35 % and 80 % —
   * or more on a panel wide enough that the diagram still keeps DIAGRAM_KEEPS_PX.
   */
  private fraction(): number {
    if (this.state.fraction !== null) return this.state.fraction;
    if (this.stacked) return 0.55;
    const w = this.element.getBoundingClientRect().width;
    if (this.natural === null || w <= 0) return 0.58;
    return Math.min(Math.max(0.8, 1 - DIAGRAM_KEEPS_PX / w), Math.max(0.35, (this.natural + 20) / w));
  }

  private apply(): void {
    const { mode } = this.state;
    this.element.classList.toggle('stacked', this.stacked);
    this.element.dataset.mode = mode;
    this.first.hidden = mode === 'diagram';
    this.second.hidden = mode === 'table';
    this.handle.hidden = mode !== 'both';
    const f = mode === 'both' ? this.fraction() : mode === 'table' ? 1 : 0;
    // CSSOM, not style attributes: allowed by the webview's CSP.
    this.first.style.flex = `${f} 1 0`;
    this.second.style.flex = `${1 - f} 1 0`;
    this.handle.setAttribute('aria-valuenow', String(Math.round(f * 100)));
  }

  private setFraction(f: number): void {
    this.state = { ...this.state, fraction: Math.min(0.85, Math.max(0.15, f)) };
    this.apply();
  }

  private startDrag(e: PointerEvent): void {
    if (e.button !== 0) return;
    e.preventDefault();
    this.handle.setPointerCapture(e.pointerId);
    const rect = this.element.getBoundingClientRect();
    const move = (m: PointerEvent): void => {
      this.setFraction(this.stacked ? (m.clientY - rect.top) / rect.height : (m.clientX - rect.left) / rect.width);
    };
    const up = (): void => {
      this.handle.removeEventListener('pointermove', move);
      this.handle.removeEventListener('pointerup', up);
      this.handle.removeEventListener('pointercancel', up);
      this.changed(this.state);
    };
    this.handle.addEventListener('pointermove', move);
    this.handle.addEventListener('pointerup', up);
    this.handle.addEventListener('pointercancel', up);
  }

  private onKey(e: KeyboardEvent): void {
    const step = e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -0.05 : e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 0.05 : 0;
    if (step === 0) return;
    e.preventDefault();
    this.setFraction(this.fraction() + step);
    this.changed(this.state);
  }
}
