/**
 * "Compare architectures…" in the panel: model B (ResNeXt-50 32×4d) compared with model A (ResNet-50).
 * Shapes that differ are marked in the table (a class and A's shape beside B's) and in the diagram (a class
 * and "≠" on the node), the totals stand side by side, and the host computes the comparison from its own
 * run of B, sends it before "done" and replays it. torchvision: resnet50 has 25,557,032 parameters,
 * resnext50_32x4d 25,028,904 (its docs' "num_params"); its res2a 1×1 reduces to 128 channels, ResNet-50's to 64.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareReports, type Comparison } from '../../../extension/core/compare';
import { ArchitectureSession } from '../../../extension/vscode/architectureSession';
import { loadEngine } from '../../../extension/vscode/engineLoader';
import { zooProvider, type ModelSource } from '../../../extension/vscode/modelSources';
import { checkToPanel, type FromPanel, type ToPanel } from '../../../extension/protocol';
import { PanelModel } from '../../../webview/panel/model';
import { TableView } from '../../../webview/panel/tableView';
import { compareSummary } from '../../../webview/panel/compareSummary';
import { fromElk, renderSvg, toElkGraph, chainLayout, BLOCK_PREFIX } from '../../../webview/shared/diagram';
import { COMPARE_COLUMN, groupLayers, layerCells } from '../../../webview/shared/table';
import { installDom } from './dom';
import { report } from './fixtures';

let comparison: Comparison;
let dom: Awaited<ReturnType<typeof installDom>>;
before(async () => {
  dom = await installDom();
  comparison = compareReports(await report('resnet50'), await report('resnext50_32x4d'));
});
after(() => dom.remove());

const byName = () => new Map(comparison.layers.map((l) => [l.name, l]));

describe('the comparison, as the panel shows it', () => {
  it('res2a_branch2a: (None, 56, 56, 64) in A, (None, 56, 56, 128) in B; res2a_branch2c is 256 in both', () => {
    const m = byName();
    assert.deepEqual([m.get('res2a_branch2a')!.shapeA, m.get('res2a_branch2a')!.shapeB, m.get('res2a_branch2a')!.shapeChanged], ['(None, 56, 56, 64)', '(None, 56, 56, 128)', true]);
    assert.equal(m.get('res2a_branch2c')!.shapeChanged, false);
    assert.equal(comparison.totals.trainableParams.a, 25_557_032);
    assert.equal(comparison.totals.trainableParams.b, 25_028_904);
    assert.equal(comparison.layers.filter((l) => l.shapeChanged).length, 96);
  });

  it('crosses the protocol as a valid panel/compare message; a malformed one is refused', () => {
    const message = JSON.parse(JSON.stringify({ kind: 'panel/compare', comparison }));
    assert.equal(checkToPanel(message).ok, true);
    assert.equal(checkToPanel({ kind: 'panel/compare', comparison: null }).ok, true);
    const bad = checkToPanel({ kind: 'panel/compare', comparison: { ...message.comparison, layers: [{ name: 'x', status: 'weird' }] } });
    assert.equal(bad.ok, false);
  });

  it('the table marks B\'s rows whose shape differs and shows A\'s shape after B\'s', async () => {
    const b = await report('resnext50_32x4d');
    const scroller = document.createElement('div');
    document.body.append(scroller);
    const view = new TableView(scroller, { select: () => undefined, open: () => undefined, toggle: () => undefined, flushed: () => undefined });
    scroller.append(view.table);
    const groups = groupLayers(b.layers);
    view.complete(groups, b.totals, 1);
    view.setCompare(comparison.layers);
    const heads = [...view.table.querySelectorAll('thead th')].map((th) => th.textContent);
    assert.deepEqual(heads.slice(0, 5), ['Layer', 'Type', 'Output shape', 'Output in A', 'Params']);
    assert.deepEqual(view.columnIds.includes('shapeInA'), false, 'not part of the user\'s remembered choice');
    const row = view.table.querySelector('tr.layer[data-layer="res2a_branch2a"]')!;
    assert.ok(row.classList.contains('shape-changed'));
    assert.equal(row.querySelector('td.col-output')!.textContent, '(None, 56, 56, 128)');
    assert.equal(row.querySelector('td.col-shapeInA')!.textContent, '(None, 56, 56, 64)');
    const same = view.table.querySelector('tr.layer[data-layer="res2a_branch2c"]')!;
    assert.equal(same.classList.contains('shape-changed'), false);
    assert.equal(same.querySelector('td.col-shapeInA')!.textContent, 'same');
    assert.ok(view.table.querySelector('tr.group[data-group="res2a"]')!.classList.contains('shape-changed'));
    view.setCompare(null);
    assert.equal(view.table.querySelectorAll('.shape-changed, td.col-shapeInA').length, 0);
  });

  it('the diagram marks the nodes (and collapsed blocks) whose shapes differ with a class and "≠"', async () => {
    const b = await report('resnext50_32x4d');
    const compare = byName();
    const collapsed = toElkGraph(b.layers, b.input.slice(1), { compare, blockTypes: new Map(b.blocks.map((x) => [x.name, x.type])) });
    const block = collapsed.info.get(`${BLOCK_PREFIX}res2a`)!;
    assert.equal(block.differs, 'changed');
    // res2a_branch2a and res2a_branch2b, each with its batch norm and ReLU: 128 channels instead of 64.
    assert.match(block.tooltip, /6 of 12 layers have another output shape in A/);
    assert.equal(block.detail, 'bottleneck · 12 layers · 6 ≠ A');
    assert.doesNotMatch(block.shape, /≠/, "the block's own output is A's");
    assert.equal(collapsed.info.get(`${BLOCK_PREFIX}stem`)!.differs, undefined, 'the stem is the same in both');
    const svg = renderSvg(fromElk(chainLayout(collapsed.graph)!, collapsed.info));
    assert.match(svg, /<g class="node heat-\d block shape-changed" data-layer="block:res2a"/);
    assert.match(svg, /<g class="node heat-\d block" data-layer="block:stem"/);

    const expanded = toElkGraph(b.layers, b.input.slice(1), { compare, expanded: new Set(['res2a']) });
    const node = expanded.info.get('res2a_branch2a')!;
    assert.equal(node.differs, 'changed');
    assert.match(node.shape, /^≠ \(None, 56, 56, 128\)/);
    assert.match(node.tooltip, /in A: \(None, 56, 56, 64\)/);
    assert.equal(expanded.info.get('res2a_branch2c')!.differs, undefined);
  });

  it('the summary puts the totals side by side and counts the changed shapes', () => {
    let asked = 0;
    const section = compareSummary(comparison, 'exact', () => asked++);
    document.body.append(section);
    const row = (id: string) => [...section.querySelectorAll(`[data-testid=${id}] td`)].map((td) => td.textContent);
    assert.deepEqual(row('compare-trainable'), ['Trainable', '25,557,032', '25,028,904', '−528,128', '-2.1 %']);
    assert.equal(section.querySelector('[data-testid=compare-title]')!.textContent, 'A: resnet50 (None, 224, 224, 3) → B (this panel): resnext50_32x4d (None, 224, 224, 3)');
    assert.match(section.querySelector('[data-testid=compare-shapes]')!.textContent!, /^96 of B's 174 layers have another output shape in A/);
    (section.querySelector('[data-testid=open-comparison]') as HTMLElement).click();
    assert.equal(asked, 1);
  });

  it('a figure unknown in one model reads unknown in the summary, as does its change, and crosses the protocol', () => {
    const unknownTrainable = { ...comparison, totals: { ...comparison.totals, trainableParams: { a: 25_557_032, b: null, delta: null, relative: null } } };
    const section = compareSummary(unknownTrainable, 'exact', () => undefined);
    const row = [...section.querySelectorAll('[data-testid=compare-trainable] td')].map((td) => td.textContent);
    assert.deepEqual(row, ['Trainable', '25,557,032', 'unknown', 'unknown', 'unknown']);
    assert.equal(checkToPanel(JSON.parse(JSON.stringify({ kind: 'panel/compare', comparison: unknownTrainable }))).ok, true);
  });

  it('the cell of a layer only B has says so', () => {
    const l = { ...(comparison.layers[0]!), status: 'added' as const, shapeA: null, shapeChanged: false };
    const ctx = { totalMacs: null, totalParams: null, format: 'exact' as const, framework: 'keras' as const, compare: new Map([[l.name, l]]) };
    const cells = layerCells({ name: l.name } as never, ctx, [COMPARE_COLUMN]);
    assert.equal(cells.shapeInA, 'new in B');
  });
});

describe('the host compares its own run of B with A', { timeout: 60_000 }, () => {
  async function zoo(name: string): Promise<ModelSource> {
    return (await zooProvider().list()).find((s) => s.id === `zoo:${name}`)!;
  }

  it('panel/compare arrives before analysis/done, again on a replay; "Comparison as Markdown" opens the diff text', async () => {
    const toPanel: ToPanel[] = [];
    const opened: string[] = [];
    let model: PanelModel | undefined;
    const session = new ArchitectureSession(await zoo('resnext50_32x4d'), {
      post: (m) => {
        const copy = JSON.parse(JSON.stringify(m)) as ToPanel;
        toPanel.push(copy);
        setImmediate(() => model?.receive(copy));
      },
      engine: loadEngine,
      settings: () => ({ flopsPerMac: 2, numberFormat: 'exact', backend: 'cpu' }),
      exportContent: async () => undefined,
      openSource: () => undefined,
      log: () => undefined,
      openMarkdown: (md) => opened.push(md),
    });
    session.compareWith(await report('resnet50'));
    model = new PanelModel((m: FromPanel) => setImmediate(() => session.handle(JSON.parse(JSON.stringify(m)))));
    model.ready();
    await session.run();
    while (model.status !== 'done') await new Promise((r) => setTimeout(r, 2));
    const kinds = toPanel.map((m) => m.kind);
    assert.equal(kinds.indexOf('panel/compare'), kinds.indexOf('analysis/done') - 1);
    assert.equal(model.comparison?.layers.filter((l) => l.shapeChanged).length, 96);
    model.openComparison();
    while (opened.length === 0) await new Promise((r) => setTimeout(r, 2));
    assert.match(opened[0]!, /\| Trainable parameters \| 25,557,032 \| 25,028,904 \| -528,128 \| -2\.1 % \|/);
    // The webview reloads: the replay brings the comparison back before "done".
    toPanel.length = 0;
    model.ready();
    while (!toPanel.some((m) => m.kind === 'analysis/done')) await new Promise((r) => setTimeout(r, 2));
    const replay = toPanel.map((m) => m.kind);
    assert.equal(replay.indexOf('panel/compare'), replay.indexOf('analysis/done') - 1);
  });
});
