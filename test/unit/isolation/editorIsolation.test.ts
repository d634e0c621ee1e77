/**
 * The editor with its analysis in the real analysis worker (extension/analysisWorker.ts under tsx): the same
 * hovers and diagnostics as in-process, and a hostile document ends in a located "analysis stopped" error
 * while the extension host (this process) goes on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { defaultWasmDirectory } from '../../../extension/core/source/index';
import { DEFAULT_LIMITS, IsolatedRunner } from '../../../extension/core/isolation/index';
import { createIsolatedAnalyser } from '../../../extension/vscode/editor/isolatedAnalysis';
import { captured, fakeDocument, installFakeVscode, Position } from '../source/fakeVscode';
import { fixtureText } from '../source/helpers';

installFakeVscode();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const editor = require('../../../extension/vscode/editor/index') as typeof import('../../../extension/vscode/editor/index');

const hostile = (name: string): string => readFileSync(join(__dirname, '../../fixtures/hostile', name), 'utf8');

test('the editor reads and analyses in the worker; a runaway file gets a located stop and the next file still works', async () => {
  const runner = new IsolatedRunner({ file: join(__dirname, '../../../extension/analysisWorker.ts') }, { ...DEFAULT_LIMITS, timeMs: 6_000 });
  const analyser = createIsolatedAnalyser(runner);
  const subscriptions: { dispose(): void }[] = [];
  const shown: string[] = [];
  editor.registerEditorFeatures({ subscriptions } as never, {
    wasmDirectory: defaultWasmDirectory(),
    loadEngine: () => Promise.reject(new Error('the host must not load the engine for documents')),
    showModel: (spec, key) => void shown.push(`${key}:${spec.layers.length}`),
    settings: { hover: () => true, inlayHints: () => true, codeLens: () => true, diagnostics: () => true, flopsPerMac: () => 2, numberFormat: () => 'exact', backend: () => 'cpu' },
    isolated: analyser,
  });
  try {
    const doc = fakeDocument('file:///w/mnist.py', 'python', fixtureText('pytorch_mnist_mismatch.py'));
    const hover = await captured.hover!.provideHover(doc, new Position(11, 25));
    assert.ok(hover, JSON.stringify(captured.diagnostics.get('file:///w/mnist.py')));
    assert.match(hover.contents.value, /`conv1`: \(N, 1, 28, 28\) → \(N, 32, 26, 26\)/);
    const diags = captured.diagnostics.get('file:///w/mnist.py')!;
    assert.match(diags[0]!.message, /mat1 and mat2 shapes cannot be multiplied \(1x9216 and 4608x128\)/);
    // Another input for a model (the panel's input-size field) is built in the worker too.
    const built = await analyser.build({ text: fixtureText('pytorch_mnist_mismatch.py'), file: 'file:///w/mnist.py', language: 'python', model: 'MnistNet', input: [32, 32, 1] });
    assert.equal(built.kind, 'built');
    assert.deepEqual(built.kind === 'built' && built.model.spec.input, [32, 32, 1]);
    const bad = fakeDocument('file:///w/nested_lists.py', 'python', hostile('nested_list_str.py'));
    const lenses = await captured.lens!.provideCodeLenses(bad);
    const stop = captured.diagnostics.get('file:///w/nested_lists.py') ?? [];
    if (stop.some((d) => /analysis stopped/.test(d.message))) {
      // The worker hit a limit (the readers' own caps may stop it first, with their own located message).
      assert.equal(lenses.length, 0);
      assert.match(stop[0]!.message, /^analysis stopped: it (took longer than the 6 s time budget|needed more than the \d+ MB memory limit) while (reading the file|analysing)/);
      assert.equal(stop[0]!.severity, 0);
    } else {
      assert.ok(stop.length > 0, 'a hostile file is never silently fine');
    }
    const again = await captured.hover!.provideHover(fakeDocument('file:///w/mnist2.py', 'python', fixtureText('pytorch_mnist_mismatch.py')), new Position(11, 25));
    assert.match(again!.contents.value, /`conv1`/);
  } finally {
    for (const s of subscriptions) s.dispose();
    await runner.dispose();
  }
});
