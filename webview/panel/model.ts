/**
 * The architecture panel's state and its half of the protocol, without the DOM: it validates arriving
 * messages, drops rows of replaced runs, groups layers into blocks as they stream and tells its view what
 * changed. `webview/panel/main.ts` renders; unit tests drive it from a host session directly.
 */
import type { Comparison } from '../../extension/core/compare';
import type { LayerResult } from '../../extension/core/result';
import type { Framework } from '../../extension/core/spec';
import { readInputSize } from '../../extension/core/inputSize';
import {
  checkToPanel,
  type ExportFormat,
  type FromPanel,
  type ReportSummary,
  type ToPanel,
  type ViewSettings,
} from '../../extension/protocol';
import { appendLayer, type LayerGroup } from '../shared/table';

/** What the view hears about; every method is optional so tests can listen to a subset. */
export interface PanelListener {
  init?(): void;
  start?(): void;
  /** Streamed rows, each with the block group it joined (`newGroups` are the groups they started). */
  layers?(added: readonly { layer: LayerResult; group: LayerGroup }[], newGroups: readonly LayerGroup[]): void;
  done?(): void;
  error?(): void;
  settings?(): void;
  reveal?(layer: string): void;
  /** A comparison with another model arrived (or was cleared): mark what differs. */
  compare?(): void;
  exportResult?(ok: boolean, message: string): void;
}

export type RunStatus = 'idle' | 'running' | 'done' | 'error';

export class PanelModel {
  modelKey: string | null = null;
  title = '';
  defaultInput: number[] = [224, 224, 3];
  settings: ViewSettings = { flopsPerMac: 2, numberFormat: 'exact' };
  /** The columns the user last chose in any panel, as the host remembers them (null: never chosen). */
  columns: string[] | null = null;
  runId: number | null = null;
  status: RunStatus = 'idle';
  model = '';
  framework: Framework = 'keras';
  input: number[] = [];
  backend = '';
  layerCount = 0;
  layers: LayerResult[] = [];
  groups: LayerGroup[] = [];
  summary: ReportSummary | null = null;
  error: { message: string; userError: boolean } | null = null;
  /** This run of B compared with model A, when the panel came from "Compare architectures…". */
  comparison: Comparison | null = null;
  private nextRequestId = 1;
  private readonly byName = new Map<string, LayerResult>();

  constructor(
    private readonly post: (message: FromPanel) => void,
    private readonly listener: PanelListener = {},
  ) {}

  /** Tells the host the panel listens; it answers with init and a replay of the current run. */
  ready(): void {
    this.post({ kind: 'panel/ready' });
  }

  /** Handles whatever `window.onmessage` received. */
  receive(data: unknown): void {
    const checked = checkToPanel(data);
    if (!checked.ok) {
      this.post({ kind: 'webview/error', message: `ignored a message: ${checked.error}` });
      // A run whose rows or report cannot be shown (a NaN or Infinity where a count belongs) ends as an error
      // that says so, instead of a table that never completes.
      const run = (data as { kind?: unknown; runId?: unknown } | null) ?? {};
      if (typeof run.kind === 'string' && run.kind.startsWith('analysis/') && typeof run.runId === 'number' && Number.isInteger(run.runId)) {
        this.apply({ kind: 'analysis/error', runId: run.runId, message: `the analysis sent a value the panel cannot show: ${checked.error}`, userError: false });
      }
      return;
    }
    this.apply(checked.message);
  }

  private apply(message: ToPanel): void {
    switch (message.kind) {
      case 'panel/init':
        this.modelKey = message.modelKey;
        this.title = message.title;
        this.defaultInput = message.defaultInput;
        this.settings = message.settings;
        this.columns = message.columns;
        this.listener.init?.();
        return;
      case 'analysis/start':
        this.runId = message.runId;
        this.status = 'running';
        this.model = message.model;
        this.title = message.title;
        this.framework = message.framework;
        this.input = message.input;
        this.backend = message.backend;
        this.layerCount = message.layerCount;
        this.settings = message.settings;
        this.layers = [];
        this.groups = [];
        this.byName.clear();
        this.summary = null;
        this.error = null;
        this.comparison = null;
        this.listener.start?.();
        return;
      case 'analysis/layers': {
        if (message.runId !== this.runId) return; // a replaced run's rows
        const created: LayerGroup[] = [];
        const added: { layer: LayerResult; group: LayerGroup }[] = [];
        for (const layer of message.layers) {
          this.layers.push(layer);
          this.byName.set(layer.name, layer);
          const { group, created: isNew } = appendLayer(this.groups, layer);
          if (isNew) created.push(group);
          added.push({ layer, group });
        }
        this.listener.layers?.(added, created);
        return;
      }
      case 'analysis/done':
        if (message.runId !== this.runId) return;
        this.status = 'done';
        this.summary = message.report;
        this.listener.done?.();
        return;
      case 'analysis/error':
        // Run ids only grow: an error may belong to a newer run whose start never came (it failed to build).
        if (this.runId !== null && message.runId < this.runId) return;
        this.runId = message.runId;
        this.status = 'error';
        this.error = { message: message.message, userError: message.userError };
        this.listener.error?.();
        return;
      case 'panel/settings':
        this.settings = message.settings;
        this.listener.settings?.();
        return;
      case 'panel/compare':
        this.comparison = message.comparison;
        this.listener.compare?.();
        return;
      case 'panel/revealLayer':
        this.listener.reveal?.(message.layer);
        return;
      case 'panel/exportResult':
        this.listener.exportResult?.(message.ok, message.message);
        return;
    }
  }

  layer(name: string): LayerResult | undefined {
    return this.byName.get(name);
  }

  /** Total MACs once known (the % column and heat map need it). */
  get totalMacs(): number | null {
    return this.summary ? this.summary.totals.macs : null;
  }

  /** Validates a typed input size; on success asks the host to re-run and returns null, else the message to show. */
  requestInput(text: string): string | null {
    const parsed = readInputSize(text, this.framework, this.input.length >= 1 && this.input.length <= 4 ? this.input : this.defaultInput);
    if (!parsed.ok) return parsed.error;
    this.post({ kind: 'panel/setInput', input: parsed.input });
    return null;
  }

  select(layer: string): void {
    this.post({ kind: 'panel/selectLayer', layer });
  }

  openSource(layer: string): void {
    this.post({ kind: 'panel/openSource', layer });
  }

  /** `content` null: the host writes the whole report with the core's exporter. */
  exportContent(format: ExportFormat, target: 'file' | 'clipboard', content: string | null): number {
    const requestId = this.nextRequestId++;
    this.post({ kind: 'panel/export', requestId, format, target, content });
    return requestId;
  }

  /** The user chose columns: every panel opened from now on starts with them. */
  chooseColumns(columns: string[]): void {
    this.columns = columns;
    this.post({ kind: 'panel/columns', columns });
  }

  /** Asks the host to open the comparison as Markdown (the text `cnn-inspect diff --format markdown` prints). */
  openComparison(): void {
    this.post({ kind: 'panel/openComparison' });
  }

  rendered(rows: number, complete: boolean): void {
    if (this.runId !== null) this.post({ kind: 'panel/rendered', runId: this.runId, rows, complete });
  }

  reportError(message: string): void {
    this.post({ kind: 'webview/error', message });
  }
}
