/**
 * The generated hostile corpus (test/fixtures/hostile/generated.ts) through cnn-inspect as the terminal runs
 * it (jobs of one analysis worker under the CLI's limits): every case ends with its exit code, a located
 * `file:line:col:` line, no stack trace and no internal error; where a valid model follows the hostile part, its
 * report. Plus what only a file system can make: symlink loops, dangling links, unreadable files. Timeouts are
 * bounds against a hang, not timing assertions.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LIMITS, IsolatedRunner } from '../../../extension/core/isolation/index';
import { runCliIn } from '../../../extension/cli/isolated';
import { generatedCases } from '../../fixtures/hostile/generated';

const root = join(__dirname, '../../..');
const STACK_TRACE = /^\s+at .+[:(]\d+:\d+\)?$/m;
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const regex = (pattern: string, file: string): RegExp => new RegExp(pattern.replace(/FILE/g, escape(file)), 'm');

const runner = new IsolatedRunner({ file: join(root, 'extension/analysisWorker.ts') }, DEFAULT_LIMITS);
const tmp = mkdtempSync(join(tmpdir(), 'cnn-hostile-gen-'));
after(async () => {
  await runner.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

/** The real binary, for what its process does to the output (terminal escapes). */
function binary(...argv: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'extension/cli/bin.ts'), ...argv], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.signal, null);
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCliIn(runner, argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

function assertClean(r: { stdout: string; stderr: string }): void {
  assert.doesNotMatch(r.stderr, STACK_TRACE);
  assert.doesNotMatch(r.stdout, STACK_TRACE);
  assert.doesNotMatch(r.stderr, /internal error/);
}

describe('generated hostile files through cnn-inspect', () => {
  for (const c of generatedCases()) {
    it(`${c.file} ${(c.args ?? []).join(' ')}: exit ${c.exit}, located, no stack trace`, { timeout: 60_000 }, async () => {
      const file = join(tmp, c.file);
      writeFileSync(file, c.content);
      const r = c.process ? binary(file, ...(c.args ?? [])) : await cli(file, ...(c.args ?? []));
      assert.equal(r.code, c.exit, r.stderr);
      assertClean(r);
      // Every line on stderr is located or the CLI's own one-line summary; a failure has at least one located error.
      if (c.exit !== 0) assert.match(r.stderr, regex('^FILE:\\d+:\\d+: error: ', file), r.stderr);
      if (c.err) assert.match(r.stderr, regex(c.err, file), r.stderr);
      if (c.out) assert.match(r.stdout, regex(c.out, file), r.stdout.slice(0, 2000));
      if (c.notOut) assert.doesNotMatch(r.stdout + r.stderr, new RegExp(c.notOut));
      assert.equal(existsSync(join(tmp, 'SIDE_EFFECT')) || existsSync(join(root, 'SIDE_EFFECT')), false, 'user code ran');
    });
  }

  describe('what only a file system makes', () => {
    before(() => {
      symlinkSync(join(tmp, 'loop_b.py'), join(tmp, 'loop_a.py'));
      symlinkSync(join(tmp, 'loop_a.py'), join(tmp, 'loop_b.py'));
      symlinkSync(join(tmp, 'nowhere.py'), join(tmp, 'dangling.py'));
      writeFileSync(join(tmp, 'locked.py'), 'x = 1\n');
      chmodSync(join(tmp, 'locked.py'), 0);
    });
    const cases: [string, RegExp][] = [
      ['loop_a.py', /loop_a\.py:1:1: error: .*(symbolic links|ELOOP|loop)/],
      ['dangling.py', /dangling\.py:1:1: error: .*(no such file|does not exist|ENOENT)/i],
    ];
    // root reads any file whatever its mode: only an ordinary user can be refused.
    if (process.getuid?.() !== 0) cases.push(['locked.py', /locked\.py:1:1: error: .*(permission|EACCES)/i]);
    it('imports of a device, a FIFO, a directory and an import cycle: the model is still read, the cycle located', { timeout: 60_000 }, async () => {
      const dir = join(tmp, 'imports');
      mkdirSync(join(dir, 'dirmod.py'), { recursive: true });
      symlinkSync('/dev/zero', join(dir, 'zero.py'));
      spawnSync('mkfifo', [join(dir, 'pipe.py')]);
      writeFileSync(join(dir, 'a1.py'), 'from a2 import X\nY = 1\n');
      writeFileSync(join(dir, 'a2.py'), 'from a1 import Y\nX = 2\n');
      const main = generatedCases().find((c) => c.file === 'bom.py')!.content as string;
      writeFileSync(join(dir, 'main.py'), main.replace('\ufeff', '').replace('import torch.nn as nn\n', 'import torch.nn as nn\nfrom zero import a\nfrom pipe import b\nfrom dirmod import c\nfrom a1 import Y\n'));
      const r = await cli(join(dir, 'main.py'));
      assert.equal(r.code, 0, r.stderr);
      assertClean(r);
      assert.match(r.stdout, /Total params: 224 /);
      assert.match(r.stderr, new RegExp(`^${escape(join(dir, 'a2.py'))}:1:1: warning: cannot import "Y": .*import cycle`, 'm'));
    });
    for (const [name, expected] of cases) {
      it(`${name}: one located line, exit 1`, { timeout: 60_000 }, async () => {
        const r = await cli(join(tmp, name));
        assert.equal(r.code, 1, r.stderr);
        assertClean(r);
        assert.match(r.stderr, expected);
      });
    }
  });
});
