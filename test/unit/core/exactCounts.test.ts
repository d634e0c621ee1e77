/**
 * Counts are exact at every size, JSON has no exponents, unknown is null. VGG16 at 200,000×200,000×3: the
 * total below was computed independently with Python integers (sum over torchvision's VGG16 configuration
 * of H·W·Cout·3·3·Cin, then the three dense layers); doubles round it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeModel } from '../../../extension/core/analyze';
import { zooModel } from '../../../extension/core/zoo/index';
import { toJsonText, stringifyExact } from '../../../extension/core/report/json';
import { toTable } from '../../../extension/core/report/table';
import { formatExact } from '../../../extension/core/report/numberFormat';
import type { ModelSpec } from '../../../extension/core/spec';

const VGG16_200K_MACS = 12_316_160_020_873_216n;

describe('exact counts', () => {
  it('VGG16 at 200,000×200,000: every digit of MACs and FLOPs in the report, the JSON and the table', async () => {
    const report = await analyzeModel(zooModel('vgg16', [200_000, 200_000, 3]));
    assert.equal(report.totals.exact?.macs, VGG16_200K_MACS.toString());
    assert.equal(report.totals.exact?.flops, (2n * VGG16_200K_MACS).toString());
    const json = toJsonText(report);
    assert.match(json, /"macs": 12316160020873216,/);
    assert.match(json, /"flops": 24632320041746432,/);
    assert.doesNotMatch(json, /\d[eE][+-]?\d/);
    assert.match(toTable(report), /Total MACs: 12,316,160,020,873,216 /);
  });

  it('an odd count past 2^53, which no double holds, is exact in the report and the JSON', async () => {
    // A 1×1 convolution: MACs = H·W·Cout·Cin = 99,999 · 99,999 · 999 · 997, odd and above 2^53.
    const spec: ModelSpec = { name: 'odd', framework: 'keras', input: [99_999, 99_999, 997], layers: [{ name: 'c', type: 'Conv2D', args: { filters: 999, kernelSize: 1, useBias: false }, inputs: ['input'], block: null }] };
    const exact = 99_999n * 99_999n * 999n * 997n;
    assert.ok(exact > BigInt(Number.MAX_SAFE_INTEGER) && BigInt(Number(exact)) !== exact);
    const report = await analyzeModel(spec);
    assert.equal(report.layers[0]!.exact?.macs, exact.toString());
    assert.equal(report.totals.exact?.macs, exact.toString());
    assert.match(toJsonText(report), new RegExp(`"macs": ${exact},`));
  });

  it('formats big integers without exponent; JSON writes them as digits', () => {
    assert.equal(formatExact(4.69e21), '4,690,000,000,000,000,000,000');
    assert.equal(formatExact(12_316_160_020_873_216n), '12,316,160,020,873,216');
    assert.equal(formatExact('-1234567'), '-1,234,567');
    assert.equal(stringifyExact({ a: 10n ** 22n, b: 1e21, c: 0.5 }, 0), '{"a":10000000000000000000000,"b":1000000000000000000000,"c":0.5}');
  });

  it('a layer that cannot be built has unknown params and MACs (null in JSON), and the totals say "at least"', async () => {
    const spec: ModelSpec = {
      name: 'partial',
      framework: 'keras',
      input: [8, 8, 3],
      layers: [
        { name: 'ok', type: 'Conv2D', args: { filters: 4, kernelSize: 3 }, inputs: ['input'], block: null },
        { name: 'bad', type: 'Conv2D', args: { filters: 4, kernelSize: 3, strides: 0 }, inputs: ['ok'], block: null },
        { name: 'after', type: 'Dense', args: { units: 10 }, inputs: ['bad'], block: null },
      ],
    };
    const report = await analyzeModel(spec);
    assert.deepEqual(report.layers.map((l) => l.unknown ?? null), [null, { params: true, macs: true }, { params: true, macs: true }]);
    const json = JSON.parse(toJsonText(report));
    assert.deepEqual(json.layers.map((l: { params: unknown; macs: unknown }) => [l.params, l.macs]), [[112, 3_888], [null, null], [null, null]]);
    assert.equal(json.totals.lowerBound, true);
    assert.equal(json.complete, false);
    assert.match(toTable(report), /Total params: at least 112 /);
    assert.match(toTable(report), /bad \(Conv2D\)\s+unknown\s+unknown\s+unknown/);
  });
});
