/**
 * The host side of one architecture panel, without `vscode`: it runs the analysis for a model source,
 * streams rows to the webview in batches, answers the webview's messages, and replays the current run
 * whenever the webview (re)loads. The VS Code panel wraps it; unit tests wire it back to back with the
 * webview's model.
 */
import { compareReports, type Comparison } from '../core/compare';
import { messageOf } from '../core/errors';
import { comparisonMarkdown } from '../core/report/compare';
import { toCsv } from '../core/report/csv';
import { toJsonReport } from '../core/report/json';
import { toMarkdown } from '../core/report/table';
import type { AnalysisReport, LayerResult } from '../core/result';
import type { Engine } from './engineLoader';
import type { ModelSource } from './modelSources';
import {
  checkFromPanel,
  type AnalysisDoneMessage,
  type AnalysisErrorMessage,
  type AnalysisStartMessage,
  type ExportFormat,
  type FromPanel,
  type ToPanel,
  type ViewSettings,
} from '../protocol';

/** What a session needs from its surroundings (VS Code in the extension, plain functions in tests). */
export interface SessionHost {
  post(message: ToPanel): void;
  engine(): Promise<Engine>;
  settings(): ViewSettings & { backend: 'auto' | 'node' | 'cpu' };
  /** Saves or copies an export; resolves to a message for the user, or undefined when they cancelled. */
  exportContent(format: ExportFormat, target: 'file' | 'clipboard', content: string, model: string): Promise<string | undefined>;
  openSource(layer: LayerResult): void;
  /** Our bugs and invalid messages: logged, not shown as pop-ups. */
  log(message: string): void;
  /** A run finished (the FLOP report view follows the last one). */
  onReport?(report: AnalysisReport): void;
  onSelect?(layer: string): void;
  /** The model's own name is known (a code model's `name=`): the panel's tab takes it. */
  onTitle?(title: string): void;
  /** The table columns the user chose last, in any panel (null: the defaults), and where a new choice goes. */
  columns?(): string[] | null;
  setColumns?(columns: string[]): void;
  /** Opens text for the user to read or copy (the comparison as Markdown). */
  openMarkdown?(markdown: string): void;
}

/** When each stage of the current run happened (ms since the run was requested), for the test API. */
export interface RunTimings {
  runId: number;
  firstLayerPosted: number | null;
  lastLayerPosted: number | null;
  firstRowRendered: number | null;
  completeRendered: number | null;
  layers: number;
}

/** Rows are posted at most this often while streaming (the first row goes out at once). */
const BATCH_MS = 16;
/** Replays (webview reloaded) go out in chunks of this many rows. */
const REPLAY_CHUNK = 128;

export class ArchitectureSession {
  private runId = 0;
  private abort: AbortController | undefined;
  private ready = false;
  private input: number[];
  private start: AnalysisStartMessage | undefined;
  private layers: LayerResult[] = [];
  /** How many of `layers` went out in batches; the rest wait for the next flush (a replay must not repeat them). */
  private flushed = 0;
  private end: AnalysisDoneMessage | AnalysisErrorMessage | undefined;
  private report: AnalysisReport | undefined;
  private current: Promise<AnalysisReport | undefined> = Promise.resolve(undefined);
  private requestedAt = 0;
  private pendingReveal: string | undefined;
  /** False while the input is only the source's placeholder: the model is then loaded without one. */
  private inputChosen: boolean;
  /** The zoo's display name, or a code model's own name once it is read. */
  private title: string;
  /** Model A when this panel shows B compared with it; each finished run of B is compared with A. */
  private against: AnalysisReport | undefined;
  private comparison: Comparison | undefined;
  timings: RunTimings | undefined;

  constructor(
    private currentSource: ModelSource,
    private readonly host: SessionHost,
    input?: readonly number[],
  ) {
    this.input = [...(input ?? currentSource.defaultInput)];
    this.inputChosen = input !== undefined || currentSource.inputKnown !== false;
    this.title = currentSource.label;
  }

  /** Compares every finished run with `a` (the panel shows B against A); set before the first run. */
  compareWith(a: AnalysisReport): void {
    this.against = a;
  }

  get key(): string {
    return this.source.id;
  }

  get source(): ModelSource {
    return this.currentSource;
  }

  /**
   * Shows another version of the same model (the CodeLens after an edit): the panel stays, its webview
   * keeps its state, and the analysis re-runs. The key must stay the same.
   */
  retarget(source: ModelSource): Promise<AnalysisReport | undefined> {
    this.currentSource = source;
    this.input = [...source.defaultInput];
    this.inputChosen = source.inputKnown !== false;
    this.title = source.label;
    return this.run();
  }

  /** The last finished report, if any. */
  get lastReport(): AnalysisReport | undefined {
    return this.report;
  }

  /** The current run: resolves with its report, or undefined if it failed or was replaced. */
  get running(): Promise<AnalysisReport | undefined> {
    return this.current;
  }

  /** Starts (or restarts) the analysis; an earlier run still streaming is cancelled. */
  run(input?: readonly number[]): Promise<AnalysisReport | undefined> {
    if (input !== undefined) this.inputChosen = true;
    input ??= this.input;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.input = [...input];
    const runId = ++this.runId;
    this.start = undefined;
    this.layers = [];
    this.flushed = 0;
    this.end = undefined;
    this.comparison = undefined;
    this.requestedAt = performance.now();
    this.timings = { runId, firstLayerPosted: null, lastLayerPosted: null, firstRowRendered: null, completeRendered: null, layers: 0 };
    this.current = this.stream(runId, abort.signal);
    return this.current;
  }

  private async stream(runId: number, signal: AbortSignal): Promise<AnalysisReport | undefined> {
    const settings = this.host.settings();
    let engine: Engine | undefined;
    let lastFlush = 0;
    const flush = (): void => {
      if (this.flushed === this.layers.length) return;
      const layers = this.layers.slice(this.flushed);
      this.flushed = this.layers.length;
      lastFlush = performance.now();
      if (this.timings && this.timings.firstLayerPosted === null) this.timings.firstLayerPosted = lastFlush - this.requestedAt;
      this.send({ kind: 'analysis/layers', runId, layers });
    };
    try {
      engine = await this.host.engine();
      const spec = await this.source.load(this.inputChosen ? this.input : undefined);
      // The source may have asked for the input: from now on the model runs at the one it got.
      this.input = [...spec.input].map((d) => d ?? 1);
      this.inputChosen = true;
      // A model read from code is titled by its own name (Keras `name=`), not the variable it was found in.
      if (!/^(zoo|compare):/.test(this.source.id) && spec.name !== '' && spec.name !== this.title) {
        this.title = spec.name;
        this.host.onTitle?.(spec.name);
      }
      for await (const event of engine.analyze(spec, { flopsPerMac: settings.flopsPerMac, backend: settings.backend, signal })) {
        if (signal.aborted) return undefined;
        if (event.kind === 'start') {
          this.start = {
            kind: 'analysis/start',
            runId,
            model: event.model,
            title: this.title,
            framework: spec.framework ?? 'keras',
            input: event.input.slice(1).map((d) => d ?? 0),
            backend: event.backend,
            layerCount: event.layerCount,
            settings: viewSettings(settings),
          };
          this.send(this.start);
        } else if (event.kind === 'layer') {
          this.layers.push(event.layer);
          // The first row goes out alone so it shows at once; later rows are batched per frame.
          if (this.layers.length === 1 || performance.now() - lastFlush >= BATCH_MS) flush();
        } else {
          flush();
          const { layers: _layers, ...summary } = event.report;
          if (this.timings) {
            this.timings.lastLayerPosted = performance.now() - this.requestedAt;
            this.timings.layers = this.layers.length;
          }
          this.end = { kind: 'analysis/done', runId, report: summary, elapsedMs: performance.now() - this.requestedAt };
          this.report = event.report;
          // Before "done": the panel marks the changed shapes in the table and lays the diagram out with them.
          if (this.against) {
            this.comparison = compareReports(this.against, event.report);
            this.send({ kind: 'panel/compare', comparison: this.comparison });
          }
          this.send(this.end);
          this.host.onReport?.(event.report);
          if (this.pendingReveal !== undefined) this.reveal(this.pendingReveal);
          return event.report;
        }
      }
      return undefined;
    } catch (error) {
      if (signal.aborted || (error instanceof Error && error.name === 'CancelledError')) return undefined;
      flush();
      const userError = engine?.isUserError(error) ?? false;
      const message = messageOf(error);
      // A model the user got wrong is told in the panel; anything else is our bug and goes to the log too.
      if (!userError) this.host.log(`Analysis of ${this.source.label} failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
      this.end = { kind: 'analysis/error', runId, message, userError };
      this.send(this.end);
      return undefined;
    }
  }

  /** Posts when the webview is listening; otherwise the message waits in the run's state for the replay. */
  private send(message: ToPanel): void {
    if (this.ready) this.host.post(message);
  }

  /** Sends everything the webview needs to show the current run from scratch. */
  private replay(): void {
    this.host.post({
      kind: 'panel/init',
      modelKey: this.source.id,
      title: this.title,
      defaultInput: [...this.source.defaultInput],
      settings: viewSettings(this.host.settings()),
      columns: this.host.columns?.() ?? null,
    });
    if (this.start) {
      this.host.post(this.start);
      for (let i = 0; i < this.flushed; i += REPLAY_CHUNK) {
        this.host.post({ kind: 'analysis/layers', runId: this.start.runId, layers: this.layers.slice(i, Math.min(i + REPLAY_CHUNK, this.flushed)) });
      }
    }
    if (this.comparison && this.end?.kind === 'analysis/done') this.host.post({ kind: 'panel/compare', comparison: this.comparison });
    // An error can come before any start (the model failed to build).
    if (this.end) this.host.post(this.end);
  }

  /** The webview went away (hidden without retained context, or disposed): hold messages until it is ready. */
  detach(): void {
    this.ready = false;
  }

  /** Asks the panel to select a layer, now or once the run is done. */
  reveal(layer: string): void {
    if (this.report && this.ready) {
      this.pendingReveal = undefined;
      this.host.post({ kind: 'panel/revealLayer', layer });
    } else {
      this.pendingReveal = layer;
    }
  }

  /** Re-sends display settings after a configuration change (FLOPs per MAC needs a re-run, format does not). */
  settingsChanged(rerun: boolean): void {
    if (rerun) void this.run();
    else this.send({ kind: 'panel/settings', settings: viewSettings(this.host.settings()) });
  }

  /** Handles a message from the webview; invalid ones are logged with the reason. */
  handle(data: unknown): void {
    const checked = checkFromPanel(data);
    if (!checked.ok) {
      this.host.log(`Ignored a message from the ${this.source.label} panel: ${checked.error}`);
      return;
    }
    void this.dispatch(checked.message);
  }

  private async dispatch(message: FromPanel): Promise<void> {
    switch (message.kind) {
      case 'panel/ready':
        this.ready = true;
        this.replay();
        if (this.pendingReveal !== undefined && this.report) this.reveal(this.pendingReveal);
        return;
      case 'panel/setInput':
        if (message.input.length < 1 || message.input.length > 3) {
          this.host.log(`panel/setInput with ${message.input.length} dimensions`);
          return;
        }
        void this.run(message.input);
        return;
      case 'panel/selectLayer':
        this.host.onSelect?.(message.layer);
        return;
      case 'panel/openSource': {
        const layer = this.layers.find((l) => l.name === message.layer);
        if (layer?.source) this.host.openSource(layer);
        return;
      }
      case 'panel/export': {
        let reply: { ok: boolean; message: string };
        try {
          const content = message.content ?? this.wholeReport(message.format);
          if (content === undefined) {
            this.host.post({ kind: 'panel/exportResult', inReplyTo: message.requestId, ok: false, message: 'Wait for the analysis to finish.' });
            return;
          }
          const text = await this.host.exportContent(message.format, message.target, content, this.title);
          reply = { ok: text !== undefined, message: text ?? 'Cancelled.' };
        } catch (error) {
          reply = { ok: false, message: `Export failed: ${messageOf(error)}` };
        }
        this.host.post({ kind: 'panel/exportResult', inReplyTo: message.requestId, ...reply });
        return;
      }
      case 'panel/rendered':
        if (this.timings && message.runId === this.timings.runId) {
          const t = performance.now() - this.requestedAt;
          if (message.rows > 0 && this.timings.firstRowRendered === null) this.timings.firstRowRendered = t;
          if (message.complete && this.timings.completeRendered === null) this.timings.completeRendered = t;
        }
        return;
      case 'panel/openComparison':
        if (this.comparison) this.host.openMarkdown?.(comparisonMarkdown(this.comparison));
        return;
      case 'panel/columns':
        this.host.setColumns?.(message.columns);
        return;
      case 'webview/error':
        this.host.log(`Architecture panel (${this.source.label}): ${message.message}`);
        return;
    }
  }

  /** The whole finished report in an export format, by the core's exporters (the CLI's own output). */
  private wholeReport(format: ExportFormat): string | undefined {
    const r = this.report;
    if (!r || this.end?.kind !== 'analysis/done' || format === 'svg') return undefined;
    if (format === 'json') return JSON.stringify(toJsonReport(r), null, 2) + '\n';
    if (format === 'csv') return toCsv(r);
    return toMarkdown(r);
  }

  dispose(): void {
    this.abort?.abort();
    this.ready = false;
  }
}

/** The display part of the host's settings: only these cross to the webview (the backend stays here). */
function viewSettings(settings: ViewSettings): ViewSettings {
  return { flopsPerMac: settings.flopsPerMac, numberFormat: settings.numberFormat };
}
