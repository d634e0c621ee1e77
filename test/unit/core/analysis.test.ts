/** Engine behaviour: 1×1 savings, streaming, cancellation, peak memory and every error path. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, analyzeModel } from '../../../extension/core/analyze';
import { zooModel } from '../../../extension/core/zoo/index';
import { INPUT, SpecBuilder, type ModelSpec } from '../../../extension/core/spec';
import { CancelledError, InputShapeError, InvalidModelError } from '../../../extension/core/errors';
import type { AnalysisEvent } from '../../../extension/core/result';

/** The seed's example: a 5×5 'same' conv with 32 filters on 28×28×192, with and without a 1×1 to 16. */
function fiveByFive(reduce: boolean): ModelSpec {
  const m = new SpecBuilder('five', [28, 28, 192]);
  const from = reduce ? m.add('Conv2D', 'reduce', { filters: 16, kernelSize: 1 }, INPUT) : INPUT;
  m.add('Conv2D', 'conv5x5', { filters: 32, kernelSize: 5, padding: 'same' }, from);
  return m.build();
}

describe('1×1 savings', () => {
  it('the seed\'s example: 120,422,400 MACs naively, 12,443,648 with a 1×1 reduction to 16 (≈9.7× fewer)', async () => {
    const naive = await analyzeModel(fiveByFive(false));
    assert.equal(naive.totals.macs, 120_422_400);
    assert.deepEqual(naive.oneByOne, []);
    const reduced = await analyzeModel(fiveByFive(true));
    assert.equal(reduced.totals.macs, 12_443_648);
    assert.equal(reduced.oneByOne.length, 1);
    const s = reduced.oneByOne[0]!;
    assert.equal(s.layer, 'conv5x5');
    assert.equal(s.reducer, 'reduce');
    assert.equal(s.naiveMacs, 120_422_400);
    assert.equal(s.actualMacs, 12_443_648);
    assert.equal(s.savings.toFixed(2), '9.68');
  });

  it('looks through batch norm and activations between the 1×1 and the k×k, but not through a pool', async () => {
    const m = new SpecBuilder('bn', [14, 14, 64]);
    let x = m.add('Conv2D', 'r', { filters: 16, kernelSize: 1, useBias: false }, INPUT);
    x = m.add('BatchNormalization', 'bn', {}, x);
    x = m.add('ReLU', 'relu', {}, x);
    m.add('Conv2D', 'k', { filters: 16, kernelSize: 3, padding: 'same' }, x);
    const p = m.add('MaxPooling2D', 'pool', { poolSize: 3, strides: 1, padding: 'same' }, 'r');
    m.add('Conv2D', 'k2', { filters: 16, kernelSize: 3, padding: 'same' }, p);
    const report = await analyzeModel(m.build());
    assert.deepEqual(report.oneByOne.map((s) => [s.layer, s.reducer]), [['k', 'r']]);
  });

  it('a 1×1 that keeps or widens channels is not a reduction (ResNet\'s first 64→64 bottleneck)', async () => {
    const report = await analyzeModel(zooModel('resnet50'));
    assert.equal(report.oneByOne.some((s) => s.layer === 'res2a_branch2b'), false);
    assert.equal(report.oneByOne.some((s) => s.layer === 'res2b_branch2b'), true);
  });

  it('GoogLeNet: every 3×3 and 5×5 branch is reduced (18 pairs), per-block savings add up to the total', async () => {
    const report = await analyzeModel(zooModel('googlenet'));
    assert.equal(report.oneByOne.length, 18);
    const saved = report.blocks.reduce((a, b) => a + b.savedMacs, 0);
    const totals = report.oneByOneTotals!;
    assert.equal(saved, totals.naiveMacs - totals.actualMacs);
    assert.equal(report.oneByOne.find((s) => s.layer === 'inception_3a/5x5')?.naiveMacs, 120_422_400);
  });
});

describe('streaming', () => {
  it('emits start, one event per layer in order, then the report', async () => {
    const events: AnalysisEvent[] = [];
    for await (const e of analyze(zooModel('lenet5'))) events.push(e);
    assert.equal(events[0]?.kind, 'start');
    assert.equal(events.at(-1)?.kind, 'done');
    const layers = events.filter((e) => e.kind === 'layer').map((e) => (e.kind === 'layer' ? e.layer.name : ''));
    assert.deepEqual(layers, ['c1', 's2', 'c3', 's4', 'flatten', 'c5', 'f6', 'output']);
    const start = events[0];
    assert.ok(start?.kind === 'start' && start.layerCount === 8 && start.backend === 'cpu');
  });

  it('the first layer arrives before later layers are built (a UI can show rows early)', async () => {
    const stream = analyze(zooModel('resnet152'));
    await stream.next();
    const first = await stream.next();
    assert.equal(first.value?.kind === 'layer' && first.value.layer.name, 'conv1');
    await stream.return(undefined);
  });

  it('stops with CancelledError when its signal is aborted mid-stream', async () => {
    const controller = new AbortController();
    let seen = 0;
    await assert.rejects(async () => {
      for await (const e of analyze(zooModel('resnet50'), { signal: controller.signal })) {
        if (e.kind === 'layer' && ++seen === 10) controller.abort();
      }
    }, CancelledError);
    assert.equal(seen, 10);
  });

  it('FLOPs follow the FLOPs-per-MAC setting', async () => {
    const report = await analyzeModel(zooModel('lenet5'), { flopsPerMac: 1 });
    assert.equal(report.totals.flops, report.totals.macs);
    assert.equal(report.flopsPerMac, 1);
  });
});

describe('peak activation memory', () => {
  it('a chain keeps only a layer\'s input and output alive', async () => {
    // 8×8×1 input (256 B) → conv 8×8×4 (1,024 B) → conv 8×8×2 (512 B): peak is 256 + 1,024 while conv a runs.
    const m = new SpecBuilder('chain', [8, 8, 1]);
    const a = m.add('Conv2D', 'a', { filters: 4, kernelSize: 3, padding: 'same' }, INPUT);
    m.add('Conv2D', 'b', { filters: 2, kernelSize: 3, padding: 'same' }, a);
    const report = await analyzeModel(m.build());
    assert.equal(report.totals.activationBytes, 1024 + 512);
    assert.equal(report.totals.peakActivationBytes, 1024 + 512);
  });

  it('a shortcut keeps the block input alive until the add', async () => {
    // input 256 B; a = 256 B; b = 256 B (input, a still... ) ; add reads input and b.
    const m = new SpecBuilder('skip', [8, 8, 1]);
    const a = m.add('Conv2D', 'a', { filters: 1, kernelSize: 3, padding: 'same' }, INPUT);
    const b = m.add('Conv2D', 'b', { filters: 1, kernelSize: 3, padding: 'same' }, a);
    m.add('Add', 'sum', {}, [b, INPUT]);
    const report = await analyzeModel(m.build());
    // While b runs: input (kept for the add) + a + b = 768 B; a chain without the skip would peak at 512 B.
    assert.equal(report.totals.peakActivationBytes, 768);
    assert.ok(report.totals.peakActivationBytes < report.totals.activationBytes + 256);
  });

  it('is below the sum of all outputs for the zoo (torchinfo\'s figure overstates it)', async () => {
    const report = await analyzeModel(zooModel('googlenet'));
    assert.ok(report.totals.peakActivationBytes < report.totals.activationBytes);
    assert.ok(report.totals.peakActivationBytes >= 112 * 112 * 64 * 4);
  });
});

describe('bad models give located errors, partial results and unknown shapes', () => {
  it('VGG16 at 16×16 collapses at block5_pool: named, earlier layers kept, later ones unknown', async () => {
    const report = await analyzeModel(zooModel('vgg16', [16, 16, 3]));
    assert.equal(report.complete, false);
    assert.equal(report.issues.length, 1);
    const issue = report.issues[0]!;
    assert.equal(issue.layer, 'block5_pool');
    assert.equal(issue.kind, 'collapse');
    assert.match(issue.message, /block5_pool \(MaxPooling2D\): a 2×2 window .* on a 1×1×512 input gives 0×0×512/);
    assert.deepEqual(report.layers.find((l) => l.name === 'block5_conv3')?.outputShape, [1, 1, 512]);
    for (const name of ['block5_pool', 'flatten', 'fc1', 'predictions']) {
      const layer = report.layers.find((l) => l.name === name);
      assert.equal(layer?.outputShape, null, name);
      assert.equal(layer?.macs, 0, name);
    }
    assert.ok(report.layers.every((l) => (l.outputShape ?? []).every((d) => d === null || d > 0)));
  });

  it('a 5×5 valid kernel on a 3×3 input is a collapse at that layer', async () => {
    const m = new SpecBuilder('tiny', [3, 3, 1]);
    m.add('Conv2D', 'big', { filters: 1, kernelSize: 5 }, INPUT);
    const report = await analyzeModel(m.build());
    assert.match(report.issues[0]?.message ?? '', /big \(Conv2D\): a 5×5 kernel .* on a 3×3×1 input/);
  });

  it('an unsupported layer is reported and everything after it is unknown, never guessed', async () => {
    const m = new SpecBuilder('odd', [32, 32, 3]);
    const a = m.add('Conv2D', 'a', { filters: 8, kernelSize: 3 }, INPUT);
    const b = m.add('LocalResponseNormalization', 'lrn', {}, a);
    m.add('Conv2D', 'c', { filters: 8, kernelSize: 3 }, b);
    const report = await analyzeModel(m.build());
    assert.deepEqual(report.issues.map((i) => [i.layer, i.kind]), [['lrn', 'unsupported']]);
    assert.deepEqual(report.layers.map((l) => l.outputShape), [[30, 30, 8], null, null]);
    assert.equal(report.layers[2]?.params, 0);
  });

  it('a concatenation of mismatched spatial sizes names the layer and both shapes', async () => {
    const m = new SpecBuilder('cat', [28, 28, 16]);
    const a = m.add('Conv2D', 'a', { filters: 8, kernelSize: 3 }, INPUT);
    m.add('Concatenate', 'merge', { axis: -1 }, [a, INPUT]);
    const report = await analyzeModel(m.build());
    assert.equal(report.issues[0]?.kind, 'mismatch');
    assert.match(report.issues[0]?.message ?? '', /merge \(Concatenate\):.*26×26×8 and 28×28×16/);
  });

  it('an add of different channel counts is a mismatch', async () => {
    const m = new SpecBuilder('add', [8, 8, 16]);
    const a = m.add('Conv2D', 'a', { filters: 8, kernelSize: 1 }, INPUT);
    m.add('Add', 'sum', {}, [a, INPUT]);
    const report = await analyzeModel(m.build());
    assert.equal(report.issues[0]?.layer, 'sum');
    assert.equal(report.issues[0]?.kind, 'mismatch');
  });

  it('invalid layer arguments are an "invalid" issue at that layer, not a crash', async () => {
    const m = new SpecBuilder('bad', [8, 8, 3]);
    m.add('Conv2D', 'a', { filters: 8, kernelSize: 3, padding: 'sideways' }, INPUT);
    const report = await analyzeModel(m.build());
    assert.equal(report.issues[0]?.kind, 'invalid');
    assert.match(report.issues[0]?.message ?? '', /^a \(Conv2D\): /);
  });

  it('malformed descriptions and inputs are typed errors', async () => {
    const dup: ModelSpec = {
      name: 'dup',
      input: [8, 8, 1],
      layers: [
        { name: 'x', type: 'Flatten', args: {}, inputs: [INPUT] },
        { name: 'x', type: 'Flatten', args: {}, inputs: [INPUT] },
      ],
    };
    await assert.rejects(analyzeModel(dup), (e: unknown) => e instanceof InvalidModelError && /two layers are named "x"/.test(e.message));
    const forward: ModelSpec = { name: 'fwd', input: [8, 8, 1], layers: [{ name: 'x', type: 'Flatten', args: {}, inputs: ['y'] }] };
    await assert.rejects(analyzeModel(forward), InvalidModelError);
    // The built-in image models refuse an input of another rank when they are built (a vector is a valid input elsewhere).
    assert.throws(() => zooModel('vgg16', [224, 224]), InputShapeError);
    await assert.rejects(analyzeModel({ name: 'rank5', input: [2, 2, 2, 2, 2], layers: [] }), InputShapeError);
    await assert.rejects(analyzeModel(zooModel('vgg16', [0, 224, 3])), InputShapeError);
  });
});
