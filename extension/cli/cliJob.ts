/** The worker side of cnn-inspect: the whole run, with its output lines sent to the host as they come. */
import type { JobContext } from '../core/isolation/index';
import { runCli } from './main';

export function cliJob(payload: { argv: string[] }, context: JobContext): Promise<number> {
  return runCli(payload.argv, {
    out: (text) => context.output('out', text),
    err: (text) => context.output('err', text),
    progress: (progress) => context.progress(progress),
  });
}
