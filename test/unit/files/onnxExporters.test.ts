/**
 * ONNX as torch 2.13's exporters write it by default, for the ops the file corpus (scripts/files/
 * make_file_corpus.py) showed the reader missing. Fixtures and expectations from scripts/files/make_fixtures.py
 * ("exported"): parameters and running statistics from torch, MACs from FlopCounterMode (its FLOPs / 2), the
 * weight elements the file holds read with the onnx package.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkStatedShapes } from '../../../extension/core/files/index';
import { toFrameworkShape } from '../../../extension/core/report/shapes';
import { analyzeModel } from '../../../extension/core/analyze';
import { readModelFile } from '../../../extension/core/files/index';
import { join } from 'node:path';
import { EXPECTED, FIXTURES, reportOf } from './helpers';

describe('ONNX from the exporters\' defaults', () => {
  it('dynamo: ReduceMean over H and W (axes as an input, keepdims 1 and 0) is global pooling; fused batch norm is said', async () => {
    const { file, report } = await reportOf('torch_dynamo_gap.onnx');
    const expected = EXPECTED.torch_dynamo_gap;
    assert.deepEqual(expected.ops.filter((op: string) => op === 'ReduceMean').length, 2);
    assert.equal(report.complete, true);
    // Batch norm fused into the convolution: 216 weights + 8 added bias + fc's 8·8 + 8.
    assert.equal(report.totals.params, expected.weightElements);
    assert.equal(report.totals.params, 296);
    assert.equal(report.totals.macs, expected.macs);
    assert.deepEqual(toFrameworkShape('onnx', report.layers.at(-1)!.outputShape, 1), expected.output);
    assert.ok(file.diagnostics.some((d) => /batch norm was folded/.test(d.message)));
    assert.ok((file.statedShapes ?? []).length > 0, 'the dynamo exporter states every shape (value_info)');
    assert.deepEqual(checkStatedShapes(file, report), []);
    const pooled = report.layers.filter((l) => l.type === 'GlobalAveragePooling2D');
    assert.equal(pooled.length, 2);
    assert.deepEqual(toFrameworkShape('onnx', report.layers.find((l) => l.name.endsWith('/keepdims'))!.outputShape, 1), expected.moduleOutputShapes.gap);
  });

  it('a grouped convolution (groups=4) is one Conv2D with C/groups input channels per filter: torch\'s parameters and MACs', async () => {
    const { report } = await reportOf('torch_grouped_conv.onnx');
    const expected = EXPECTED.torch_grouped_conv;
    assert.equal(report.complete, true);
    assert.equal(report.totals.params, expected.params);
    assert.equal(report.totals.params, expected.weightElements);
    assert.equal(report.totals.macs, expected.macs);
    // torch: Conv2d(8, 16, 3, groups=4) has 16·2·3·3 + 16 = 304 parameters.
    const grouped = report.layers.filter((l) => l.type === 'Conv2D')[1]!;
    assert.equal(grouped.params, 304);
    assert.deepEqual(toFrameworkShape('onnx', grouped.outputShape, 1), expected.moduleOutputShapes['2']);
  });

  it('a module applied twice (legacy export: one initializer, two nodes read it): its weights count once, its MACs per use', async () => {
    // scripts/files/make_shared_weight_fixture.py: torch's model.parameters() is 916, FlopCounterMode 87,712 MACs;
    // conv.weight/bias are read by /conv/Conv and /conv_1/Conv, fc.weight/bias by /fc/Gemm and /fc_1/Gemm.
    const { file, report } = await reportOf('torch_shared_weights.onnx');
    const expected = EXPECTED.torch_shared_weights;
    const held = Object.values(expected.initializers as Record<string, number[]>).reduce((a, d) => a + d.reduce((x, y) => x * y, 1), 0);
    assert.equal(report.complete, true, JSON.stringify(file.diagnostics));
    assert.equal(report.totals.params, expected.params);
    assert.equal(report.totals.params, held);
    assert.equal(report.totals.macs, expected.macs);
    const layer = (name: string) => report.layers.find((l) => l.name === name)!;
    assert.deepEqual(Object.keys(expected.shared).sort(), ['conv.bias', 'conv.weight', 'fc.bias', 'fc.weight']);
    // The first use holds the weights (torch: Conv2d(8, 8, 3) 584, Linear(8, 8) 72); the second holds none of its own.
    assert.deepEqual(['conv/Conv', 'conv_1/Conv', 'fc/Gemm', 'fc_1/Gemm'].map((n) => layer(n).params), [584, 0, 72, 0]);
    assert.equal(layer('conv_1/Conv').macs, layer('conv/Conv').macs);
    assert.deepEqual(checkStatedShapes(file, report), []);
  });

  for (const name of ['torch_resize_to_tensor', 'torch_resize_to_tensor_opset11']) {
    it(`${name}: F.interpolate to a size the legacy exporter computes from Shape is a Resize to it; torch's shapes and MACs`, async () => {
      // scripts/files/make_resize_fixture.py: sizes = Concat(Slice(Shape(x), 0, 2), h, w) with h, w folded to
      // constants, or Gathered from another tensor's Shape (size=a.shape[-2:]); opset 11 adds an empty scales input.
      const { file, report } = await reportOf(`${name}.onnx`);
      const expected = EXPECTED.torch_resize_to_tensor;
      assert.ok(expected.sizesOps17.some((ops: string[]) => ops.includes('Gather')), 'one Resize reads another tensor\'s Shape');
      assert.equal(report.complete, true, JSON.stringify(file.diagnostics));
      assert.equal(report.totals.params, expected.params);
      assert.equal(report.totals.macs, expected.macs);
      const resized = report.layers.filter((l) => l.type === 'Resize');
      assert.deepEqual(resized.map((l) => toFrameworkShape('onnx', l.outputShape, 1)), [expected.moduleOutputShapes.gate, [1, 4, ...expected.moduleOutputShapes.gate.slice(2)], expected.output]);
      // The one sized by another tensor reads it: a's height and width, known to the engine only.
      assert.deepEqual(resized.map((l) => l.inputs.length).sort(), [1, 1, 2]);
      assert.deepEqual(toFrameworkShape('onnx', report.layers.find((l) => l.name === 'head/Conv')!.outputShape, 1), expected.moduleOutputShapes.head);
    });
  }

  it('nn.LayerNorm below opset 17 (ReduceMean → Sub → Pow → ReduceMean → Add → Sqrt → Div, then Mul and Add): one norm, its weights, torch\'s totals', async () => {
    // scripts/files/make_layer_norm_fixture.py: a LayerNorm2d (permute → F.layer_norm → permute), a block's
    // LayerNorm on the last axis of (N, H, W, C), and a head LayerNorm on (N, C), at opset 13.
    const { file, report } = await reportOf('torch_layer_norm_opset13.onnx');
    const expected = EXPECTED.torch_layer_norm_opset13;
    assert.equal(expected.ops.filter((op: string) => op === 'ReduceMean').length, 7, 'three norms of two means each, and the pooling');
    assert.equal(expected.ops.includes('LayerNormalization'), false);
    assert.equal(report.complete, true, JSON.stringify(file.diagnostics));
    assert.equal(report.totals.params, expected.params);
    assert.equal(report.totals.macs, expected.macs);
    assert.deepEqual(toFrameworkShape('onnx', report.layers.at(-1)!.outputShape, 1), expected.output);
    const norms = report.layers.filter((l) => l.type === 'LayerNormalization');
    assert.deepEqual(norms.map((l) => l.name), ['stem_norm/ReduceMean', 'block/norm/ReduceMean', 'head_norm/ReduceMean']);
    // Each LayerNorm(16): a weight and a bias of 16, held by the Mul and Add that follow it.
    assert.deepEqual(report.layers.filter((l) => l.name.startsWith('head_norm/')).map((l) => l.params), [0, 16, 16]);
  });

  it('a name no node produces (one flipped bit) stops the graph there with one located error, never a smaller "complete" model', async () => {
    const file = await readModelFile(join(FIXTURES, '..', 'hostile', 'onnx_dangling_name.onnx'));
    const errors = file.diagnostics.filter((d) => d.severity === 'error');
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.layer, '2/Conv');
    assert.match(errors[0]!.message, /reads \/1\/Relu_outpu4_0, which no node, graph input or initializer produces/);
    const report = await analyzeModel(file.spec!);
    assert.equal(report.complete, false);
    // The first Conv (3→8, 3×3, bias) is still read: 8·3·3·3 + 8.
    assert.equal(report.layers[0]!.params, 224);
  });

  for (const [name, how] of [['torch_shuffle_legacy', 'Shape → Gather → Add → Div → Mul → Slice'], ['torch_shuffle_dynamo', 'Split']] as const) {
    it(`ShuffleNet's chunk (${how}) and channel shuffle (view → transpose → view): torch's parameters, MACs and output`, async () => {
      const { file, report } = await reportOf(`${name}.onnx`);
      const expected = EXPECTED[name];
      assert.equal(report.complete, true, JSON.stringify(file.diagnostics));
      assert.equal(report.totals.params, expected.params);
      assert.equal(report.totals.macs, expected.macs);
      assert.deepEqual(toFrameworkShape('onnx', report.layers.at(-1)!.outputShape, 1), expected.output);
      const slices = report.layers.filter((l) => l.type === 'ChannelSlice');
      assert.deepEqual(slices.map((l) => toFrameworkShape('onnx', l.outputShape, 1)), [[1, 4, 8, 8], [1, 4, 8, 8]]);
      assert.equal(report.layers.filter((l) => l.type === 'ChannelShuffle').length, 1);
      // The branch Conv2d(4, 4, 1) reads the second half: its weights fit only a 4-channel input.
      assert.equal(report.layers.filter((l) => l.type === 'Conv2D')[1]!.inputs[0], slices[1]!.name);
      assert.deepEqual(checkStatedShapes(file, report), []);
    });
  }

  it('a parameter passed as a graph input beside the image (export_params=False) is a weight; a per-channel scale (C, 1, 1) is a step that holds C weights', async () => {
    const { file, report } = await reportOf('torch_layer_scale.onnx');
    const expected = EXPECTED.torch_layer_scale;
    assert.deepEqual(expected.ops, ['Conv', 'Mul']);
    assert.deepEqual(file.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.equal(report.complete, true);
    // torch's model.parameters(): the convolution's 8·3·3·3 + 8 and the scale's 8; torch's MACs (the scale has none).
    assert.equal(report.totals.params, expected.params);
    assert.equal(report.totals.macs, expected.macs);
    assert.equal(report.layers[1]!.params, 8);
    assert.deepEqual(toFrameworkShape('onnx', report.layers[1]!.outputShape, 1), expected.output);
  });
});
