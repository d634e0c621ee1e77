/**
 * Which model a TensorFlow.js file chooses when its code runs none: the one its top level assigns last (as the
 * Python reader chooses), else its only model, else none. tfjs-examples' mnist/index.js defines
 * createConvModel() and createDenseModel() and picks one by a choice in the page (`ui.getModelTypeId()`); the
 * reader used to pick the last one defined, a guess the file never makes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, findModel, getReader } from './helpers';

const FACTORIES = `import * as tf from '@tensorflow/tfjs';
import * as ui from './ui';

function createConvModel() {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({inputShape: [28, 28, 1], kernelSize: 3, filters: 16, activation: 'relu'}));
  model.add(tf.layers.flatten({}));
  model.add(tf.layers.dense({units: 10, activation: 'softmax'}));
  return model;
}

function createDenseModel() {
  const model = tf.sequential();
  model.add(tf.layers.flatten({inputShape: [28, 28, 1]}));
  model.add(tf.layers.dense({units: 42, activation: 'relu'}));
  model.add(tf.layers.dense({units: 10, activation: 'softmax'}));
  return model;
}

function createModel() {
  const modelType = ui.getModelTypeId();
  if (modelType === 'ConvNet') {
    return createConvModel();
  }
  return createDenseModel();
}
`;

test('several factories the code never runs: none is the default, every one is listed', async () => {
  const read = (await getReader()).read(FACTORIES, { file: 'index.js', language: 'javascript' });
  assert.deepEqual(read.models.map((m) => [m.name, m.isDefault]), [['createConvModel', false], ['createDenseModel', false]]);
  assert.equal(read.defaultModel, null);
  // tf.sequential(...).countParams() (@tensorflow/tfjs in node_modules): 784·42 + 42 + 42·10 + 10 = 33,400.
  const report = await analyse(built(findModel(read, 'createDenseModel')));
  assert.equal(report.totals.params, 33400);
});

test('the model the top level assigns last is the default', async () => {
  const read = (await getReader()).read(`${FACTORIES}\nconst model = createConvModel();\n`, { file: 'index.js', language: 'javascript' });
  assert.equal(read.defaultModel?.name, 'createConvModel');
});
