/** Isolation: user files are read and analysed in a worker thread with a heap limit and a time budget. */
export { DEFAULT_LIMITS, describeStop, type IsolationLimits, type StopReason } from './limits';
export { IsolatedRunner, type JobOutcome, type RunOptions, type WorkerEntry } from './runner';
export type { JobContext, JobHandler, JobProgress } from './protocol';
export { serveJobs } from './serve';
export { stopMessage } from './stopMessage';
