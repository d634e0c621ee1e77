/**
 * ONNX files of a ConvNeXt block (channels-last: Transpose, LayerNormalization, MatMul + Add, layer scale) and of
 * transposed convolutions and PReLU, as torch 2.13's exporters write them (scripts/files/make_onnx_block_fixtures.py, which
 * prints the facts asserted here: sum(p.numel()), FlopCounterMode's total / 2, the output's shape).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeModel } from '../../../extension/core/analyze';
import { checkStatedShapes, readModelFile } from '../../../extension/core/files/index';
import { toFrameworkShape } from '../../../extension/core/report/shapes';

const dir = join(__dirname, '..', '..', 'fixtures', 'file-corpus', 'onnx');

async function report(name: string) {
  const file = await readModelFile(join(dir, name));
  const result = await analyzeModel(file.spec!);
  return { file, report: result };
}

describe('ONNX blocks from torch 2.13', () => {
  for (const variant of ['dynamo', 'legacy', 'noparams']) {
    it(`torchvision's CNBlock with LayerNorm2d, ${variant} export: torch's 1,445 parameters and 82,472 MACs, (1, 5), complete`, async () => {
      const { file, report: r } = await report(`cnx.${variant}.onnx`);
      assert.deepEqual(file.diagnostics.filter((d) => d.severity === 'error'), []);
      assert.equal(r.complete, true);
      assert.equal(r.totals.params, 1445);
      assert.equal(r.totals.macs, 82472);
      assert.deepEqual(toFrameworkShape('onnx', r.layers.at(-1)!.outputShape, 1), [1, 5]);
      // Linear(8, 32) on (N, H, W, C) is one Dense with its bias; the layer scale holds its 8 weights.
      assert.ok(r.layers.some((l) => l.type === 'Dense' && l.params === 8 * 32 + 32));
      assert.equal(r.layers.filter((l) => l.frameworkType?.startsWith('Mul (ONNX')).map((l) => l.params).join(), '8');
      assert.deepEqual(checkStatedShapes(file, r), []);
    });
  }

  for (const variant of ['dynamo', 'legacy']) {
    it(`PReLU per channel, shared and per feature, ${variant} export: torch's 1,809 parameters, 43,904 MACs, (1, 4)`, async () => {
      const { file, report: r } = await report(`prelu.${variant}.onnx`);
      assert.equal(r.complete, true, JSON.stringify(file.diagnostics));
      assert.equal(r.totals.params, 1809);
      assert.equal(r.totals.macs, 43904);
      assert.deepEqual(toFrameworkShape('onnx', r.layers.at(-1)!.outputShape, 1), [1, 4]);
      // PReLU(8), PReLU() and PReLU(4): one slope per channel, one in all, one per feature.
      assert.deepEqual(r.layers.filter((l) => l.type === 'PReLU').map((l) => l.params), [8, 1, 4]);
      assert.deepEqual(checkStatedShapes(file, r), []);
    });
  }

  // norms.*: GroupNorm(2, 8), InstanceNorm2d(16, affine=True), InstanceNorm2d(16), PixelShuffle(2) and a mean over H and W
  // after permute(0, 2, 3, 1). torch: 1,525 parameters, 137,256 MACs, (1, 5). The dynamo export holds 36 weights more
  // (onnx_facts: 1,561): the ones and zeros it writes as initializers for GroupNorm's InstanceNormalization (2 + 2)
  // and for InstanceNorm2d(16) without affine (16 + 16); the TorchScript exporter writes them as Constant nodes.
  for (const [variant, params] of [['dynamo', 1561], ['legacy', 1525], ['dynbatch', 1561]] as const) {
    it(`GroupNorm, InstanceNorm2d, PixelShuffle and an (N, H, W, C) mean, ${variant} export: ${params} weights in the file, torch's 137,256 MACs, (1, 5)`, async () => {
      const { file, report: r } = await report(`norms.${variant}.onnx`);
      assert.deepEqual(file.diagnostics.filter((d) => d.severity === 'error'), []);
      assert.equal(r.complete, true);
      assert.equal(r.totals.params, params);
      assert.equal(r.totals.macs, 137256);
      assert.deepEqual(toFrameworkShape('onnx', r.layers.at(-1)!.outputShape, 1), [1, 5]);
      // GroupNorm is one shape-keeping row, then its per-channel weight and bias (8 each).
      const group = r.layers.find((l) => l.frameworkType?.startsWith('GroupNorm (ONNX, 2 groups'));
      assert.ok(group, 'a GroupNorm row');
      assert.deepEqual(toFrameworkShape('onnx', group.outputShape, 1), [1, 8, 16, 16]);
      assert.equal(group.params, variant === 'legacy' ? 0 : 4);
      assert.deepEqual(r.layers.filter((l) => l.type === 'InstanceNormalization').map((l) => l.params), variant === 'legacy' ? [32, 0] : [32, 32]);
      assert.deepEqual(toFrameworkShape('onnx', r.layers.find((l) => l.type === 'PixelShuffle')!.outputShape, 1), [1, 4, 16, 16]);
      assert.deepEqual(checkStatedShapes(file, r), []);
    });
  }

  it('F.interpolate(size=...) as the dynamo exporter writes it (a constant (N, C, H, W) sizes input): torch\'s 122 parameters, 8,832 MACs, (1, 2, 32, 32)', async () => {
    // sizes.dynamo.onnx: Conv2d(3, 4, 3, s2, p1) → interpolate(size=(20, 12), bilinear) → Conv2d(4, 2, 1) → interpolate(size=(32, 32)).
    const { file, report: r } = await report('sizes.dynamo.onnx');
    assert.deepEqual(file.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.equal(r.complete, true);
    assert.deepEqual(r.layers.filter((l) => l.type === 'Resize').map((l) => toFrameworkShape('onnx', l.outputShape, 1)), [[1, 4, 20, 12], [1, 2, 32, 32]]);
    assert.equal(r.totals.params, 122);
    assert.equal(r.totals.macs, 8832);
    assert.deepEqual(checkStatedShapes(file, r), []);
  });

  for (const variant of ['dynamo', 'legacy']) {
    it(`ConvTranspose2d with pads and output_padding, ${variant} export: torch's 814 parameters, 65,024 MACs, (1, 2, 32, 32)`, async () => {
      const { file, report: r } = await report(`conv_transpose.${variant}.onnx`);
      assert.equal(r.complete, true, JSON.stringify(file.diagnostics));
      assert.equal(r.totals.params, 814);
      assert.equal(r.totals.macs, 65024);
      assert.deepEqual(toFrameworkShape('onnx', r.layers.at(-1)!.outputShape, 1), [1, 2, 32, 32]);
      assert.deepEqual(checkStatedShapes(file, r), []);
    });
  }
});
