/**
 * A Keras layer applied twice (conv(conv(x)), fc(fc(x))) as Keras and TFLite files keep it: the config lists the
 * layer once with one inbound node per call; the TFLite file has two ops reading one kernel. Fixtures and facts from
 * scripts/files/make_keras_shared_fixture.py (TensorFlow 2.21, Keras 3.15): count_params() 692, each call's output
 * shape from its inbound node, and its MACs from those shapes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { analyzeModel } from '../../../extension/core/analyze';
import { checkStatedShapes, readModelFile } from '../../../extension/core/files/index';
import { toFrameworkShape } from '../../../extension/core/report/shapes';
import { EXPECTED, fixture, reportOf } from './helpers';

const expected = EXPECTED.keras_shared_layers as { params: number; calls: { layer: string; call: number; output: (number | null)[]; macs: number }[]; tfliteOps: { op: string; inputs: number[] }[] };
const totalMacs = expected.calls.reduce((a, c) => a + c.macs, 0);

describe('shared layers in model files', () => {
  for (const name of ['keras_shared_layers.keras', 'keras_shared_layers.h5']) {
    it(`${name}: one row per call, the weights counted once (count_params()), the MACs per call`, async () => {
      const { file, report } = await reportOf(name);
      assert.deepEqual(file.diagnostics.filter((d) => d.severity === 'error'), []);
      assert.equal(report.complete, true);
      assert.equal(report.totals.params, expected.params);
      assert.equal(report.totals.params, 692);
      assert.equal(report.totals.macs, totalMacs);
      // Rows as the source readers name a later call: conv, conv#2.
      const rows = expected.calls.filter((c) => c.layer !== 'image');
      assert.deepEqual(
        report.layers.map((l) => [l.name, toFrameworkShape('keras', l.outputShape), l.macs]),
        rows.map((c) => [c.call === 1 ? c.layer : `${c.layer}#${c.call}`, c.output, c.macs]),
      );
      const params = Object.fromEntries(report.layers.map((l) => [l.name, l.params]));
      // Conv2D(8, 3) on 8 channels: 8·3·3·8 + 8 = 584; Dense(8) on 8: 72; the second calls hold none of their own.
      assert.deepEqual([params.conv, params['conv#2'], params.fc, params['fc#2']], [584, 0, 72, 0]);
    });
  }

  it('keras_shared_layers.tflite: two ops reading one kernel are one layer applied twice; its weights count once', async () => {
    // The converter's ops: the two CONV_2D read kernel tensor 6, the first two FULLY_CONNECTED kernel 4 (the second
    // call's bias folded into the head's).
    const kernels = expected.tfliteOps.filter((o) => o.op !== 'MEAN').map((o) => o.inputs[1]);
    assert.deepEqual(kernels, [6, 6, 4, 4, 3]);
    const { file, report } = await reportOf('keras_shared_layers.tflite');
    assert.equal(report.complete, true);
    assert.equal(report.totals.params, expected.params);
    assert.equal(report.totals.macs, totalMacs);
    const weighted = report.layers.filter((l) => l.type === 'Conv2D' || l.type === 'Dense');
    assert.deepEqual(weighted.map((l) => l.params), [584, 0, 72, 0, 36]);
    assert.deepEqual(checkStatedShapes(file, report), []);
  });

  // Keras' from_config reads a layer's calls once their inputs exist; a config may list layers in any order.
  const forged = (edit: (layers: { name: string; inbound_nodes: { args: { config: { keras_history: unknown[] } }[] }[] }[]) => void) => {
    const entries = unzipSync(new Uint8Array(readFileSync(fixture('keras_shared_layers.keras'))));
    const config = JSON.parse(strFromU8(entries['config.json']!));
    edit(config.config.layers);
    return { name: 'forged.keras', bytes: zipSync({ 'metadata.json': entries['metadata.json']!, 'config.json': strToU8(JSON.stringify(config)) }) };
  };

  it('the layers listed last to first: every call is read after its inputs, with the same numbers', async () => {
    const file = await readModelFile(forged((layers) => layers.reverse()));
    const report = await analyzeModel(file.spec!);
    assert.equal(report.complete, true);
    assert.equal(report.totals.params, expected.params);
    assert.equal(report.totals.macs, totalMacs);
  });

  it('a call that reads its own later call (a cycle no framework builds): located errors, unknown from there, no hang', async () => {
    const file = await readModelFile(forged((layers) => {
      layers.find((l) => l.name === 'conv')!.inbound_nodes[0]!.args[0]!.config.keras_history = ['conv', 1, 0];
    }));
    assert.deepEqual(file.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.layer, d.message]), [['conv', "reads conv#2, which the config makes only from this call's own output (a cycle) or never; shapes from here are unknown"]]);
    const report = await analyzeModel(file.spec!);
    assert.equal(report.complete, false);
    assert.ok(report.layers.every((l) => l.outputShape === null));
  });
});
