/**
 * The JSON report: a public interface (documented in README.md, "JSON output"). Add fields, never rename or
 * remove them.
 */
import type { AnalysisReport } from '../result';
import { presentShape } from './shapes';

export const JSON_SCHEMA_VERSION = 1;

/** A count as JSON: null when unknown, an exact integer (bigint, written as digits) when it passes 2^53. */
function count(value: number | null, exact: string | undefined, unknown: boolean | undefined): number | bigint | null {
  if (unknown || value === null || !Number.isFinite(value)) return null;
  return exact !== undefined ? BigInt(exact) : value;
}

/** The report as JSON text: integers always as digits (never 1e+21), exact at every size. */
export function toJsonText(report: AnalysisReport, indent = 2): string {
  return stringifyExact(toJsonReport(report), indent);
}

/**
 * JSON.stringify with bigint written as a plain integer literal (JSON numbers have no size limit; readers
 * that need every digit parse them as big integers) and numbers past 2^53 written without exponent.
 */
export function stringifyExact(value: unknown, indent = 2): string {
  const marker = `__exact_${Math.random().toString(36).slice(2)}__`;
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'bigint') return `${marker}${v.toString()}`;
      // A double ≥ 1e21 would print as 1e+21: write its integer value in digits instead.
      if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) >= 1e21) return `${marker}${BigInt(v).toString()}`;
      return v;
    },
    indent,
  );
  return text.replace(new RegExp(`"${marker}(-?\\d+)"`, 'g'), '$1');
}

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
      frameworkType: l.frameworkType ?? null,
      block: l.block,
      inputs: l.inputs,
      inputShapes: l.inputShapes.map((s) => presentShape(s, f)),
      outputShape: presentShape(l.outputShape, f),
      params: count(l.params, l.exact?.params, l.unknown?.params),
      trainableParams: count(l.trainableParams, undefined, l.unknown?.params || l.unknown?.trainable),
      macs: count(l.macs, l.exact?.macs, l.unknown?.macs),
      flops: count(l.flops, l.exact?.flops, l.unknown?.macs),
      activationBytes: count(l.activationBytes, l.exact?.activationBytes, false),
      kernel: l.kernel,
      strides: l.strides,
      dilation: l.dilation,
      padding: l.padding,
      ...(l.groups === undefined ? {} : { groups: l.groups }),
      receptiveField: l.receptiveField,
      jump: l.jump,
      source: l.source ? { file: l.source.file, line: l.source.line } : null,
      error: l.error ? l.error.message : null,
      ...(l.notCalled ? { notCalled: true } : {}),
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
    totals: totalsJson(report),
    issues: report.issues.map((i) => ({ layer: i.layer, kind: i.kind, message: i.message, source: i.source ? { file: i.source.file, line: i.source.line } : null })),
    ...(report.outputs ? { outputs: report.outputs.map((o) => ({ name: o.name, layer: o.layer, outputShape: presentShape(o.outputShape, f) })) } : {}),
  };
}

function totalsJson(report: AnalysisReport): object {
  const t = report.totals;
  const e = t.exact;
  return {
    params: count(t.params, e?.params, false),
    // null when the code's freezing could not be read (trainableUnknown says why).
    trainableParams: t.trainableUnknown ? null : t.trainableParams,
    nonTrainableParams: t.trainableUnknown ? null : t.nonTrainableParams,
    macs: count(t.macs, e?.macs, false),
    flops: count(t.flops, e?.flops, false),
    paramBytes: e?.params !== undefined ? BigInt(e.params) * 4n : t.paramBytes,
    activationBytes: count(t.activationBytes, e?.activationBytes, false),
    peakActivationBytes: t.peakActivationBytes,
    // Added in schema 1: true when some layer's params or MACs are unknown, so the totals are lower bounds.
    lowerBound: t.lowerBound === true,
    ...(t.trainableUnknown ? { trainableUnknown: { message: t.trainableUnknown.message, line: t.trainableUnknown.source.line } } : {}),
  };
}
