/** Process entry of cnn-inspect (bundled to dist/cli.js, started by bin/cnn-inspect.js). */
import { messageOf } from '../core/errors';
import { runCliIsolated } from './isolated';
import { safeTerminalText } from '../core/report/safeText';

// `cnn-inspect … | head` closes the pipe early: that is the reader's choice, not an error to print.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// Model names and file contents reach the terminal: escape sequences in them are shown, never obeyed.
const write = (stream: NodeJS.WriteStream, text: string): void => void stream.write(safeTerminalText(text) + '\n');

runCliIsolated(process.argv.slice(2), {
  out: (text) => write(process.stdout, text),
  err: (text) => write(process.stderr, text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`cnn-inspect: internal error (please report it): ${safeTerminalText(messageOf(error))}\n`);
    process.exitCode = 70;
  },
);
