/**
 * Messages between the extension host and its two webviews (the architecture panel and the FLOP report
 * view), declared once and imported by both sides: the webview code with `import type`, or at runtime for
 * the validators, which is safe because this module imports nothing from `vscode` and only types from the
 * analysis core.
 *
 * One discriminant, `kind`, namespaced by the side that owns the conversation: `analysis/*` streams a run,
 * `panel/*` and `report/*` are the panel's and the report view's own events. Stream messages carry the
 * `runId` they belong to, so a webview drops rows of a run it has already replaced. Only plain JSON crosses.
 */
import type { Comparison } from './core/compare';
import type { AnalysisReport, LayerResult } from './core/result';
import type { Framework } from './core/spec';

/** How counts are printed: "138,357,544" or "138.4 M". */
export type NumberFormat = 'exact' | 'si';

/** Display settings the webviews need; sent with every run and whenever they change. */
export interface ViewSettings {
  /** FLOPs per multiply-accumulate (2: a multiply and an add; 1: FLOPs reported as MACs). */
  flopsPerMac: 1 | 2;
  numberFormat: NumberFormat;
}

/** The finished report minus its layers, which the stream already delivered. */
export type ReportSummary = Omit<AnalysisReport, 'layers'>;

/** Export formats the panel produces; the host saves them or puts them on the clipboard. */
export type ExportFormat = 'markdown' | 'csv' | 'json' | 'svg';

// ---------------------------------------------------------------------------------------------------------
// Host → architecture panel

/** Which model the panel shows. Sent after `panel/ready`, before any run; the panel keeps it in its state. */
export interface PanelInitMessage {
  kind: 'panel/init';
  /** The one-panel-per-model key (e.g. "zoo:vgg16"). */
  modelKey: string;
  title: string;
  /** Input the model opens with (H, W, C): the value the input-size control resets to. */
  defaultInput: number[];
  settings: ViewSettings;
  /** The table columns the user last chose in any panel (null: never chosen, the defaults). */
  columns: string[] | null;
}

/** A run began: the panel clears its table and shows a progress bar over `layerCount` rows. */
export interface AnalysisStartMessage {
  kind: 'analysis/start';
  runId: number;
  model: string;
  /** What the panel is titled: the zoo's display name, or a code model's own name. */
  title: string;
  /** Decides how shapes read: PyTorch (N, C, H, W), Keras and tfjs (None, H, W, C). */
  framework: Framework;
  /** Input without the batch dimension (H, W, C); 0 for a dimension the model leaves open. */
  input: number[];
  backend: string;
  layerCount: number;
  settings: ViewSettings;
}

/** The next rows of a run, in layer order; batched so that a 500-layer model is a few dozen messages. */
export interface AnalysisLayersMessage {
  kind: 'analysis/layers';
  runId: number;
  layers: LayerResult[];
}

/** The run finished; totals, blocks and 1×1 savings arrive here. */
export interface AnalysisDoneMessage {
  kind: 'analysis/done';
  runId: number;
  report: ReportSummary;
  /** Milliseconds from the request to the last layer, measured on the host. */
  elapsedMs: number;
}

/** The run failed. `userError` tells "your model or input is invalid" from "our bug" (logged on the host). */
export interface AnalysisErrorMessage {
  kind: 'analysis/error';
  runId: number;
  message: string;
  userError: boolean;
}

/** Display settings changed (number format, FLOPs per MAC): re-render without re-running. */
export interface PanelSettingsMessage {
  kind: 'panel/settings';
  settings: ViewSettings;
}

/** Select and scroll to a layer (the FLOP report asked for it). */
export interface PanelRevealLayerMessage {
  kind: 'panel/revealLayer';
  layer: string;
}

/**
 * The panel shows model B compared with model A ("Compare architectures…"): totals side by side, and the
 * layers whose output shape differs marked in the table and the diagram. Sent after `panel/init`, before
 * the run; null when the comparison no longer applies (the user chose another input size).
 */
export interface PanelCompareMessage {
  kind: 'panel/compare';
  comparison: Comparison | null;
}

/** The outcome of a `panel/export` request. */
export interface PanelExportResultMessage {
  kind: 'panel/exportResult';
  inReplyTo: number;
  ok: boolean;
  message: string;
}

export type ToPanel =
  | PanelInitMessage
  | AnalysisStartMessage
  | AnalysisLayersMessage
  | AnalysisDoneMessage
  | AnalysisErrorMessage
  | PanelSettingsMessage
  | PanelRevealLayerMessage
  | PanelCompareMessage
  | PanelExportResultMessage;

// ---------------------------------------------------------------------------------------------------------
// Architecture panel → host

/** The panel's script is running and listening: the host (re)sends init and replays the current run. */
export interface PanelReadyMessage {
  kind: 'panel/ready';
}

/** The user asked for a different input size (already validated in the panel; the host re-checks). */
export interface PanelSetInputMessage {
  kind: 'panel/setInput';
  input: number[];
}

/** A layer was selected in the table or the diagram. */
export interface PanelSelectLayerMessage {
  kind: 'panel/selectLayer';
  layer: string;
}

/** Jump to where a layer was written (only layers with a `source`). */
export interface PanelOpenSourceMessage {
  kind: 'panel/openSource';
  layer: string;
}

/**
 * Save an export to a file (the host asks where) or copy it to the clipboard. A request: answered by id.
 * `content` is what the panel made itself (the SVG, the visible rows it copies); null asks the host to
 * write the whole report with the core's exporter, the CLI's (Markdown, CSV, JSON).
 */
export interface PanelExportMessage {
  kind: 'panel/export';
  requestId: number;
  format: ExportFormat;
  target: 'file' | 'clipboard';
  content: string | null;
}

/** Rows now in the DOM for a run; lets the host and tests time the stream as the user sees it. */
export interface PanelRenderedMessage {
  kind: 'panel/rendered';
  runId: number;
  rows: number;
  complete: boolean;
}

/** "Comparison as Markdown": the host opens the text `cnn-inspect diff --format markdown` prints. */
export interface PanelOpenComparisonMessage {
  kind: 'panel/openComparison';
}

/** The user chose the table's columns: the host remembers them for every panel, now and after a restart. */
export interface PanelColumnsMessage {
  kind: 'panel/columns';
  columns: string[];
}

/** Something went wrong inside the webview; the host logs it to the output channel. */
export interface WebviewErrorMessage {
  kind: 'webview/error';
  message: string;
}

export type FromPanel =
  | PanelReadyMessage
  | PanelSetInputMessage
  | PanelSelectLayerMessage
  | PanelOpenSourceMessage
  | PanelExportMessage
  | PanelRenderedMessage
  | PanelColumnsMessage
  | PanelOpenComparisonMessage
  | WebviewErrorMessage;

// ---------------------------------------------------------------------------------------------------------
// Host → FLOP report view

/** The report to show: the model last shown in a panel or the active editor's. `panelKey` is where "open layer" goes. */
export interface ReportShowMessage {
  kind: 'report/show';
  panelKey: string;
  title: string;
  /** Where the model comes from: a file name ("model.py"), or "model zoo". */
  origin: string;
  /** Set when this is not the active editor's model (the active editor has none): says so. */
  note: string | null;
  report: AnalysisReport;
  settings: ViewSettings;
}

/** Nothing to show; `message` says why (nothing analysed yet, or the active editor has no model). */
export interface ReportEmptyMessage {
  kind: 'report/empty';
  message: string;
}

export type ToReport = ReportShowMessage | ReportEmptyMessage | PanelSettingsMessage;

// ---------------------------------------------------------------------------------------------------------
// FLOP report view → host

/** The view's script is running: the host replays the last report. */
export interface ReportReadyMessage {
  kind: 'report/ready';
}

/** Open (or reveal) the panel of `panelKey` and select `layer` in it. */
export interface ReportOpenLayerMessage {
  kind: 'report/openLayer';
  panelKey: string;
  layer: string;
}

export type FromReport = ReportReadyMessage | ReportOpenLayerMessage | WebviewErrorMessage;

// ---------------------------------------------------------------------------------------------------------
// Validation. Messages arrive as `unknown` from `postMessage`; each side checks the envelope and the fields
// it reads before acting. A failure names the kind and the field, and is logged, never silently dropped.

/** The result of validating an arriving message. */
export type Checked<T> = { ok: true; message: T } | { ok: false; error: string };

type Obj = Record<string, unknown>;
type FieldCheck = (value: unknown) => boolean;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr: FieldCheck = (v) => typeof v === 'string';
const isBool: FieldCheck = (v) => typeof v === 'boolean';
const isNum: FieldCheck = (v) => typeof v === 'number' && Number.isFinite(v);
const isInt: FieldCheck = (v) => Number.isInteger(v);
const isDims: FieldCheck = (v) => Array.isArray(v) && v.length >= 1 && v.length <= 4 && v.every((d) => isInt(d) && (d as number) > 0);
/** A shape as sent in a run: 0 stands for a dimension the model leaves open. */
const isRunShape: FieldCheck = (v) => Array.isArray(v) && v.length <= 4 && v.every((d) => isInt(d) && (d as number) >= 0);
const oneOf =
  (...values: readonly unknown[]): FieldCheck =>
  (v) =>
    values.includes(v);
const isSettings: FieldCheck = (v) => isObj(v) && oneOf(1, 2)(v.flopsPerMac) && oneOf('exact', 'si')(v.numberFormat);
const isShapeOrNull: FieldCheck = (v) => v === null || (Array.isArray(v) && v.every((d) => d === null || isNum(d)));

const isStrOrNull: FieldCheck = (v) => v === null || isStr(v);
const isNumOrNull = (v: unknown): boolean => v === null || isNum(v);
const isDelta: FieldCheck = (v) => isObj(v) && isNumOrNull(v.a) && isNumOrNull(v.b) && isNumOrNull(v.delta) && (v.relative === null || isNum(v.relative));
const isStatus = oneOf('same', 'changed', 'added', 'removed');
const isSide: FieldCheck = (v) => isObj(v) && isStr(v.model) && isStr(v.input) && isInt(v.layers) && isBool(v.complete);
const isLayerComparison: FieldCheck = (v) =>
  isObj(v) && isStr(v.name) && isStatus(v.status) && isStrOrNull(v.shapeA) && isStrOrNull(v.shapeB) && isBool(v.shapeChanged) && isDelta(v.params) && isDelta(v.macs);
const isComparison: FieldCheck = (v) =>
  isObj(v) &&
  isSide(v.a) &&
  isSide(v.b) &&
  isObj(v.totals) &&
  Object.values(v.totals as Obj).every(isDelta) &&
  Array.isArray(v.blocks) &&
  Array.isArray(v.layers) &&
  (v.layers as unknown[]).every(isLayerComparison);

/** Column ids: a short list of short names (the table has fewer than 30 columns). */
const isColumnIds: FieldCheck = (v) => Array.isArray(v) && v.length <= 64 && v.every((id) => isStr(id) && /^[A-Za-z]{1,32}$/.test(id as string));

/** The fields of a layer the webviews read; the rest are optional for display. */
const isLayerResult: FieldCheck = (v) =>
  isObj(v) &&
  isInt(v.index) &&
  isStr(v.name) &&
  isStr(v.type) &&
  (v.block === null || isStr(v.block)) &&
  Array.isArray(v.inputs) &&
  v.inputs.every(isStr) &&
  isShapeOrNull(v.outputShape) &&
  isNum(v.params) &&
  isNum(v.macs) &&
  (v.activationBytes === null || isNum(v.activationBytes));

const isSummary: FieldCheck = (v) =>
  isObj(v) && isStr(v.model) && Array.isArray(v.blocks) && Array.isArray(v.oneByOne) && isObj(v.totals) && isNum((v.totals as Obj).macs);
const isReport: FieldCheck = (v) => isSummary(v) && Array.isArray((v as Obj).layers) && ((v as Obj).layers as unknown[]).every(isLayerResult);

/** Field checks per kind: the single description of what each message must carry. */
const SCHEMAS: Record<string, Record<string, FieldCheck>> = {
  'panel/init': { modelKey: isStr, title: isStr, defaultInput: isDims, settings: isSettings, columns: (v) => v === null || isColumnIds(v) },
  'analysis/start': { runId: isInt, model: isStr, title: isStr, framework: oneOf('keras', 'pytorch', 'tfjs'), input: isRunShape, backend: isStr, layerCount: isInt, settings: isSettings },
  'analysis/layers': { runId: isInt, layers: (v) => Array.isArray(v) && v.every(isLayerResult) },
  'analysis/done': { runId: isInt, report: isSummary, elapsedMs: isNum },
  'analysis/error': { runId: isInt, message: isStr, userError: isBool },
  'panel/settings': { settings: isSettings },
  'panel/revealLayer': { layer: isStr },
  'panel/compare': { comparison: (v) => v === null || isComparison(v) },
  'panel/openComparison': {},
  'panel/exportResult': { inReplyTo: isInt, ok: isBool, message: isStr },
  'panel/ready': {},
  'panel/setInput': { input: isDims },
  'panel/selectLayer': { layer: isStr },
  'panel/openSource': { layer: isStr },
  'panel/export': { requestId: isInt, format: oneOf('markdown', 'csv', 'json', 'svg'), target: oneOf('file', 'clipboard'), content: (v) => v === null || isStr(v) },
  'panel/rendered': { runId: isInt, rows: isInt, complete: isBool },
  'panel/columns': { columns: isColumnIds },
  'webview/error': { message: isStr },
  'report/show': { panelKey: isStr, title: isStr, origin: isStr, note: (v) => v === null || isStr(v), report: isReport, settings: isSettings },
  'report/empty': { message: isStr },
  'report/ready': {},
  'report/openLayer': { panelKey: isStr, layer: isStr },
};

/** Which kinds each receiver accepts. */
const ACCEPTS = {
  panel: ['panel/init', 'analysis/start', 'analysis/layers', 'analysis/done', 'analysis/error', 'panel/settings', 'panel/revealLayer', 'panel/compare', 'panel/exportResult'],
  panelHost: ['panel/ready', 'panel/setInput', 'panel/selectLayer', 'panel/openSource', 'panel/export', 'panel/rendered', 'panel/columns', 'panel/openComparison', 'webview/error'],
  report: ['report/show', 'report/empty', 'panel/settings'],
  reportHost: ['report/ready', 'report/openLayer', 'webview/error'],
} as const;

function check<T>(receiver: keyof typeof ACCEPTS, data: unknown): Checked<T> {
  if (!isObj(data) || typeof data.kind !== 'string') return { ok: false, error: 'message without a string "kind"' };
  const kind = data.kind;
  if (!(ACCEPTS[receiver] as readonly string[]).includes(kind)) return { ok: false, error: `unexpected message kind "${kind}"` };
  const schema = SCHEMAS[kind] ?? {};
  for (const [field, valid] of Object.entries(schema)) {
    if (!valid(data[field])) return { ok: false, error: `"${kind}" has an invalid "${field}": ${preview(data[field])}` };
  }
  return { ok: true, message: data as T };
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Validates a message arriving in the architecture panel. */
export const checkToPanel = (data: unknown): Checked<ToPanel> => check('panel', data);
/** Validates a message arriving on the host from the architecture panel. */
export const checkFromPanel = (data: unknown): Checked<FromPanel> => check('panelHost', data);
/** Validates a message arriving in the FLOP report view. */
export const checkToReport = (data: unknown): Checked<ToReport> => check('report', data);
/** Validates a message arriving on the host from the FLOP report view. */
export const checkFromReport = (data: unknown): Checked<FromReport> => check('reportHost', data);

