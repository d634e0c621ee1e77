/**
 * Keras classes the engine builds as another kind keep their own class in the report, as Keras' summary()
 * lists them: the Layer (type) column of test/fixtures/models/keras_group_norm_resizing.py against its
 * expectations from Keras 3.15 (scripts/keras/make_expected.py).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyse, built, getReader } from './helpers';

const FIXTURES = join(__dirname, '../../fixtures/models');

test('GroupNormalization, CenterCrop, GaussianNoise… are shown as themselves, Convolution2D-style aliases as their class', async () => {
  const file = 'keras_group_norm_resizing.py';
  const expected = JSON.parse(readFileSync(join(FIXTURES, file.replace('.py', '.expected.json')), 'utf8')) as { models: { layers: { name: string; type: string }[] }[] };
  const result = (await getReader()).read(readFileSync(join(FIXTURES, file), 'utf8'), { file, language: 'python' });
  const report = await analyse(built(result.defaultModel!));
  assert.deepEqual(
    report.layers.map((l) => `${l.name} (${l.frameworkType ?? l.type})`),
    expected.models[0]!.layers.map((l) => `${l.name} (${l.type})`),
  );
  const alias = (await getReader()).read('import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((8, 8, 3)), layers.Convolution2D(4, 3)])\n', { file: 'a.py', language: 'python' });
  const aliasReport = await analyse(built(alias.defaultModel!));
  assert.equal(aliasReport.layers[0]!.frameworkType ?? aliasReport.layers[0]!.type, 'Conv2D');
});
