/**
 * The reports of a document's last analysis, by model: after an edit that leaves a model's spec as it was (a
 * comment, the example code, another model's class), its report is the one the same analysis gave before. An
 * analysis depends only on the spec (its layers, their arguments, sources and the input), the FLOPs per MAC, the
 * backend asked for and the engine, and all of them must be the same, so a new input, a moved line or a changed
 * argument analyses again. Only the last analysis of a few documents is kept.
 */
import type { AnalysisReport } from '../../core/result';
import type { ModelSpec } from '../../core/spec';
import { samePlainData } from '../../core/samePlainData';

const DOCUMENTS = 4;

export interface KeptReport {
  spec: ModelSpec;
  flopsPerMac: number;
  backend: string | undefined;
  report: AnalysisReport;
}

export class LastReports {
  private readonly byDocument = new Map<string, Map<string, KeptReport>>();

  /** The report the document's last analysis gave for the same spec with the same settings, if it did. */
  find(document: string, spec: ModelSpec, flopsPerMac: number, backend: string | undefined): AnalysisReport | undefined {
    const kept = this.byDocument.get(document)?.get(spec.name);
    if (!kept || kept.flopsPerMac !== flopsPerMac || kept.backend !== backend || kept.spec.layers.length !== spec.layers.length) return undefined;
    return samePlainData(kept.spec, spec) ? kept.report : undefined;
  }

  /** The reports of the document's newest analysis, by model name, in place of the ones before. */
  keep(document: string, reports: Map<string, KeptReport>): void {
    this.byDocument.delete(document);
    this.byDocument.set(document, reports);
    if (this.byDocument.size > DOCUMENTS) this.byDocument.delete(this.byDocument.keys().next().value as string);
  }
}
