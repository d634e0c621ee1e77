/** The FLOP report's figures: MACs by kind, heaviest layers, blocks, 1×1 savings. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { blockBars, heaviestLayers, kindOf, LAYER_KINDS, macsByKind, middleTruncation } from '../../../webview/shared/flopReport';
import { report } from './fixtures';

describe('layer kinds', () => {
  const cases: [string, [number, number] | null, string][] = [
    ['Conv2D', [3, 3], 'k×k conv'],
    ['Conv2D', [1, 1], '1×1 conv'],
    ['Conv2D', [1, 7], 'k×k conv'],
    ['DepthwiseConv2D', [3, 3], 'k×k conv'],
    ['Dense', null, 'dense'],
    ['MaxPooling2D', [2, 2], 'other'],
    ['Add', null, 'other'],
  ];
  for (const [type, kernel, kind] of cases) it(`${type} ${kernel?.join('×') ?? ''} is ${kind}`, () => assert.equal(kindOf({ type, kernel }), kind));
});

describe('GoogLeNet report', () => {
  it('MACs by kind cover the model, in a fixed order', async () => {
    const r = await report('googlenet');
    const bars = macsByKind(r.layers);
    assert.deepEqual(
      bars.map((b) => b.label),
      LAYER_KINDS,
    );
    assert.equal(
      bars.reduce((a, b) => a + b.macs, 0),
      r.totals.macs,
    );
    assert.ok(Math.abs(bars.reduce((a, b) => a + b.share, 0) - 1) < 1e-12);
    assert.ok(bars[1]!.macs > 0, '1×1 convolutions carry MACs');
  });

  it('the ten heaviest layers, heaviest first', async () => {
    const r = await report('googlenet');
    const top = heaviestLayers(r.layers);
    assert.equal(top.length, 10);
    assert.equal(top[0]!.layer, 'conv2/3x3');
    for (let i = 1; i < top.length; i++) assert.ok(top[i - 1]!.macs >= top[i]!.macs);
  });

  it('per-block MACs and savings match the engine', async () => {
    const r = await report('googlenet');
    const bars = blockBars(r);
    assert.equal(bars.length, r.blocks.length);
    const i3a = bars.find((b) => b.label === 'inception_3a')!;
    assert.equal(i3a.type, 'inception');
    assert.equal(i3a.savedMacs, 180_232_192);
    const saved = bars.reduce((a, b) => a + b.savedMacs, 0);
    assert.equal(saved, r.oneByOneTotals!.naiveMacs - r.oneByOneTotals!.actualMacs);
  });
});

describe('middle truncation of names (the FLOP report at 250 px)', () => {
  const cases: [string, string, string][] = [
    ['conv1', '', 'conv1'],
    ['res4b22_branch2b', '', 'res4b22_branch2b'],
    ['inception_4e/3x3_reduce', 'inception_', '4e/3x3_reduce'],
    ['inception_4e/pool_proj', 'inception_', '4e/pool_proj'],
    ['features.denseblock4.denselayer16.conv2', 'features.denseblock4.', 'denselayer16.conv2'],
    ['averyveryverylongnamewithoutseparators', 'averyveryverylongnamewitho', 'utseparators'],
  ];
  for (const [name, head, tail] of cases) {
    it(`"${name}" keeps "${tail}" whole`, () => {
      const split = middleTruncation(name);
      assert.equal(split.head + split.tail, name);
      assert.deepEqual(split, { head, tail });
    });
  }
  it('the ten heaviest GoogLeNet layers stay distinct by their tails alone', async () => {
    const r = await report('googlenet');
    const tails = heaviestLayers(r.layers, 10).map((h) => middleTruncation(h.label).tail);
    assert.equal(new Set(tails).size, 10, tails.join(', '));
  });
});
