/** Number formatting: exact vs SI, bytes, percentages, shapes, the FLOP convention. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { flopConvention, formatBytes, formatCount, formatExact, formatMacsAndFlops, formatPercent, formatShape, formatSi } from '../../../webview/shared/format';

describe('formatCount', () => {
  const cases: [number, string, string][] = [
    [0, '0', '0'],
    [7, '7', '7'],
    [999, '999', '999'],
    [1_000, '1,000', '1.00 k'],
    [61_706, '61,706', '61.7 k'],
    [999_950, '999,950', '1.00 M'],
    [138_357_544, '138,357,544', '138 M'],
    [15_470_264_320, '15,470,264,320', '15.5 G'],
    [2.5e12, '2,500,000,000,000', '2.50 T'],
  ];
  for (const [n, exact, si] of cases) {
    it(`${n} is "${exact}" exact and "${si}" in SI`, () => {
      assert.equal(formatCount(n, 'exact'), exact);
      assert.equal(formatCount(n, 'si'), si);
    });
  }
  it('keeps the sign of negative numbers', () => {
    assert.equal(formatSi(-2_500_000), '-2.50 M');
    assert.equal(formatExact(-1234), '-1,234');
  });
  it('puts the unit after the prefix', () => {
    assert.equal(formatSi(15_470_264_320, 'MACs'), '15.5 GMACs');
    assert.equal(formatSi(12, 'B'), '12 B');
  });
});

describe('formatBytes', () => {
  it('prints binary units as the CLI and the hover do (MiB, GiB), and a dash when unknown', () => {
    // 112·112·64 float32 = 3,211,264 B = 3.0625 MiB.
    assert.equal(formatBytes(3_211_264), '3.1 MiB');
    assert.equal(formatBytes(553_430_176), '527.8 MiB');
    assert.equal(formatBytes(2 * 1024 ** 3), '2.0 GiB');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(null), '—');
  });
});

describe('formatPercent', () => {
  const cases: [number, number | null, string][] = [
    [0, 100, '0 %'],
    [50, 100, '50.0 %'],
    [1, 3, '33.3 %'],
    [123, 10_000, '1.23 %'],
    [1, 100_000, '<0.1 %'],
    [5, null, '—'],
    [5, 0, '—'],
  ];
  for (const [part, total, text] of cases) it(`${part} of ${total} is "${text}"`, () => assert.equal(formatPercent(part, total), text));
});

describe('formatShape and the FLOP convention', () => {
  it('joins dimensions with ×, ? for unknown ones', () => {
    assert.equal(formatShape([112, 112, 64]), '112×112×64');
    assert.equal(formatShape([null, 7]), '?×7');
    assert.equal(formatShape(null), 'unknown');
  });
  it('says which convention FLOPs follow', () => {
    assert.match(flopConvention({ flopsPerMac: 2, numberFormat: 'exact' }), /FLOPs = 2 × MACs/);
    assert.match(flopConvention({ flopsPerMac: 1, numberFormat: 'exact' }), /FLOPs = MACs/);
  });
  it('labels MAC and FLOP totals with their unit', () => {
    assert.deepEqual(formatMacsAndFlops(15_470_264_320, { flopsPerMac: 2, numberFormat: 'si' }), { macs: '15.5 GMACs', flops: '30.9 GFLOPs' });
    assert.deepEqual(formatMacsAndFlops(1000, { flopsPerMac: 1, numberFormat: 'exact' }), { macs: '1,000 MACs', flops: '1,000 FLOPs' });
  });
});
