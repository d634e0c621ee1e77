/**
 * Jupyter notebooks: code cells read in order as one program, IPython syntax blanked, a cell that does not
 * parse skipped on its own, locations given as (cell, line in cell).
 * Expectations: test/fixtures/notebooks/lenet.expected.json, written by scripts/notebooks/make_fixture.py, which
 * writes the notebook with nbformat and RUNS its cells with PyTorch 2.13.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { notebookProgram, NotebookFormatError, toCellLocation } from '../../../extension/core/source/notebook';
import { readNotebook } from '../../../extension/core/source/readNotebook';
import { analyse, callRows, getReader } from './helpers';

const DIR = path.resolve(__dirname, '..', '..', 'fixtures', 'notebooks');
const text = readFileSync(path.join(DIR, 'lenet.ipynb'), 'utf8');
const expected = JSON.parse(readFileSync(path.join(DIR, 'lenet.expected.json'), 'utf8')) as {
  calls: { name: string; type: string; cell: number; line: number; output: number[]; params: number }[];
  params: number;
  cellErrors: { cell: number; line: number }[];
};

test('a notebook: the code cells in order, IPython lines blanked, markdown cells left out', () => {
  const program = notebookProgram(text);
  assert.deepEqual(program.cells.map((c) => c.cell), [2, 3, 5, 6, 7]);
  const lines = program.text.split('\n');
  assert.equal(lines[0], 'pass'); // %matplotlib inline
  assert.equal(lines[1], 'pass'); // !pip install torch
  assert.equal(lines[2], 'import torch');
  // A program line maps back to its cell: "self.conv1 = nn.Conv2d(1, 6, 5)" is line 4 of cell 3.
  const conv1 = lines.findIndex((l) => l.includes('nn.Conv2d(1, 6, 5)')) + 1;
  assert.deepEqual(toCellLocation(program, { file: 'nb.ipynb', line: conv1, column: 22 }), { file: 'nb.ipynb', line: 4, column: 22, cell: 3 });
});

test('a notebook whose cell does not parse: that cell is skipped, the model in the other cells is read', async () => {
  const read = readNotebook(await getReader(), text, 'lenet.ipynb');
  const skipped = read.diagnostics.filter((d) => d.code === 'syntax');
  assert.deepEqual(skipped.map((d) => d.source.cell), expected.cellErrors.map((e) => e.cell));
  assert.match(skipped[0]!.message, /^cell 5: syntax error/);
  const net = read.models.find((m) => m.name === 'Net');
  assert.ok(net, `models: ${read.models.map((m) => m.name).join(', ')}`);
  const outcome = net.build();
  assert.equal(outcome.kind, 'built', JSON.stringify(outcome));
  if (outcome.kind !== 'built') return;
  const report = await analyse(outcome.model);
  assert.equal(report.totals.params, expected.params);
  const modules = new Set(expected.calls.map((c) => c.type));
  const rows = callRows(outcome.model, report, 1, (t) => modules.has(t.replace(/^nn\./, '')));
  const cells = outcome.model.calls.filter((c) => modules.has(c.sourceType.replace(/^nn\./, ''))).map((c) => c.source.cell);
  assert.deepEqual(
    rows.map((r, i) => ({ type: r.type, cell: cells[i], line: r.line, output: r.output, params: r.params })),
    expected.calls.map((c) => ({ type: c.type, cell: c.cell, line: c.line, output: c.output, params: c.params })),
  );
});

test('a file that is not a notebook is refused with the reason', () => {
  assert.throws(() => notebookProgram('{"metadata": {}}'), NotebookFormatError);
  assert.throws(() => notebookProgram('not json'), /invalid JSON/);
});
