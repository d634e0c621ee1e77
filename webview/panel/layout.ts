/**
 * Graph layout off the UI thread: ELK runs in a Web Worker made from the bundled elk-worker script. A
 * webview may only start workers from blob: URLs (its resources live on another origin), so the script is
 * fetched and wrapped. A new request terminates the previous worker, so a re-run never waits on a stale
 * layout (netron does the same).
 */
import ELK from 'elkjs/lib/elk-api.js';
import type { ElkNode } from 'elkjs/lib/elk-api';

let workerBlobUrl: Promise<string> | undefined;
let current: { terminateWorker(): void } | undefined;

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

/** Lays out `graph` with ELK in a worker; rejects with "superseded" if another layout starts first. */
export async function layoutGraph(graph: ElkNode, workerScriptUrl: string): Promise<ElkNode> {
  current?.terminateWorker();
  current = undefined;
  const url = await blobUrl(workerScriptUrl);
  const elk = new ELK({ workerFactory: () => new Worker(url) });
  current = elk;
  try {
    return await elk.layout(graph);
  } finally {
    if (current === elk) {
      elk.terminateWorker();
      current = undefined;
    }
  }
}

/** Stops any layout in progress (the panel is going away or re-running). */
export function cancelLayout(): void {
  current?.terminateWorker();
  current = undefined;
}
