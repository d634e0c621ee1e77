/**
 * The TensorFlow.js fixtures: the same models as scripts/files/make_fixtures.py builds in Keras (same layers,
 * names and arguments), built with tfjs's layers API and saved with its own `model.save` (a save handler
 * that keeps model.json and drops the weight shard, which CNN Inspector never reads):
 *   node --import tsx scripts/files/make_tfjs_fixture.ts
 */
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';

const OUT = 'test/fixtures/files';

function kerasSmall(): tf.LayersModel {
  const inp = tf.input({ shape: [32, 32, 3], name: 'image' });
  let x = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', useBias: false, name: 'stem_conv' }).apply(inp) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'stem_bn' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ name: 'stem_relu' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }).apply(x) as tf.SymbolicTensor;
  let a = tf.layers.conv2d({ filters: 8, kernelSize: 1, activation: 'relu', name: 'b1_reduce' }).apply(x) as tf.SymbolicTensor;
  a = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', name: 'b1_conv' }).apply(a) as tf.SymbolicTensor;
  const x2 = tf.layers.add({ name: 'b1_add' }).apply([x, a]) as tf.SymbolicTensor;
  const b = tf.layers.conv2d({ filters: 8, kernelSize: 1, name: 'br_1x1' }).apply(x2) as tf.SymbolicTensor;
  const c = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', name: 'br_dw' }).apply(x2) as tf.SymbolicTensor;
  let y = tf.layers.concatenate({ name: 'concat' }).apply([b, c]) as tf.SymbolicTensor;
  y = tf.layers.averagePooling2d({ poolSize: 2, strides: 2, name: 'avg' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.flatten({ name: 'flat' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.dropout({ rate: 0.2, name: 'drop' }).apply(y) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 10, activation: 'softmax', name: 'logits' }).apply(y) as tf.SymbolicTensor;
  return tf.model({ inputs: inp, outputs: out, name: 'keras_small' });
}

function kerasLenet(): tf.LayersModel {
  const m = tf.sequential({ name: 'keras_lenet' });
  m.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, activation: 'tanh', padding: 'same', name: 'c1' }));
  m.add(tf.layers.averagePooling2d({ poolSize: 2, name: 's2' }));
  m.add(tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'tanh', name: 'c3' }));
  m.add(tf.layers.averagePooling2d({ poolSize: 2, name: 's4' }));
  m.add(tf.layers.flatten({ name: 'flatten' }));
  m.add(tf.layers.dense({ units: 120, activation: 'tanh', name: 'f5' }));
  m.add(tf.layers.dense({ units: 84, activation: 'tanh', name: 'f6' }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax', name: 'out' }));
  return m;
}

async function save(model: tf.LayersModel, name: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [`${name}.weights.bin`], weights: artifacts.weightSpecs }],
      };
      writeFileSync(`${OUT}/${name}.model.json`, `${JSON.stringify(json)}\n`);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

async function main(): Promise<void> {
  await save(kerasSmall(), 'keras_small');
  await save(kerasLenet(), 'keras_lenet');
}

void main();
