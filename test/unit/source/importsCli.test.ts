/**
 * cnn-inspect on a file whose model is built in other files of its project: the imports are followed from disk
 * (stat-checked reads, parsed, never run), layers keep their own file in the JSON, and an import that cannot be
 * followed is a located line and exit 1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../../extension/cli/main';

const PROJECT = path.resolve(__dirname, '..', '..', 'fixtures', 'imports', 'pytorch_project');
// Relative to the working directory, as a user types it: imported files are named the same way.
const rel = (file: string): string => path.relative(process.cwd(), path.join(PROJECT, file));
const EXPECTED = JSON.parse(readFileSync(path.join(PROJECT, 'train.expected.json'), 'utf8')) as { models: { model: string; total_params: number; layers: { file: string; name: string; line: number }[] }[] };

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('cnn-inspect train.py: the model its example builds, from its package, with PyTorch totals', async () => {
  const wrapped = EXPECTED.models.find((m) => m.model === 'Wrapped')!;
  const { code, out } = await run(rel('train.py'), '--format', 'json');
  assert.equal(code, 0);
  const json = JSON.parse(out) as { model: string; complete: boolean; totals: { params: number }; layers: { name: string; source: { file: string; line: number } | null }[] };
  assert.equal(json.model, 'Wrapped');
  assert.equal(json.complete, true);
  assert.equal(json.totals.params, wrapped.total_params);
  // Each layer is located where PyTorch's constructor call was (file relative to the project, as recorded).
  for (const l of wrapped.layers) {
    const got = json.layers.find((x) => x.name === l.name);
    assert.deepEqual(got?.source && { file: got.source.file, line: got.source.line }, { file: rel(l.file), line: l.line }, l.name);
  }
});

test('cnn-inspect on a file with an import it cannot follow: exit 1, the located reason, no guess', async () => {
  const { code, err, out } = await run(rel('unresolved.py'));
  assert.equal(code, 1);
  const text = `${out}\n${err}`;
  assert.match(text, new RegExp(`${rel('unresolved.py').replace(/[.\\/]/g, '\\$&')}:5:1: info: cannot follow \`from \\.missing_blocks import Bottleneck\`: no module \\.missing_blocks next to unresolved\\.py`));
  assert.match(text, /UsesMissing is incomplete: shapes are unknown from block \(line 15\)/);
});

// torchvision 0.28 unpacked by scripts/corpus/fetch.sh (the test is skipped without it).
const TORCHVISION_RESNET = path.resolve(__dirname, '..', '..', '..', '.corpus', 'torchvision-0.28.0', 'torchvision', 'models', 'resnet.py');

test('--list names the models a file defines, not the classes it imports to use (torchvision resnet.py\'s ImageClassification transform)', { skip: !existsSync(TORCHVISION_RESNET) && 'the corpus is not fetched' }, async () => {
  const { code, out } = await run(TORCHVISION_RESNET, '--list');
  assert.equal(code, 0);
  const names = out.split('\n').slice(1).map((l) => l.split(/\s+/)[0]).filter((n) => n && /^\w+$/.test(n) && n !== 'The');
  // resnet.py's __all__ names these ten factories (and the ResNet class and weights enums, which are not models one can build with no arguments).
  assert.deepEqual(names, ['resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152', 'resnext50_32x4d', 'resnext101_32x8d', 'resnext101_64x4d', 'wide_resnet50_2', 'wide_resnet101_2']);
});
