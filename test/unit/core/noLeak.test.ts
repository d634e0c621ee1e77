/**
 * Repeated analyses leave nothing behind in TensorFlow.js: tfjs-layers' tensor-name registry, tfjs-core's
 * registered variables and its tensor count are the same after 20 ResNet-50 analyses as after one (counts,
 * not heap or wall time). Before the fix the name registry grew by one entry per weight and tensor, every time.
 * Each layer is built, asked and disposed at once (tfjs/layerOutcome.ts), so nothing is alive between layers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, analyzeModel } from '../../../extension/core/analyze';
import { zooModel } from '../../../extension/core/zoo/index';
import { loadTensorFlow } from '../../../extension/core/tfjs/loadTf';
import { registrySizes, tensorNameRegistry } from '../../../extension/core/tfjs/tensorNames';

test('20 analyses of ResNet-50 leave the tfjs registries as one analysis does', async () => {
  const tf = await loadTensorFlow('cpu');
  assert.ok(tensorNameRegistry(tf), 'the tensor-name registry of tfjs-layers is found');
  await analyzeModel(zooModel('resnet50'));
  const after1 = registrySizes(tf);
  for (let i = 0; i < 20; i++) await analyzeModel(zooModel('resnet50'));
  assert.deepEqual(registrySizes(tf), after1);
  assert.equal(after1.variables, 0);
  assert.equal(after1.tensorNames, 0);
});

test('no tfjs weight outlives the question that built it, mid-analysis too (so no two live weights share a name)', async () => {
  const tf = await loadTensorFlow('cpu');
  const seen: { tensorNames: number; variables: number }[] = [];
  for await (const event of analyze(zooModel('resnet18'))) {
    if (event.kind === 'layer' && event.layer.index === 10) seen.push(registrySizes(tf));
  }
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.variables, 0, 'live variables mid-analysis');
  assert.equal(seen[0]!.tensorNames, 0, 'names in use mid-analysis');
  assert.equal(registrySizes(tf).tensorNames, 0);
});
