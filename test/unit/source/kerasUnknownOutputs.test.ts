/**
 * keras.Model(inputs=base.input, outputs=<something the reader cannot follow>) is still the model the file's code
 * runs (feat.summary()): it is reported unknown from its input, located, never replaced by the file's other model
 * (which made the default the 808-param base, a confident count for the wrong model).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, getReader } from './helpers';

const CODE = `import keras
from keras import layers
from feature_tools import last_hidden

inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(8, 3)(inputs)
x = layers.Conv2D(8, 3)(x)
x = layers.GlobalAveragePooling2D()(x)
base = keras.Model(inputs, x)
features = keras.Model(inputs=base.input, outputs=last_hidden(base))
features.summary()
`;

test('a model whose outputs cannot be followed stays the default, unknown and located', async () => {
  const result = (await getReader()).read(CODE, { file: 'feat.py', language: 'python' });
  assert.equal(result.defaultModel?.name, 'features');
  const outcome = result.defaultModel!.build();
  assert.equal(outcome.kind, 'built');
  if (outcome.kind !== 'built') return;
  const report = await analyse(outcome.model);
  assert.equal(report.complete, false);
  assert.equal(report.layers.length, 1);
  assert.equal(report.layers[0]!.source?.line, 10);
  assert.match(report.layers[0]!.type, /^unsupported: keras\.Model outputs/);
});
