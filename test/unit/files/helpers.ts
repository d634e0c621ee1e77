/** Fixtures and expectations written by scripts/files/make_fixtures.py (Keras 3, torch 2.13, onnx 1.23). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeModel } from '../../../extension/core/analyze';
import { parameterReport, readModelFile, type ModelFile } from '../../../extension/core/files/index';
import type { AnalysisReport } from '../../../extension/core/result';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'files');
export const fixture = (name: string): string => join(FIXTURES, name);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const EXPECTED: Record<string, any> = JSON.parse(readFileSync(fixture('expected.json'), 'utf8'));

export async function reportOf(name: string): Promise<{ file: ModelFile; report: AnalysisReport }> {
  const file = await readModelFile(fixture(name));
  const report = file.spec ? await analyzeModel(file.spec) : parameterReport(file.parameters!);
  return { file, report };
}
