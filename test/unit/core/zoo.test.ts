/**
 * The zoo against published numbers. Each figure cites where it comes from; none is computed here.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeModel, buildLayersModel } from '../../../extension/core/analyze';
import { zooModel } from '../../../extension/core/zoo/index';
import { INPUT, SpecBuilder } from '../../../extension/core/spec';
import { toMarkdown, toTable } from '../../../extension/core/report/table';

interface Published {
  model: string;
  /** Trainable parameters. */
  params: number;
  /** Where the number is published. */
  source: string;
  nonTrainable?: number;
  macs?: number;
  macsSource?: string;
}

const PUBLISHED: readonly Published[] = [
  // LeCun et al. 1998 as taught (e.g. d2l.ai §7.6): C1 156 + C3 2,416 + 48,120 + 10,164 + 850.
  { model: 'lenet5', params: 61_706, source: 'the classic LeNet-5 count (Keras summary of the seed\'s LeNet-5)', macs: 416_520, macsSource: 'the seed: 117,600 + 240,000 + 48,000 + 10,080 + 840' },
  { model: 'alexnet', params: 62_378_344, source: 'Krizhevsky et al. 2012, single-tower AlexNet as commonly counted (the seed)' },
  { model: 'vgg16', params: 138_357_544, source: 'Keras applications VGG16 (keras.io/api/applications: 138.4M); torchvision vgg16 num_params 138,357,544', macs: 15_470_264_320, macsSource: 'torchvision vgg16 model card: 15.47 GFLOPS (MACs); exact count the seed' },
  // torchvision model cards (pytorch.org/vision/stable/models): num_params and GFLOPS (which are MACs).
  // Non-trainable: BatchNorm moving mean and variance as Keras applications' summary() reports them
  // (ResNet50 53,120; ResNet101 105,344; ResNet152 151,424).
  { model: 'resnet18', params: 11_689_512, source: 'torchvision resnet18 num_params', nonTrainable: 9_600, macs: 1_814_073_344, macsSource: 'torchvision resnet18: 1.81 GFLOPS' },
  { model: 'resnet34', params: 21_797_672, source: 'torchvision resnet34 num_params', nonTrainable: 17_024, macs: 3_663_761_408, macsSource: 'torchvision resnet34: 3.66 GFLOPS' },
  { model: 'resnet50', params: 25_557_032, source: 'torchvision resnet50 num_params', nonTrainable: 53_120, macs: 4_089_184_256, macsSource: 'torchvision resnet50: 4.09 GFLOPS' },
  { model: 'resnet101', params: 44_549_160, source: 'torchvision resnet101 num_params', nonTrainable: 105_344, macs: 7_801_405_440, macsSource: 'torchvision resnet101: 7.80 GFLOPS' },
  { model: 'resnet152', params: 60_192_808, source: 'torchvision resnet152 num_params', nonTrainable: 151_424, macs: 11_513_626_624, macsSource: 'torchvision resnet152: 11.51 GFLOPS' },
  // Szegedy et al. 2014 Table 1 with biases, without auxiliary classifiers; cross-checked by
  // scripts/reference/zoo_reference.py (PyTorch sum(p.numel())).
  // torchvision model cards (pytorch.org/vision/stable/models, num_params and GFLOPS, which are MACs); exact
  // MACs from FlopCounterMode in scripts/reference/zoo_reference.py. Non-trainable: batch norm's moving mean and
  // variance, 2 per channel, as Keras Applications count them (checked below where Keras has the same layers).
  { model: 'squeezenet1_1', params: 1_235_496, source: 'torchvision squeezenet1_1 num_params', macs: 349_151_936, macsSource: 'torchvision squeezenet1_1: 0.35 GFLOPS' },
  { model: 'mobilenet_v2', params: 3_504_872, source: 'torchvision mobilenet_v2 num_params', nonTrainable: 34_112, macs: 300_774_272, macsSource: 'torchvision mobilenet_v2: 0.30 GFLOPS' },
  { model: 'resnext50_32x4d', params: 25_028_904, source: 'torchvision resnext50_32x4d num_params', nonTrainable: 68_224, macs: 4_230_479_872, macsSource: 'torchvision resnext50_32x4d: 4.23 GFLOPS' },
  { model: 'densenet121', params: 7_978_856, source: 'torchvision densenet121 num_params', nonTrainable: 83_648, macs: 2_834_161_664, macsSource: 'torchvision densenet121: 2.83 GFLOPS' },
  // torchvision's card says 27,161,264 with the auxiliary classifier, which inference does not run: 3,326,696
  // of them (paramsWithAuxLogits in test/fixtures/reference/zoo.json).
  { model: 'inception_v3', params: 23_834_568, source: 'torchvision inception_v3 num_params 27,161,264 minus its AuxLogits', nonTrainable: 34_432, macs: 5_713_216_096, macsSource: 'torchvision inception_v3: 5.71 GFLOPS' },
  { model: 'efficientnet_b0', params: 5_288_548, source: 'torchvision efficientnet_b0 num_params', nonTrainable: 42_016, macs: 385_814_752, macsSource: 'torchvision efficientnet_b0: 0.39 GFLOPS' },
  { model: 'googlenet', params: 6_998_552, source: 'Szegedy et al. 2014 Table 1 (Caffe bvlc_googlenet without aux heads)', macs: 1_582_671_872, macsSource: 'Table 1 "ops" column sums to ~1.5G; exact count scripts/reference/zoo_reference.py' },
];

describe('zoo models match their published counts', () => {
  for (const p of PUBLISHED) {
    it(`${p.model}: ${p.params.toLocaleString('en-US')} trainable params (${p.source})`, async () => {
      const report = await analyzeModel(zooModel(p.model));
      assert.equal(report.totals.trainableParams, p.params);
      assert.equal(report.totals.nonTrainableParams, p.nonTrainable ?? 0);
      assert.equal(report.totals.params, p.params + (p.nonTrainable ?? 0));
      assert.deepEqual(report.issues, []);
      assert.equal(report.complete, true);
    });
    if (p.macs !== undefined) {
      it(`${p.model}: ${p.macs.toLocaleString('en-US')} MACs (${p.macsSource})`, async () => {
        const report = await analyzeModel(zooModel(p.model));
        assert.equal(report.totals.macs, p.macs);
        assert.equal(report.totals.flops, 2 * (p.macs ?? 0));
      });
    }
  }

  it('ResNet-50 in Keras\' convention: 25,636,712 in total minus 26,560 conv biases (keras.io applications)', async () => {
    // Keras applications ResNet50 reports 25,636,712 params with biased convolutions; ours are bias-free
    // (torchvision). The difference is exactly the biases of the 53 convolutions: their output channels.
    const report = await analyzeModel(zooModel('resnet50'));
    const convBiases = report.layers.filter((l) => l.type === 'Conv2D').reduce((a, l) => a + (l.outputShape?.[2] ?? 0), 0);
    assert.equal(convBiases, 26_560);
    assert.equal(report.totals.params + convBiases, 25_636_712);
  });

  it('GoogLeNet inception (3a) is 128,049,152 MACs at 224×224 (Szegedy et al. 2014, Table 1: 128M ops)', async () => {
    const report = await analyzeModel(zooModel('googlenet'));
    const block = report.blocks.find((b) => b.name === 'inception_3a');
    assert.equal(block?.macs, 128_049_152);
    assert.equal(block?.type, 'inception');
    assert.equal(report.blocks.filter((b) => b.type === 'inception').length, 9);
    assert.deepEqual(report.layers.find((l) => l.name === 'inception_3a/output')?.outputShape, [28, 28, 256]);
    assert.deepEqual(report.layers.find((l) => l.name === 'inception_5b/output')?.outputShape, [7, 7, 1024]);
  });

  it('the zoo builds as real tf.LayersModels whose countParams() is the published count', async () => {
    // LeNet-5: PyTorch 1.13 (test/fixtures/reference/zoo.json); GoogLeNet: Szegedy et al. 2014 Table 1 without
    // auxiliary heads (6,998,552); ResNet-18: torchvision's 11,689,512 plus batch norm's running mean and
    // variance (9,600), which Keras counts as non-trainable parameters.
    const published: Record<string, number> = { lenet5: 61_706, googlenet: 6_998_552, resnet18: 11_689_512 + 9_600 };
    for (const [name, params] of Object.entries(published)) {
      const model = await buildLayersModel(zooModel(name));
      const report = await analyzeModel(zooModel(name));
      assert.equal(model.countParams(), params, name);
      assert.equal(report.totals.params, params, name);
      assert.equal(model.layers.length - 1, report.layers.length, `${name}: one tfjs layer per spec layer plus the input`);
      model.dispose();
    }
  });
});

describe('the modern zoo builds as real tf.LayersModels', () => {
  it('countParams() of SqueezeNet 1.1, ResNeXt-50 32×4d (grouped convs) and EfficientNet-B0 (keepDims pooling) is the published count', async () => {
    // torchvision num_params, plus batch norm's moving mean and variance as Keras counts them (ResNeXt-50: 68,224,
    // EfficientNet-B0: 42,016, the latter as Keras Applications' EfficientNetB0 without its input Normalization).
    const published: Record<string, number> = {
      squeezenet1_1: 1_235_496,
      resnext50_32x4d: 25_028_904 + 68_224,
      efficientnet_b0: 5_288_548 + 42_016,
    };
    for (const [name, params] of Object.entries(published)) {
      const model = await buildLayersModel(zooModel(name));
      assert.equal(model.countParams(), params, name);
      model.dispose();
    }
  });
});

describe('the Keras view against Keras Applications built for real (scripts/reference/keras_applications_reference.py)', () => {
  const keras = JSON.parse(readFileSync(join(__dirname, '../../fixtures/reference/keras_applications.json'), 'utf8')) as {
    keras: string;
    models: Record<string, { trainableParams: number; nonTrainableParams: number; normalizationWeights: number }>;
  };
  it(`MobileNetV2 and DenseNet121 count exactly as Keras ${keras.keras}`, async () => {
    for (const name of ['mobilenet_v2', 'densenet121']) {
      const report = await analyzeModel(zooModel(name));
      const k = keras.models[name]!;
      assert.deepEqual([report.totals.trainableParams, report.totals.nonTrainableParams], [k.trainableParams, k.nonTrainableParams], name);
    }
  });
  it('EfficientNetB0: the same, plus the 7 weights of Keras\' input Normalization layer (mean, variance, count)', async () => {
    const report = await analyzeModel(zooModel('efficientnet_b0'));
    const k = keras.models.efficientnet_b0!;
    assert.equal(k.normalizationWeights, 7);
    assert.deepEqual([report.totals.trainableParams, report.totals.nonTrainableParams + k.normalizationWeights], [k.trainableParams, k.nonTrainableParams]);
  });
  it('InceptionV3: the same moving statistics; Keras\' batch norms have no scale (gamma), torchvision\'s do', async () => {
    const report = await analyzeModel(zooModel('inception_v3'));
    const k = keras.models.inception_v3!;
    const gammas = report.layers.filter((l) => l.type === 'BatchNormalization').reduce((a, l) => a + (l.outputShape?.[2] ?? 0), 0);
    assert.equal(report.totals.nonTrainableParams, k.nonTrainableParams);
    assert.equal(report.totals.trainableParams - gammas, k.trainableParams);
  });
});

describe('exact per-layer shapes', () => {
  it('LeNet-5: 28×28×6 → 14×14×6 → 10×10×16 → 5×5×16 → 120 → 84 → 10 (LeCun et al. 1998, Fig. 2)', async () => {
    const report = await analyzeModel(zooModel('lenet5'));
    assert.deepEqual(
      report.layers.map((l) => [l.name, l.outputShape]),
      [
        ['c1', [28, 28, 6]],
        ['s2', [14, 14, 6]],
        ['c3', [10, 10, 16]],
        ['s4', [5, 5, 16]],
        ['flatten', [400]],
        ['c5', [120]],
        ['f6', [84]],
        ['output', [10]],
      ],
    );
    assert.deepEqual(report.layers.map((l) => l.macs), [117_600, 0, 240_000, 0, 0, 48_000, 10_080, 840]);
  });

  it('AlexNet: 55×55×96 → 27 → 27×27×256 → 13 → 13×13×384 ×2 → 13×13×256 → 6×6×256 → 9216 → 4096 → 4096 → 1000', async () => {
    const report = await analyzeModel(zooModel('alexnet'));
    assert.deepEqual(
      report.layers.map((l) => [l.name, l.outputShape, l.params]),
      [
        ['conv1', [55, 55, 96], 34_944],
        ['pool1', [27, 27, 96], 0],
        ['conv2', [27, 27, 256], 614_656],
        ['pool2', [13, 13, 256], 0],
        ['conv3', [13, 13, 384], 885_120],
        ['conv4', [13, 13, 384], 1_327_488],
        ['conv5', [13, 13, 256], 884_992],
        ['pool5', [6, 6, 256], 0],
        ['flatten', [9216], 0],
        ['fc6', [4096], 37_752_832],
        ['drop6', [4096], 0],
        ['fc7', [4096], 16_781_312],
        ['drop7', [4096], 0],
        ['fc8', [1000], 4_097_000],
      ],
    );
  });

  it('VGG16: channels double as height and width halve (Simonyan & Zisserman 2014, Table 1 config D)', async () => {
    const report = await analyzeModel(zooModel('vgg16'));
    const pools = report.layers.filter((l) => l.type === 'MaxPooling2D').map((l) => l.outputShape);
    assert.deepEqual(pools, [
      [112, 112, 64],
      [56, 56, 128],
      [28, 28, 256],
      [14, 14, 512],
      [7, 7, 512],
    ]);
  });

  it('ResNet-50 stages end at 56×56×256, 28×28×512, 14×14×1024, 7×7×2048 (He et al. 2015, Table 1)', async () => {
    const report = await analyzeModel(zooModel('resnet50'));
    const ends = ['res2c_out', 'res3d_out', 'res4f_out', 'res5c_out'].map((n) => report.layers.find((l) => l.name === n)?.outputShape);
    assert.deepEqual(ends, [
      [56, 56, 256],
      [28, 28, 512],
      [14, 14, 1024],
      [7, 7, 2048],
    ]);
    assert.equal(report.blocks.filter((b) => b.type === 'bottleneck').length, 16);
  });

  it('Inception v3 grids: 35×35×288, 17×17×768, 8×8×2048 (Szegedy et al. 2016, Table 1)', async () => {
    const report = await analyzeModel(zooModel('inception_v3'));
    const out = (n: string) => report.layers.find((l) => l.name === n)?.outputShape;
    assert.deepEqual([out('maxpool2'), out('Mixed_5d.cat'), out('Mixed_6e.cat'), out('Mixed_7c.cat')], [
      [35, 35, 192],
      [35, 35, 288],
      [17, 17, 768],
      [8, 8, 2048],
    ]);
    assert.equal(report.blocks.filter((b) => b.type === 'inception').length, 11);
  });

  it('DenseNet-121 dense blocks end at 56×56×256, 28×28×512, 14×14×1024, 7×7×1024 (Huang et al. 2017, Table 1)', async () => {
    const report = await analyzeModel(zooModel('densenet121'));
    const ends = ['features.denseblock1.denselayer6.cat', 'features.denseblock2.denselayer12.cat', 'features.denseblock3.denselayer24.cat', 'features.denseblock4.denselayer16.cat'];
    assert.deepEqual(ends.map((n) => report.layers.find((l) => l.name === n)?.outputShape), [
      [56, 56, 256],
      [28, 28, 512],
      [14, 14, 1024],
      [7, 7, 1024],
    ]);
  });

  it('SqueezeNet 1.1 pools in ceil mode at any input: at 225×225 as torchvision (zoo.json maxPoolHeightsAt225)', async () => {
    // conv 3×3/2 on 225 → 112; MaxPool2d(3, 2, ceil_mode=True): ⌈(112 − 3)/2⌉ + 1 = 56 where a 'valid' pool gives 55.
    const reference = JSON.parse(readFileSync(join(__dirname, '../../fixtures/reference/zoo.json'), 'utf8'));
    const expected = reference.models.squeezenet1_1.maxPoolHeightsAt225 as number[];
    assert.deepEqual(expected, [56, 28, 14]);
    const report = await analyzeModel(zooModel('squeezenet1_1', [225, 225, 3]));
    assert.deepEqual(report.layers.filter((l) => l.type === 'MaxPooling2D').map((l) => l.outputShape?.[0]), expected);
  });

  it('input size is the user\'s choice: GoogLeNet at 299×299 and VGG16 at 112×112', async () => {
    const g = await analyzeModel(zooModel('googlenet', [299, 299, 3]));
    assert.deepEqual(g.layers.find((l) => l.name === 'inception_5b/output')?.outputShape, [10, 10, 1024]);
    assert.deepEqual(g.input, [null, 299, 299, 3]);
    const v = await analyzeModel(zooModel('vgg16', [112, 112, 3]));
    assert.deepEqual(v.layers.find((l) => l.name === 'flatten')?.outputShape, [3 * 3 * 512]);
    assert.equal(v.totals.trainableParams, 138_357_544 - 25088 * 4096 + 4608 * 4096);
  });
});

describe('receptive fields (Araujo et al. 2019, "Computing Receptive Fields of CNNs", Distill, Table 1)', () => {
  for (const [model, layer, rf, jump] of [
    ['alexnet', 'pool5', 195, 32],
    ['vgg16', 'block5_pool', 212, 32],
    ['lenet5', 'c3', 14, 2],
  ] as const) {
    it(`${model} ${layer}: receptive field ${rf}, effective stride ${jump}`, async () => {
      const report = await analyzeModel(zooModel(model));
      const l = report.layers.find((x) => x.name === layer);
      assert.equal(l?.receptiveField, rf);
      assert.equal(l?.jump, jump);
    });
  }
  it('a non-spatial output (after Flatten or global pooling) has no receptive field', async () => {
    const report = await analyzeModel(zooModel('resnet18'));
    assert.equal(report.layers.find((l) => l.name === 'avg_pool')?.receptiveField, null);
  });
});

describe('factorisation savings (Szegedy et al. 2016, "Rethinking the Inception Architecture", §3.2)', () => {
  it('a 3×1 then a 1×3 with equal channels is 33% cheaper than the 3×3 (§3.2): 1.5× fewer MACs', async () => {
    const m = new SpecBuilder('asym', [17, 17, 64]);
    const a = m.add('Conv2D', 'a', { filters: 64, kernelSize: [3, 1], padding: 'same', useBias: false }, INPUT);
    const bn = m.add('BatchNormalization', 'bn', {}, a);
    m.add('Conv2D', 'b', { filters: 64, kernelSize: [1, 3], padding: 'same', useBias: false }, m.add('Activation', 'relu', { activation: 'relu' }, bn));
    const report = await analyzeModel(m.build());
    assert.deepEqual(report.factorisations, [
      { layer: 'b', first: 'a', block: null, kernel: [3, 3], naiveMacs: 17 * 17 * 64 * 9 * 64, actualMacs: 2 * 17 * 17 * 64 * 3 * 64, savings: 1.5 },
    ]);
  });

  it('Inception v3: 13 pairs of 1×7 and 7×1; with equal channels each saves n/2 = 3.5×', async () => {
    const report = await analyzeModel(zooModel('inception_v3'));
    const factorisations = report.factorisations ?? [];
    assert.equal(factorisations.length, 13);
    assert.ok(factorisations.every((f) => f.kernel[0] === 7 && f.kernel[1] === 7));
    // Mixed_6b.branch7x7: 1×7 128→128 then 7×1 128→192 at 17×17, against a 7×7 128→192.
    const first = factorisations[0]!;
    assert.deepEqual([first.first, first.layer], ['Mixed_6b.branch7x7_2.conv', 'Mixed_6b.branch7x7_3.conv']);
    assert.equal(first.naiveMacs, 17 * 17 * 192 * 49 * 128);
    assert.equal(first.actualMacs, 17 * 17 * 128 * 7 * 128 + 17 * 17 * 192 * 7 * 128);
    // The 7×1 → 1×7 → 7×1 → 1×7 chain is two pairs, not three.
    assert.deepEqual(
      factorisations.filter((f) => f.block === 'Mixed_6b').map((f) => f.layer),
      ['Mixed_6b.branch7x7_3.conv', 'Mixed_6b.branch7x7dbl_3.conv', 'Mixed_6b.branch7x7dbl_5.conv'],
    );
    const equal = factorisations.find((f) => f.layer === 'Mixed_6b.branch7x7dbl_3.conv')!;
    assert.equal(equal.savings, 3.5);
    const t = report.factorisationTotals!;
    assert.equal(t.naiveMacs, factorisations.reduce((a, f) => a + f.naiveMacs, 0));
    assert.equal(report.blocks.reduce((a, b) => a + b.factorisationSavedMacs, 0), t.naiveMacs - t.actualMacs);
  });

  it('the table and Markdown reports close with the factorisation section', async () => {
    const report = await analyzeModel(zooModel('inception_v3'));
    const sentence = '1×n + n×1 factorisations save 3.99G MACs: 3.67× fewer than naive';
    const table = toTable(report);
    assert.match(table, /Mixed_6b\.branch7x7_2\.conv \+ Mixed_6b\.branch7x7_3\.conv\s+7×7\s+348,020,736\s+82,862,080\s+4\.20×/);
    assert.ok(table.trimEnd().endsWith(`${sentence}\n${'─'.repeat(table.split('\n')[1]!.length)}`), 'the section closes the table');
    const markdown = toMarkdown(report);
    const heading = markdown.indexOf('#### Factorised convolutions');
    assert.ok(heading >= 0 && heading < markdown.indexOf(`${sentence}.`));
    assert.equal(toTable(await analyzeModel(zooModel('resnet18'))).includes('factorisations'), false);
  });

  it('ResNeXt\'s 1×1 savings keep the 32 groups of the 3×3 in the naive count', async () => {
    const report = await analyzeModel(zooModel('resnext50_32x4d'));
    const s = report.oneByOne.find((x) => x.layer === 'res2b_branch2b')!;
    // 3×3, 32 groups, 128 channels at 56×56, applied to the 256 channels the 1×1 reduces from.
    assert.equal(s.naiveMacs, (56 * 56 * 128 * 9 * 256) / 32);
    assert.deepEqual(report.factorisations, []);
  });
});
