/**
 * cnn-inspect on a model file (.keras, .h5, model.json, .onnx, .tflite, .pt/.pth): read it without running
 * anything from it, analyse the graph (or list the parameters of a checkpoint), print the report on stdout
 * and what the reader found to say on stderr. Exit 1 when the file has a problem or the report is incomplete.
 */
import { analyzeModel } from '../core/analyze';
import { readModelFile, formatFileDiagnostic, parameterReport, checkStatedShapes, type FileDiagnostic } from '../core/files/index';
import type { AnalysisReport } from '../core/result';
import { toJsonText } from '../core/report/json';
import { toMarkdown, toTable } from '../core/report/table';
import type { CliOptions } from './args';
import { InputShapeError, InvalidModelError } from '../core/errors';
import { ModelFileError } from '../core/files/diagnostics';

export { isModelFilePath } from '../core/files/index';

export interface ModelFileIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

function render(report: AnalysisReport, format: CliOptions['format']): string {
  // Exact integers at every size, as for model code (a bigint count past 2^53 is written as digits).
  if (format === 'json') return toJsonText(report);
  if (format === 'markdown') return toMarkdown(report);
  return toTable(report);
}

/** Reads, analyses and prints one model file; returns the exit code. Throws UserErrors for unreadable files. */
export async function runModelFile(path: string, options: CliOptions, io: ModelFileIo): Promise<number> {
  const file = await readModelFile(path, options.input ? { input: options.input } : {});
  const diagnostics: FileDiagnostic[] = [...file.diagnostics];
  let report: AnalysisReport;
  if (file.spec) {
    try {
      report = await analyzeModel(file.spec, { flopsPerMac: options.flopsPerMac, backend: options.backend });
    } catch (error) {
      // The engine names the model; a file's reader names the file (a forged input of -32×32×3).
      if (error instanceof InputShapeError || error instanceof InvalidModelError) {
        const message = error.message.startsWith(`${file.spec.name}: `) ? error.message.slice(file.spec.name.length + 2) : error.message;
        throw new ModelFileError(`${path}: ${message}`);
      }
      throw error;
    }
    diagnostics.push(...checkStatedShapes(file, report));
  } else {
    report = parameterReport(file.parameters!, options.flopsPerMac);
  }
  // An error the reader found (a value written twice, an output no layer makes) leaves the report incomplete too.
  if (report.complete && diagnostics.some((d) => d.severity === 'error')) report = { ...report, complete: false };
  io.out(render(report, options.format));
  const rank = { error: 0, warning: 1, info: 2 } as const;
  for (const d of diagnostics.sort((a, b) => rank[a.severity] - rank[b.severity])) io.err(formatFileDiagnostic(path, d));
  for (const issue of report.issues) if (!diagnostics.some((d) => d.layer === issue.layer)) io.err(`${path}: error: ${issue.message}`);
  return diagnostics.some((d) => d.severity === 'error') || !report.complete || report.issues.length > 0 ? 1 : 0;
}
