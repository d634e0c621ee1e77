/**
 * cnn-inspect: the engine in a terminal or CI. Output goes to stdout; errors are one line on stderr and a
 * non-zero exit (2: the command line, 1: the model), never a stack trace unless it is our bug.
 */
import { analyze, analyzeModel, type AnalyzeOptions } from '../core/analyze';
import { BackendUnavailableError, isUserError, messageOf, type UserError } from '../core/errors';
import { ZOO, zooModel } from '../core/zoo/index';
import { toJsonText } from '../core/report/json';
import { toMarkdown, toTable } from '../core/report/table';
import { formatExact, formatSI } from '../core/report/numberFormat';
import type { AnalysisReport } from '../core/result';
import { parseArgs, USAGE, UsageError, type CliOptions } from './args';
import { diagnosticsFromReport, type SourceDiagnostic } from '../core/source/index';
import type { ModelSpec } from '../core/spec';
import { formatDiagnostic, listFileModels, looksLikeFile, modelFromFile } from './fromFile';
import type { JobProgress } from '../core/isolation/protocol';
import { isModelFilePath, runModelFile } from './fromModelFile';
import { runDiff } from './diff';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Where the run is (reading a file, the last layer analysed): locates a stop by the isolation worker. */
  progress?: (progress: JobProgress) => void;
}

const VERSION = '0.1.0';

async function listModels(io: CliIo): Promise<void> {
  const rows = await Promise.all(
    ZOO.map(async (entry) => {
      const report = await analyzeModel(entry.build());
      return [entry.name, entry.title, entry.defaultInput.join('×'), formatExact(report.totals.params), formatSI(report.totals.macs)];
    }),
  );
  const header = ['name', 'model', 'input', 'params', 'MACs'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  for (const r of [header, ...rows]) io.out(r.map((c, i) => (i >= 3 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

function render(report: AnalysisReport, format: CliOptions['format']): string {
  if (format === 'json') return toJsonText(report);
  if (format === 'markdown') return toMarkdown(report);
  return toTable(report);
}

/** The report, telling `io.progress` (when there is one) each layer as it is analysed. */
async function reportOf(spec: ModelSpec, options: AnalyzeOptions, io: CliIo): Promise<AnalysisReport> {
  const progress = io.progress;
  if (!progress) return analyzeModel(spec, options);
  progress({ phase: 'analysing', model: spec.name });
  for await (const event of analyze(spec, options)) {
    if (event.kind === 'layer') progress({ phase: 'analysing', model: spec.name, layer: event.layer.name, source: event.layer.source });
    if (event.kind === 'done') return event.report;
  }
  throw new Error('analysis ended without a report');
}

/** Files of installed packages (a venv's, conda's, the user's or the system's site-packages). */
const INSTALLED_LIBRARY = /[\\/](site|dist)-packages[\\/]/;

/** "file:line:col: error: …" when the error has a place (the form editors and CI logs link to), else one line. */
function userErrorLine(error: UserError): string {
  const s = error.source;
  if (!s) return `cnn-inspect: error: ${error.message}`;
  const message = error.message.startsWith(`${s.file}: `) ? error.message.slice(s.file.length + 2) : error.message;
  return `${s.file}:${s.line}:${s.column ?? 1}: error: ${message}`;
}

/** Runs the CLI; returns the exit code. `io` is a seam for tests. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv[0] === 'diff') return runSubcommand(() => runDiff(argv.slice(1), io), io);
  let options: CliOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`cnn-inspect: ${error.message}\nRun cnn-inspect --help for usage.`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    io.out(USAGE);
    return 0;
  }
  if (options.version) {
    io.out(VERSION);
    return 0;
  }
  try {
    if (options.list) {
      const target = options.model;
      if (target && !isModelFilePath(target) && looksLikeFile(target)) for (const line of await listFileModels(target, options)) io.out(line);
      else await listModels(io);
      return 0;
    }
    const target = options.model ?? '';
    if (isModelFilePath(target)) return await runModelFile(target, options, io);
    const isFile = looksLikeFile(target);
    if (isFile) io.progress?.({ phase: 'reading', source: { file: target, line: 1, column: 1 } });
    const file = isFile ? await modelFromFile(target, options.modelName, options.input, options) : null;
    const spec: ModelSpec = file ? file.built.spec : zooModel(target, options.input ?? undefined);
    const started = performance.now();
    const report = await reportOf(spec, { flopsPerMac: options.flopsPerMac, backend: options.backend }, io);
    if (options.verbose) {
      io.err(`cnn-inspect: ${report.model}: ${report.layers.length} layers analysed in ${(performance.now() - started).toFixed(0)} ms on the TensorFlow.js "${report.backend}" backend`);
    }
    io.out(render(report, options.format));
    if (file) {
      // A file's problems are located lines (file:line:col), errors and warnings first, information after.
      const all: SourceDiagnostic[] = [...file.diagnostics, ...diagnosticsFromReport(file.built, report)];
      // An installed library's own undecided code (timm's os.environ checks) says nothing about a complete model.
      const diagnostics = report.complete ? all.filter((d) => d.severity === 'error' || !INSTALLED_LIBRARY.test(d.source.file)) : all;
      const rank = { error: 0, warning: 1, info: 2 } as const;
      for (const d of diagnostics.sort((a, b) => rank[a.severity] - rank[b.severity])) io.err(formatDiagnostic(d));
      return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
    }
    const first = report.issues[0];
    if (first) {
      io.err(`cnn-inspect: error: ${first.message}${report.issues.length > 1 ? ` (and ${report.issues.length - 1} more)` : ''}`);
      return 1;
    }
    return 0;
  } catch (error) {
    // A missing optional backend is a wrong command line for this machine: exit 2, one line.
    if (error instanceof BackendUnavailableError) {
      io.err(`cnn-inspect: ${error.message}`);
      return 2;
    }
    if (isUserError(error)) {
      io.err(userErrorLine(error));
      return 1;
    }
    io.err(`cnn-inspect: internal error (please report it): ${messageOf(error)}`);
    if (options.verbose && error instanceof Error && error.stack) io.err(error.stack);
    return 70;
  }
}

/** A subcommand's errors, told apart as for the main command: 2 the command line, 1 the model, 70 our bug. */
async function runSubcommand(run: () => Promise<number>, io: CliIo): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`cnn-inspect: ${error.message}\nRun cnn-inspect diff --help for usage.`);
      return 2;
    }
    if (isUserError(error)) {
      io.err(`cnn-inspect: error: ${error.message}`);
      return 1;
    }
    io.err(`cnn-inspect: internal error (please report it): ${messageOf(error)}`);
    return 70;
  }
}
