/**
 * The hostile corpus (test/fixtures/hostile/cases.json) through cnn-inspect and its analysis worker: every
 * case ends with the expected exit code, a located `file:line:col:` message, no stack trace and no internal
 * error. The corpus runs as jobs of one worker (as the CLI does, with a shorter time budget so the suite stays
 * quick); process-level behaviour (escape sequences, FIFOs, EPIPE, a missing backend) runs the real binary.
 * Timeouts are generous bounds against a hang, not timing assertions.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LIMITS, IsolatedRunner } from '../../../extension/core/isolation/index';
import { runCliIn } from '../../../extension/cli/isolated';
import { readUserFile } from '../../../extension/core/isolation/userFile';

interface HostileCase {
  file: string;
  args?: string[];
  exit: number;
  err?: string;
  out?: string;
  notOut?: string;
  process?: boolean;
}

const root = join(__dirname, '../../..');
const dir = join(root, 'test/fixtures/hostile');
const { cases } = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as { cases: HostileCase[] };
const STACK_TRACE = /^\s+at .+[:(]\d+:\d+\)?$/m;
const regex = (pattern: string, file: string): RegExp => new RegExp(pattern.replace(/FILE/g, file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'm');

const runner = new IsolatedRunner({ file: join(root, 'extension/analysisWorker.ts') }, { ...DEFAULT_LIMITS, timeMs: 6_000 });
after(() => runner.dispose());

function cli(...argv: string[]): { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['--import', 'tsx', join(root, 'extension/cli/bin.ts'), ...argv], { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

describe('hostile files through cnn-inspect', () => {
  for (const c of cases.filter((x) => !x.process)) {
    it(`${c.file} ${(c.args ?? []).join(' ')}: exit ${c.exit}, located, no stack trace`, { timeout: 60_000 }, async () => {
      const file = join('test/fixtures/hostile', c.file);
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCliIn(runner, [join(root, file), ...(c.args ?? [])], { out: (t) => out.push(t), err: (t) => err.push(t) });
      const stdout = out.join('\n');
      const stderr = err.join('\n');
      assert.equal(code, c.exit, stderr);
      assert.doesNotMatch(stderr, STACK_TRACE);
      assert.doesNotMatch(stderr, /internal error/);
      if (c.err) assert.match(stderr, regex(c.err, join(root, file)));
      if (c.out) assert.match(stdout, regex(c.out, file));
      if (c.notOut) assert.doesNotMatch(stdout, new RegExp(c.notOut));
    });
  }

  it('FIFOs, devices, directories and a 1 GB file are refused before any read', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'cnn-hostile-'));
    try {
      spawnSync('mkfifo', [join(tmp, 'pipe.py')]);
      symlinkSync('/dev/zero', join(tmp, 'zero.py'));
      mkdirSync(join(tmp, 'dir.py'));
      writeFileSync(join(tmp, 'big.py'), '');
      truncateSync(join(tmp, 'big.py'), 1024 ** 3); // sparse: no disk used
      const refused = (name: string): string => {
        const r = readUserFile(join(tmp, name), 4_000_000);
        assert.equal(r.ok, false, name);
        return r.ok ? '' : r.message;
      };
      assert.match(refused('pipe.py'), /pipe\.py: a named pipe \(FIFO\), not a file CNN Inspector reads; nothing was read$/);
      assert.match(refused('zero.py'), /zero\.py: a device, not a file/);
      assert.match(refused('dir.py'), /dir\.py: a directory, not a file/);
      assert.match(refused('big.py'), /big\.py: 1,073,741,824 bytes is more than the 4,000,000-byte limit; nothing was read$/);
      writeFileSync(join(tmp, 'ok.py'), 'x = 1\n');
      const ok = readUserFile(join(tmp, 'ok.py'), 4_000_000);
      assert.equal(ok.ok && new TextDecoder().decode(ok.bytes), 'x = 1\n');
      // The real binary on the FIFO: a located line and exit 1, not a process waiting forever for a writer.
      const r = cli(join(tmp, 'pipe.py'));
      assert.equal(r.signal, null);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /pipe\.py:1:1: error: a named pipe \(FIFO\)/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  for (const c of cases.filter((x) => x.process)) {
    it(`the binary on ${c.file}: terminal escape sequences are shown, never obeyed`, { timeout: 60_000 }, () => {
      const r = cli(join(dir, c.file), ...(c.args ?? []));
      assert.equal(r.status, c.exit);
      assert.equal(r.signal, null);
      if (c.out) assert.match(r.stdout, new RegExp(c.out));
      if (c.notOut) assert.doesNotMatch(r.stdout + r.stderr, new RegExp(c.notOut));
    });
  }

  it('a reader that closes the pipe early (… | head -c 10) ends the binary quietly', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'extension/cli/bin.ts'), 'resnet152'], { cwd: root });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
    assert.equal(signal, null);
    assert.equal(code, 0);
    assert.equal(stderr, '');
  });

  let tfjsNode = true;
  try {
    require.resolve('@tensorflow/tfjs-node');
  } catch {
    tfjsNode = false;
  }
  it('--backend node without @tensorflow/tfjs-node is exit 2 with one line', { skip: tfjsNode && 'tfjs-node is installed here', timeout: 60_000 }, () => {
    const r = cli('lenet5', '--backend', 'node');
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /^cnn-inspect: the "node" TensorFlow\.js backend was requested but @tensorflow\/tfjs-node is not installed/);
  });
});
