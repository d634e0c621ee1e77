/**
 * ONNX files exported by torch.onnx.export (torch 2.13, the TorchScript exporter). Expectations from
 * scripts/files/make_fixtures.py: parameters from model.parameters() and buffers, MACs from torch's
 * FlopCounterMode (its FLOPs / 2), output shapes from forward hooks, and ResNet-50 from torchvision.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkStatedShapes, readModelFile, ModelFileError } from '../../../extension/core/files/index';
import { toFrameworkShape } from '../../../extension/core/report/shapes';
import { EXPECTED, fixture, reportOf } from './helpers';

describe('ONNX', () => {
  it('torchvision ResNet-50 exported with batch norm kept has the zoo\'s parameters and MACs', async () => {
    const { report } = await reportOf('resnet50_bn.onnx');
    const expected = EXPECTED.resnet50;
    assert.equal(report.framework, 'onnx');
    assert.deepEqual(toFrameworkShape('onnx', [224, 224, 3], 1), expected.input);
    // README: 25,557,032 trainable + 53,120 non-trainable (batch norm statistics), 4,089,184,256 MACs.
    assert.equal(report.totals.trainableParams, expected.params);
    assert.equal(report.totals.trainableParams, 25_557_032);
    assert.equal(report.totals.nonTrainableParams, expected.bnRunningStats);
    assert.equal(report.totals.macs, expected.macs);
    assert.equal(report.totals.macs, 4_089_184_256);
    assert.equal(report.complete, true);
  });

  it('a small CNN with batch norm kept: per-module output shapes (N, C, H, W) and MACs are torch\'s', async () => {
    const { report } = await reportOf('torch_small_bn.onnx');
    const expected = EXPECTED.torch_small;
    const byModule = (module: string) => report.layers.find((l) => l.name.split('/')[0] === module && !l.name.endsWith('/keepdims'))!;
    for (const module of ['conv1', 'bn1', 'pool', 'reduce', 'conv2', 'fc']) {
      const layer = byModule(module);
      assert.deepEqual(toFrameworkShape('onnx', layer.outputShape, 1), expected.moduleOutputShapes[module], module);
      assert.equal(layer.macs, expected.macsByModule[`Small.${module}`] ?? 0, module);
    }
    assert.equal(report.totals.macs, expected.macs);
    assert.equal(report.totals.trainableParams, expected.params);
    assert.equal(report.totals.nonTrainableParams, expected.bnRunningStats);
  });

  it('batch norm folded by the exporter: the report counts what the file holds and says it was folded', async () => {
    const { file, report } = await reportOf('torch_small_folded.onnx');
    assert.equal(report.totals.params, EXPECTED.torch_small_folded_onnx.floatInitializerElements);
    assert.equal(report.totals.macs, EXPECTED.torch_small.macs);
    assert.ok(file.diagnostics.some((d) => /batch norm was folded/.test(d.message)));
    assert.ok(!report.layers.some((l) => l.type === 'BatchNormalization'));
  });

  it('shapes the file states (value_info) agree with the engine\'s', async () => {
    const { file, report } = await reportOf('torch_small_value_info.onnx');
    assert.ok((file.statedShapes ?? []).length >= 8);
    assert.deepEqual(checkStatedShapes(file, report), []);
    // A wrong stated shape is caught, never resolved silently.
    const wrong = { ...file, statedShapes: [{ layer: 'conv1/Conv', shape: [1, 16, 31, 32] }] };
    assert.match(checkStatedShapes(wrong, report)[0]!.message, /states the output shape \(1, 16, 31, 32\)/);
  });

  it('the weights the file holds for each layer agree with the engine\'s parameters, and a disagreement is an error', async () => {
    const { file, report } = await reportOf('torch_small_bn.onnx');
    assert.equal(file.statedParams!.length, 5, 'conv1, bn1, reduce, conv2, fc');
    assert.deepEqual(checkStatedShapes(file, report), []);
    const wrong = { ...file, statedParams: [{ layer: 'fc/Gemm', params: 171 }] };
    assert.match(checkStatedShapes(wrong, report)[0]!.message, /file holds 171 weights for this layer, the engine counts 170/);
  });

  it('a shape computed from constants (x.view(x.size(0), -1) without constant folding) is evaluated', async () => {
    const { report } = await reportOf('torch_view_unfolded.onnx');
    const expected = EXPECTED.torch_view_unfolded_onnx;
    assert.ok(expected.ops.includes('Unsqueeze') && expected.ops.includes('Concat'));
    assert.equal(report.totals.params, expected.params);
    assert.equal(report.totals.macs, expected.macs);
    assert.equal(report.complete, true);
  });

  it('PixelShuffle (DepthToSpace) is the engine\'s PixelShuffle: torch\'s 744 parameters, 405,504 MACs, (1, 8, 32, 32)', async () => {
    // torch 2.13: Conv2d(3, 16, 3, p1) → PixelShuffle(2) → Conv2d(4, 8, 3, p1) on (1, 3, 16, 16); sum(p.numel()) 744,
    // FlopCounterMode 811,008 / 2, output (1, 8, 32, 32) (the model of scripts/files/make_fixtures.py).
    const { file, report } = await reportOf('torch_pixel_shuffle.onnx');
    assert.ok(EXPECTED.torch_pixel_shuffle_onnx.ops.includes('DepthToSpace'));
    assert.equal(report.layers[0]!.params, EXPECTED.torch_pixel_shuffle_onnx.firstConvParams);
    const shuffle = report.layers.find((l) => l.type === 'PixelShuffle')!;
    assert.deepEqual(toFrameworkShape('onnx', shuffle.outputShape, 1), [1, 4, 32, 32]);
    assert.equal(report.totals.params, 744);
    assert.equal(report.totals.macs, 405_504);
    assert.deepEqual(toFrameworkShape('onnx', report.layers.at(-1)!.outputShape, 1), [1, 8, 32, 32]);
    assert.equal(report.complete, true);
    assert.deepEqual(checkStatedShapes(file, report), []);
  });

  for (const cut of [0.5, 0.1]) {
    it(`a file cut to ${cut * 100}% is one clear message naming the file`, async () => {
      const bytes = new Uint8Array(readFileSync(fixture('resnet50_bn.onnx')));
      await assert.rejects(readModelFile({ name: 'cut.onnx', bytes: bytes.subarray(0, Math.floor(bytes.length * cut)) }), (e: Error) => e instanceof ModelFileError && /^cut\.onnx: /.test(e.message));
    });
  }

  it('a file that is not ONNX is one clear message', async () => {
    const bytes = new TextEncoder().encode('this is not a protobuf, just text that says model.onnx\n');
    await assert.rejects(readModelFile({ name: 'text.onnx', bytes }), (e: Error) => e instanceof ModelFileError && /^text\.onnx: /.test(e.message));
  });
});

describe('VGG16', () => {
  it('torchvision VGG16 (export_params=False, deduplicated biases passed through Identity) has model.parameters()\'s count', async () => {
    const { report } = await reportOf('vgg16_graph.onnx');
    assert.equal(report.totals.params, EXPECTED.vgg16_torch.params);
    assert.equal(report.complete, true);
  });
});
