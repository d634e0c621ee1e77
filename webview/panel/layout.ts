/**
 * Graph layout off the UI thread: ELK runs in a Web Worker made from the bundled elk-worker script. A
 * webview may only start workers from blob: URLs (its resources live on another origin), so the script is
 * fetched and wrapped. The worker is started and warmed up when the panel opens, while the analysis
 * streams, so the first layout does not pay for loading 1.6 MB of ELK. A new request while one runs
 * terminates that worker, so a re-run never waits on a stale layout (netron does the same).
 */
import ELK from 'elkjs/lib/elk-api.js';
import type { ElkNode } from 'elkjs/lib/elk-api';

let workerBlobUrl: Promise<string> | undefined;
/** The warm worker, idle or busy. */
let elk: Promise<InstanceType<typeof ELK>> | undefined;
let busy = false;

function blobUrl(scriptUrl: string): Promise<string> {
  workerBlobUrl ??= fetch(scriptUrl)
    .then((r) => {
      if (!r.ok) throw new Error(`could not load the layout worker (${r.status})`);
      return r.text();
    })
    .then((text) => URL.createObjectURL(new Blob([text], { type: 'text/javascript' })));
  workerBlobUrl.catch(() => (workerBlobUrl = undefined));
  return workerBlobUrl;
}

function startWorker(scriptUrl: string): Promise<InstanceType<typeof ELK>> {
  const started = blobUrl(scriptUrl).then(async (url) => {
    const instance = new ELK({ workerFactory: () => new Worker(url) });
    // A one-node layout makes the worker parse and compile ELK now.
    await instance.layout({ id: 'warm-up', children: [{ id: 'n', width: 10, height: 10 }], edges: [] });
    return instance;
  });
  started.catch(() => {
    if (elk === started) elk = undefined;
  });
  return started;
}

/** Starts the worker ahead of the first layout. */
export function prewarmLayout(scriptUrl: string): void {
  if (scriptUrl !== '') elk ??= startWorker(scriptUrl);
}

/** Lays out `graph` with ELK in the worker; a layout still running is cancelled (it rejects). */
export async function layoutGraph(graph: ElkNode, workerScriptUrl: string): Promise<ElkNode> {
  if (busy) cancelLayout();
  const mine = (elk ??= startWorker(workerScriptUrl));
  const instance = await mine;
  busy = true;
  try {
    return await instance.layout(graph);
  } finally {
    if (elk === mine) busy = false;
  }
}

/** Stops any layout in progress (the panel is re-running); the next layout starts a fresh worker. */
export function cancelLayout(): void {
  if (!busy || !elk) return;
  const old = elk;
  elk = undefined;
  busy = false;
  void old.then((instance) => instance.terminateWorker()).catch(() => undefined);
}
