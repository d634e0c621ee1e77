/**
 * The zoo against real PyTorch: test/fixtures/reference/zoo.json was written by
 * scripts/reference/zoo_reference.py (torch 1.13 / torchvision 0.14 on a real forward pass). Every Conv2D and
 * Dense layer must match its PyTorch twin in order: output shape, parameters and MACs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeModel } from '../../../extension/core/analyze';
import { zooModel } from '../../../extension/core/zoo/index';

interface Reference {
  torch: string;
  models: Record<string, { input: number[]; params: number; macs: number; layers: { type: string; outputShape: number[]; macs: number; params: number }[] }>;
}

const reference = JSON.parse(readFileSync(join(__dirname, '../../fixtures/reference/zoo.json'), 'utf8')) as Reference;

/** NCHW with batch → HWC without it; a Linear output [1, F] → [F]. */
function toKeras(shape: readonly number[]): number[] {
  const [, c, h, w] = shape;
  return shape.length === 4 ? [h!, w!, c!] : shape.slice(1);
}

describe(`zoo against PyTorch ${reference.torch} forward passes`, () => {
  for (const [name, ref] of Object.entries(reference.models)) {
    it(`${name}: ${ref.params.toLocaleString('en-US')} params, ${ref.macs.toLocaleString('en-US')} MACs, layer by layer`, async () => {
      const [, c, h, w] = ref.input;
      const report = await analyzeModel(zooModel(name, [h!, w!, c!]));
      assert.equal(report.totals.trainableParams, ref.params);
      assert.equal(report.totals.macs, ref.macs);
      const ours = report.layers.filter((l) => l.macs > 0);
      assert.deepEqual(
        ours.map((l) => [l.outputShape, l.macs, l.trainableParams]),
        ref.layers.map((l) => [toKeras(l.outputShape), l.macs, l.params]),
      );
    });
  }
});
