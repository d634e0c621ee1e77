/**
 * cnn-inspect as the terminal runs it: the work happens in the analysis worker under the shared limits
 * (core/isolation/limits.ts), so a hostile file ends with a located "analysis stopped" line and exit 1,
 * never a V8 abort, a signal or a stack trace.
 */
import { DEFAULT_LIMITS, IsolatedRunner, stopMessage, type IsolationLimits, type WorkerEntry } from '../core/isolation/index';
import { analysisWorkerEntry } from '../workerEntry';
import type { CliIo } from './main';
import { looksLikeFile } from './fromFile';

/** The first argument that is not an option or an option's value: the model or file. */
function targetOf(argv: readonly string[]): string | null {
  const withValue = new Set(['--input', '--format', '--flops-per-mac', '--backend', '--model']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (withValue.has(arg)) i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return null;
}

/** One cnn-inspect run in a new worker with the shared limits; returns the exit code. */
export async function runCliIsolated(argv: readonly string[], io: CliIo, entry: WorkerEntry = analysisWorkerEntry(), limits: IsolationLimits = DEFAULT_LIMITS): Promise<number> {
  const runner = new IsolatedRunner(entry, limits);
  try {
    return await runCliIn(runner, argv, io);
  } finally {
    await runner.dispose();
  }
}

/** One cnn-inspect run as a job of `runner` (tests run many in one worker). */
export async function runCliIn(runner: IsolatedRunner, argv: readonly string[], io: CliIo): Promise<number> {
  const outcome = await runner.run<number>('cli', { argv: [...argv] }, { onOutput: (stream, text) => (stream === 'out' ? io.out(text) : io.err(text)) });
  if (outcome.kind === 'done') return outcome.value;
  if (outcome.kind === 'failed') {
    io.err(`cnn-inspect: internal error (please report it): ${outcome.message}`);
    return 70;
  }
  const target = targetOf(argv);
  const stop = stopMessage(outcome.message, outcome.progress, target !== null && looksLikeFile(target) ? target : null);
  const s = stop.source;
  io.err(s ? `${s.file}:${s.line}:${s.column ?? 1}: error: ${stop.message}` : `cnn-inspect: error: ${stop.message}`);
  return 1;
}
