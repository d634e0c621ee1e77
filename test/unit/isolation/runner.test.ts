/**
 * IsolatedRunner with a real worker thread and real V8 limits: every way a job can end is an outcome, the
 * host survives all of them, and the worker is restarted for the next job.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { IsolatedRunner, DEFAULT_LIMITS, stopMessage } from '../../../extension/core/isolation/index';

const entry = { file: join(__dirname, 'testWorker.ts') };
// Small limits keep the test quick; the production limits are DEFAULT_LIMITS (tested below for their shape).
const limits = { ...DEFAULT_LIMITS, memoryMb: 96, timeMs: 3_000 };

describe('IsolatedRunner', () => {
  it('returns a job value, forwarding its output and progress', async () => {
    const runner = new IsolatedRunner(entry, limits);
    const lines: string[] = [];
    const phases: string[] = [];
    const outcome = await runner.run('echo', { value: { n: 42, shape: [null, 3] } }, { onOutput: (s, t) => lines.push(`${s}:${t}`), onProgress: (p) => phases.push(p.phase) });
    assert.deepEqual(outcome, { kind: 'done', value: { n: 42, shape: [null, 3] } });
    assert.deepEqual(lines, ['out:a line']);
    assert.deepEqual(phases, ['reading']);
    await runner.dispose();
  });

  it('tells a user error from a bug', async () => {
    const runner = new IsolatedRunner(entry, limits);
    const bug = await runner.run('throws', {});
    assert.equal(bug.kind, 'failed');
    assert.equal(bug.kind === 'failed' && bug.user, false);
    assert.equal(bug.kind === 'failed' && bug.message, 'a bug');
    const user = await runner.run('userError', {});
    assert.equal(user.kind === 'failed' && user.user, true);
    assert.equal(runner.started, 1, 'a thrown job does not cost the worker');
    await runner.dispose();
  });

  it('stops a job past the time budget where it last was, then runs the next job in a new worker', async () => {
    const runner = new IsolatedRunner(entry, limits);
    const outcome = await runner.run('spin', {});
    assert.equal(outcome.kind, 'stopped');
    if (outcome.kind !== 'stopped') return;
    assert.equal(outcome.reason, 'time');
    assert.equal(outcome.message, 'analysis stopped: it took longer than the 3 s time budget');
    const located = stopMessage(outcome.message, outcome.progress, 'spin.py');
    assert.deepEqual(located.source, { file: 'spin.py', line: 9, column: 5 });
    assert.match(located.message, /while analysing Net, after layer conv9$/);
    const next = await runner.run('echo', { value: 1 });
    assert.deepEqual(next, { kind: 'done', value: 1 });
    assert.equal(runner.started, 2);
    await runner.dispose();
  });

  it('stops a job past the heap limit without taking the host down', async () => {
    // A long time budget: on a loaded machine the heap must be what stops it.
    const runner = new IsolatedRunner(entry, { ...limits, timeMs: 60_000 });
    const outcome = await runner.run('hog', {});
    assert.equal(outcome.kind, 'stopped');
    assert.equal(outcome.kind === 'stopped' && outcome.reason, 'memory');
    assert.equal(outcome.kind === 'stopped' && outcome.message, 'analysis stopped: it needed more than the 96 MB memory limit');
    assert.deepEqual(await runner.run('echo', { value: 'alive' }), { kind: 'done', value: 'alive' });
    await runner.dispose();
  });

  it('a stack overflow in the worker is a failed job, not a dead process', async () => {
    const runner = new IsolatedRunner(entry, limits);
    const outcome = await runner.run('deep', {});
    assert.equal(outcome.kind, 'failed');
    assert.match(outcome.kind === 'failed' ? outcome.message : '', /call stack/);
    await runner.dispose();
  });

  it('cancelling ends the running job at once and drops queued ones', async () => {
    const runner = new IsolatedRunner(entry, { ...limits, timeMs: 60_000 });
    const abort = new AbortController();
    const running = runner.run('spin', {}, { signal: abort.signal, onProgress: () => abort.abort() });
    const queued = runner.run('echo', { value: 'never' }, { signal: abort.signal });
    const [first, second] = await Promise.all([running, queued]);
    assert.equal(first.kind === 'stopped' && first.reason, 'cancelled');
    assert.equal(second.kind === 'stopped' && second.reason, 'cancelled');
    const already = await runner.run('echo', { value: 1 }, { signal: AbortSignal.abort() });
    assert.equal(already.kind === 'stopped' && already.reason, 'cancelled');
    await runner.dispose();
  });

  it('a job that notices the cancel keeps its worker; one that does not is ended with it', async () => {
    const runner = new IsolatedRunner(entry, { ...limits, timeMs: 60_000 });
    const polite = new AbortController();
    const first = await runner.run('cooperative', {}, { signal: polite.signal, onProgress: () => polite.abort() });
    assert.equal(first.kind === 'stopped' && first.reason, 'cancelled');
    assert.deepEqual(await runner.run('echo', { value: 2 }), { kind: 'done', value: 2 });
    assert.equal(runner.started, 1, 'the same worker ran the next job');
    const rude = new AbortController();
    await runner.run('spin', {}, { signal: rude.signal, onProgress: () => rude.abort() });
    assert.deepEqual(await runner.run('echo', { value: 3 }), { kind: 'done', value: 3 });
    assert.equal(runner.started, 2, 'a spinning job cost its worker');
    await runner.dispose();
  });

  it('production limits keep a hostile CLI run under 20 s', () => {
    assert.ok(DEFAULT_LIMITS.timeMs <= 15_000);
    assert.ok(DEFAULT_LIMITS.memoryMb >= 256 && DEFAULT_LIMITS.memoryMb <= 2048);
  });
});
