/**
 * Scores the model-file readers on the corpus made by the real tools (scripts/files/make_file_corpus.py writes
 * the files into .file-corpus/ and their facts into test/fixtures/file-corpus/expected.json):
 *
 *   node --import tsx scripts/files/score_file_corpus.ts [name-filter] [--misses]
 *   node --import tsx scripts/files/score_file_corpus.ts --hostile [--dist] [name-filter]
 *
 * Each file goes through what `cnn-inspect FILE --format json` runs (runModelFile); per file it prints whether
 * the total parameters and MACs are the framework's, the output shape, whether the report is complete, and the
 * first error the reader gave; then the totals, and how many reports are complete yet wrong (the worst defect).
 * --misses prints every error line, not only the first. --hostile runs the real CLI binary on each hostile file
 * (.file-corpus/hostile/, facts in test/fixtures/file-corpus/hostile.json) with a 20 s limit: exit code, time,
 * no signal, no stack trace, one error line naming the file, and the os.system payload never run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runModelFile } from '../../extension/cli/fromModelFile';
import type { CliOptions } from '../../extension/cli/args';

const ROOT = join(__dirname, '..', '..');
// FILE_CORPUS_DIR / FILE_CORPUS_FACTS / FILE_CORPUS_HOSTILE: score another set of files made the same way (a sweep).
const CORPUS = process.env.FILE_CORPUS_DIR ?? join(ROOT, '.file-corpus');
const FACTS = process.env.FILE_CORPUS_FACTS ?? join(ROOT, 'test', 'fixtures', 'file-corpus', 'expected.json');
const HOSTILE_FACTS = process.env.FILE_CORPUS_HOSTILE ?? join(ROOT, 'test', 'fixtures', 'file-corpus', 'hostile.json');
const PWNED = '/tmp/cnn-inspector-hostile-pwned';
const STACK_TRACE = /^\s+at .+[:(]\d+:\d+\)?$/m;

interface Facts {
  kind: string;
  params: number;
  trainableParams: number;
  nonTrainableParams?: number;
  bnRunningStats?: number;
  macs: number | null;
  input: (number | null)[];
  output: (number | null)[];
  onnx?: { weightElements: number; batchNormInGraph: boolean };
  tflite?: { weightElementsPerUse: number };
}

/** What the report must say: the weights the file holds (ONNX, TFLite fold batch norm), else the framework's count. */
function expectedParams(f: Facts): number {
  if (f.onnx) return f.onnx.weightElements;
  if (f.tflite) return f.tflite.weightElementsPerUse;
  return f.params;
}

/** A checkpoint has no graph: its report is rightly incomplete and has no MACs. */
const isCheckpoint = (f: Facts): boolean => f.kind.startsWith('torch');

interface Score {
  file: string;
  status: 'read' | 'unreadable' | 'missing';
  paramsRight: boolean;
  macsRight: boolean | null;
  outputRight: boolean | null;
  complete: boolean;
  wrong?: boolean;
  line: string;
}

async function scoreOne(name: string, f: Facts, showMisses: boolean): Promise<Score> {
  const path = join(CORPUS, name);
  const base: Score = { file: name, status: 'missing', paramsRight: false, macsRight: null, outputRight: null, complete: false, line: '' };
  if (!existsSync(path)) return { ...base, line: 'not generated (run scripts/files/make_file_corpus.py)' };
  const out: string[] = [];
  const err: string[] = [];
  const options: CliOptions = { model: path, modelName: null, input: null, format: 'json', flopsPerMac: 1, backend: 'auto', verbose: false, list: false, help: false, version: false };
  let code: number;
  const started = Date.now();
  try {
    code = await runModelFile(path, options, { out: (t) => out.push(t), err: (t) => err.push(t) });
  } catch (error) {
    return { ...base, status: 'unreadable', line: `UNREADABLE: ${error instanceof Error ? error.message : String(error)}`.replace(path, name) };
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const report: any = JSON.parse(out.join('\n'));
  const t = report.totals;
  const params = expectedParams(f);
  // A checkpoint's totals are a lower bound for its MACs and memory (all unknown); its parameters are exact when every row's are.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const paramsExact = !t.lowerBound || (isCheckpoint(f) && report.layers.every((l: any) => l.params !== null));
  const paramsRight = t.params === params && paramsExact;
  const macsRight = isCheckpoint(f) || f.macs === null ? null : t.macs === f.macs && !t.lowerBound;
  const last = report.layers.at(-1);
  const outputRight = isCheckpoint(f) || !last ? null : JSON.stringify(((last.outputShape as (number | null)[] | null) ?? []).slice(1)) === JSON.stringify(f.output.slice(1));
  const complete = report.complete === true && code === 0;
  const errors = err.filter((l) => /: error: /.test(l)).map((l) => l.replace(path, name));
  const parts = [
    `params ${paramsRight ? 'right' : `WRONG (${t.params ?? '-'} vs ${params}${paramsExact ? '' : ', lower bound'})`}`,
    macsRight === null ? null : `MACs ${macsRight ? 'right' : `WRONG (${t.macs ?? '-'} vs ${f.macs})`}`,
    outputRight === null ? null : `output ${outputRight ? 'right' : `WRONG (${JSON.stringify(last?.outputShape)} vs ${JSON.stringify(f.output)})`}`,
    isCheckpoint(f) ? `checkpoint (${complete ? 'complete?!' : 'incomplete, as it must be'})` : complete ? 'complete' : 'INCOMPLETE',
  ].filter((p) => p !== null);
  const seconds = (Date.now() - started) / 1000;
  if (seconds > 5) parts.push(`SLOW ${seconds.toFixed(1)} s`);
  let line = parts.join('; ');
  if (errors.length > 0 && !isCheckpoint(f)) line += `\n      first error: ${errors[0]}`;
  if (showMisses) for (const e of errors.slice(1)) line += `\n      ${e}`;
  const wrong = complete && (!paramsRight || macsRight === false || outputRight === false);
  if (wrong) line += '\n      COMPLETE BUT WRONG';
  return { file: name, status: 'read', paramsRight, macsRight, outputRight, complete, wrong, line };
}

/** Every hostile file through the real binary, as a user runs it; returns the number of cases that failed. */
function scoreHostile(filter: string, dist: boolean): number {
  // --dist: the bundled CLI users run (npm run build first); else the sources through tsx (seconds of startup).
  const command = dist ? [join(ROOT, 'bin', 'cnn-inspect.js')] : ['--import', 'tsx', join(ROOT, 'extension', 'cli', 'bin.ts')];
  const { cases } = JSON.parse(readFileSync(HOSTILE_FACTS, 'utf8')) as { cases: Record<string, { expect: 'error' | 'any'; why: string }> };
  let failed = 0;
  let slowest = 0;
  for (const [name, c] of Object.entries(cases)) {
    if (!name.includes(filter)) continue;
    const path = join(process.env.FILE_CORPUS_HOSTILE ? join(HOSTILE_FACTS, '..') : join(CORPUS, 'hostile'), name);
    if (!existsSync(path)) {
      console.log(`${name.padEnd(48)} not generated`);
      failed++;
      continue;
    }
    const started = Date.now();
    const r = spawnSync(process.execPath, [...command, path, '--format', 'json'], { cwd: ROOT, encoding: 'utf8', timeout: 20_000, maxBuffer: 1 << 26 });
    const seconds = (Date.now() - started) / 1000;
    slowest = Math.max(slowest, seconds);
    const errors = r.stderr.split('\n').filter((l) => /error: /.test(l));
    const problems = [
      r.error ? `did not end: ${r.error.message}` : null,
      r.signal ? `signal ${r.signal}` : null,
      r.status !== 0 && r.status !== 1 ? `exit ${r.status}` : null,
      c.expect === 'error' && r.status !== 1 ? `exit ${r.status}, expected 1` : null,
      STACK_TRACE.test(r.stderr) ? 'stack trace' : null,
      /internal error/i.test(r.stderr) ? 'internal error' : null,
      r.status === 1 && !errors.some((l) => l.includes(path)) ? 'no error line naming the file' : null,
      existsSync(PWNED) ? `${PWNED} exists: the payload ran` : null,
    ].filter((p) => p !== null);
    if (problems.length > 0) failed++;
    const first = (errors[0] ?? r.stderr.split('\n')[0] ?? '').replace(path, name).slice(0, 200);
    console.log(`${name.padEnd(48)} exit ${r.status} ${seconds.toFixed(1)}s ${problems.length ? `FAIL (${problems.join('; ')})` : 'ok'}\n      ${first}`);
  }
  console.log(`\nhostile files failing ${failed}/${Object.keys(cases).filter((n) => n.includes(filter)).length}; slowest ${slowest.toFixed(1)} s`);
  return failed;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const showMisses = args.includes('--misses');
  const filter = args.find((a) => !a.startsWith('--')) ?? '';
  if (args.includes('--hostile')) process.exit(scoreHostile(filter, args.includes('--dist')) === 0 ? 0 : 1);
  if (!existsSync(FACTS)) {
    console.error(`${FACTS} is missing: run /work/venv/bin/python scripts/files/make_file_corpus.py`);
    process.exit(2);
  }
  const facts: Record<string, Facts> = JSON.parse(readFileSync(FACTS, 'utf8'));
  const scores: Score[] = [];
  for (const [name, f] of Object.entries(facts)) {
    if (!name.includes(filter)) continue;
    const s = await scoreOne(name, f, showMisses);
    scores.push(s);
    console.log(`${name.padEnd(40)} ${s.line}`);
  }
  const read = scores.filter((s) => s.status === 'read');
  const graphs = read.filter((s) => s.macsRight !== null || s.outputRight !== null);
  const count = (xs: Score[], p: (s: Score) => boolean): number => xs.filter(p).length;
  const graphFiles = scores.filter((s) => !isCheckpoint(facts[s.file]!));
  console.log('');
  console.log(`files          ${scores.length} (${count(scores, (s) => s.status === 'missing')} not generated, ${count(scores, (s) => s.status === 'unreadable')} unreadable)`);
  console.log(`params right   ${count(scores, (s) => s.paramsRight)}/${scores.length}`);
  console.log(`MACs right     ${count(read, (s) => s.macsRight === true)}/${count(scores, (s) => facts[s.file]!.macs !== null && !isCheckpoint(facts[s.file]!))}`);
  console.log(`output right   ${count(graphs, (s) => s.outputRight === true)}/${graphFiles.length}`);
  console.log(`complete       ${count(read, (s) => s.complete && !isCheckpoint(facts[s.file]!))}/${graphFiles.length} graph files (checkpoints are incomplete by nature)`);
  console.log(`complete but wrong ${count(read, (s) => s.wrong === true)}`);
}

void main();
