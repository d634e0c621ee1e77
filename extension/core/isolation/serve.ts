/** The worker side: answers job requests from the host with a table of handlers, one job at a time. */
import { parentPort } from 'node:worker_threads';
import { isUserError, messageOf } from '../errors';
import { isJobRequest, type CancelRequest, type JobHandler, type JobMessage } from './protocol';

export function serveJobs(handlers: Record<string, JobHandler>): void {
  const port = parentPort;
  if (!port) throw new Error('serveJobs runs inside a worker thread');
  const send = (message: JobMessage): void => port.postMessage(message);
  let queue = Promise.resolve();
  const cancels = new Map<number, AbortController>();
  port.postMessage({ type: 'ready' } satisfies JobMessage);
  port.on('message', (request: unknown) => {
    const cancel = request as Partial<CancelRequest> | null;
    if (cancel?.type === 'cancel' && typeof cancel.id === 'number') return void cancels.get(cancel.id)?.abort();
    if (!isJobRequest(request)) return;
    const { id, kind, payload } = request;
    const abort = new AbortController();
    cancels.set(id, abort);
    queue = queue.then(async () => {
      const handler = handlers[kind];
      try {
        if (!handler) throw new Error(`unknown job kind "${kind}"`);
        const value = await handler(payload as never, {
          progress: (progress) => send({ type: 'progress', id, progress }),
          output: (stream, text) => send({ type: 'output', id, stream, text }),
          signal: abort.signal,
        });
        send({ type: 'done', id, value });
      } catch (error) {
        const stack = error instanceof Error ? error.stack : undefined;
        send({ type: 'failed', id, message: messageOf(error), user: isUserError(error), ...(stack ? { stack } : {}) });
      } finally {
        cancels.delete(id);
      }
    });
  });
}
