/**
 * The zoo against real PyTorch: test/fixtures/reference/zoo.json was written by
 * scripts/reference/zoo_reference.py (torch 2.13 / torchvision 0.28 on a real forward pass; the first nine
 * models' numbers are those torch 1.13 gave). Every Conv2D and Dense layer must match its PyTorch twin in
 * order: output shape, parameters and MACs (per-layer hooks, whose total the script checks against
 * torch.utils.flop_counter.FlopCounterMode: MACs = FLOPs / 2). The modern models are checked again at an odd
 * input size (`oddInput`), where a 'same'/'valid' stand-in for PyTorch's padding or ceil mode would differ.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeModel } from '../../../extension/core/analyze';
import { zooModel } from '../../../extension/core/zoo/index';

interface Measured {
  input: number[];
  params: number;
  macs: number;
  flopCounterModeFlops?: number;
  layers: { type: string; outputShape: number[]; macs: number; params: number }[];
}

interface Reference {
  torch: string;
  torchvision: string;
  models: Record<string, Measured & { oddInput?: Measured }>;
}

const reference = JSON.parse(readFileSync(join(__dirname, '../../fixtures/reference/zoo.json'), 'utf8')) as Reference;

/** NCHW with batch → HWC without it; a Linear output [1, F] → [F]. */
function toKeras(shape: readonly number[]): number[] {
  const [, c, h, w] = shape;
  return shape.length === 4 ? [h!, w!, c!] : shape.slice(1);
}

async function check(name: string, ref: Measured): Promise<void> {
  const [, c, h, w] = ref.input;
  const report = await analyzeModel(zooModel(name, [h!, w!, c!]));
  assert.deepEqual(report.issues, []);
  assert.equal(report.totals.trainableParams, ref.params);
  assert.equal(report.totals.macs, ref.macs);
  if (ref.flopCounterModeFlops !== undefined) assert.equal(2 * report.totals.macs, ref.flopCounterModeFlops);
  const ours = report.layers.filter((l) => l.macs > 0);
  assert.deepEqual(
    ours.map((l) => [l.outputShape, l.macs, l.trainableParams]),
    ref.layers.map((l) => [toKeras(l.outputShape), l.macs, l.params]),
  );
}

describe(`zoo against PyTorch ${reference.torch} / torchvision ${reference.torchvision} forward passes`, () => {
  for (const [name, ref] of Object.entries(reference.models)) {
    it(`${name}: ${ref.params.toLocaleString('en-US')} params, ${ref.macs.toLocaleString('en-US')} MACs, layer by layer`, () => check(name, ref));
    const odd = ref.oddInput;
    if (odd) {
      it(`${name} at ${odd.input.slice(2).join('×')}: ${odd.macs.toLocaleString('en-US')} MACs, layer by layer`, () => check(name, odd));
    }
  }
});
