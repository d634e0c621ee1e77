/**
 * PyTorch fixtures against shapes and parameter counts recorded by RUNNING them with PyTorch 1.13
 * (scripts/pytorch/make_expected.py → test/fixtures/models/*.expected.json). The reader never runs Python;
 * these tests do not need it either.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { diagnosticsFromReport, inputFromFrameworkShape } from '../../../extension/core/source/index';
import { analyse, built, callRows, FIXTURES, findModel, readFixture } from './helpers';

interface ExpectedModel {
  model: string;
  input: number[];
  total_params: number;
  error?: { message: string; line: number };
  layers: { name: string; type: string; line: number; output: number[]; params: number }[];
}

const expectedFiles = readdirSync(FIXTURES).filter((f) => f.startsWith('pytorch_') && f.endsWith('.expected.json'));

test('there are PyTorch expectations to check', () => {
  assert.ok(expectedFiles.length >= 5, expectedFiles.join(', '));
});

for (const file of expectedFiles) {
  const expected = JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as { file: string; models: ExpectedModel[] };
  for (const m of expected.models) {
    test(`${expected.file}: ${m.model} matches PyTorch layer by layer`, async () => {
      const result = await readFixture(expected.file);
      const found = findModel(result, m.model);
      assert.equal(found.framework, 'pytorch');
      // A 3-D batch fed to a Flatten-first model is a batch of (28, 28) samples (PyTorch's dim 0 is the batch).
      const input = m.input.length === 3 && found.input?.length === 2 ? m.input.slice(1) : inputFromFrameworkShape('pytorch', m.input)!;
      // The file's own example input, when it has one, is the one PyTorch ran.
      if (found.input !== null) assert.deepEqual(found.input, input);
      const model = built(found, found.input === null ? input : undefined);
      assert.equal(model.spec.framework, 'pytorch');
      const report = await analyse(model);
      // Modules: nn.* and classes that subclass a layer (named by their own class, as PyTorch does).
      const rows = callRows(model, report, m.input[0]!, (t) => t.startsWith('nn.') || /^[A-Z]\w*$/.test(t));
      if (m.error) {
        // PyTorch stopped at the error; every layer it ran must match.
        assert.deepEqual(rows.slice(0, m.layers.length), m.layers);
      } else {
        assert.deepEqual(rows, m.layers);
        assert.equal(report.totals.params, m.total_params);
        assert.equal(report.complete, true);
        assert.deepEqual(report.issues, []);
        assert.deepEqual(diagnosticsFromReport(model, report), []);
      }
    });
  }
}

test('pytorch_mnist_mismatch.py: the in_features bug is reported on the Linear line with PyTorch\'s own message', async () => {
  const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'pytorch_mnist_mismatch.expected.json'), 'utf8')) as { models: ExpectedModel[] };
  const runtime = expected.models[0]!.error!;
  const result = await readFixture('pytorch_mnist_mismatch.py');
  const model = built(findModel(result, 'MnistNet'));
  const report = await analyse(model);
  const diags = diagnosticsFromReport(model, report);
  assert.equal(diags.length, 1, JSON.stringify(diags));
  const d = diags[0]!;
  assert.equal(d.code, 'declared-size');
  assert.equal(d.severity, 'error');
  assert.equal(d.layer, 'fc1');
  // The constructor line (where the number is written), not the forward() line PyTorch's traceback shows.
  const lines = readFileSync(path.join(FIXTURES, 'pytorch_mnist_mismatch.py'), 'utf8').split('\n');
  assert.match(lines[d.source.line - 1]!, /self\.fc1 = nn\.Linear\(12 \* 12 \* 32, 128\)/);
  assert.match(lines[runtime.line - 1]!, /self\.fc1\(x\)/);
  assert.ok(d.message.includes(runtime.message), `${d.message} should include "${runtime.message}"`);
});
