/**
 * Messages between a host and its analysis worker. A job is `{ kind, payload }`; the worker answers with any
 * number of `progress` messages (where it is, so a stop can be located) and one `done` or `failed`. Only
 * structured-clonable data crosses. Adding a job (e.g. "read this model file") is one entry in the worker's
 * job table (extension/analysisWorker.ts) and one member of the caller's `Jobs` map type.
 */
import type { SourceLocation } from '../spec';

/** Where the worker is: the last one received locates an "analysis stopped" message. */
export interface JobProgress {
  /** "reading", "building", "analysing", "rendering". */
  phase: string;
  model?: string;
  /** The last layer analysed, and where it was written. */
  layer?: string;
  source?: SourceLocation | null;
}

/** Host → worker. */
export interface JobRequest {
  type: 'job';
  id: number;
  kind: string;
  payload: unknown;
}

/** Host → worker: stop job `id` at its next chance (the host terminates the worker if that does not come soon). */
export interface CancelRequest {
  type: 'cancel';
  id: number;
}

/** Worker → host. */
export type JobMessage =
  /** The worker has loaded and listens: the time budget of a job starts here, not at the worker's start. */
  | { type: 'ready' }
  | { type: 'progress'; id: number; progress: JobProgress }
  /** A side output (a CLI line) the host shows as it comes. */
  | { type: 'output'; id: number; stream: 'out' | 'err'; text: string }
  | { type: 'done'; id: number; value: unknown }
  /** The job threw: `message` is for the user when `user` is true, else it is our bug. */
  | { type: 'failed'; id: number; message: string; user: boolean; stack?: string };

/** What a job gets besides its payload. */
export interface JobContext {
  progress(progress: JobProgress): void;
  output(stream: 'out' | 'err', text: string): void;
  /** Fires when the host cancels the job: work that yields (the engine between layers) stops early. */
  signal: AbortSignal;
}

export type JobHandler = (payload: never, context: JobContext) => Promise<unknown> | unknown;

export function isJobRequest(value: unknown): value is JobRequest {
  const v = value as Partial<JobRequest> | null;
  return typeof v === 'object' && v !== null && v.type === 'job' && typeof v.id === 'number' && typeof v.kind === 'string';
}
