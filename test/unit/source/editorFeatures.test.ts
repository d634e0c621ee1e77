/** Smoke test of registerEditorFeatures against a fake `vscode`: hover, inlay hints, CodeLens, diagnostics. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeModel } from '../../../extension/core/analyze';
import { loadTensorFlow } from '../../../extension/core/tfjs/loadTf';
import { defaultWasmDirectory } from '../../../extension/core/source/index';
import type { EditorEngine } from '../../../extension/vscode/editor/documentAnalysis';
import { captured, fakeDocument, installFakeVscode, Position, Range } from './fakeVscode';
import { fixtureText } from './helpers';

installFakeVscode();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const editor = require('../../../extension/vscode/editor/index') as typeof import('../../../extension/vscode/editor/index');

test('registerEditorFeatures: hover, inlay hints, CodeLens and diagnostics for a PyTorch file', async () => {
  const shown: { key: string; layers: number }[] = [];
  let engineLoads = 0;
  let engine: EditorEngine | undefined;
  const subscriptions: { dispose(): void }[] = [];
  editor.registerEditorFeatures({ subscriptions } as never, {
    wasmDirectory: defaultWasmDirectory(),
    // Like the real loader: one load, shared by the reader (it applies layers in tfjs) and the analysis.
    loadEngine: async () => {
      engine ??= (engineLoads++, { analyzeModel: (spec, options) => analyzeModel(spec, { ...options, backend: 'cpu' }), loadTensorFlow: () => loadTensorFlow('cpu') });
      return engine;
    },
    showModel: (spec, key) => void shown.push({ key, layers: spec.layers.length }),
    settings: { hover: () => true, inlayHints: () => true, codeLens: () => true, diagnostics: () => true, flopsPerMac: () => 2, numberFormat: () => 'exact', backend: () => 'cpu' },
  });
  assert.equal(subscriptions.length, 1);
  const doc = fakeDocument('file:///w/mnist.py', 'python', fixtureText('pytorch_mnist_mismatch.py'));

  const hover = await captured.hover!.provideHover(doc, new Position(11, 25)); // line 12: self.conv1 = nn.Conv2d(1, 32, 3, 1)
  assert.ok(hover);
  assert.match(hover.contents.value, /`conv1`: \(N, 1, 28, 28\) → \(N, 32, 26, 26\)/);
  assert.equal(engineLoads, 1);

  const hints = await captured.inlay!.provideInlayHints(doc, new Range(0, 0, 100, 0));
  assert.deepEqual(
    hints.map((h) => [h.position.line + 1, h.label]),
    [
      // Constructors in __init__ …
      [12, '→ (N, 32, 26, 26)'],
      [13, '→ (N, 64, 24, 24)'],
      [14, '→ (N, 64, 12, 12)'],
      [15, '→ (N, 128)'],
      [16, '→ (N, 128)'],
      [17, '→ (N, 10)'],
      // … and every forward() line.
      [20, '→ (N, 32, 26, 26)'],
      [21, '→ (N, 32, 26, 26)'],
      [22, '→ (N, 64, 24, 24)'],
      [23, '→ (N, 64, 24, 24)'],
      [24, '→ (N, 64, 12, 12)'],
      [25, '→ (N, 64, 12, 12)'],
      [26, '→ (N, 9216)'],
      [27, '→ (N, 128)'],
      [28, '→ (N, 128)'],
      [29, '→ (N, 128)'],
      [30, '→ (N, 10)'],
      [31, '→ (N, 10)'],
    ],
  );

  const diags = captured.diagnostics.get('file:///w/mnist.py')!;
  assert.deepEqual(diags.map((d) => [d.range.start.line + 1, d.severity]), [[16, 0]]);
  assert.match(diags[0]!.message, /mat1 and mat2 shapes cannot be multiplied \(1x9216 and 4608x128\)/);

  const lenses = await captured.lens!.provideCodeLenses(doc);
  assert.deepEqual(lenses.map((l) => [l.range.start.line + 1, l.command.command, l.command.arguments]), [[9, editor.SHOW_SOURCE_MODEL_COMMAND, ['file:///w/mnist.py', 'MnistNet']]]);
  // PyTorch's model.parameters() counts fc1 as written (4608·128 + 128): 610,058 (pytorch_mnist_mismatch.expected.json).
  assert.match(lenses[0]!.command.title, /Show architecture of MnistNet · 610 k params/);
  for (const s of subscriptions) s.dispose();
});
