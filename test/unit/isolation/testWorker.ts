/** A worker for the runner's tests: jobs that behave, throw, spin, recurse or eat memory. */
import { serveJobs } from '../../../extension/core/isolation/serve';
import { UserError } from '../../../extension/core/errors';

const hoard: unknown[] = [];

serveJobs({
  echo: (payload: { value: unknown }, context) => {
    context.progress({ phase: 'reading', source: { file: 'echo.py', line: 3, column: 1 } });
    context.output('out', 'a line');
    return payload.value;
  },
  cooperative: async (_payload: unknown, context) => {
    context.progress({ phase: 'analysing' });
    await new Promise((resolve) => context.signal.addEventListener('abort', resolve));
    return 'noticed';
  },
  throws: () => {
    throw new Error('a bug');
  },
  userError: () => {
    throw new UserError('your model is wrong');
  },
  spin: (_payload: unknown, context) => {
    context.progress({ phase: 'analysing', model: 'Net', layer: 'conv9', source: { file: 'spin.py', line: 9, column: 5 } });
    for (;;) {
      // An endless loop that never yields, as a runaway interpreter would be.
    }
  },
  hog: () => {
    // Retained objects until the heap limit: what a doubling list does in an unbounded interpreter.
    for (;;) hoard.push(new Array(100_000).fill({ x: hoard.length }));
  },
  deep: () => {
    const down = (n: number): number => (n === 0 ? 0 : 1 + down(n - 1));
    return down(10_000_000);
  },
});
