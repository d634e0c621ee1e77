/**
 * The host side of isolation: runs jobs in a worker thread with a heap limit and a time budget, so a hostile
 * file can exhaust only the worker. Cancelling, running out of time or of memory ends the worker at once
 * (`terminate()`), and the next job starts a fresh one. The host only posts and receives messages: it never
 * runs the reader or the engine itself. Imports nothing from vscode: the extension host and the CLI share it.
 */
import { Worker } from 'node:worker_threads';
import { DEFAULT_LIMITS, describeStop, STARTUP_MS, type IsolationLimits, type StopReason } from './limits';
import type { JobMessage, JobProgress, JobRequest } from './protocol';

export type JobOutcome<T> =
  | { kind: 'done'; value: T }
  /** The job threw: a user error (its message is for the user) or our bug. */
  | { kind: 'failed'; message: string; user: boolean; stack?: string }
  /** The worker was ended: `message` says which limit; `progress` is where it last said it was. */
  | { kind: 'stopped'; reason: StopReason; message: string; progress: JobProgress | null };

export interface RunOptions {
  signal?: AbortSignal;
  onOutput?(stream: 'out' | 'err', text: string): void;
  onProgress?(progress: JobProgress): void;
}

/** How to start the worker: a bundled .js file, or a TypeScript file run through tsx (tests, bench). */
export interface WorkerEntry {
  file: string;
}

interface Pending {
  request: JobRequest;
  options: RunOptions;
  resolve(outcome: JobOutcome<unknown>): void;
  /** Set once cancelled: its answer, when it comes, only frees the worker for the next job. */
  cancelled?: boolean;
}

/** How long a cancelled job may take to notice before its worker is terminated. */
const CANCEL_GRACE_MS = 250;

function startWorker(entry: WorkerEntry, limits: IsolationLimits): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: limits.memoryMb, maxYoungGenerationSizeMb: limits.youngMemoryMb, stackSizeMb: limits.stackMb };
  if (!entry.file.endsWith('.ts')) return new Worker(entry.file, { resourceLimits, stdout: false, stderr: false });
  // Node 20 does not pass --import loaders to workers; tsx's CommonJS hook, registered inside, does the same.
  // (A variable keeps esbuild from resolving tsx into the bundles: only sources run this way.)
  const tsx = 'tsx/cjs/api';
  const boot = `require(${JSON.stringify(require.resolve(tsx))}).register(); require(${JSON.stringify(entry.file)});`;
  return new Worker(boot, { eval: true, resourceLimits });
}

export class IsolatedRunner {
  private worker: Worker | null = null;
  private current: Pending | null = null;
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private timer: NodeJS.Timeout | null = null;
  private lastProgress: JobProgress | null = null;
  /** Whether the current worker has loaded (its `ready` message). */
  private ready = false;
  /** Workers started so far (a restart after a stop counts): for tests and the bench. */
  started = 0;

  constructor(
    private readonly entry: WorkerEntry,
    readonly limits: IsolationLimits = DEFAULT_LIMITS,
  ) {}

  /** Runs one job; never rejects: every way it can end is an outcome. Jobs run one at a time, in order. */
  run<T>(kind: string, payload: unknown, options: RunOptions = {}): Promise<JobOutcome<T>> {
    return new Promise((resolve) => {
      const pending: Pending = { request: { type: 'job', id: this.nextId++, kind, payload }, options, resolve: resolve as Pending['resolve'] };
      const { signal } = options;
      if (signal?.aborted) return resolve(this.stopped('cancelled'));
      signal?.addEventListener(
        'abort',
        () => {
          if (this.current === pending) this.cancelCurrent();
          else {
            const at = this.queue.indexOf(pending);
            if (at >= 0) this.queue.splice(at, 1);
            resolve(this.stopped('cancelled'));
          }
        },
        { once: true },
      );
      this.queue.push(pending);
      this.pump();
    });
  }

  /** Ends the worker (and any job in it); the runner can still be used afterwards. */
  async dispose(): Promise<void> {
    for (const p of this.queue.splice(0)) p.resolve(this.stopped('cancelled'));
    if (this.current) this.stop('cancelled');
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  /**
   * Asks the worker to stop the job where it yields (the engine does between layers), which keeps the worker
   * and its loaded grammars and TensorFlow.js; a job that does not answer within CANCEL_GRACE_MS is ended
   * with the worker. Either way the caller gets `cancelled` at once.
   */
  private cancelCurrent(): void {
    const pending = this.current;
    const worker = this.worker;
    if (!pending || !worker) return;
    pending.cancelled = true;
    worker.postMessage({ type: 'cancel', id: pending.request.id });
    pending.resolve(this.stopped('cancelled', this.lastProgress));
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.current === pending) this.stop('cancelled');
    }, CANCEL_GRACE_MS);
  }

  private stopped(reason: StopReason, progress: JobProgress | null = null): JobOutcome<never> {
    return { kind: 'stopped', reason, message: describeStop(reason, this.limits), progress };
  }

  private pump(): void {
    if (this.current || this.queue.length === 0) return;
    const pending = this.queue.shift()!;
    this.current = pending;
    this.lastProgress = null;
    const worker = this.ensureWorker();
    // A job's budget is for its own work: a worker still loading gets STARTUP_MS first.
    if (this.ready) this.startBudget();
    else this.timer = setTimeout(() => this.stop('startup'), STARTUP_MS);
    worker.postMessage(pending.request);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker(this.entry, this.limits);
    this.started++;
    this.ready = false;
    worker.unref();
    worker.on('message', (message: JobMessage) => this.onMessage(worker, message));
    worker.on('error', (error: Error & { code?: string }) => {
      if (this.worker !== worker) return;
      this.stop(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'crash');
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.stop('crash');
    });
    this.worker = worker;
    return worker;
  }

  private startBudget(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.stop('time'), this.limits.timeMs);
  }

  private onMessage(worker: Worker, message: JobMessage): void {
    if (message.type === 'ready') {
      if (worker !== this.worker) return;
      this.ready = true;
      if (this.current && !this.current.cancelled) this.startBudget();
      return;
    }
    const pending = this.current;
    if (worker !== this.worker || !pending || message.id !== pending.request.id) return;
    if (message.type === 'progress') {
      this.lastProgress = message.progress;
      if (!pending.cancelled) pending.options.onProgress?.(message.progress);
    } else if (message.type === 'output') {
      if (!pending.cancelled) pending.options.onOutput?.(message.stream, message.text);
    } else if (message.type === 'done') {
      this.finish({ kind: 'done', value: message.value });
    } else {
      this.finish({ kind: 'failed', message: message.message, user: message.user, ...(message.stack ? { stack: message.stack } : {}) });
    }
  }

  private finish(outcome: JobOutcome<unknown>): void {
    const pending = this.current;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.current = null;
    pending?.resolve(outcome);
    this.pump();
  }

  /** Ends the current job's worker for `reason`; the next job gets a new worker. */
  private stop(reason: StopReason): void {
    const worker = this.worker;
    this.worker = null;
    if (worker) void worker.terminate();
    if (this.current) this.finish(this.stopped(reason, this.lastProgress));
  }
}
