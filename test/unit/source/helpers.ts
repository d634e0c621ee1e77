/** Shared by the source-reader tests: read a fixture, build a model, analyse it, flatten per-call results. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeModel } from '../../../extension/core/analyze';
import { loadTensorFlow } from '../../../extension/core/tfjs/loadTf';
import type { AnalysisReport } from '../../../extension/core/result';
import type { Shape } from '../../../extension/core/shape';
import {
  createSourceReader,
  languageOf,
  toFrameworkShape,
  type BuiltModel,
  type FoundModel,
  type ReadResult,
  type SourceReader,
} from '../../../extension/core/source/index';

export const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'models');

let reader: Promise<SourceReader> | undefined;
export function getReader(): Promise<SourceReader> {
  reader ??= createSourceReader({ tensorflow: () => loadTensorFlow('cpu') });
  return reader;
}

export function fixtureText(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** 1-based line of the first line at or after 0-based row `from` that contains `needle`. */
export function lineOf(file: string, needle: string, from = 0): number {
  const lines = fixtureText(file).split('\n');
  const i = lines.findIndex((l, n) => n >= from && l.includes(needle));
  if (i < 0) throw new Error(`"${needle}" not in ${file}`);
  return i + 1;
}

export async function readFixture(name: string): Promise<ReadResult> {
  const language = languageOf(name);
  if (!language) throw new Error(`no language for ${name}`);
  return (await getReader()).read(fixtureText(name), { file: name, language });
}

export function findModel(result: ReadResult, name: string): FoundModel {
  const m = result.models.find((x) => x.name === name);
  if (!m) throw new Error(`model ${name} not found; found ${result.models.map((x) => x.name).join(', ')}`);
  return m;
}

export function built(model: FoundModel, input?: Shape): BuiltModel {
  const outcome = model.build(input);
  if (outcome.kind !== 'built') throw new Error(`${model.name}: ${outcome.kind}: ${'message' in outcome ? outcome.message : ''}`);
  return outcome.model;
}

export interface CallRow {
  name: string;
  type: string;
  line: number;
  output: (number | null)[] | null;
  params: number;
}

/** One row per source call, shapes in the framework's order with the given batch size. */
export function callRows(model: BuiltModel, report: AnalysisReport, batch: number | null, filter: (sourceType: string) => boolean = () => true): CallRow[] {
  const byName = new Map(report.layers.map((l) => [l.name, l]));
  const framework = model.spec.framework ?? 'keras';
  return model.calls
    // Modules forward() never calls count in the totals but are no call (PyTorch's hooks never see them).
    .filter((c) => filter(c.sourceType) && !c.layers.some((l) => byName.get(l)?.notCalled))
    .map((c) => {
      const out = byName.get(c.output);
      const shape = out ? out.outputShape : c.output === 'input' ? model.spec.input : null;
      return {
        name: c.name,
        type: c.sourceType.replace(/^nn\./, ''),
        line: c.source.line,
        output: toFrameworkShape(framework, shape, batch),
        params: c.layers.reduce((sum, l) => sum + (byName.get(l)?.params ?? 0), 0),
      };
    });
}

export async function analyse(model: BuiltModel): Promise<AnalysisReport> {
  return analyzeModel(model.spec, { backend: 'cpu' });
}
