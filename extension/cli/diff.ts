/**
 * `cnn-inspect diff A B`: two models side by side — built-in models, model files, or a file at a git
 * revision (`HEAD:models/net.py`, read with `git show`) against the working tree. Totals, blocks and
 * layers that differ; `--fail-on params>+5%,macs>+10%` exits 1 when B grows past a threshold (CI).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { analyzeModel } from '../core/analyze';
import { compareReports, parseThresholds, violations, type Threshold } from '../core/compare';
import { UserError } from '../core/errors';
import { comparisonMarkdown, comparisonTable, incompleteNote, percent } from '../core/report/compare';
import { inputSizeDims } from '../core/inputSize';
import { stringifyExact } from '../core/report/json';
import type { ModelSpec } from '../core/spec';
import type { BackendPreference } from '../core/tfjs/loadTf';
import { zooModel } from '../core/zoo/index';
import { UsageError } from './args';
import { looksLikeFile, modelFromFile } from './fromFile';

export const DIFF_USAGE = `Usage: cnn-inspect diff <A> <B> [options]

Compares two models: parameters, MACs, activations and peak memory, per block and per layer.
A and B are built-in models (resnet18), model files (net.py), or a file at a git revision
(HEAD:net.py) to compare with the working tree.

  --input H,W,C            input size for both (PyTorch files: C,H,W)
  --format table|markdown|json   output format (default: table; markdown for a pull-request comment)
  --fail-on LIST           exit 1 when B grows past a threshold, e.g. params>+5%,macs>+10%
                           (metrics: params, macs, activation, peak; N% of A, or an absolute N)
  --flops-per-mac 1|2, --backend auto|node|cpu   as for cnn-inspect`;

export interface DiffOptions {
  a: string;
  b: string;
  input: number[] | null;
  format: 'table' | 'markdown' | 'json';
  failOn: Threshold[];
  flopsPerMac: 1 | 2;
  backend: BackendPreference;
}

export function parseDiffArgs(argv: readonly string[]): DiffOptions {
  const names: string[] = [];
  const o: Omit<DiffOptions, 'a' | 'b'> = { input: null, format: 'table', failOn: [], flopsPerMac: 2, backend: 'auto' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const take = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--input') {
      try {
        o.input = inputSizeDims(take());
      } catch (error) {
        throw new UsageError(`--input: ${(error as Error).message}`);
      }
    } else if (flag === '--format') {
      const v = take();
      if (v !== 'table' && v !== 'markdown' && v !== 'json') throw new UsageError(`--format must be one of table, markdown, json, got "${v}"`);
      o.format = v;
    } else if (flag === '--fail-on') {
      try {
        o.failOn = parseThresholds(take());
      } catch (error) {
        throw new UsageError(`--fail-on: ${(error as Error).message}`);
      }
    } else if (flag === '--flops-per-mac') {
      const v = take();
      if (v !== '1' && v !== '2') throw new UsageError(`--flops-per-mac must be 1 or 2, got "${v}"`);
      o.flopsPerMac = Number(v) as 1 | 2;
    } else if (flag === '--backend') {
      const v = take();
      if (v !== 'auto' && v !== 'node' && v !== 'cpu') throw new UsageError(`--backend must be one of auto, node, cpu, got "${v}"`);
      o.backend = v;
    } else if (arg.startsWith('-')) {
      throw new UsageError(`diff: unknown option ${arg}`);
    } else {
      names.push(arg);
    }
  }
  if (names.length !== 2) throw new UsageError(`diff compares two models (cnn-inspect diff A B), got ${names.length}`);
  return { a: names[0]!, b: names[1]!, ...o };
}

/** "HEAD:net.py", "main~1:models/a.py": a revision, a colon, a model file path (not a Windows drive). */
const AT_REVISION = /^([^:\s]{2,}):(.+\.(?:py|ts|tsx|js))$/;

/** The spec of one side: a file at a revision (git show into a temporary file), a file, or a zoo model. */
async function specOf(name: string, input: readonly number[] | null): Promise<ModelSpec> {
  const at = AT_REVISION.exec(name);
  if (at) {
    const [, rev, path] = at as unknown as [string, string, string];
    let text: string;
    try {
      text = execFileSync('git', ['show', `${rev}:${path.replace(/^\.\//, '')}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim().split('\n')[0];
      throw new UserError(`${name}: git could not show it${stderr ? ` (${stderr})` : ''}`);
    }
    const dir = mkdtempSync(join(tmpdir(), 'cnn-diff-'));
    try {
      const file = join(dir, basename(path));
      writeFileSync(file, text);
      return (await modelFromFile(file, null, input)).built.spec;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (looksLikeFile(name)) return (await modelFromFile(name, null, input)).built.spec;
  return zooModel(name, input ?? undefined);
}

/** Runs `diff`; returns the exit code (the caller maps user errors to 1 and bugs to 70). */
export async function runDiff(argv: readonly string[], io: { out(text: string): void; err(text: string): void }): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(DIFF_USAGE);
    return 0;
  }
  const options = parseDiffArgs(argv);
  const analyse = async (name: string) => analyzeModel(await specOf(name, options.input), { flopsPerMac: options.flopsPerMac, backend: options.backend });
  const a = await analyse(options.a);
  const b = await analyse(options.b);
  const comparison = compareReports(a, b);
  const broken = violations(comparison, options.failOn);
  const failures = broken.map(({ threshold, change }) =>
    change.delta === null ? `${threshold.text}: ${threshold.metric} is unknown in ${change.a === null ? (change.b === null ? 'A and B' : 'A') : 'B'}, so the threshold cannot be checked` : `${threshold.text}: ${threshold.metric} changed by ${percent(change)} (${change.a} → ${change.b})`,
  );
  if (options.format === 'json') io.out(stringifyExact({ schemaVersion: 1, ...comparison, failures }));
  else io.out(options.format === 'markdown' ? comparisonMarkdown(comparison, failures) : comparisonTable(comparison, failures));
  for (const f of failures) io.err(`cnn-inspect: over the threshold: ${f}`);
  // CI must never read success from a comparison with unknowns in it.
  const incomplete = incompleteNote(comparison);
  if (incomplete) io.err(`cnn-inspect: ${incomplete}`);
  return failures.length > 0 || incomplete ? 1 : 0;
}
