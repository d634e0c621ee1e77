/** The table's row model: block grouping while streaming, collapse, cells and the % of MACs. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendLayer, groupCells, groupLayers, groupOf, layerCells, visibleRows, type LayerGroup } from '../../../webview/shared/table';
import { layer, report } from './fixtures';

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
  it('finds the group of a layer (to expand it when the diagram selects the layer)', () => {
    assert.equal(groupOf(groups, 'b2')?.key, 'b');
    assert.equal(groupOf(groups, 'nope'), undefined);
  });
});

describe('cells', () => {
  it('VGG16 block1_conv1 in both number formats, with its share once the total is known', async () => {
    const r = await report('vgg16');
    const conv = r.layers.find((l) => l.name === 'block1_conv1')!;
    assert.deepEqual(layerCells(conv, null, 'exact'), {
      name: 'block1_conv1',
      type: 'Conv2D',
      output: '224×224×64',
      params: '1,792',
      macs: '86,704,128',
      share: '—',
      activation: '12,845,056 B',
    });
    const si = layerCells(conv, r.totals.macs, 'si');
    assert.equal(si.macs, '86.7 M');
    assert.equal(si.share, '0.56 %');
    assert.equal(si.activation, '12.8 MB');
  });

  it("a layer's share is of the whole model: inception_3a/5x5 in GoogLeNet", async () => {
    const r = await report('googlenet');
    const conv = r.layers.find((l) => l.name === 'inception_3a/5x5')!;
    // 28·28·32·5·5·16 = 10,035,200 MACs (Szegedy et al. 2014, Table 1) of the model's 1,582,671,872 (README): 0.634 %.
    assert.equal(layerCells(conv, r.totals.macs, 'exact').share, '0.63 %');
    assert.equal(r.totals.macs, 1_582_671_872);
  });

  it('a block header shows the block totals and its type and size', async () => {
    const r = await report('googlenet');
    const g = groupLayers(r.layers).find((x) => x.block === 'inception_3a')!;
    const cells = groupCells(g, 'inception', r.totals.macs, 'exact');
    assert.equal(cells.name, 'inception_3a');
    assert.equal(cells.type, 'inception · 8 layers');
    assert.equal(cells.output, '28×28×256');
    assert.equal(cells.macs, '128,049,152');
    assert.equal(cells.params, '163,696');
  });

  it('marks a layer with an issue', () => {
    const cells = layerCells(layer({ name: 'bad', outputShape: null, error: { layer: 'bad', kind: 'collapse', message: 'too small', source: null } }), null, 'exact');
    assert.equal(cells.output, 'unknown ⚠');
  });
});
