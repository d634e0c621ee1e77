/**
 * Scores the model-file readers on the corpus made by the real tools (scripts/files/make_file_corpus.py writes
 * the files into .file-corpus/ and their facts into test/fixtures/file-corpus/expected.json):
 *
 *   node --import tsx scripts/files/score_file_corpus.ts [name-filter] [--misses]
 *
 * Each file goes through what `cnn-inspect FILE --format json` runs (runModelFile); per file it prints whether
 * the total parameters and MACs are the framework's, the output shape, whether the report is complete, and the
 * first error the reader gave; then the totals. --misses prints every error line, not only the first.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runModelFile } from '../../extension/cli/fromModelFile';
import type { CliOptions } from '../../extension/cli/args';

const ROOT = join(__dirname, '..', '..');
const CORPUS = join(ROOT, '.file-corpus');
const FACTS = join(ROOT, 'test', 'fixtures', 'file-corpus', 'expected.json');

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
  try {
    code = await runModelFile(path, options, { out: (t) => out.push(t), err: (t) => err.push(t) });
  } catch (error) {
    return { ...base, status: 'unreadable', line: `UNREADABLE: ${error instanceof Error ? error.message : String(error)}`.replace(path, name) };
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const report: any = JSON.parse(out.join('\n'));
  const t = report.totals;
  const params = expectedParams(f);
  const paramsRight = t.params === params && !t.lowerBound;
  const macsRight = isCheckpoint(f) || f.macs === null ? null : t.macs === f.macs && !t.lowerBound;
  const last = report.layers.at(-1);
  const outputRight = isCheckpoint(f) || !last ? null : JSON.stringify(((last.outputShape as (number | null)[] | null) ?? []).slice(1)) === JSON.stringify(f.output.slice(1));
  const complete = report.complete === true && code === 0;
  const errors = err.filter((l) => /: error: /.test(l)).map((l) => l.replace(path, name));
  const parts = [
    `params ${paramsRight ? 'right' : `WRONG (${t.params ?? '-'} vs ${params}${t.lowerBound ? ', lower bound' : ''})`}`,
    macsRight === null ? null : `MACs ${macsRight ? 'right' : `WRONG (${t.macs ?? '-'} vs ${f.macs})`}`,
    outputRight === null ? null : `output ${outputRight ? 'right' : `WRONG (${JSON.stringify(last?.outputShape)} vs ${JSON.stringify(f.output)})`}`,
    isCheckpoint(f) ? `checkpoint (${complete ? 'complete?!' : 'incomplete, as it must be'})` : complete ? 'complete' : 'INCOMPLETE',
  ].filter((p) => p !== null);
  let line = parts.join('; ');
  if (errors.length > 0 && !isCheckpoint(f)) line += `\n      first error: ${errors[0]}`;
  if (showMisses) for (const e of errors.slice(1)) line += `\n      ${e}`;
  return { file: name, status: 'read', paramsRight, macsRight, outputRight, complete, line };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const showMisses = args.includes('--misses');
  const filter = args.find((a) => !a.startsWith('--')) ?? '';
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
}

void main();
