/** Where an "analysis stopped" message points, and how each limit is named. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LIMITS, describeStop, stopMessage } from '../../../extension/core/isolation/index';

describe('stop messages', () => {
  it('names each limit with its value', () => {
    const limits = { ...DEFAULT_LIMITS, timeMs: 15_000, memoryMb: 1024 };
    assert.equal(describeStop('time', limits), 'analysis stopped: it took longer than the 15 s time budget');
    assert.equal(describeStop('memory', limits), 'analysis stopped: it needed more than the 1024 MB memory limit');
    assert.equal(describeStop('cancelled', limits), 'analysis stopped: cancelled');
    assert.equal(describeStop('crash', limits), 'analysis stopped: the analysis worker ended unexpectedly');
    assert.equal(describeStop('startup', limits), 'analysis stopped: the analysis worker did not start within 30 s');
  });
  it('the shared limits: what README "Limits and safety" states', () => {
    assert.deepEqual(DEFAULT_LIMITS, { memoryMb: 1024, youngMemoryMb: 64, stackMb: 8, timeMs: 12_000 });
  });
  it('a model without a name is "the model"', () => {
    assert.equal(stopMessage('s', { phase: 'analysing', layer: 'c' }, 'f.py').message, 's while analysing the model, after layer c');
    assert.equal(stopMessage('s', { phase: 'analysing' }, 'f.py').message, 's while analysing the model');
  });
  it('points at the last layer reached, else the file being read, else nowhere', () => {
    const layer = stopMessage('analysis stopped: x', { phase: 'analysing', model: 'Net', layer: 'conv3', source: { file: 'm.py', line: 12, column: 9 } }, 'm.py');
    assert.deepEqual(layer, { source: { file: 'm.py', line: 12, column: 9 }, message: 'analysis stopped: x while analysing Net, after layer conv3' });
    const model = stopMessage('analysis stopped: x', { phase: 'analysing', model: 'Net' }, 'm.py');
    assert.deepEqual(model, { source: { file: 'm.py', line: 1, column: 1 }, message: 'analysis stopped: x while analysing Net' });
    const reading = stopMessage('analysis stopped: x', { phase: 'reading', source: { file: 'm.py', line: 1, column: 1 } }, 'other.py');
    assert.deepEqual(reading, { source: { file: 'm.py', line: 1, column: 1 }, message: 'analysis stopped: x while reading the file' });
    assert.deepEqual(stopMessage('analysis stopped: x', null, null), { source: null, message: 'analysis stopped: x' });
    assert.deepEqual(stopMessage('analysis stopped: x', { phase: 'building' }, 'f.py'), { source: { file: 'f.py', line: 1, column: 1 }, message: 'analysis stopped: x' });
  });
});
