/**
 * forward() given more than the image by the file's example call (test/fixtures/models/pytorch_several_inputs.py).
 * Inputs of the image's sizes are the image again, so each branch is counted (a Siamese net(a, b) was counted
 * once: half its MACs, exit 0); an input of other sizes is unknown from there, said at the example call. Facts:
 * scripts/reference/several_inputs_reference.py (torch 2.13), quoted beside each assertion; its MACs are for the
 * example's batch of 2, the report's per sample.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnosticsFromReport } from '../../../extension/core/source/index';
import { analyse, built, callRows, findModel, readFixture } from './helpers';

async function report(name: string) {
  const model = built(findModel(await readFixture('pytorch_several_inputs.py'), name));
  const r = await analyse(model);
  return { model, report: r, rows: callRows(model, r, 2).map((row) => [row.name.replace(/#\d+$/, ''), row.output]) };
}

test('a Siamese net(a, b) and a triplet net(anchor, positive, negative) on inputs of one size: every branch, torch\'s totals', async () => {
  // Siamese: params 1384, MACs 752768 at batch 2; embed.conv1 (2, 8, 26, 26), conv2 (2, 16, 11, 11), fc (2, 8), twice.
  const siamese = await report('Siamese');
  assert.equal(siamese.report.complete, true);
  assert.equal(siamese.report.totals.params, 1384);
  assert.equal(siamese.report.totals.macs * 2, 752768);
  const branch = [['embed.conv1', [2, 8, 26, 26]], ['embed.conv2', [2, 16, 11, 11]], ['embed.fc', [2, 8]]];
  assert.deepEqual(siamese.rows.filter(([n]) => String(n).startsWith('embed.') && !/pool|relu|flatten/.test(String(n))), [...branch, ...branch]);
  // Triplet: params 1384 (one embedding net), MACs 1129152 at batch 2: three branches.
  const triplet = await report('Triplet');
  assert.equal(triplet.report.complete, true);
  assert.equal(triplet.report.totals.params, 1384);
  assert.equal(triplet.report.totals.macs * 2, 1129152);
});

test('net(x, labels) with labels of other sizes: unknown from the labels on, located at the example call, never dropped', async () => {
  // CondNet: params 353, MACs 251200 at batch 2; label_fc runs on the (2, 10) labels.
  const { model, report: r } = await report('CondNet');
  assert.equal(r.complete, false);
  assert.equal(r.totals.params, 353, 'every module is counted as written (label_fc: 176)');
  assert.ok(r.totals.macs * 2 < 251200, 'a lower bound, never more');
  const errors = diagnosticsFromReport(model, r).filter((d) => d.severity === 'error');
  assert.equal(errors[0]?.source.line, 59);
  assert.match(errors[0]!.message, /argument 2 of sizes \(2, 10\) is a second input/);
});
