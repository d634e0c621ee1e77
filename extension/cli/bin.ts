/** Process entry of cnn-inspect (bundled to dist/cli.js, started by bin/cnn-inspect.js). */
import { messageOf } from '../core/errors';
import { runCli } from './main';

runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`cnn-inspect: internal error (please report it): ${messageOf(error)}\n`);
    process.exitCode = 70;
  },
);
