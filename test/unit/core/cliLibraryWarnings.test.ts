/**
 * The CLI on a script whose model comes from an installed library (timm 1.0.29, the public corpus copy unpacked
 * by scripts/corpus/fetch.sh, never committed, used as a site-packages directory): the library's own undecided
 * code (timm/layers/config.py's `'TIMM_FUSED_ATTN' in os.environ`) is not the user's problem when the model is
 * complete, so it is not printed; when the model is incomplete every located line stays, library ones included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../extension/cli/main';

const TIMM = path.resolve(__dirname, '..', '..', '..', '.corpus', 'timm-1.0.29');
const NO_TIMM = !existsSync(path.join(TIMM, 'timm', 'layers', 'config.py')) && `${TIMM} is missing: run bash scripts/corpus/fetch.sh (the public sources are never committed)`;

async function run(script: string): Promise<{ code: number; err: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cnn-libwarn-'));
  try {
    const file = path.join(dir, 'train.py');
    writeFileSync(file, script);
    const err: string[] = [];
    const code = await runCli([file, '--python-path', TIMM], { out: () => {}, err: (t) => err.push(t) });
    return { code, err: err.join('\n') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The corpus copy is a plain directory; the rule is about installed packages, so it is linked as site-packages.
async function runInstalled(script: string): Promise<{ code: number; err: string }> {
  const site = mkdtempSync(path.join(tmpdir(), 'cnn-site-'));
  const packages = path.join(site, 'site-packages');
  try {
    symlinkSync(TIMM, packages);
    const dir = mkdtempSync(path.join(tmpdir(), 'cnn-libwarn-'));
    const file = path.join(dir, 'train.py');
    writeFileSync(file, script);
    const err: string[] = [];
    const code = await runCli([file, '--python-path', packages], { out: () => {}, err: (t) => err.push(t) });
    rmSync(dir, { recursive: true, force: true });
    return { code, err: err.join('\n') };
  } finally {
    rmSync(site, { recursive: true, force: true });
  }
}

test("a complete model: the installed library's own undecided branches are not printed", { skip: NO_TIMM }, async () => {
  const { code, err } = await runInstalled("import torch\nimport timm\n\nmodel = timm.create_model('resnet18', num_classes=10)\ny = model(torch.randn(1, 3, 224, 224))\n");
  assert.equal(code, 0);
  assert.doesNotMatch(err, /config\.py/);
});

test('outside site-packages (a directory of the user) the lines are kept', { skip: NO_TIMM }, async () => {
  const { err } = await run("import torch\nimport timm\n\nmodel = timm.create_model('resnet18', num_classes=10)\ny = model(torch.randn(1, 3, 224, 224))\n");
  assert.match(err, /timm[\\/]layers[\\/]config\.py:\d+:\d+: warning: cannot tell whether this branch runs/);
});

test('an incomplete model: the library lines stay', { skip: NO_TIMM }, async () => {
  const { code, err } = await runInstalled("import os\nimport torch\nimport timm\n\nmodel = timm.create_model('resnet18', num_classes=int(os.environ['N']))\ny = model(torch.randn(1, 3, 224, 224))\n");
  assert.equal(code, 1);
  assert.match(err, /site-packages[\\/]timm[\\/]layers[\\/]config\.py:\d+:\d+: warning: cannot tell whether this branch runs/);
});
