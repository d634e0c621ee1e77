/** Exports: Markdown table, CSV with raw numbers, JSON round trip, the savings sentence. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { savingsSentence, toCsv, toJson, toMarkdown } from '../../../webview/shared/export';
import { layer, report, split } from './fixtures';

describe('Markdown', () => {
  it('VGG16: a header, one row per layer, the totals and the FLOP convention', async () => {
    const { summary, layers } = split(await report('vgg16'));
    const md = toMarkdown(summary, layers, { flopsPerMac: 2, numberFormat: 'exact' });
    const lines = md.trimEnd().split('\n');
    assert.equal(lines[0], '## vgg16');
    assert.match(md, /Input 224×224×3 · backend cpu · FLOPs = 2 × MACs/);
    const rows = lines.filter((l) => /^\| \d+ \|/.test(l));
    assert.equal(rows.length, layers.length);
    assert.equal(rows[0], '| 0 | block1_conv1 | Conv2D | block1 | 224×224×64 | 1,792 | 86,704,128 | 0.56 % | 12,845,056 B |');
    assert.match(md, /\| \| \*\*Total\*\* \| \| \| \| \*\*138,357,544\*\* \| \*\*15,470,264,320\*\* \| 100 % \|/);
    assert.match(md, /Total FLOPs: 30,940,528,640 \(FLOPs = 2 × MACs/);
  });

  it('every table line has the same number of cells', async () => {
    const { summary, layers } = split(await report('googlenet'));
    const md = toMarkdown(summary, layers, { flopsPerMac: 1, numberFormat: 'si' });
    const table = md.split('\n').filter((l) => l.startsWith('|'));
    const cells = (l: string): number => l.replace(/\\\|/g, '').split('|').length;
    for (const l of table) assert.equal(cells(l), cells(table[0]!), l);
    assert.match(md, /1×1 reductions save 2\.84 GMACs: 4\.19× fewer than naive\./);
  });

  it('escapes pipes in names', async () => {
    const { summary } = split(await report('lenet5'));
    const md = toMarkdown(summary, [layer({ name: 'a|b' })], { flopsPerMac: 2, numberFormat: 'exact' });
    assert.match(md, /\| a\\\|b \|/);
  });
});

describe('CSV', () => {
  it('has a header and raw numbers per layer', async () => {
    const { layers } = split(await report('vgg16'));
    const lines = toCsv(layers, 2).trimEnd().split('\r\n');
    assert.equal(lines[0], 'index,name,type,block,output_shape,params,macs,flops_2_per_mac,macs_share,activation_bytes');
    assert.equal(lines[1], '0,block1_conv1,Conv2D,block1,224x224x64,1792,86704128,173408256,0.005605,12845056');
    assert.equal(lines.length, layers.length + 1);
  });
  it('quotes fields with commas and quotes', () => {
    const csv = toCsv([layer({ name: 'a,"b"', block: 'x' })], 1);
    assert.match(csv, /^0,"a,""b""",Conv2D,x,/m);
  });
});

describe('JSON', () => {
  it('writes the report with its layers: LeNet-5 as PyTorch 1.13 counts it (test/fixtures/reference/zoo.json)', async () => {
    const r = await report('lenet5');
    const { summary, layers } = split(r);
    const json = JSON.parse(toJson(summary, layers));
    assert.equal(json.model, 'lenet5');
    assert.equal(json.totals.params, 61_706);
    assert.equal(json.totals.macs, 416_520);
    assert.deepEqual(
      json.layers.filter((l: { macs: number }) => l.macs > 0).map((l: { macs: number; params: number }) => [l.macs, l.params]),
      [[117_600, 156], [240_000, 2_416], [48_000, 48_120], [10_080, 10_164], [840, 850]],
    );
  });
});

describe('savings sentence', () => {
  it('states GMACs saved and the ratio', () => {
    assert.equal(savingsSentence({ naiveMacs: 3_735_101_440, actualMacs: 891_226_112, savings: 4.190969 }), '1×1 reductions save 2.84 GMACs: 4.19× fewer than naive');
  });
  it('keeps three significant digits below one GMAC', () => {
    assert.equal(savingsSentence({ naiveMacs: 30_000_000, actualMacs: 10_000_000, savings: 3 }), '1×1 reductions save 0.0200 GMACs: 3.00× fewer than naive');
  });
});
