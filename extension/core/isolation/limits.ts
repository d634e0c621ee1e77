/**
 * The limits one isolated analysis runs under: the same for the extension host and the CLI, so a file that
 * stops in one stops in the other for the same reason.
 */

export interface IsolationLimits {
  /** V8 old-generation heap of the worker, in MB: past it the worker is ended, never the host. */
  memoryMb: number;
  /** V8 young generation of the worker, in MB. */
  youngMemoryMb: number;
  /** Stack of the worker's main thread, in MB: deep recursion is a RangeError in the worker. */
  stackMb: number;
  /** Wall-clock budget of one job, in ms; past it the worker is terminated. */
  timeMs: number;
}

/**
 * 1 GB of heap is ~40× what ResNet-152 from code needs (bench/: ~25 MB) and well under the 2.6 GB at which a
 * doubling string took V8 down in the host (issue 7). 12 s keeps a hostile file's CLI run under 20 s with the
 * worker's start-up and the message included.
 */
export const DEFAULT_LIMITS: IsolationLimits = {
  memoryMb: 1024,
  youngMemoryMb: 64,
  stackMb: 8,
  timeMs: 12_000,
};

/** The user-facing name of each way a job can be stopped. */
export type StopReason = 'time' | 'memory' | 'crash' | 'cancelled' | 'startup';

/** How long a new worker may take to load (the job's own budget starts once it has). */
export const STARTUP_MS = 30_000;

export function describeStop(reason: StopReason, limits: IsolationLimits): string {
  switch (reason) {
    case 'time':
      return `analysis stopped: it took longer than the ${limits.timeMs / 1000} s time budget`;
    case 'memory':
      return `analysis stopped: it needed more than the ${limits.memoryMb} MB memory limit`;
    case 'cancelled':
      return 'analysis stopped: cancelled';
    case 'crash':
      return 'analysis stopped: the analysis worker ended unexpectedly';
    case 'startup':
      return `analysis stopped: the analysis worker did not start within ${STARTUP_MS / 1000} s`;
  }
}
