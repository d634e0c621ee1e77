/**
 * npm run bench: for every zoo model, the median analysis time and peak memory next to the naive build of
 * the same model (random weights), each in its own process, all in one run; then the peak RSS of the whole
 * `cnn-inspect vgg16 --format json` process. Prints a Markdown table for the README. Ratios, not seconds,
 * are what carries from one machine to another.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZOO } from '../extension/core/zoo/index';

const ANALYSIS_RUNS = 7;
const NAIVE_RUNS = 3;

interface Measured {
  times: number[];
  maxRssBytes: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function measure(mode: 'analyze' | 'naive', model: string, runs: number): Measured {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'worker.ts'), mode, model, String(runs)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Measured;
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;
const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(1)) + ' ms';

const only = process.argv.slice(2);
const rows: string[] = [];
for (const entry of ZOO.filter((e) => only.length === 0 || only.includes(e.name))) {
  // The first analysis in a process includes tfjs warm-up; the median over several runs is the steady cost.
  const analysis = measure('analyze', entry.name, ANALYSIS_RUNS);
  const naive = measure('naive', entry.name, NAIVE_RUNS);
  const a = median(analysis.times);
  const n = median(naive.times);
  rows.push(
    `| ${entry.name} | ${ms(a)} | ${ms(n)} | ${(n / a).toFixed(0)}× | ${mb(analysis.maxRssBytes)} | ${mb(naive.maxRssBytes)} |`,
  );
  process.stderr.write(`${entry.name}: analysis ${ms(a)}, naive ${ms(n)}\n`);
}

const rssFile = join(mkdtempSync(join(tmpdir(), 'cnn-bench-')), 'rss');
execFileSync(process.execPath, ['--require', join(__dirname, 'rss-at-exit.cjs'), join(__dirname, '../bin/cnn-inspect.js'), 'vgg16', '--format', 'json'], {
  env: { ...process.env, CNN_BENCH_RSS_FILE: rssFile },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const cliRss = Number(readFileSync(rssFile, 'utf8'));

console.log(`Median of ${ANALYSIS_RUNS} analyses and of ${NAIVE_RUNS} naive builds, each model in fresh processes (Node ${process.version}).`);
console.log('');
console.log('| model | analysis (median) | naive build (median) | faster | analysis peak RSS | naive peak RSS |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const row of rows) console.log(row);
console.log('');
console.log(`\`cnn-inspect vgg16 --format json\`, whole process: ${mb(cliRss)} peak RSS.`);
