/** The table's row model: block grouping while streaming, collapse, cells and the % of MACs. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendLayer, chosenColumns, DEFAULT_COLUMNS, groupCells, groupLayers, layerCells, visibleRows, type CellContext, type LayerGroup, type TableRow } from '../../../webview/shared/table';
import { layer, report } from './fixtures';
import { analyzeModel } from '../../../extension/core/analyze';
import { SpecBuilder } from '../../../extension/core/spec';
import type { LayerResult } from '../../../extension/core/result';

describe('grouping layers into blocks', () => {
  it('groups consecutive layers of a block and keeps top-level layers apart', () => {
    const groups = groupLayers([
      layer({ name: 'a', block: null, macs: 1 }),
      layer({ name: 'b1', block: 'b', macs: 2, params: 3 }),
      layer({ name: 'b2', block: 'b', macs: 4, params: 5 }),
      layer({ name: 'c', block: null, macs: 8 }),
    ]);
    assert.deepEqual(
      groups.map((g) => [g.key, g.block, g.layers.map((l) => l.name), g.macs, g.params]),
      [
        ['(top level 0)', null, ['a'], 1, 0],
        ['b', 'b', ['b1', 'b2'], 6, 8],
        ['(top level 2)', null, ['c'], 8, 0],
      ],
    );
  });

  it('gives a block name that recurs later a distinct key', () => {
    const groups = groupLayers([layer({ name: 'x', block: 'b' }), layer({ name: 'y', block: null }), layer({ name: 'z', block: 'b' })]);
    assert.deepEqual(
      groups.map((g) => g.key),
      ['b', '(top level 1)', 'b #2'],
    );
  });

  it('streams: appendLayer reports new groups once', () => {
    const groups: LayerGroup[] = [];
    const created = ['p', 'q', 'r'].map((name, i) => appendLayer(groups, layer({ name, block: i < 2 ? 'one' : 'two' })).created);
    assert.deepEqual(created, [true, false, true]);
  });

  it('ResNet-50 has 16 bottleneck blocks plus stem, every block totals its layers', async () => {
    const r = await report('resnet50');
    const groups = groupLayers(r.layers).filter((g) => g.block !== null);
    assert.equal(groups.filter((g) => g.key.startsWith('res')).length, 16);
    for (const block of r.blocks) {
      const g = groups.find((x) => x.block === block.name);
      assert.ok(g, `group for ${block.name}`);
      assert.equal(g.macs, block.macs, `${block.name} MACs`);
      assert.equal(g.params, block.params, `${block.name} params`);
    }
  });
});

describe('visible rows and collapse', () => {
  const groups = groupLayers([layer({ name: 'top', block: null }), layer({ name: 'b1', block: 'b' }), layer({ name: 'b2', block: 'b' })]);
  it('shows a header per block, then its layers; top-level layers have no header', () => {
    assert.deepEqual(
      visibleRows(groups, new Set()).map((r) => (r.kind === 'group' ? `[${r.group.key}]` : r.layer.name)),
      ['top', '[b]', 'b1', 'b2'],
    );
  });
  it('a collapsed block shows only its header', () => {
    const rows = visibleRows(groups, new Set(['b']));
    assert.deepEqual(
      rows.map((r) => (r.kind === 'group' ? `[${r.group.key}${r.collapsed ? '+' : ''}]` : r.layer.name)),
      ['top', '[b+]'],
    );
  });
});

const exact = (totalMacs: number | null = null, totalParams: number | null = null): CellContext => ({ totalMacs, totalParams, format: 'exact', framework: 'keras' });

describe('cells', () => {
  it('VGG16 block1_conv1 in both number formats, with its share once the total is known', async () => {
    const r = await report('vgg16');
    const conv = r.layers.find((l) => l.name === 'block1_conv1')!;
    const cells = layerCells(conv, exact());
    assert.deepEqual(
      { name: cells.name, type: cells.type, output: cells.output, params: cells.params, macs: cells.macs, share: cells.share, activation: cells.activation },
      { name: 'block1_conv1', type: 'Conv2D', output: '(None, 224, 224, 64)', params: '1,792', macs: '86,704,128', share: '—', activation: '12.3 MiB' },
    );
    const si = layerCells(conv, { ...exact(r.totals.macs, r.totals.params), format: 'si' });
    assert.equal(si.macs, '86.7 M');
    assert.equal(si.share, '0.56 %');
    // Bytes are binary whatever the count format: 224·224·64·4 B = 12,845,056 B = 12.25 MiB.
    assert.equal(si.activation, '12.3 MiB');
  });

  it('the optional columns: input shape, kernel, stride, padding, trainable split, % params, RF, jump, connected to', async () => {
    const r = await report('resnet50');
    const conv = r.layers.find((l) => l.name === 'res2a_branch2b')!;
    const bn = r.layers.find((l) => l.name === 'bn2a_branch2b')!;
    const c = layerCells(conv, exact(r.totals.macs, r.totals.params));
    assert.equal(c.input, '(None, 56, 56, 64)');
    assert.equal(c.kernel, '3×3');
    assert.equal(c.stride, '1×1');
    assert.equal(c.padding, 'same');
    assert.equal(c.params, '36,864'); // 3·3·64·64, no bias (torchvision)
    assert.equal(c.connected, 'res2a_branch2a_relu');
    assert.equal(c.rf, String(conv.receptiveField));
    assert.equal(c.jump, '4');
    // Keras counts batch norm's moving mean and variance as non-trainable: 2·64 of its 4·64.
    const b = layerCells(bn, exact(r.totals.macs, r.totals.params));
    assert.equal(b.trainable, '128');
    assert.equal(b.nonTrainable, '128');
    assert.equal(b.paramsShare, '<0.1 %');
    const add = layerCells(r.layers.find((l) => l.name === 'res2a')!, exact());
    assert.equal(add.input, '(None, 56, 56, 256); (None, 56, 56, 256)');
  });

  it('PyTorch models read (N, C, H, W) in the table', () => {
    const cells = layerCells(layer({ name: 'conv1', outputShape: [112, 112, 64], inputShapes: [[224, 224, 3]] }), { ...exact(), framework: 'pytorch' });
    assert.equal(cells.output, '(N, 64, 112, 112)');
    assert.equal(cells.input, '(N, 3, 224, 224)');
  });

  it("a layer's share is of the whole model: inception_3a/5x5 in GoogLeNet", async () => {
    const r = await report('googlenet');
    const conv = r.layers.find((l) => l.name === 'inception_3a/5x5')!;
    // 28·28·32·5·5·16 = 10,035,200 MACs (Szegedy et al. 2014, Table 1) of the model's 1,582,671,872 (README): 0.634 %.
    assert.equal(layerCells(conv, exact(r.totals.macs, r.totals.params)).share, '0.63 %');
    assert.equal(r.totals.macs, 1_582_671_872);
  });

  it('a block header shows the block totals and its type and size', async () => {
    const r = await report('googlenet');
    const g = groupLayers(r.layers).find((x) => x.block === 'inception_3a')!;
    const cells = groupCells(g, 'inception', exact(r.totals.macs, r.totals.params));
    assert.equal(cells.name, 'inception_3a');
    assert.equal(cells.type, 'inception · 8 layers');
    assert.equal(cells.output, '(None, 28, 28, 256)');
    assert.equal(cells.macs, '128,049,152');
    assert.equal(cells.params, '163,696');
  });

  it('marks a layer with an issue', () => {
    const cells = layerCells(layer({ name: 'bad', outputShape: null, error: { layer: 'bad', kind: 'collapse', message: 'too small', source: null } }), exact());
    assert.equal(cells.output, 'unknown ⚠');
  });

  it('the chosen columns keep the table order, always include the name and drop unknown ids', () => {
    assert.deepEqual(chosenColumns(['macs', 'type', 'gone']).map((c) => c.id), ['name', 'type', 'macs']);
    assert.deepEqual(chosenColumns(null).map((c) => c.id), [...DEFAULT_COLUMNS]);
    assert.deepEqual([...DEFAULT_COLUMNS], ['name', 'type', 'output', 'params', 'macs', 'share', 'activation']);
  });
});

describe('search and sort', () => {
  const groups = groupLayers([
    layer({ name: 'stem_conv', index: 0, block: null, macs: 50, params: 1 }),
    layer({ name: 'a_conv', index: 1, block: 'a', macs: 10, params: 9 }),
    layer({ name: 'a_bn', index: 2, block: 'a', type: 'BatchNormalization', macs: 0, params: 4 }),
    layer({ name: 'b_conv', index: 3, block: 'b', macs: 30, params: 2 }),
    layer({ name: 'b_pool', index: 4, block: 'b', type: 'MaxPooling2D', macs: 0, params: 0 }),
  ]);
  const names = (rows: TableRow[]): string[] => rows.map((r) => (r.kind === 'group' ? `[${r.group.key}]` : r.layer.name));

  it('filters by name, type or block, case-insensitively, opening the blocks that match', () => {
    assert.deepEqual(names(visibleRows(groups, { collapsed: new Set(['a', 'b']), search: 'CONV' })), ['stem_conv', '[a]', 'a_conv', '[b]', 'b_conv']);
    assert.deepEqual(names(visibleRows(groups, { collapsed: new Set(), search: 'batchnorm' })), ['[a]', 'a_bn']);
    assert.deepEqual(names(visibleRows(groups, { collapsed: new Set(), search: 'b' })), ['[a]', 'a_bn', '[b]', 'b_conv', 'b_pool']);
    assert.deepEqual(names(visibleRows(groups, { collapsed: new Set(), search: 'nothing' })), []);
  });

  it('sorts within blocks: blocks by their totals, layers inside each', () => {
    const rows = visibleRows(groups, { collapsed: new Set(), sort: { column: 'macs', descending: true, scope: 'blocks' } });
    assert.deepEqual(names(rows), ['stem_conv', '[b]', 'b_conv', 'b_pool', '[a]', 'a_conv', 'a_bn']);
    const up = visibleRows(groups, { collapsed: new Set(), sort: { column: 'params', descending: false, scope: 'blocks' } });
    assert.deepEqual(names(up), ['stem_conv', '[b]', 'b_pool', 'b_conv', '[a]', 'a_bn', 'a_conv']);
  });

  it('sorts flat: every layer in one list, no block headers, ties in model order', () => {
    const rows = visibleRows(groups, { collapsed: new Set(['a']), sort: { column: 'macs', descending: true, scope: 'flat' } });
    assert.deepEqual(names(rows), ['stem_conv', 'b_conv', 'a_conv', 'a_bn', 'b_pool']);
  });

  it('unknown values sort last both ways', () => {
    const g = groupLayers([layer({ name: 'x', receptiveField: null }), layer({ name: 'y', index: 1, receptiveField: 5 }), layer({ name: 'z', index: 2, receptiveField: 3 })]);
    for (const descending of [true, false]) {
      const rows = visibleRows(g, { collapsed: new Set(), sort: { column: 'rf', descending, scope: 'flat' } });
      assert.equal(names(rows).at(-1), 'x');
    }
  });

  it('ResNet-152: "branch2b" finds the 50 3×3 convolutions and their batch norms and ReLUs', async () => {
    const r = await report('resnet152');
    const rows = visibleRows(groupLayers(r.layers), { collapsed: new Set(), search: 'branch2b' }).filter((x) => x.kind === 'layer');
    // 3 + 8 + 36 + 3 = 50 bottlenecks, each with res*_branch2b, bn*_branch2b and res*_branch2b_relu.
    assert.equal(rows.length, 150);
  });
});

describe('the kernel / stride / padding / dilation / groups columns (issue 8)', () => {
  const ctx: CellContext = { totalMacs: null, totalParams: null, format: 'exact', framework: 'keras' };
  const cells = (l: LayerResult) => layerCells(l, ctx, chosenColumns(['kernel', 'stride', 'padding', 'dilation', 'groups']));

  it('ResNeXt-50 32×4d: its 3×3 convolutions have 32 groups (torchvision resnext50_32x4d: groups=32), 1×1s have 1', async () => {
    const r = await report('resnext50_32x4d');
    const grouped = r.layers.find((l) => l.name === 'res2a_branch2b')!;
    assert.deepEqual(
      [cells(grouped).kernel, cells(grouped).stride, cells(grouped).dilation, cells(grouped).groups],
      ['3×3', '1×1', '1×1', '32'],
    );
    assert.equal(cells(r.layers.find((l) => l.name === 'res2a_branch2a')!).groups, '1');
    const dense = r.layers.find((l) => l.type === 'Dense')!;
    assert.deepEqual([cells(dense).kernel, cells(dense).dilation, cells(dense).groups], ['', '', '']);
  });

  it('MobileNetV2: a depthwise convolution has one group per input channel (PyTorch Conv2d(32, 32, 3, groups=32))', async () => {
    const r = await report('mobilenet_v2');
    const dw = r.layers.find((l) => l.type === 'DepthwiseConv2D')!;
    assert.deepEqual(dw.inputShapes[0], [112, 112, 32]);
    assert.equal(cells(dw).groups, '32');
  });

  it('a dilated convolution shows its dilation; the engine gives the dilated output size', async () => {
    const b = new SpecBuilder('dilated', [32, 32, 3]);
    b.add('Conv2D', 'atrous', { filters: 8, kernelSize: 3, dilationRate: 2 }, 'input');
    const r = await analyzeModel(b.build(), { backend: 'cpu' });
    const atrous = r.layers[0]!;
    // Keras: a 3×3 kernel dilated by 2 spans 5 pixels, so 'valid' on 32 gives 28.
    assert.deepEqual(atrous.outputShape, [28, 28, 8]);
    assert.deepEqual([cells(atrous).kernel, cells(atrous).dilation, cells(atrous).padding, cells(atrous).groups], ['3×3', '2×2', 'valid', '1']);
  });

  it('the chooser offers both new columns, off by default', () => {
    assert.ok(chosenColumns(['dilation', 'groups']).some((c) => c.id === 'dilation'));
    assert.equal(DEFAULT_COLUMNS.includes('dilation') || DEFAULT_COLUMNS.includes('groups'), false);
  });
});

describe('unknown counts', () => {
  const ctx: CellContext = { totalMacs: null, totalParams: null, format: 'exact', framework: 'pytorch' };
  it('a layer whose params or MACs are unknown reads "unknown", never the 0 its number field holds', () => {
    const cells = layerCells(layer({ name: 'u', params: 0, macs: 0, unknown: { params: true, macs: true } }), ctx);
    assert.deepEqual([cells.params, cells.trainable, cells.nonTrainable, cells.macs], ['unknown', 'unknown', 'unknown', 'unknown']);
    const split = layerCells(layer({ name: 's', params: 90, macs: 80, unknown: { trainable: true } }), ctx);
    assert.deepEqual([split.params, split.trainable, split.nonTrainable, split.macs], ['90', 'unknown', 'unknown', '80']);
  });

  it('a block with some unknown layers sums to "≥ n", with all unknown to "unknown"', () => {
    const [g] = groupLayers([layer({ name: 'a', block: 'b', params: 5 }), layer({ name: 'c', block: 'b', params: 0, unknown: { params: true } })]);
    assert.equal(groupCells(g!, null, ctx).params, '≥ 5');
    const [all] = groupLayers([layer({ name: 'c', block: 'b', params: 0, unknown: { params: true } })]);
    assert.equal(groupCells(all!, null, ctx).params, 'unknown');
  });
});
