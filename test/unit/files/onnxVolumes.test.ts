/**
 * ONNX files with an (N, C, D, H, W) input: the 3-D ops map onto the engine's Conv3D / 3-D pooling, as a PyTorch
 * Conv3d model read from its code does. Fixtures and figures: scripts/files/make_onnx_block_fixtures.py (torch
 * 2.13's exporters): VolumeNet's sum(p.numel()) = 679, of which BatchNorm3d's 8 are folded into the first
 * convolution by both exporters (the file holds 671); FlopCounterMode's total / 2 = 69,132; output (1, 3).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeModel } from '../../../extension/core/analyze';
import { readModelFile } from '../../../extension/core/files/index';

const onnx = (name: string): string => join(__dirname, '..', '..', 'fixtures', 'file-corpus', 'onnx', name);

for (const exporter of ['legacy', 'dynamo', 'noparams']) {
  it(`volume.${exporter}.onnx: Conv3D, 3-D pooling and a residual Add with PyTorch's shapes, the file's weights and torch's MACs`, async () => {
    const file = await readModelFile(onnx(`volume.${exporter}.onnx`));
    const report = await analyzeModel(file.spec!);
    assert.equal(report.complete, true, JSON.stringify(file.diagnostics));
    // The engine's (D, H, W, C) order, shown as PyTorch's (N, 2, 4, 8, 8).
    assert.deepEqual(report.input, [null, 4, 8, 8, 2]);
    assert.deepEqual(
      report.layers.map((l) => [l.type, l.outputShape, l.params]),
      [
        // Conv3d(2, 4, 3, padding=1) with the folded batch norm: 2·4·27 + 4.
        ['Conv3D', [4, 8, 8, 4], 220],
        ['Activation', [4, 8, 8, 4], 0],
        ['MaxPooling3D', [2, 4, 4, 4], 0],
        ['Conv3D', [2, 4, 4, 4], 436],
        ['Add', [2, 4, 4, 4], 0],
        ['AveragePooling3D', [1, 2, 2, 4], 0],
        ['GlobalPooling3D', [1, 1, 1, 4], 0],
        [exporter === 'dynamo' ? 'Reshape' : 'Flatten', [4], 0],
        ['Dense', [3], 15],
      ],
    );
    assert.equal(report.totals.params, 671);
    assert.equal(report.totals.macs, 69132);
  });
}

it("volume_pad.legacy.onnx: a Conv3d padding (0, 1, 1) that tfjs' same/valid cannot give is refused, located, never approximated", async () => {
  const file = await readModelFile(onnx('volume_pad.legacy.onnx'));
  const report = await analyzeModel(file.spec!);
  assert.equal(report.complete, false);
  assert.equal(report.layers[0]!.outputShape, null);
  assert.match(file.diagnostics.find((d) => d.severity === 'error')!.message, /Conv with pads \[0,1,1,0,1,1\].*\(N, C, D, H, W\) volume/);
});
