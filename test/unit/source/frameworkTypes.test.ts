/**
 * PyTorch models read as PyTorch: each layer carries the class PyTorch names it (the module classes of
 * test/fixtures/models/pytorch_lenet.py, as `print(net)` lists them), in the table and the JSON; Keras models keep
 * Keras's classes and no framework type.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toJsonReport } from '../../../extension/core/report/json';
import { toTable } from '../../../extension/core/report/table';
import { analyse, built, findModel, readFixture } from './helpers';

test('a PyTorch model: Conv2d, MaxPool2d and Linear in the table and as JSON frameworkType; the engine type stays', async () => {
  const model = built(findModel(await readFixture('pytorch_lenet.py'), 'Net'));
  const report = await analyse(model);
  const conv1 = report.layers.find((l) => l.name === 'conv1')!;
  assert.equal(conv1.frameworkType, 'Conv2d');
  assert.equal(conv1.type, 'Conv2D');
  assert.equal(report.layers.find((l) => l.name === 'fc1')!.frameworkType, 'Linear');
  assert.match(toTable(report), /^conv1 \(Conv2d\)\s+\(N, 6, 28, 28\)/m);
  assert.match(toTable(report), /^pool \(MaxPool2d\)\s+\(N, 6, 14, 14\)/m);
  const json = toJsonReport(report) as { layers: { name: string; frameworkType: string | null }[] };
  assert.equal(json.layers.find((l) => l.name === 'fc3')!.frameworkType, 'Linear');
});

test('a Keras model keeps Keras class names and no framework type', async () => {
  const model = built((await readFixture('keras_mnist_convnet.py')).defaultModel!);
  const report = await analyse(model);
  assert.ok(report.layers.every((l) => l.frameworkType === undefined));
  assert.match(toTable(report), /\(Conv2D\)/);
});
