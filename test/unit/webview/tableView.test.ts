/**
 * The virtual table in a DOM (happy-dom): only the rows in view are in the document whatever the model's
 * size, header clicks sort, the search filters, columns can be chosen, block headers collapse, selecting a
 * hidden layer opens its block. No layout here: the view draws the rows of an 800 px pane.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { installDom } from './dom';
import { groupLayers, type LayerGroup } from '../../../webview/shared/table';
import { TableView } from '../../../webview/panel/tableView';
import { layer, report } from './fixtures';

let dom: Awaited<ReturnType<typeof installDom>>;

before(async () => {
  dom = await installDom();
});
after(() => dom.remove());

function mount(groups: LayerGroup[], totals = { macs: groups.reduce((a, g) => a + g.macs, 0), params: groups.reduce((a, g) => a + g.params, 0) }) {
  const scroller = document.createElement('div');
  document.body.append(scroller);
  const events: string[] = [];
  const view = new TableView(scroller, {
    select: (l) => events.push(`select ${l}`),
    open: (l) => events.push(`open ${l}`),
    toggle: (k, c) => events.push(`toggle ${k} ${c}`),
    flushed: () => undefined,
    sorted: (s) => events.push(`sort ${s ? `${s.column} ${s.descending ? 'desc' : 'asc'}` : 'off'}`),
  });
  scroller.append(view.table);
  view.complete(groups, totals, 1);
  return { view, scroller, events, rowNames: () => [...view.table.querySelectorAll('tbody tr:not(.spacer)')].map((tr) => (tr as HTMLElement).dataset.layer ?? `[${(tr as HTMLElement).dataset.group}]`) };
}

/** 5,000 layers in 500 blocks of ten. */
function bigModel(): LayerGroup[] {
  return groupLayers(Array.from({ length: 5000 }, (_, i) => layer({ name: `layer_${i}`, index: i, block: `block_${Math.floor(i / 10)}`, macs: (i * 7919) % 1000, params: i })));
}

describe('the virtual table in a DOM', () => {
  it('5,000 layers: the table knows 5,500 rows but only the rows in view are in the document', () => {
    const { view, rowNames } = mount(bigModel());
    assert.equal(view.table.dataset.rows, '5500');
    const inDom = rowNames();
    // 800 px / 22 px ≈ 37 rows plus 12 below the view.
    assert.ok(inDom.length > 30 && inDom.length < 60, `${inDom.length} rows in the DOM`);
    assert.deepEqual(inDom.slice(0, 3), ['[block_0]', 'layer_0', 'layer_1']);
    // The spacer below stands for every row not drawn.
    const bottom = view.table.querySelector('tr.spacer.bottom td') as HTMLElement;
    assert.equal(bottom.style.height, `${(5500 - inDom.length) * 22}px`);
  });

  it('the header shows the default columns; clicking MACs sorts largest first, again smallest first, then model order', async () => {
    const r = await report('googlenet');
    const { view, events, rowNames } = mount(groupLayers(r.layers), { macs: r.totals.macs, params: r.totals.params });
    const headers = [...view.table.querySelectorAll('thead th')].map((th) => th.textContent);
    assert.deepEqual(headers, ['Layer', 'Type', 'Output shape', 'Params', 'MACs', '% MACs', 'Activation']);
    const macs = view.table.querySelector('th[data-column="macs"]') as HTMLElement;
    macs.click();
    view.setSort({ column: 'macs', descending: true, scope: 'flat' });
    const heaviest = [...r.layers].sort((a, b) => b.macs - a.macs || a.index - b.index)[0]!.name;
    assert.equal(rowNames()[0], heaviest);
    assert.equal((view.table.querySelector('th[data-column="macs"]') as HTMLElement).getAttribute('aria-sort'), 'descending');
    (view.table.querySelector('th[data-column="macs"]') as HTMLElement).click();
    assert.equal((view.table.querySelector('th[data-column="macs"]') as HTMLElement).getAttribute('aria-sort'), 'ascending');
    (view.table.querySelector('th[data-column="macs"]') as HTMLElement).click();
    assert.equal(view.sort, null);
    assert.deepEqual(events.filter((e) => e.startsWith('sort')), ['sort macs desc', 'sort macs asc', 'sort off']);
    // A text column does not sort.
    (view.table.querySelector('th[data-column="type"]') as HTMLElement).click();
    assert.equal(view.sort, null);
  });

  it('the search keeps the matching layers and counts them', async () => {
    const r = await report('googlenet');
    const { view, rowNames } = mount(groupLayers(r.layers));
    view.search = '5x5_reduce';
    view.rebuild();
    // One 5×5 reduction per inception module: 9 modules.
    assert.equal(view.table.dataset.layerRows, '9');
    assert.ok(rowNames().filter((n) => !n.startsWith('[')).every((n) => n.endsWith('5x5_reduce')));
  });

  it('chosen columns replace the header and the cells', async () => {
    const r = await report('resnet50');
    const { view } = mount(groupLayers(r.layers));
    view.setColumns(['name', 'kernel', 'stride', 'rf', 'connected']);
    assert.deepEqual([...view.table.querySelectorAll('thead th')].map((th) => th.textContent), ['Layer', 'Kernel', 'Stride', 'RF', 'Connected to']);
    const conv1 = view.table.querySelector('tr[data-layer="conv1"]') as HTMLElement;
    assert.deepEqual([...conv1.querySelectorAll('td')].map((td) => td.textContent), ['conv1', '7×7', '2×2', '7', 'input']);
    assert.equal(view.table.querySelectorAll('colgroup col').length, 5);
  });

  it('a click on a block header collapses it; selecting a layer inside opens it again', () => {
    const groups = groupLayers([layer({ name: 'a1', block: 'a' }), layer({ name: 'a2', index: 1, block: 'a' }), layer({ name: 't', index: 2 })]);
    const { view, events, rowNames } = mount(groups);
    (view.table.querySelector('tr.group[data-group="a"] td') as HTMLElement).click();
    assert.deepEqual(rowNames(), ['[a]', 't']);
    view.select('a2', true);
    assert.deepEqual(rowNames(), ['[a]', 'a1', 'a2', 't']);
    assert.equal((view.table.querySelector('tr[data-layer="a2"]') as HTMLElement).getAttribute('aria-selected'), 'true');
    assert.deepEqual(events, ['toggle a true', 'toggle a false']);
  });

  it('a row click selects, a double click opens the source, arrows move the selection', () => {
    const groups = groupLayers([layer({ name: 'x' }), layer({ name: 'y', index: 1 })]);
    const { view, events } = mount(groups);
    const x = view.table.querySelector('tr[data-layer="x"] td') as HTMLElement;
    x.click();
    x.dispatchEvent(new MouseEvent('dblclick', { bubbles: true }));
    x.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    assert.deepEqual(events, ['select x', 'open x', 'select y']);
  });
});
