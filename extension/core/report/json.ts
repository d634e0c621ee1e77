/**
 * The JSON report: a public interface (documented in README.md, "JSON output"). Add fields, never rename or
 * remove them.
 */
import type { AnalysisReport } from '../result';
import { presentShape } from './shapes';

export const JSON_SCHEMA_VERSION = 1;

export function toJsonReport(report: AnalysisReport): object {
  const f = report.framework;
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    model: report.model,
    framework: f,
    backend: report.backend,
    input: presentShape(report.input.slice(1), f),
    flopsPerMac: report.flopsPerMac,
    complete: report.complete,
    layers: report.layers.map((l) => ({
      name: l.name,
      type: l.type,
      block: l.block,
      inputs: l.inputs,
      inputShapes: l.inputShapes.map((s) => presentShape(s, f)),
      outputShape: presentShape(l.outputShape, f),
      params: l.params,
      trainableParams: l.trainableParams,
      macs: l.macs,
      flops: l.flops,
      activationBytes: l.activationBytes,
      kernel: l.kernel,
      strides: l.strides,
      padding: l.padding,
      ...(l.groups === undefined ? {} : { groups: l.groups }),
      receptiveField: l.receptiveField,
      jump: l.jump,
      source: l.source ? { file: l.source.file, line: l.source.line } : null,
      error: l.error ? l.error.message : null,
    })),
    blocks: report.blocks.map((b) => ({
      name: b.name,
      type: b.type,
      macs: b.macs,
      params: b.params,
      savedMacs: b.savedMacs,
      factorisationSavedMacs: b.factorisationSavedMacs,
    })),
    oneByOne: report.oneByOne,
    factorisations: report.factorisations,
    totals: report.totals,
    issues: report.issues.map((i) => ({ layer: i.layer, kind: i.kind, message: i.message, source: i.source ? { file: i.source.file, line: i.source.line } : null })),
  };
}
