/**
 * The analysis worker (bundled to dist/analysisWorker.js): every job that reads user files or code, or
 * builds models, runs here under the limits of core/isolation, never on the extension host's or the CLI's
 * main thread. One table of jobs; a new kind (a model-file reader) is one more entry.
 */
import { serveJobs, type JobHandler } from './core/isolation/index';
import { cliJob } from './cli/cliJob';
import { buildJob, documentJob } from './vscode/editor/documentJob';

const jobs: Record<string, JobHandler> = {
  /** A whole cnn-inspect run: argv in, output lines out, the exit code back. */
  cli: cliJob,
  /** The editor's reading and analysis of one document. */
  document: documentJob,
  /** One model of a document built for an input the user gave (the panel's input-size field). */
  build: buildJob,
};

serveJobs(jobs);
