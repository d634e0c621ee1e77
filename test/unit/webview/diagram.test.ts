/** The diagram: DAG to ELK graph (branches and skips), SVG drawing and export, the heat-map scale. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ELK from 'elkjs/lib/elk.bundled.js';
import { escapeXml, fromElk, INPUT_NODE, renderSvg, standaloneStyle, toElkGraph } from '../../../webview/shared/diagram';
import { HEAT_LEVELS, heatFills, heatLevel, heatThresholds, mixColor, parseColor } from '../../../webview/shared/heat';
import { layer, report } from './fixtures';

describe('ELK graph', () => {
  it('GoogLeNet: an inception module fans out into four branches and concatenates them', async () => {
    const r = await report('googlenet');
    const g = toElkGraph(r.layers, r.input.slice(1));
    assert.equal(g.children?.length, r.layers.length + 1);
    assert.equal(g.children?.[0]?.id, INPUT_NODE);
    const concat = r.layers.find((l) => l.block === 'inception_3a' && l.type === 'Concatenate')!;
    const into = (g.edges ?? []).filter((e) => e.targets[0] === concat.name);
    assert.equal(into.length, 4);
    // Every edge is labelled with the shape that flows along it.
    for (const e of into) assert.match(e.labels?.[0]?.text ?? '', /^28×28×\d+$/);
  });

  it('ResNet-18: residual skips are edges into Add layers from two producers', async () => {
    const r = await report('resnet18');
    const g = toElkGraph(r.layers, r.input.slice(1));
    const adds = r.layers.filter((l) => l.type === 'Add');
    assert.equal(adds.length, 8);
    for (const add of adds) assert.equal((g.edges ?? []).filter((e) => e.targets[0] === add.name).length, 2, add.name);
  });

  it('lays out and draws VGG16 with one node per layer, nodes tagged for selection', async () => {
    const r = await report('vgg16');
    const laid = fromElk(await new ELK().layout(toElkGraph(r.layers, [224, 224, 3])));
    assert.equal(laid.nodes.length, r.layers.length + 1);
    assert.ok(laid.width > 0 && laid.height > laid.width, 'a chain lays out top-down');
    for (const e of laid.edges) assert.ok(e.points.length >= 2, `edge ${e.id} routed`);
    const svg = renderSvg(laid, r.layers, { totalMacs: r.totals.macs, selected: 'fc1' });
    assert.equal(svg.match(/<g class="node /g)?.length, r.layers.length + 1);
    assert.match(svg, /<g class="node heat-\d selected" data-layer="fc1"/);
    assert.match(svg, /data-layer="block5_conv3"/);
    assert.match(svg, /<text class="edge-label"[^>]*>224×224×64<\/text>/);
    assert.doesNotMatch(svg, /<style>/, 'the panel styles the SVG with theme CSS');
  });
});

describe('SVG export', () => {
  const layout = { width: 100, height: 50, nodes: [{ id: '<evil>&"', x: 0, y: 0, width: 90, height: 36 }], edges: [] };
  it('escapes model-provided names', () => {
    const svg = renderSvg(layout, [layer({ name: '<evil>&"', macs: 5 })], { totalMacs: 5 });
    assert.doesNotMatch(svg, /<evil>/);
    assert.match(svg, /data-layer="&lt;evil&gt;&amp;&quot;"/);
    assert.equal(escapeXml(`a<b>&'"`), 'a&lt;b&gt;&amp;&#39;&quot;');
  });
  it('a standalone export embeds resolved colours for every heat level', () => {
    const style = standaloneStyle({ background: [30, 30, 30], foreground: '#cccccc', border: '#444444', edge: '#888888', hot: [209, 134, 22], font: 'sans-serif' });
    const svg = renderSvg(layout, [layer({ name: '<evil>&"', macs: 5 })], { totalMacs: 5, style });
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svg, /<style>svg\{background:rgb\(30,30,30\)/);
    for (let i = 0; i < HEAT_LEVELS; i++) assert.match(svg, new RegExp(`\\.heat-${i} rect\\{fill:#[0-9a-f]{6};\\}`));
    assert.doesNotMatch(svg, /var\(--/);
  });
});

describe('heat map', () => {
  it('level 0 for no MACs, the top level for the heaviest layer, monotonic in between', () => {
    // Six levels (media/common.css draws 0, 12, 24, 36, 48 and 60 % of the hot colour).
    assert.equal(HEAT_LEVELS, 6);
    assert.equal(heatLevel(0, 100), 0);
    assert.equal(heatLevel(100, 100), 5);
    let previous = 0;
    for (let macs = 1; macs <= 100; macs++) {
      const level = heatLevel(macs, 100);
      assert.ok(level >= previous && level >= 1, `${macs}`);
      previous = level;
    }
  });
  it('uses a square-root scale: a quarter of the heaviest layer is mid-scale', () => {
    // Levels 1–5 split the square root of the share in fifths: sqrt(0.25) = 0.5 → 3, sqrt(0.64) = 0.8 → 4 (its
    // top), a hair above → 5; sqrt(0.04) = 0.2 → 1, sqrt(0.05) ≈ 0.22 → 2.
    assert.equal(heatLevel(25, 100), 3);
    assert.equal(heatLevel(64, 100), 4);
    assert.equal(heatLevel(65, 100), 5);
    assert.equal(heatLevel(4, 100), 1);
    assert.equal(heatLevel(5, 100), 2);
    assert.deepEqual(
      heatThresholds().map((t) => Number(t.toFixed(6))),
      [0, 0.04, 0.16, 0.36, 0.64],
    );
  });
  it('mixes colours like CSS color-mix in sRGB', () => {
    assert.equal(mixColor([0, 0, 0], [255, 255, 255], 50), '#808080');
    assert.equal(mixColor([255, 255, 255], [209, 134, 22], 0), '#ffffff');
    const fills = heatFills([255, 255, 255], [209, 134, 22]);
    assert.equal(fills.length, HEAT_LEVELS);
    assert.equal(fills[HEAT_LEVELS - 1], mixColor([255, 255, 255], [209, 134, 22], 60));
  });
  it('parses theme colours', () => {
    assert.deepEqual(parseColor('#1f1f1f'), [31, 31, 31]);
    assert.deepEqual(parseColor('#fff'), [255, 255, 255]);
    assert.deepEqual(parseColor('#d1861680'), [209, 134, 22]);
    assert.deepEqual(parseColor('rgb(10, 20, 30)'), [10, 20, 30]);
    assert.deepEqual(parseColor('rgba(10 20 30 / 50%)'), [10, 20, 30]);
    assert.equal(parseColor('var(--x)'), null);
  });
});
