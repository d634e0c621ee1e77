/**
 * Comparing two models: totals, blocks and layers matched by name, thresholds for CI, and `cnn-inspect diff`
 * through its I/O seam — zoo models, and a Keras file at git HEAD against its edited working copy.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyzeModel } from '../../../extension/core/analyze';
import { compareReports, delta, parseThresholds, violations } from '../../../extension/core/compare';
import { zooModel } from '../../../extension/core/zoo/index';
import { runCli } from '../../../extension/cli/main';

async function run(argv: string[], cwd?: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const before = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    process.chdir(before);
  }
}

describe('compareReports', () => {
  it('ResNet-18 → ResNet-34: the published counts, the added blocks, nothing removed', async () => {
    const a = await analyzeModel(zooModel('resnet18'), { backend: 'cpu' });
    const b = await analyzeModel(zooModel('resnet34'), { backend: 'cpu' });
    const c = compareReports(a, b);
    // torchvision: resnet18 11,689,512 and resnet34 21,797,672 parameters (model.parameters()).
    assert.deepEqual([c.totals.trainableParams.a, c.totals.trainableParams.b], [11_689_512, 21_797_672]);
    // MACs at 224×224 as run in PyTorch (test/fixtures/corpus: torchvision resnet18 and Debian's 0.14 resnet34).
    assert.deepEqual([c.totals.macs.a, c.totals.macs.b, c.totals.macs.delta], [1_814_073_344, 3_663_761_408, 1_849_688_064]);
    assert.equal(c.totals.macs.relative?.toFixed(1), '102.0');
    // ResNet-34 has 3, 4, 6, 3 basic blocks where ResNet-18 has 2, 2, 2, 2: 8 more blocks, all added.
    assert.deepEqual(c.blocks.filter((x) => x.status === 'added').map((x) => x.name), ['res2c', 'res3c', 'res3d', 'res4c', 'res4d', 'res4e', 'res4f', 'res5c']);
    assert.equal(c.blocks.filter((x) => x.status === 'removed').length, 0);
    assert.equal(c.layers.filter((l) => l.status === 'removed').length, 0);
    assert.equal(c.layers.filter((l) => l.status === 'added').length, b.layers.length - a.layers.length);
  });

  it('VGG16 at 224 and 112: every shape after the input differs, the parameters of convolutions do not', async () => {
    const a = await analyzeModel(zooModel('vgg16'), { backend: 'cpu' });
    const b = await analyzeModel(zooModel('vgg16', [112, 112, 3]), { backend: 'cpu' });
    const c = compareReports(a, b);
    const conv = c.layers.find((l) => l.name === 'block1_conv1')!;
    assert.deepEqual([conv.status, conv.shapeA, conv.shapeB, conv.shapeChanged, conv.params.delta], ['changed', '(None, 224, 224, 64)', '(None, 112, 112, 64)', true, 0]);
    // fc1 reads the flattened 7×7×512 (224) or 3×3×512 (112) map: 4,096·512·(49 − 9) fewer weights.
    assert.equal(c.layers.find((l) => l.name === 'fc1')!.params.delta, -4096 * 512 * 40);
    assert.equal(c.layers.every((l) => l.status !== 'same' || !l.shapeChanged), true);
  });

  it('a delta from zero is "new", not a division by zero', () => {
    assert.deepEqual(delta(0, 5), { a: 0, b: 5, delta: 5, relative: null });
    assert.deepEqual(delta(0, 0), { a: 0, b: 0, delta: 0, relative: 0 });
    assert.equal(delta(200, 210).relative, 5);
  });
});

describe('thresholds', () => {
  it('parses params>+5%,macs>+10% and absolute limits', () => {
    assert.deepEqual(
      parseThresholds('params>+5%, macs>+10%,peak>1000').map((t) => [t.metric, t.limit, t.percent]),
      [['params', 5, true], ['macs', 10, true], ['peak', 1000, false]],
    );
    assert.throws(() => parseThresholds('flops<5%'), /"flops<5%" is not a threshold/);
  });

  it('a 10 % growth breaks +5 % and not +10 %', () => {
    const c = { totals: { params: delta(100, 110), trainableParams: delta(0, 0), macs: delta(100, 110), activationBytes: delta(1, 1), peakActivationBytes: delta(1, 1) } } as Parameters<typeof violations>[0];
    assert.deepEqual(violations(c, parseThresholds('params>+5%,macs>+10%')).map((v) => v.threshold.text), ['params>+5%']);
  });
});

describe('cnn-inspect diff', () => {
  it('prints the totals of two zoo models and passes a threshold they meet', async () => {
    const { code, out, err } = await run(['diff', 'resnet50', 'resnet101', '--fail-on', 'params>+100%']);
    assert.equal(err, '');
    assert.equal(code, 0);
    assert.match(out, /^A: resnet50 \(None, 224, 224, 3\)\nB: resnet101 \(None, 224, 224, 3\)/);
    // torchvision: resnet50 25,557,032, resnet101 44,549,160 parameters.
    assert.match(out, /Trainable parameters\s+25,557,032\s+44,549,160\s+\+18,992,128\s+\+74\.3 %/);
  });

  it('exits 1 and names the threshold a model breaks; 2 for a bad threshold', async () => {
    const over = await run(['diff', 'resnet18', 'resnet34', '--fail-on', 'macs>+10%']);
    assert.equal(over.code, 1);
    assert.match(over.err, /over the threshold: macs>\+10%: macs changed by \+102\.0 %/);
    const bad = await run(['diff', 'resnet18', 'resnet34', '--fail-on', 'speed>1']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--fail-on: "speed>1" is not a threshold/);
    assert.equal((await run(['diff', 'resnet18'])).code, 2);
  });

  it('the same Keras file at git HEAD and edited in the working tree, as Markdown for a pull request', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'cnn-diff-repo-'));
    const source = readFileSync(resolve(__dirname, '../../fixtures/models/keras_mnist_convnet.py'), 'utf8');
    writeFileSync(join(repo, 'net.py'), source);
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    git('add', 'net.py');
    git('commit', '-qm', 'mnist');
    writeFileSync(join(repo, 'net.py'), source.replace('num_classes = 10', 'num_classes = 20'));
    const { code, out, err } = await run(['diff', 'HEAD:net.py', 'net.py', '--format', 'markdown', '--fail-on', 'params>+5%'], repo);
    assert.equal(code, 1, err);
    // keras.io's summary: 34,826 parameters; Dense(20) on 1,600 features adds 16,010 more (1,600·10 + 10).
    assert.match(out, /\| Parameters \| 34,826 \| 50,836 \| \+16,010 \| \+46\.0 % \|/);
    assert.match(out, /\| dense \| changed \| Dense \| \(None, 10\) → \(None, 20\) \| \+16,010 \| \+16,000 \|/);
    // MACs of a Dense layer: in·out, so 1,600·(20 − 10) = 16,000 more.
    assert.match(out, /\*\*Over the threshold:\*\* params>\+5%/);
  });

  it('a side with unknowns: its figures and the changes from them read unknown, never 0, and the exit is 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnn-diff-unknown-'));
    const head = 'import keras\nfrom keras import layers\n';
    const tail = 'x = layers.GlobalAveragePooling2D()(x)\nmodel = keras.Model(inputs, layers.Dense(10)(x))\n';
    writeFileSync(join(dir, 'a.py'), `${head}inputs = keras.Input((32, 32, 3))\nx = layers.Conv2D(8, 3)(inputs)\n${tail}`);
    writeFileSync(join(dir, 'b.py'), `${head}import mystery\ninputs = keras.Input((32, 32, 3))\nx = mystery.Block(8)(layers.Conv2D(8, 3)(inputs))\n${tail}`);
    const { code, out, err } = await run(['diff', 'a.py', 'b.py', '--fail-on', 'params>+5%'], dir);
    assert.equal(code, 1);
    // A: Conv2D(8, 3) on 3 channels 224 + Dense(10) on 8 features 90 (Keras count_params()); B's Dense is unknown.
    assert.match(out, /Parameters\s+314\s+unknown\s+unknown\s+unknown/);
    assert.match(out, /B \(model\) is incomplete/);
    assert.match(err, /params>\+5%: params is unknown in B, so the threshold cannot be checked/);
    // A layer of B whose shape is unknown: its memory is not in B's sums, so they are unknown; its params are known.
    const lenet = await analyzeModel(zooModel('lenet5'), { backend: 'cpu' });
    const shapeless = { ...lenet, complete: false, layers: lenet.layers.map((l, i) => (i === 1 ? { ...l, outputShape: null } : l)) };
    const c = compareReports(lenet, shapeless);
    assert.deepEqual([c.totals.params.delta, c.totals.activationBytes.b, c.totals.activationBytes.delta, c.totals.peakActivationBytes.b], [0, null, null, null]);
    // Incomplete only in its trainable split: the memory figures stay.
    const split = compareReports(lenet, { ...lenet, complete: false, totals: { ...lenet.totals, trainableUnknown: { message: 'm', source: { file: 'f', line: 1, column: 1 } } } });
    assert.deepEqual([split.totals.trainableParams.b, split.totals.activationBytes.delta], [null, 0]);
  });
});
