/**
 * The layer types tfjs lacks (extension/core/tfjs/customLayers/) and the arguments it ignores, against the real
 * frameworks: test/fixtures/reference/layers.json was written by scripts/reference/layer_reference.py (Keras 3
 * count_params() and output shapes; PyTorch sum(p.numel()), output shapes, and MACs from
 * torch.utils.flop_counter.FlopCounterMode = FLOPs / 2 on a real forward pass).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeModel, buildLayersModel } from '../../../extension/core/analyze';
import { INPUT, SpecBuilder, type ModelSpec } from '../../../extension/core/spec';
import { loadTensorFlow } from '../../../extension/core/tfjs/loadTf';

interface Case {
  name: string;
  framework: 'keras' | 'pytorch';
  code: string;
  input: number[] | number[][];
  outputShape?: (number | null)[];
  outputShapes?: number[][];
  params: number;
  macs?: number;
}

const reference = JSON.parse(readFileSync(join(__dirname, '../../fixtures/reference/layers.json'), 'utf8')) as {
  keras: string;
  torch: string;
  cases: Case[];
};

type Build = (m: SpecBuilder) => string[];
const one =
  (type: string, args: Record<string, unknown>): Build =>
  (m) => [m.add(type, 'layer', args, INPUT)];
const seGate: Build = (m) => {
  const gate = m.add('GlobalAveragePooling2D', 'squeeze', { keepDims: true }, INPUT);
  return [m.add('Multiply', 'scale', {}, [INPUT, gate])];
};
const slices =
  (sizes: number[]): Build =>
  (m) => {
    let begin = 0;
    return sizes.map((size, i) => {
      const name = m.add('ChannelSlice', `piece${i}`, { axis: -1, begin, size }, INPUT);
      begin += size;
      return name;
    });
  };

/** How each reference case is written for the engine (the readers translate code to these). */
const OURS: Record<string, Build> = {
  'keras grouped conv': one('Conv2D', { filters: 8, kernelSize: 3, groups: 2 }),
  'keras grouped conv, 1x1': one('Conv2D', { filters: 8, kernelSize: 1, groups: 4, useBias: false }),
  'keras dilated conv': one('Conv2D', { filters: 8, kernelSize: 3, dilationRate: 2 }),
  'keras dilated depthwise': one('DepthwiseConv2D', { kernelSize: 3, depthMultiplier: 2, dilationRate: 2 }),
  'keras dilated separable conv': one('SeparableConv2D', { filters: 8, kernelSize: 3, dilationRate: 2, padding: 'same' }),
  'keras transposed conv, same, output padding': one('Conv2DTranspose', { filters: 3, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 1 }),
  'keras transposed conv, valid, output padding': one('Conv2DTranspose', { filters: 3, kernelSize: 3, strides: 2, padding: 'valid', outputPadding: 1 }),
  'keras squeeze-and-excitation multiply': seGate,
  'keras global pooling keepdims': one('GlobalAveragePooling2D', { keepDims: true }),
  'keras hard_swish': one('Activation', { activation: 'hard_swish' }),
  'keras hard_sigmoid': one('Activation', { activation: 'hard_sigmoid' }),
  'torch grouped conv': one('Conv2D', { filters: 8, kernelSize: 3, groups: 2 }),
  'torch ResNeXt grouped conv': one('Conv2D', { filters: 128, kernelSize: 3, padding: 'same', groups: 32, useBias: false }),
  'torch dilated grouped conv': one('DepthwiseConv2D', { kernelSize: 3, depthMultiplier: 2, dilationRate: 2, padding: 'same' }),
  'torch dilated strided conv': one('Conv2D', { filters: 8, kernelSize: 3, strides: 2, dilationRate: 2 }),
  'torch transposed conv, output padding': one('Conv2DTranspose', { filters: 3, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 1 }),
  'torch transposed conv, no padding': one('Conv2DTranspose', { filters: 3, kernelSize: 3, strides: 2, padding: 'valid', outputPadding: 1 }),
  'torch LRN': one('LRN', { size: 5, alpha: 1e-4, beta: 0.75, k: 2 }),
  'torch channel shuffle': one('ChannelShuffle', { groups: 2 }),
  'torch chunk': slices([4, 4, 4]),
  'torch split': slices([2, 6, 4]),
  'torch interpolate scale': one('Resize', { scale: [1.5, 1.5], interpolation: 'bilinear' }),
  'torch interpolate size': one('Resize', { size: [5, 7] }),
  'torch upsample': one('Resize', { scale: [2, 2], interpolation: 'nearest' }),
  'torch hardswish': one('Activation', { activation: 'hard_swish' }),
  'torch squeeze-and-excitation scale': seGate,
  'torch adaptive avg pool up': one('AdaptivePooling2D', { size: [7, 7], mode: 'avg' }),
  'torch adaptive max pool up, uneven': one('AdaptivePooling2D', { size: [5, 2], mode: 'max' }),
};

/** NCHW → HWC; Keras (None, H, W, C) → HWC. */
const hwc = (c: Case, shape: readonly (number | null)[]): (number | null)[] =>
  c.framework === 'pytorch' ? [shape[2]!, shape[3]!, shape[1]!] : shape.slice(1);
const inputOf = (c: Case): number[] => {
  const first = (Array.isArray(c.input[0]) ? c.input[0] : c.input) as (number | null)[];
  return hwc(c, first) as number[];
};

function specFor(c: Case): { spec: ModelSpec; outputs: string[] } {
  const build = OURS[c.name];
  assert.ok(build, `no engine spec written for reference case "${c.name}"`);
  const m = new SpecBuilder(c.name, inputOf(c));
  const outputs = build(m);
  return { spec: m.build(), outputs };
}

describe(`layer types against Keras ${reference.keras} and PyTorch ${reference.torch}`, () => {
  for (const c of reference.cases) {
    it(`${c.code}: ${c.params} params${c.macs ? `, ${c.macs} MACs` : ''}`, async () => {
      const { spec, outputs } = specFor(c);
      const report = await analyzeModel(spec);
      assert.deepEqual(report.issues, []);
      const expected = c.framework === 'pytorch' ? c.outputShapes!.map((s) => hwc(c, s)) : [hwc(c, c.outputShape!)];
      assert.deepEqual(outputs.map((n) => report.layers.find((l) => l.name === n)?.outputShape), expected);
      assert.equal(report.totals.trainableParams, c.params);
      if (c.macs !== undefined) assert.equal(report.totals.macs, c.macs);
    });
  }
  it('every engine spec above has a reference case', () => {
    assert.deepEqual(Object.keys(OURS).sort(), reference.cases.map((c) => c.name).sort());
  });
});

describe('the custom layers are real tfjs layers', () => {
  it('a model of them runs a forward pass whose output shapes are the ones analysed', async () => {
    const m = new SpecBuilder('all', [8, 8, 4]);
    const g = m.add('Conv2D', 'grouped', { filters: 8, kernelSize: 3, groups: 2, activation: 'hard_swish' }, INPUT);
    const t = m.add('Conv2DTranspose', 'up', { filters: 3, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 1 }, g);
    const l = m.add('LRN', 'lrn', { size: 5, alpha: 1e-4, beta: 0.75, k: 2 }, g);
    const s = m.add('ChannelShuffle', 'shuffle', { groups: 4 }, l);
    const p = m.add('ChannelSlice', 'half', { axis: -1, begin: 4, size: 4 }, s);
    const gate = m.add('Activation', 'gate', { activation: 'hard_sigmoid' }, m.add('GlobalMaxPooling2D', 'squeeze', { keepDims: true }, p));
    const r = m.add('Resize', 'resize', { scale: [1.5, 1.5], interpolation: 'bilinear' }, m.add('Multiply', 'excite', {}, [p, gate]));
    const spec = m.build();
    const report = await analyzeModel(spec);
    const model = await buildLayersModel(spec, { weights: 'initialized' });
    const tf = await loadTensorFlow();
    const outputs = model.predict(tf.core.ones([1, 8, 8, 4])) as unknown as { shape: number[] }[];
    const shapeOf = (name: string) => report.layers.find((x) => x.name === name)?.outputShape;
    assert.deepEqual(outputs.map((o) => o.shape.slice(1)), [shapeOf(t), shapeOf(r)]);
    assert.deepEqual(shapeOf(r), [9, 9, 4]);
    assert.equal(model.countParams(), report.totals.params);
    model.dispose();
  });
});

describe('arguments the frameworks reject are reported at the layer', () => {
  for (const [what, type, args, input, message] of [
    ['channels not divisible by groups (Keras\' wording)', 'Conv2D', { filters: 8, kernelSize: 3, groups: 2 }, [8, 8, 5], /evenly divisible by the number of groups\. Received groups=2, but the input has 5 channels/],
    ['filters not divisible by groups', 'Conv2D', { filters: 6, kernelSize: 3, groups: 4 }, [8, 8, 8], /filters must be evenly divisible/],
    ['output padding not smaller than the stride', 'Conv2DTranspose', { filters: 3, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 2 }, [6, 6, 8], /outputPadding must be smaller/],
    ['a slice past the end', 'ChannelSlice', { axis: -1, begin: 6, size: 4 }, [4, 4, 8], /does not fit in a length of 8/],
    ['a resize with both size and scale', 'Resize', { size: [4, 4], scale: [2, 2] }, [4, 4, 8], /exactly one of size, scale and like/],
    ['a shuffle whose groups do not divide the channels', 'ChannelShuffle', { groups: 3 }, [4, 4, 8], /divisible by groups/],
  ] as const) {
    it(what, async () => {
      const m = new SpecBuilder('bad', [...input]);
      m.add(type, 'bad', { ...args }, INPUT);
      const report = await analyzeModel(m.build());
      assert.equal(report.complete, false);
      assert.equal(report.issues[0]?.kind, 'invalid');
      assert.match(report.issues[0]?.message ?? '', message);
      assert.equal(report.layers[0]?.outputShape, null);
    });
  }
});

interface NumericCase {
  name: string;
  code: string;
  input: number[];
  x: number[];
  weights: number[][];
  y: number[];
  yShape: number[];
}

/** How each value-by-value case is written for the engine; its single layer is named "layer". */
const NUMERIC: Record<string, Record<string, unknown> & { type: string }> = {
  'grouped conv': { type: 'Conv2D', filters: 6, kernelSize: 3, groups: 2 },
  'channel shuffle': { type: 'ChannelShuffle', groups: 2 },
  LRN: { type: 'LRN', size: 5, alpha: 0.5, beta: 0.75, k: 2 },
  'bilinear resize': { type: 'Resize', scale: [2, 2], interpolation: 'bilinear' },
  'nearest resize': { type: 'Resize', size: [5, 4], interpolation: 'nearest' },
  'adaptive avg pool': { type: 'AdaptivePooling2D', size: [7, 3], mode: 'avg' },
  'adaptive max pool': { type: 'AdaptivePooling2D', size: [4, 7], mode: 'max' },
};

describe(`custom layers compute what PyTorch ${reference.torch} computes (fixed inputs and weights)`, () => {
  const numeric = (reference as unknown as { numeric: NumericCase[] }).numeric;
  for (const c of numeric) {
    it(`${c.code}: ${c.y.length} values`, async () => {
      const { type, ...args } = NUMERIC[c.name]!;
      const [, ch, h, w] = c.input;
      const m = new SpecBuilder(c.name, [h!, w!, ch!]);
      m.add(type, 'layer', args, INPUT);
      const model = await buildLayersModel(m.build(), { weights: 'initialized' });
      const tf = await loadTensorFlow();
      const layer = model.getLayer('layer');
      if (c.weights.length > 0) {
        layer.setWeights(c.weights.map((values, i) => tf.core.tensor(values, layer.getWeights()[i]!.shape)));
      }
      const y = model.predict(tf.core.tensor(c.x, [1, h!, w!, ch!])) as unknown as { shape: number[]; dataSync(): Float32Array };
      assert.deepEqual(y.shape, c.yShape);
      const got = Array.from(y.dataSync());
      const worst = Math.max(...got.map((v, i) => Math.abs(v - c.y[i]!)));
      assert.ok(worst < 1e-4, `largest difference ${worst}`);
      model.dispose();
    });
  }
});
