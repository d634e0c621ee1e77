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
