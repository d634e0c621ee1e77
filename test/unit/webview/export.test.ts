/** The panel's own export (the visible rows as Markdown) and the savings sentence; whole reports are the core's (test/unit/core). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { savingsSentence, visibleRowsMarkdown } from '../../../webview/shared/export';
import { chosenColumns, groupLayers, visibleRows, type CellContext } from '../../../webview/shared/table';
import { toCsv } from '../../../extension/core/report/csv';
import { toJsonReport } from '../../../extension/core/report/json';
import { analyzeModel } from '../../../extension/core/analyze';
import { layer, report } from './fixtures';

describe('Copy table: the visible rows as Markdown', () => {
  it('VGG16 filtered to "pool": a caption, the chosen columns, five pooling rows under their blocks', async () => {
    const r = await report('vgg16');
    const groups = groupLayers(r.layers);
    const rows = visibleRows(groups, { collapsed: new Set(), search: 'pool' });
    const ctx: CellContext = { totalMacs: r.totals.macs, totalParams: r.totals.params, format: 'exact', framework: 'keras' };
    const md = visibleRowsMarkdown('vgg16: 10 rows shown', rows, chosenColumns(['name', 'output', 'params']), ctx, new Map());
    const lines = md.trimEnd().split('\n');
    assert.equal(lines[0], 'vgg16: 10 rows shown');
    assert.equal(lines[2], '| Layer | Output shape | Params |');
    assert.equal(lines[3], '|---|---|---:|');
    assert.equal(lines.length, 4 + rows.length);
    assert.ok(lines.includes('| block5_pool | (None, 7, 7, 512) | 0 |'), md);
    assert.ok(lines.includes('| **block5** | **(None, 7, 7, 512)** | **7,079,424** |'), md);
  });

  it('a collapsed block is one bold row; pipes in names are escaped', () => {
    const groups = groupLayers([layer({ name: 'a|b', block: 'blk' }), layer({ name: 'c', block: 'blk' })]);
    const ctx: CellContext = { totalMacs: null, totalParams: null, format: 'exact', framework: 'keras' };
    const collapsed = visibleRowsMarkdown('t', visibleRows(groups, new Set(['blk'])), chosenColumns(['name']), ctx, new Map([['blk', 'residual']]));
    assert.deepEqual(collapsed.trimEnd().split('\n').slice(2), ['| Layer |', '|---|', '| **blk** |']);
    const open = visibleRowsMarkdown('t', visibleRows(groups, new Set()), chosenColumns(['name']), ctx, new Map());
    assert.match(open, /\| a\\\|b \|/);
  });
});

describe('CSV (the core exporter the panel saves with)', () => {
  it('has a header and raw numbers per layer, shapes batch first', async () => {
    const r = await report('vgg16');
    const lines = toCsv(r).trimEnd().split('\r\n');
    assert.equal(lines[0], 'index,name,type,block,inputs,output_shape,params,trainable_params,non_trainable_params,macs,flops_2_per_mac,macs_share,activation_bytes,kernel,strides,dilation,groups,padding,receptive_field,jump,error');
    assert.equal(lines[1], '0,block1_conv1,Conv2D,block1,input,"[null,224,224,64]",1792,1792,0,86704128,173408256,0.005605,12845056,3x3,1x1,1x1,,same,3,1,');
    assert.equal(lines.length, r.layers.length + 1);
  });
  it('gives a convolution\'s dilation and groups, in CSV and in JSON', async () => {
    // Keras: Conv2D(8, 3, dilation_rate=2, groups=2) on 16×16×4 is 3·3·2·8 + 8 = 152 params, output 12×12×8.
    const spec = { name: 'dilated', input: [16, 16, 4], layers: [{ name: 'c', type: 'Conv2D', args: { filters: 8, kernelSize: 3, dilationRate: 2, groups: 2 }, inputs: ['input'] }] };
    const r = await analyzeModel(spec, { backend: 'cpu' });
    const row = toCsv(r).trimEnd().split('\r\n')[1]!;
    assert.match(row, /^0,c,Conv2D,.*,"\[null,12,12,8\]",152,.*,3x3,1x1,2x2,2,valid,/);
    const json = toJsonReport(r) as { layers: { dilation: unknown; groups: unknown }[] };
    assert.deepEqual([json.layers[0]!.dilation, json.layers[0]!.groups], [[2, 2], 2]);
  });
  it('quotes fields with commas and quotes', async () => {
    const r = await report('lenet5');
    const csv = toCsv({ ...r, layers: [layer({ name: 'a,"b"', block: 'x' })] });
    assert.match(csv, /^0,"a,""b""",Conv2D,x,/m);
  });
});

describe('savings sentence', () => {
  it('states the MACs saved and the ratio', () => {
    assert.equal(savingsSentence({ naiveMacs: 3_735_101_440, actualMacs: 891_226_112, savings: 4.190969 }), '1×1 reductions save 2.84 GMACs: 4.19× fewer than naive');
  });
  it('picks the prefix per value: 20.0 MMACs, not 0.0200 GMACs', () => {
    assert.equal(savingsSentence({ naiveMacs: 30_000_000, actualMacs: 10_000_000, savings: 3 }), '1×1 reductions save 20.0 MMACs: 3.00× fewer than naive');
  });
});
