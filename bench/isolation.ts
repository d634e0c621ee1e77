/**
 * npm run bench, isolation and memory: (1) heap growth over 1,000 ResNet-50 analyses in one process (after a
 * forced GC at both ends; issue 7's target: < 2 MB); (2) the longest extension-host event-loop block while
 * the analysis worker reads a pathological file and the Keras ResNet-50 fixture (target: < 50 ms), next to
 * the block of reading that fixture on the host itself, as before isolation.
 * Usage: isolation.ts [heap|block]  (no argument: both, each in its own process)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance as perf } from 'node:perf_hooks';
import { analyzeModel } from '../extension/core/analyze';
import { loadTensorFlow } from '../extension/core/tfjs/loadTf';
import { zooModel } from '../extension/core/zoo/index';
import { DEFAULT_LIMITS, IsolatedRunner } from '../extension/core/isolation/index';
import { createIsolatedAnalyser } from '../extension/vscode/editor/isolatedAnalysis';
import { analyseDocument } from '../extension/vscode/editor/documentAnalysis';
import { createSourceReader } from '../extension/core/source/index';

const ANALYSES = 1000;
const root = join(__dirname, '..');

async function heap(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 10; i++) await analyzeModel(zooModel('resnet50'));
  gc();
  const before = process.memoryUsage();
  for (let i = 0; i < ANALYSES; i++) await analyzeModel(zooModel('resnet50'));
  gc();
  const after = process.memoryUsage();
  process.stdout.write(JSON.stringify({ heapBefore: before.heapUsed, heapAfter: after.heapUsed, rssBefore: before.rss, rssAfter: after.rss }) + '\n');
}

/**
 * The longest event-loop delay (ms) while `work` runs, what a host would feel as a freeze (on a shared machine
 * it includes the OS scheduling other processes), and the host's total busy time (event-loop utilisation's
 * active ms), which no block can exceed.
 */
let lastBusy = 0;
async function longestBlock(work: () => Promise<unknown>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  const start = perf.eventLoopUtilization();
  histogram.enable();
  await work();
  histogram.disable();
  lastBusy = perf.eventLoopUtilization(start).active;
  return histogram.max / 1e6;
}

async function block(): Promise<void> {
  const worker = join(root, 'dist/analysisWorker.js');
  const analyser = createIsolatedAnalyser(new IsolatedRunner({ file: worker }, DEFAULT_LIMITS));
  const hostileFile = join(root, 'test/fixtures/hostile/sorted_in_loop.py');
  const fixture = join(root, 'test/fixtures/models/keras_resnet50_functional.py');
  const options = (file: string) => ({ file, language: 'python' as const, backend: 'cpu' as const });
  await analyser.analyse(readFileSync(fixture, 'utf8'), options(fixture)); // worker start-up is not the measure
  // The machine's own noise: the same measure over an idle 3 s (other processes share the cores).
  const idle = await longestBlock(() => new Promise((resolve) => setTimeout(resolve, 3000)));
  let stopped = '';
  const hostile = await longestBlock(async () => {
    const result = await analyser.analyse(readFileSync(hostileFile, 'utf8'), options(hostileFile));
    stopped = result.diagnostics[0]?.message ?? '';
  });
  const hostileBusy = lastBusy;
  const isolatedFixture = await longestBlock(() => analyser.analyse(readFileSync(fixture, 'utf8'), options(fixture)));
  const isolatedBusy = lastBusy;
  const reader = await createSourceReader({ languages: ["python"], tensorflow: () => loadTensorFlow() });
  await analyseDocument(reader, async () => ({ analyzeModel, loadTensorFlow }), readFileSync(fixture, 'utf8'), options(fixture));
  const inHost = await longestBlock(() => analyseDocument(reader, async () => ({ analyzeModel, loadTensorFlow }), readFileSync(fixture, 'utf8'), options(fixture)));
  const inHostBusy = lastBusy;
  process.stdout.write(JSON.stringify({ idle, hostile, hostileBusy, stopped, isolatedFixture, isolatedBusy, inHost, inHostBusy }) + '\n');
  process.exit(0);
}

function run(mode: string, flags: string[] = []): Record<string, number | string> {
  const out = execFileSync(process.execPath, [...flags, '--import', 'tsx', __filename, mode], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, number | string>;
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (mode === 'heap') return heap();
  if (mode === 'block') return block();
  const h = run('heap', ['--expose-gc']) as Record<string, number>;
  const b = run('block');
  const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
  const ms = (n: number | string): string => `${Number(n).toFixed(1)} ms`;
  console.log('\n| isolation and memory | |\n|---|---:|');
  console.log(`| heap after ${ANALYSES} ResNet-50 analyses in one process (after GC) | ${mb(h.heapBefore!)} → ${mb(h.heapAfter!)} (${mb(h.heapAfter! - h.heapBefore!)}) |`);
  console.log(`| RSS over the same analyses | ${mb(h.rssBefore!)} → ${mb(h.rssAfter!)} |`);
  console.log(`| longest event-loop delay of an idle host over 3 s (this machine's noise) | ${ms(b.idle!)} |`);
  console.log(`| longest host event-loop delay, worker reading sorted_in_loop.py until it is stopped | ${ms(b.hostile!)} |`);
  console.log(`| host busy time in all, over that whole run | ${ms(b.hostileBusy!)} |`);
  console.log(`| … which ends with | ${String(b.stopped)} |`);
  console.log(`| longest host delay · host busy time, worker reading keras_resnet50_functional.py | ${ms(b.isolatedFixture!)} · ${ms(b.isolatedBusy!)} |`);
  console.log(`| longest host delay · host busy time, the same file read and analysed on the host | ${ms(b.inHost!)} · ${ms(b.inHostBusy!)} |`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
