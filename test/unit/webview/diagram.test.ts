/** The diagram: DAG to ELK graph (branches and skips), SVG drawing and export, the heat-map scale. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ELK from 'elkjs/lib/elk.bundled.js';
import { BLOCK_PREFIX, chainLayout, escapeXml, fromElk, layerDetail, nodeForLayer, renderSvg, shortShape, standaloneStyle, toElkGraph } from '../../../webview/shared/diagram';
import { HEAT_LEVELS, heatFills, heatLevel, heatThresholds, mixColor, parseColor } from '../../../webview/shared/heat';
import { layer, report } from './fixtures';

describe('ELK graph', () => {
  it('GoogLeNet expanded: an inception module fans out into four branches and concatenates them', async () => {
    const r = await report('googlenet');
    const { graph: g } = toElkGraph(r.layers, r.input.slice(1), { expanded: 'all' });
    const frames = (g.children ?? []).filter((c) => c.id.startsWith(BLOCK_PREFIX));
    assert.equal(frames.length, 11, 'the stem, nine inception modules and the classifier');
    const leaves = (g.children ?? []).flatMap((c) => (c.children?.length ? c.children : [c]));
    assert.equal(leaves.length, r.layers.length + 1);
    const concat = r.layers.find((l) => l.block === 'inception_3a' && l.type === 'Concatenate')!;
    const into = (g.edges ?? []).filter((e) => e.targets[0] === concat.name);
    assert.equal(into.length, 4);
    // Every edge is labelled with the shape that flows along it, in Keras order without the batch.
    for (const e of into) assert.match(e.labels?.[0]?.text ?? '', /^28×28×\d+$/);
  });

  it('GoogLeNet collapsed (the default): one node per block, a chain laid out without ELK', async () => {
    const r = await report('googlenet');
    const { graph, info } = toElkGraph(r.layers, r.input.slice(1), { blockTypes: new Map(r.blocks.map((b) => [b.name, b.type])) });
    // input, stem, 3a, 3b, pool3, 4a..4e, pool4, 5a, 5b, classifier.
    const ids = (graph.children ?? []).map((c) => c.id);
    assert.equal(ids.filter((id) => id.startsWith(BLOCK_PREFIX)).length, 11);
    assert.equal(ids.length, 1 + 11 + r.layers.filter((l) => l.block === null).length);
    assert.equal(ids.length, 14);
    const block = info.get(`${BLOCK_PREFIX}inception_3a`)!;
    assert.equal(block.detail, 'inception · 8 layers');
    assert.equal(block.shape, '(None, 28, 28, 256) · 8.09 %');
    const laid = chainLayout(graph);
    assert.ok(laid, 'a chain');
    const layout = fromElk(laid, info);
    for (let i = 1; i < layout.nodes.length; i++) assert.ok(layout.nodes[i]!.y > layout.nodes[i - 1]!.y + layout.nodes[i - 1]!.height, 'top-down without overlap');
    assert.equal(nodeForLayer(layout, 'inception_3a/3x3'), `${BLOCK_PREFIX}inception_3a`);
    assert.equal(nodeForLayer(layout, 'pool3/3x3_s2'), 'pool3/3x3_s2');
  });

  it('ResNet-152 collapsed is 53 nodes, not 515, and each residual skip stays inside its block', async () => {
    const r = await report('resnet152');
    const { graph } = toElkGraph(r.layers, r.input.slice(1));
    // The input, the stem, 3 + 8 + 36 + 3 bottlenecks and the classifier.
    assert.equal(graph.children?.length, 53);
    assert.ok(chainLayout(graph), 'collapsed, ResNet is a chain of blocks');
    const expanded = toElkGraph(r.layers, r.input.slice(1), { expanded: new Set(['res2a']) }).graph;
    assert.equal(chainLayout(expanded), null, 'an expanded block needs ELK');
    const frame = expanded.children?.find((c) => c.id === `${BLOCK_PREFIX}res2a`);
    assert.equal(frame?.children?.length, 12);
    // The Add has two producers: the main branch and the projection shortcut.
    assert.equal((expanded.edges ?? []).filter((e) => e.targets[0] === 'res2a').length, 2);
  });

  it('node text: type with kernel, stride and filters; PyTorch shapes channels first', () => {
    assert.equal(layerDetail({ type: 'Conv2D', kernel: [7, 7], strides: [2, 2], outputShape: [112, 112, 64] }), 'Conv2D 7×7/2 · 64');
    assert.equal(layerDetail({ type: 'Conv2D', kernel: [1, 1], strides: [1, 1], outputShape: [28, 28, 16] }), 'Conv2D 1×1 · 16');
    assert.equal(layerDetail({ type: 'MaxPooling2D', kernel: [3, 3], strides: [2, 2], outputShape: [56, 56, 64] }), 'MaxPooling2D 3×3/2');
    assert.equal(layerDetail({ type: 'Dense', kernel: null, strides: null, outputShape: [1000] }), 'Dense · 1000');
    assert.equal(layerDetail({ type: 'Add', kernel: null, strides: null, outputShape: [7, 7, 2048] }), 'Add');
    assert.equal(shortShape([56, 56, 256], 'pytorch'), '256×56×56');
    assert.equal(shortShape([56, 56, 256], 'keras'), '56×56×256');
  });

  it('lays out and draws VGG16 expanded with ELK, every layer a node tagged for selection', async () => {
    const r = await report('vgg16');
    const { graph, info } = toElkGraph(r.layers, [224, 224, 3], { expanded: 'all' });
    const laid = fromElk(await new ELK().layout(graph), info);
    assert.equal(laid.nodes.filter((n) => info.get(n.id)?.kind === 'layer').length, r.layers.length);
    assert.ok(laid.width > 0 && laid.height > laid.width, 'a chain lays out top-down');
    for (const e of laid.edges) assert.ok(e.points.length >= 2, `edge ${e.id} routed`);
    // Frames hold their layers (ROOT coordinates: no offsets to add).
    const frame = laid.nodes.find((n) => n.id === `${BLOCK_PREFIX}block1`)!;
    const conv = laid.nodes.find((n) => n.id === 'block1_conv1')!;
    assert.ok(conv.x >= frame.x && conv.y >= frame.y && conv.x + conv.width <= frame.x + frame.width && conv.y + conv.height <= frame.y + frame.height);
    const svg = renderSvg(laid, { selected: 'fc1' });
    assert.equal(svg.match(/<g class="node /g)?.length, r.layers.length + 1);
    assert.equal(svg.match(/<g class="frame"/g)?.length, 6);
    assert.match(svg, /<g class="node heat-\d selected" data-layer="fc1"/);
    assert.match(svg, /<text x="9" y="31" class="sub">Conv2D 3×3 · 512<\/text>/);
    assert.match(svg, /<text class="edge-label"[^>]*>224×224×64<\/text>/);
    assert.doesNotMatch(svg, /<style>/, 'the panel styles the SVG with theme CSS');
  });
});

describe('SVG export', () => {
  const info = new Map([['<evil>&"', { kind: 'layer' as const, name: '<evil>&"', title: '<evil>&"', detail: 'Conv2D', shape: '(None, 8, 8, 4)', macs: 5, tooltip: '<evil>', error: false }]]);
  const layout = { width: 100, height: 50, nodes: [{ id: '<evil>&"', x: 0, y: 0, width: 90, height: 52 }], edges: [], info };
  it('escapes model-provided names', () => {
    const svg = renderSvg(layout);
    assert.doesNotMatch(svg, /<evil>/);
    assert.match(svg, /data-layer="&lt;evil&gt;&amp;&quot;"/);
    assert.equal(escapeXml(`a<b>&'"`), 'a&lt;b&gt;&amp;&#39;&quot;');
  });
  it('a standalone export embeds resolved colours for every heat level', () => {
    const style = standaloneStyle({ background: [30, 30, 30], foreground: '#cccccc', border: '#444444', edge: '#888888', hot: [209, 134, 22], font: 'sans-serif' });
    const svg = renderSvg(layout, { style });
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
