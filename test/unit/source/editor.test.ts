/**
 * The editor features' logic without VS Code: document analysis (lazy engine, grouping by call site) and the
 * text of hovers, inlay hints and CodeLens titles.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeModel } from '../../../extension/core/analyze';
import { loadTensorFlow } from '../../../extension/core/tfjs/loadTf';
import { analyseDocument, type EditorEngine } from '../../../extension/vscode/editor/documentAnalysis';
import { codeLensTitle, formatCount, hoverMarkdown, inlayLabel, siteLabel } from '../../../extension/vscode/editor/format';
import { fixtureText, getReader } from './helpers';

function countingEngine(): { engine: () => Promise<EditorEngine>; loads: () => number } {
  let loads = 0;
  return {
    engine: async () => {
      loads++;
      return { analyzeModel: (spec, options) => analyzeModel(spec, { ...options, backend: 'cpu' }), loadTensorFlow: () => loadTensorFlow('cpu') };
    },
    loads: () => loads,
  };
}

test('a file without models never loads the engine', async () => {
  const { engine, loads } = countingEngine();
  const result = await analyseDocument(await getReader(), engine, 'import os\nprint(os.getcwd())\n', { file: 'a.py', language: 'python' });
  assert.equal(result.models.length, 0);
  assert.equal(loads(), 0);
});

test('resnet fixture: groups by call site, default model first, inlay labels and hovers', async () => {
  const { engine } = countingEngine();
  const text = fixtureText('pytorch_resnet.py');
  const result = await analyseDocument(await getReader(), engine, text, { file: 'pytorch_resnet.py', language: 'python', inputs: new Map([['resnet50', [224, 224, 3]]]) });
  assert.deepEqual(result.models.map((m) => [m.found.name, m.outcome.kind, m.report !== null]), [
    ['resnet18', 'built', true],
    ['resnet34', 'input-needed', false],
    ['resnet50', 'built', true],
  ]);
  // conv3x3's nn.Conv2d (line 11) is called twice in each of resnet18's 8 BasicBlocks.
  const conv3x3 = result.byLine.get(11)!;
  assert.equal(conv3x3[0]!.model.found.name, 'resnet18');
  assert.equal(conv3x3[0]!.calls.length, 16);
  assert.equal(inlayLabel(conv3x3[0]!), '→ (N, 64, 56, 56) … (N, 512, 7, 7) ×16');
  const stem = result.byLine.get(132)![0]!;
  assert.equal(inlayLabel(stem), '→ (N, 64, 112, 112)');
  const hover = hoverMarkdown([stem]);
  assert.match(hover, /\*\*nn\.Conv2d\*\* → Conv2D/);
  assert.match(hover, /`conv1`: \(N, 3, 224, 224\) → \(N, 64, 112, 112\)/);
  assert.match(hover, /Params 9,408 = 7·7·3·64 \(/); // bias=False: kH·kW·Cin·Cout
  assert.match(hover, /MACs 118,013,952 = H·W·Cout·kH·kW·Cin = 112·112·64·7·7·3/);
  assert.match(hover, /Output activation 802,816 values = 3\.1 MiB/);
  assert.match(hover, /Receptive field 7×7 px, effective stride 2/);
  const loopHover = hoverMarkdown(conv3x3.slice(0, 1));
  assert.match(loopHover, /Made 16 times/);
  assert.match(loopHover, /\| `layer4\.1\.conv2` \| \(N, 512, 7, 7\) → \(N, 512, 7, 7\) \| 2,359,296 \|/);
  const fc = result.byLine.get(141)![0]!;
  assert.equal(inlayLabel(fc), '→ (N, 1000)');
  assert.match(hoverMarkdown([fc]), /Params 513,000 = 512·1000 \+ 1000 /);
  assert.match(hoverMarkdown([fc]), /MACs 512,000 = in·out = 512·1000 \(<0\.1% of the model; FLOPs = 2×MACs\)/);
  const pool = result.byLine.get(140)![0]!;
  assert.equal(inlayLabel(pool), '→ (N, 512, 1, 1)');
  assert.equal(codeLensTitle('resnet18', result.models[0]!.report, false), '$(type-hierarchy) Show architecture of resnet18 · 11.7 M params · 1.81 G MACs');
  assert.equal(codeLensTitle('resnet34', null, true), '$(type-hierarchy) Show architecture of resnet34… (input size needed)');
});

test('1×1 bottleneck savings appear on the reducer and the convolution it feeds', async () => {
  const { engine } = countingEngine();
  const result = await analyseDocument(await getReader(), engine, fixtureText('pytorch_inception.py'), { file: 'pytorch_inception.py', language: 'python' });
  const basicConv = result.byLine.get(11)![0]!; // BasicConv2d's nn.Conv2d, used by every branch
  assert.ok(basicConv.calls.length > 50);
  assert.match(hoverMarkdown([basicConv]), /1×1 bottleneck: this layer (reduces channels for|is fed by the 1×1)/);
  assert.equal(result.diagnostics.length, 0);
});

test('diagnostics that need shapes are part of the document analysis', async () => {
  const { engine } = countingEngine();
  const result = await analyseDocument(await getReader(), engine, fixtureText('pytorch_mnist_mismatch.py'), { file: 'm.py', language: 'python' });
  assert.deepEqual(result.diagnostics.map((d) => [d.code, d.severity, d.source.line]), [['declared-size', 'error', 16]]);
});

test('an analysis aborted while its first model runs analyses no further model', async () => {
  const abort = new AbortController();
  const analysed: string[] = [];
  // Aborts during the first model's analysis, as a newer edit would.
  const engine = async (): Promise<EditorEngine> => ({
    loadTensorFlow: () => loadTensorFlow('cpu'),
    analyzeModel: (spec, options) => {
      analysed.push(spec.name);
      abort.abort();
      return analyzeModel(spec, { ...options, backend: 'cpu' });
    },
  });
  const text = fixtureText('keras_resnet50_functional.py'); // ResNet50 and ResNet50Features
  const full = await analyseDocument(await getReader(), countingEngine().engine, text, { file: 'r.py', language: 'python' });
  assert.ok(full.models.filter((m) => m.report).length >= 2, 'the fixture has several models to analyse');
  const result = await analyseDocument(await getReader(), engine, text, { file: 'r.py', language: 'python', signal: abort.signal });
  assert.equal(analysed.length, 1);
  assert.ok(result.models.filter((m) => m.report !== null).length <= 1);
});

test('number formatting', () => {
  assert.equal(formatCount(25636712), '25,636,712');
  assert.equal(formatCount(25636712, 'si'), '25.6 M');
  assert.equal(formatCount(999, 'si'), '999');
  assert.equal(formatCount(1814073344, 'si'), '1.81 G');
});

test('forward() lines and helper calls get the shape they compute (outermost expression, once per evaluation)', async () => {
  const { engine } = countingEngine();
  const reader = await getReader();
  const resnet = await analyseDocument(reader, engine, fixtureText('pytorch_resnet.py'), { file: 'r.py', language: 'python' });
  const at = (r: typeof resnet, line: number) => r.sites.find((s) => s.line === line && s.model.found.isDefault)!;
  assert.equal(siteLabel(at(resnet, 179)), '→ (N, 64, 56, 56)');
  assert.equal(siteLabel(at(resnet, 182)), '→ (N, 512, 7, 7)');
  assert.equal(siteLabel(at(resnet, 191)), '→ (N, 1000)');
  // BasicBlock.forward's first `out = self.relu(out)` (line 55) runs once in each of resnet18's 8 blocks.
  assert.equal(siteLabel(at(resnet, 55)), '→ (N, 64, 56, 56) … (N, 512, 7, 7) ×8');
  const lenet = await analyseDocument(reader, engine, fixtureText('pytorch_lenet.py'), { file: 'l.py', language: 'python' });
  assert.equal(siteLabel(at(lenet, 18)), '→ (N, 6, 14, 14)');
  const keras = await analyseDocument(reader, engine, fixtureText('keras_resnet50_functional.py'), { file: 'k.py', language: 'python' });
  assert.equal(siteLabel(at(keras, 225)), '→ (None, 56, 56, 256)');
});
