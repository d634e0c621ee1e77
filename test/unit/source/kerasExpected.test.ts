/**
 * Keras fixtures against layers and counts recorded by RUNNING them with Keras 3.15
 * (scripts/keras/make_expected.py → test/fixtures/models/keras_*.expected.json). Entries are compared as
 * multisets of (line, type, output shape), so a layer the reader invents or drops is a miss; the total is
 * model.count_params(). The reader never runs Python; these tests do not need it either.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { diagnosticsFromReport } from '../../../extension/core/source/index';
import { analyse, built, callRows, FIXTURES, findModel, readFixture } from './helpers';

interface ExpectedModel {
  model: string;
  input: (number | null)[];
  total_params: number;
  layers: { name: string; type: string; line: number; output: (number | null)[]; params: number }[];
}

const expectedFiles = readdirSync(FIXTURES).filter((f) => f.startsWith('keras_') && f.endsWith('.expected.json'));
const key = (line: number, type: string, output: unknown): string => `${line} ${type} ${JSON.stringify(output)}`;

test('there are Keras expectations to check', () => {
  assert.ok(expectedFiles.length >= 2, expectedFiles.join(', '));
});

for (const file of expectedFiles) {
  const expected = JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as { file: string; models: ExpectedModel[] };
  for (const m of expected.models) {
    test(`${expected.file}: ${m.model} matches Keras layer by layer (as multisets) and count_params()`, async () => {
      const result = await readFixture(expected.file);
      const found = findModel(result, m.model);
      assert.equal(found.framework, 'keras');
      const model = built(found);
      const report = await analyse(model);
      // Keras lists layers, not the functions called on tensors (keras.activations.relu(x), x + y): as the corpus scorer.
      const rows = callRows(model, report, null, (type) => /^[A-Z]/.test(type.split('.').pop() ?? type));
      assert.deepEqual(rows.map((r) => key(r.line, r.type, r.output)).sort(), m.layers.map((l) => key(l.line, l.type, l.output)).sort());
      assert.equal(report.totals.params, m.total_params);
      assert.equal(report.complete, true);
      assert.deepEqual(diagnosticsFromReport(model, report), []);
    });
  }
}
