/**
 * Re-analysis after an edit takes a model's report from the document's last analysis only when the model's spec
 * is the same (lastReports.ts): a comment or the example code changes nothing analysed; a moved line, a changed
 * argument or another input analyses again, and every report is the one a fresh analysis gives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeModel } from '../../../extension/core/analyze';
import { loadTensorFlow } from '../../../extension/core/tfjs/loadTf';
import type { Shape } from '../../../extension/core/shape';
import { analyseDocument, type AnalyseOptions, type EditorEngine } from '../../../extension/vscode/editor/documentAnalysis';
import { fixtureText, getReader } from './helpers';

/** One engine for a whole test (the reports are kept per engine), counting the analyses it runs. */
function countingEngine(): { load: () => Promise<EditorEngine>; analysed: string[] } {
  const analysed: string[] = [];
  const engine: EditorEngine = {
    analyzeModel: (spec, options) => {
      analysed.push(spec.name);
      return analyzeModel(spec, { ...options, backend: 'cpu' });
    },
    loadTensorFlow: () => loadTensorFlow('cpu'),
  };
  return { load: async () => engine, analysed };
}

/** The same document analysed by an engine that has kept nothing: what every re-analysis must equal. */
async function fresh(text: string, options: AnalyseOptions) {
  return (await analyseDocument(await getReader(), countingEngine().load, text, options)).models.map((m) => m.report);
}

test('an edit that leaves a model as it was takes its report; the reports equal a fresh analysis', async () => {
  const { load, analysed } = countingEngine();
  const text = fixtureText('keras_mnist_convnet.py');
  const options: AnalyseOptions = { file: 'mnist.py', language: 'python' };
  const first = await analyseDocument(await getReader(), load, text, options);
  assert.deepEqual(analysed, ['model']);
  const commented = `${text}\n# a comment at the end\n`;
  const second = await analyseDocument(await getReader(), load, commented, options);
  assert.deepEqual(analysed, ['model'], 'the comment changes nothing analysed');
  assert.equal(second.models[0]!.report, first.models[0]!.report);
  assert.deepEqual(second.models.map((m) => m.report), await fresh(commented, options));
});

test('a moved line, a changed argument or another document analyses again', async () => {
  const { load, analysed } = countingEngine();
  const text = fixtureText('keras_mnist_convnet.py');
  const options: AnalyseOptions = { file: 'mnist.py', language: 'python' };
  await analyseDocument(await getReader(), load, text, options);
  const moved = `# a line above moves every layer's source\n${text}`;
  const afterMove = await analyseDocument(await getReader(), load, moved, options);
  assert.equal(analysed.length, 2);
  assert.deepEqual(afterMove.models.map((m) => m.report), await fresh(moved, options));
  assert.equal(afterMove.models[0]!.report!.layers[0]!.source!.line, (await fresh(text, options))[0]!.layers[0]!.source!.line + 1);

  const wider = moved.replace('layers.Conv2D(32,', 'layers.Conv2D(48,');
  const afterArgument = await analyseDocument(await getReader(), load, wider, options);
  assert.equal(analysed.length, 3);
  assert.equal(afterArgument.models[0]!.report!.layers[0]!.outputShape![2], 48);
  assert.deepEqual(afterArgument.models.map((m) => m.report), await fresh(wider, options));

  await analyseDocument(await getReader(), load, wider, { ...options, file: 'other.py' });
  assert.equal(analysed.length, 4, 'another document keeps its own reports (its layers name another file)');
});

test('another input analyses again: nothing computed at one input is reused at another', async () => {
  const { load, analysed } = countingEngine();
  const text = fixtureText('pytorch_resnet.py');
  const at = (input: Shape): AnalyseOptions => ({ file: 'resnet.py', language: 'python', inputs: new Map([['resnet18', input], ['resnet34', input], ['resnet50', input]]) });
  const at224 = await analyseDocument(await getReader(), load, text, at([224, 224, 3]));
  const count = analysed.length;
  assert.ok(count >= 2);
  const at160 = await analyseDocument(await getReader(), load, `${text}\n# edited\n`, at([160, 160, 3]));
  assert.equal(analysed.length, 2 * count);
  assert.notDeepEqual(at160.models[0]!.report!.totals, at224.models[0]!.report!.totals);
  assert.deepEqual(at160.models.map((m) => m.report), await fresh(`${text}\n# edited\n`, at([160, 160, 3])));
  await analyseDocument(await getReader(), load, `${text}\n# edited again\n`, at([160, 160, 3]));
  assert.equal(analysed.length, 2 * count, 'the same input again, the same specs: the reports are taken');
});
