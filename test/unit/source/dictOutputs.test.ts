/**
 * A PyTorch forward() that returns a dict (torchvision's segmentation models: {"out": …, "aux": …}): the report
 * lists every output under the key PyTorch gives it, with its shape. pytorch_segmentation_heads.py run with
 * PyTorch 2.13 at (1, 3, 32, 32): out and aux are both (1, 5, 32, 32) (both heads are resized to the input).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFrameworkShape } from '../../../extension/core/source/index';
import { toJsonReport } from '../../../extension/core/report/json';
import { totalsLines } from '../../../extension/core/report/table';
import { analyse, built, findModel, readFixture } from './helpers';

test('pytorch_segmentation_heads.py: the dict forward() returns is the report\'s outputs, keyed as PyTorch keys them', async () => {
  const model = built(findModel(await readFixture('pytorch_segmentation_heads.py'), 'segmenter'));
  const report = await analyse(model);
  assert.equal(report.complete, true, report.issues.map((i) => i.message).join('\n'));
  assert.deepEqual(report.outputs?.map((o) => [o.name, formatFrameworkShape('pytorch', o.outputShape)]), [
    ['out', '(N, 5, 32, 32)'],
    ['aux', '(N, 5, 32, 32)'],
  ]);
  const json = toJsonReport(report) as { outputs: { name: string; outputShape: (number | null)[] }[] };
  assert.deepEqual(json.outputs.map((o) => [o.name, o.outputShape]), [
    ['out', [null, 5, 32, 32]],
    ['aux', [null, 5, 32, 32]],
  ]);
  assert.ok(totalsLines(report).includes('Outputs: out (N, 5, 32, 32), aux (N, 5, 32, 32)'), totalsLines(report).join('\n'));
});

test('a model returning one tensor has no named outputs', async () => {
  const report = await analyse(built(findModel(await readFixture('pytorch_channels_last.py'), 'TinyConvNeXt')));
  assert.equal(report.outputs, undefined);
  assert.equal('outputs' in (toJsonReport(report) as object), false);
});
