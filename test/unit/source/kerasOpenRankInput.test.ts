/**
 * keras.Input(shape=(None, *frames.shape[2:])) with data the reader cannot follow (np.swapaxes): not even the
 * input's rank is known. It was read as the 2-tuple (None, ?), a wrong rank that refused a right --input; now
 * the model asks for an input, and at a given one of any rank its layers are those Keras 3.15 runs
 * (test/fixtures/models/keras_open_rank_input.py run on zeros of (1, 19, 32, 32, 1): Conv3D 224, BN 32, Conv3D 217).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, callRows, findModel, readFixture } from './helpers';

const FILE = 'keras_open_rank_input.py';

test('an input shape with a *splat of unknown length asks for an input instead of guessing its rank', async () => {
  const model = findModel(await readFixture(FILE), 'model');
  const outcome = model.build();
  assert.equal(outcome.kind, 'input-needed');
});

test('at a given (frames, H, W, C) input the layers are those Keras runs', async () => {
  const model = built(findModel(await readFixture(FILE), 'model'), [19, 32, 32, 1]);
  const report = await analyse(model);
  assert.equal(report.complete, true);
  const rows = callRows(model, report, null, (type) => /^[A-Z]/.test(type.split('.').pop() ?? type));
  assert.deepEqual(rows.map((r) => [r.line, r.type, r.output, r.params]), [
    [11, 'Conv3D', [null, 19, 32, 32, 8], 224],
    [12, 'BatchNormalization', [null, 19, 32, 32, 8], 32],
    [13, 'Conv3D', [null, 19, 32, 32, 1], 217],
  ]);
  assert.equal(report.totals.params, 473);
});
