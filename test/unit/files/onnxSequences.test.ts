/**
 * ONNX files with an (N, C, L) input: Conv1d / pooling exports map onto the engine's 1-D layers held as PyTorch's
 * (C, L), as a PyTorch Conv1d model read from its code is. Fixtures and figures: scripts/files/make_onnx_block_fixtures.py
 * (torch 2.13): sum(p.numel()) = 296, of which BatchNorm1d's 12 are folded into the first convolution by both
 * exporters (the file holds 284); FlopCounterMode's total / 2 = 3,560; output (1, 4).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeModel } from '../../../extension/core/analyze';
import { readModelFile } from '../../../extension/core/files/index';

const onnx = (name: string): string => join(__dirname, '..', '..', 'fixtures', 'file-corpus', 'onnx', name);

for (const exporter of ['legacy', 'noparams', 'dynamo']) {
  it(`sequence.${exporter}.onnx: Conv1D (padding as written, dilation), 1-D pooling and a global pooling with PyTorch's shapes`, async () => {
    const file = await readModelFile(onnx(`sequence.${exporter}.onnx`));
    const report = await analyzeModel(file.spec!);
    assert.equal(report.complete, true, JSON.stringify(file.diagnostics));
    // PyTorch's (N, C, L) order, as the engine holds it.
    assert.deepEqual(report.input, [null, 3, 20]);
    assert.deepEqual(
      report.layers.map((l) => [l.type, l.outputShape, l.params, l.macs]),
      [
        ['Conv1D', [6, 20], 96, 1800],
        ['Activation', [6, 20], 0, 0],
        ['MaxPooling1D', [6, 10], 0, 0],
        // Conv1d(6, 8, 3, padding=3, dilation=2): (10 + 6 − 4 − 1) + 1 = 12.
        ['Conv1D', [8, 12], 152, 1728],
        ['AveragePooling1D', [8, 6], 0, 0],
        // AdaptiveAvgPool1d(1): GlobalAveragePool, or the dynamo export's Unsqueeze → ReduceMean → Squeeze.
        ['AveragePooling1D', [8, 1], 0, 0],
        [exporter === 'dynamo' ? 'Reshape' : 'Flatten', [8], 0, 0],
        ['Dense', [4], 36, 32],
      ],
    );
    assert.equal(report.totals.params, 284);
    assert.equal(report.totals.macs, 3560);
  });
}

it('a 1-D pooling with padding (its pads edited into sequence.legacy.onnx) is refused, located, never approximated', async () => {
  const protobuf = await import('protobufjs');
  const descriptor = (await import('../../../extension/core/files/onnx/onnx.proto.json')).default;
  const ModelProto = protobuf.Root.fromJSON(descriptor as protobuf.INamespace).lookupType('onnx.ModelProto');
  const model = ModelProto.toObject(ModelProto.decode(new Uint8Array(readFileSync(onnx('sequence.legacy.onnx'))))) as { graph: { node: { op_type: string; attribute: { name: string; ints?: number[] }[] }[] } };
  const pool = model.graph.node.find((n) => n.op_type === 'MaxPool')!;
  pool.attribute.find((a) => a.name === 'pads')!.ints = [1, 1];
  const bytes = ModelProto.encode(ModelProto.fromObject(model)).finish();
  const file = await readModelFile({ name: 'padded.onnx', bytes });
  const report = await analyzeModel(file.spec!);
  assert.equal(report.complete, false);
  assert.match(file.diagnostics.find((d) => d.severity === 'error')!.message, /MaxPool with padding, dilations or ceil_mode on an \(N, C, L\) sequence/);
  assert.equal(report.layers.at(-1)!.outputShape, null);
});
