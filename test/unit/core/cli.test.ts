/** cnn-inspect through its I/O seam, plus one run of the real built binary. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../../extension/cli/main';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('cnn-inspect', () => {
  it('prints a summary table with thousands separators, totals and the 1×1 section', async () => {
    const { code, out, err } = await run('googlenet');
    assert.equal(code, 0);
    assert.equal(err, '');
    assert.match(out, /^Model: "googlenet"   input \(None, 224, 224, 3\)   backend: cpu/);
    assert.match(out, /inception_3a\/5x5 \(Conv2D\)\s+\(None, 28, 28, 32\)\s+12,832\s+10,035,200/);
    assert.match(out, /Total params: 6,998,552/);
    assert.match(out, /Total FLOPs: 3,165,343,744 \(3\.17G; 2 FLOPs per MAC\)/);
    assert.match(out, /inception_3a\/5x5\s+inception_3a\/5x5_reduce\s+120,422,400\s+12,443,648\s+9\.68×/);
  });

  it('writes the documented JSON schema', async () => {
    const { code, out } = await run('resnet50', '--format', 'json');
    assert.equal(code, 0);
    const json = JSON.parse(out);
    assert.deepEqual(Object.keys(json).sort(), ['backend', 'blocks', 'complete', 'flopsPerMac', 'framework', 'input', 'issues', 'layers', 'model', 'oneByOne', 'factorisations', 'schemaVersion', 'totals'].sort());
    assert.equal(json.model, 'resnet50');
    assert.equal(json.backend, 'cpu');
    assert.deepEqual(json.input, [null, 224, 224, 3]);
    assert.equal(json.flopsPerMac, 2);
    const conv1 = json.layers[0];
    for (const key of ['name', 'type', 'block', 'inputShapes', 'outputShape', 'params', 'trainableParams', 'macs', 'flops', 'activationBytes', 'receptiveField', 'jump', 'source']) {
      assert.ok(key in conv1, key);
    }
    assert.deepEqual(conv1.outputShape, [null, 112, 112, 64]);
    assert.deepEqual(conv1.inputShapes, [[null, 224, 224, 3]]);
    assert.equal(conv1.macs, 118_013_952);
    assert.equal(conv1.block, 'stem');
    assert.deepEqual(Object.keys(json.totals).sort(), ['activationBytes', 'flops', 'lowerBound', 'macs', 'nonTrainableParams', 'paramBytes', 'params', 'peakActivationBytes', 'trainableParams'].sort());
    assert.equal(json.totals.lowerBound, false);
    assert.equal(json.totals.trainableParams, 25_557_032);
    assert.ok(json.blocks.some((b: { name: string; type: string }) => b.name === 'res2a' && b.type === 'bottleneck'));
    // res2b_branch2b (3×3, 64→64 at 56×56) fed by the 1×1 res2b_branch2a (256→64), worked out by hand:
    // naive 56·56·64·3·3·256 = 462,422,016; actual 56·56·64·256 + 56·56·64·3·3·64 = 51,380,224 + 115,605,504.
    const res2b = json.oneByOne.find((s: { layer: string }) => s.layer === 'res2b_branch2b');
    assert.deepEqual([res2b.reducer, res2b.naiveMacs, res2b.actualMacs], ['res2b_branch2a', 462_422_016, 166_985_728]);
    assert.equal(res2b.savings.toFixed(4), '2.7692');
  });

  it('writes Markdown tables', async () => {
    const { code, out } = await run('lenet5', '--format', 'markdown');
    assert.equal(code, 0);
    assert.match(out, /\| c1 \(Conv2D\) \| \(None, 28, 28, 6\) \| 156 \| 117,600 \| 28\.2% \| 5 \|/);
  });

  it('--input changes the shapes; --flops-per-mac 1 reports FLOPs as MACs', async () => {
    const { out } = await run('googlenet', '--input', '299,299,3', '--format', 'json', '--flops-per-mac', '1');
    const json = JSON.parse(out);
    assert.deepEqual(json.input, [null, 299, 299, 3]);
    assert.equal(json.totals.flops, json.totals.macs);
  });

  it('--list names every model with its params', async () => {
    const { code, out } = await run('--list');
    assert.equal(code, 0);
    assert.match(out, /vgg16\s+VGG16\s+224×224×3\s+138,357,544\s+15\.47G/);
    assert.match(out, /inception_v3\s+Inception v3\s+299×299×3\s+23,869,000\s+5\.71G/);
    assert.equal(out.split('\n').length, 16);
  });

  for (const [args, code, pattern] of [
    [['vgg17'], 1, /^cnn-inspect: error: unknown model "vgg17"; choose one of: lenet5, alexnet, vgg16, resnet18/],
    [['vgg16', '--input', '224,abc,3'], 2, /^cnn-inspect: --input: "abc" is not a whole number: give H,W,C/],
    [['vgg16', '--input', '224,224'], 1, /^cnn-inspect: error: vgg16: the input must be H,W,C/],
    [['vgg16', '--format', 'xml'], 2, /--format must be one of table, json, markdown, got "xml"/],
    [['vgg16', '--frobnicate'], 2, /unknown option --frobnicate/],
    [[], 2, /name a model/],
    [['vgg16', '--input', '16,16,3'], 1, /^cnn-inspect: error: block5_pool \(MaxPooling2D\): a 2×2 window/],
  ] as const) {
    it(`cnn-inspect ${args.join(' ')} → exit ${code}, one clear line`, async () => {
      const result = await run(...args);
      assert.equal(result.code, code);
      assert.match(result.err, pattern);
      assert.doesNotMatch(result.err, /\n\s+at /, 'no stack trace');
    });
  }

  it('a collapsed model still prints the layers it could analyse', async () => {
    const { out } = await run('vgg16', '--input', '16,16,3', '--format', 'json');
    const json = JSON.parse(out);
    assert.equal(json.complete, false);
    assert.deepEqual(json.layers.find((l: { name: string }) => l.name === 'block4_pool').outputShape, [null, 1, 1, 512]);
    assert.equal(json.layers.find((l: { name: string }) => l.name === 'fc1').outputShape, null);
  });

  const fixture = (name: string): string => join(__dirname, '../../fixtures/models', name);

  it('reads a PyTorch file: NCHW shapes, constructor lines and params as PyTorch ran them (pytorch_lenet.expected.json)', async () => {
    const expected = JSON.parse(readFileSync(fixture('pytorch_lenet.expected.json'), 'utf8')).models[0];
    const { code, out, err } = await run(fixture('pytorch_lenet.py'), '--format', 'json');
    assert.equal(code, 0, err);
    const json = JSON.parse(out);
    assert.equal(json.framework, 'pytorch');
    assert.equal(json.totals.params, expected.total_params);
    assert.deepEqual(json.input, [null, 3, 32, 32]);
    const weighted = json.layers.filter((l: { type: string }) => ['Conv2D', 'Dense', 'MaxPooling2D'].includes(l.type));
    assert.deepEqual(
      weighted.map((l: { outputShape: number[]; source: { line: number } }) => [l.outputShape.slice(1), l.source.line]),
      expected.layers.map((l: { output: number[]; line: number }) => [l.output.slice(1), l.line]),
    );
  });

  it('a PyTorch in_features mismatch is a located error, the report still printed', async () => {
    const { code, out, err } = await run(fixture('pytorch_mnist_mismatch.py'));
    assert.equal(code, 1);
    assert.match(out, /Total params/);
    assert.match(err, /pytorch_mnist_mismatch\.py:16:\d+: error: fc1: in_features=4608 but 9216 features arrive.*mat1 and mat2 shapes cannot be multiplied \(1x9216 and 4608x128\)/);
  });

  it('a syntax error gives results for what parses and a located error', async () => {
    const { code, out, err } = await run(fixture('pytorch_syntax_error.py'));
    assert.equal(code, 1);
    assert.match(out, /Model: /);
    assert.match(err, /pytorch_syntax_error\.py:24:\d+: error: syntax error/);
  });

  it('an unsupported layer: shapes after it unknown, an incomplete report exits 1 naming the first unknown', async () => {
    const { code, out, err } = await run(fixture('keras_unsupported.py'), '--format', 'json');
    assert.equal(code, 1);
    // The Lambda's function calls tf.image.resize, which the reader does not translate: the Lambda says so.
    assert.match(err, /keras_unsupported\.py:14:\d+: error: model is incomplete: shapes are unknown from lambda \(line 14\) on: Lambda: the output shape of its call\(\) is unknown from resize \(tf\.image\.resize\(t, \(60, 60\)\), line 14\) on/);
    assert.match(err, /info: tensorflow\.image\.resize\(\) \(tf\.image\.resize\(t, \(60, 60\)\)\) is not translated/);
    assert.equal(JSON.parse(out).complete, false);
  });

  it('--input takes C,H,W for a PyTorch file; a missing file or model is one clear line', async () => {
    // LeNet's fc1 expects 16·5·5 features: at 64×64 it receives 16·13·13, as PyTorch itself would complain.
    const { code, out, err } = await run(fixture('pytorch_lenet.py'), '--input', '3,64,64', '--format', 'json');
    assert.equal(code, 1);
    assert.deepEqual(JSON.parse(out).input, [null, 3, 64, 64]);
    assert.match(err, /fc1: in_features=400 but 2704 features arrive/);
    const missing = await run('no/such/model.py');
    assert.equal(missing.code, 1);
    assert.match(missing.err, /^no\/such\/model\.py:1:1: error: cannot read the file \(ENOENT\)$/);
    const wrong = await run(fixture('keras_mnist_convnet.py'), '--model', 'nope');
    assert.match(wrong.err, /no model named "nope"; the file defines/);
  });

  it('--input 784 and --input 1,28,28 read a Flatten-first PyTorch MLP as a vector and as a 1×28×28 image (pytorch_mlp_flatten_first.expected.json)', async () => {
    const expected = JSON.parse(readFileSync(fixture('pytorch_mlp_flatten_first.expected.json'), 'utf8')).models[0];
    const vector = await run(fixture('pytorch_mlp_flatten_first.py'), '--input', '784', '--format', 'json');
    assert.equal(vector.code, 0, vector.err);
    const json = JSON.parse(vector.out);
    assert.deepEqual(json.input, [null, 784]);
    assert.equal(json.totals.params, expected.total_params);
    // FlopCounterMode on DigitMLP: get_total_flops() // 2 = 217,728 for one sample (nonImageInputs.test.ts).
    assert.equal(json.totals.macs, 217_728);
    assert.ok(json.layers.every((l: { receptiveField: unknown }) => l.receptiveField === null));
    const image = await run(fixture('pytorch_mlp_flatten_first.py'), '--input', '1,28,28');
    assert.equal(image.code, 0, image.err);
    assert.match(image.out, /^Model: "DigitMLP"   input \(N, 1, 28, 28\)/);
    assert.match(image.out, /flatten \(Flatten\)\s+\(N, 784\)/);
    assert.match(image.out, /Total params: 218,058/);
    // The Markdown report prints sequence shapes as Keras does.
    const markdown = await run(fixture('keras_vectors_sequences.py'), '--model', 'signal', '--format', 'markdown');
    assert.equal(markdown.code, 0, markdown.err);
    assert.match(markdown.out, /\(None, 124, 16\)/);
    // An input of another rank than the code's says so, at the line that states the code's input.
    const rank = await run(fixture('keras_vectors_sequences.py'), '--model', 'mlp', '--input', '28,28,1');
    assert.notEqual(rank.code, 0);
    assert.match(rank.err, /mlp is not found when the file is read at 28×28×1: the given input \(28, 28, 1\) has 3 dimensions, this input 1: \(784\) \(line 6\)/);
    // TensorFlow.js code says the same, at the line of its tf.input.
    const tfjsRank = await run(fixture('tfjs_functional.ts'), '--input', '7');
    assert.notEqual(tfjsRank.code, 0);
    assert.match(tfjsRank.err, /buildModel is not found when the file is read at 7: the given input \[7\] has 1 dimensions, this input 3: \[64, 64, 3\] \(line 23\)/);
    // A vector is not an input of the built-in image models.
    const zoo = await run('vgg16', '--input', '784');
    assert.equal(zoo.code, 1);
    assert.match(zoo.err, /vgg16: the input must be H,W,C/);
  });

  const built = join(__dirname, '../../../dist/cli.js');
  it('the bundled binary runs and says which backend ran with --verbose', { skip: !existsSync(built) && 'run npm run build first' }, () => {
    const bin = join(__dirname, '../../../bin/cnn-inspect.js');
    const out = execFileSync(process.execPath, [bin, 'lenet5', '--format', 'json', '--verbose'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(JSON.parse(out).totals.params, 61_706);
    const failed = spawnSync(process.execPath, [bin, 'nope'], { encoding: 'utf8' });
    assert.equal(failed.status, 1);
    assert.equal(failed.stderr.trim().split('\n').length, 1);
    const verbose = spawnSync(process.execPath, [bin, 'lenet5', '--verbose'], { encoding: 'utf8' });
    assert.match(verbose.stderr, /on the TensorFlow\.js "cpu" backend/);
    // The bundle reads model files with the grammars copied beside it (dist/tree-sitter).
    const file = execFileSync(process.execPath, [bin, fixture('pytorch_lenet.py'), '--format', 'json'], { encoding: 'utf8' });
    assert.equal(JSON.parse(file).totals.params, 62_006);
  });
});
