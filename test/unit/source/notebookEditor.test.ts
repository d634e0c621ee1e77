/**
 * A notebook in the editor: analysed once as one program, each cell shown its own hints, hovers and
 * diagnostics at lines relative to the cell. Expectations: test/fixtures/notebooks/lenet.expected.json
 * (scripts/notebooks/make_fixture.py runs the notebook's cells with PyTorch 2.13).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeModel } from '../../../extension/core/analyze';
import { loadTensorFlow } from '../../../extension/core/tfjs/loadTf';
import { notebookCells } from '../../../extension/core/source/notebook';
import { toFrameworkShape } from '../../../extension/core/source/index';
import { analyseDocument, type EditorEngine } from '../../../extension/vscode/editor/documentAnalysis';
import { cellView } from '../../../extension/vscode/editor/notebookView';
import { getReader } from './helpers';

const DIR = path.resolve(__dirname, '..', '..', 'fixtures', 'notebooks');
const expected = JSON.parse(readFileSync(path.join(DIR, 'lenet.expected.json'), 'utf8')) as {
  calls: { name: string; type: string; cell: number; line: number; output: number[] }[];
};
const engine = async (): Promise<EditorEngine> => ({ analyzeModel: (spec, options) => analyzeModel(spec, { ...options, backend: 'cpu' }), loadTensorFlow: () => loadTensorFlow('cpu') });

test('each cell of a notebook sees its own layers at its own lines, and only its own diagnostics', async () => {
  const cells = notebookCells(readFileSync(path.join(DIR, 'lenet.ipynb'), 'utf8'));
  const result = await analyseDocument(await getReader(), engine, '', { file: 'lenet.ipynb', language: 'python', cells });
  const classCell = cellView(result, 3);
  assert.deepEqual(classCell.models.map((m) => m.found.name), ['Net']);
  for (const call of expected.calls) {
    const groups = classCell.byLine.get(call.line) ?? [];
    const output = groups[0]?.calls[0]?.output?.outputShape ?? null;
    assert.deepEqual(toFrameworkShape('pytorch', output, 1), call.output, `${call.name} at cell ${call.cell} line ${call.line}`);
  }
  // The cell that does not parse carries the syntax error; the model's cell has none.
  assert.deepEqual(cellView(result, 5).diagnostics.map((d) => [d.code, d.source.line]), [['syntax', 1]]);
  assert.deepEqual(classCell.diagnostics.filter((d) => d.severity === 'error'), []);
  // The forward() lines of cell 3 get shapes (x = F.max_pool2d(...) on line 11); the imports cell gets nothing.
  assert.ok(classCell.sites.some((s) => s.line === 11));
  assert.equal(cellView(result, 2).groups.length, 0);
});
