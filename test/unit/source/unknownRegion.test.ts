/**
 * One rule for code that may or may not run, in the Python and the JavaScript reader alike
 * (extension/core/source/unknownRegion.ts): an unknown `while`, an unknown `if` and a `raise` / `throw` take
 * no branch and guess no count; the layers after them are unknown, the model is incomplete, and the located
 * warning is worded the same. Parameter counts are Keras's and tfjs's Dense count, units·in + units (16 → 8:
 * 136, 8 → 4: 36), as count_params() gives them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';
import type { ReadResult } from '../../../extension/core/source/index';

async function read(text: string, file: string): Promise<ReadResult> {
  return (await getReader()).read(text, { file, language: file.endsWith('.py') ? 'python' : 'typescript' });
}

const KERAS = (body: string): string => `import os
import keras
from keras import layers

inputs = keras.Input(shape=(16,))
x = layers.Dense(8)(inputs)
${body}
outputs = layers.Dense(4)(x)
model = keras.Model(inputs, outputs)
`;

const TFJS = (body: string): string => `import * as tf from '@tensorflow/tfjs';
const inputs = tf.input({ shape: [16] });
let x = tf.layers.dense({ units: 8 }).apply(inputs) as tf.SymbolicTensor;
${body}
const outputs = tf.layers.dense({ units: 4 }).apply(x) as tf.SymbolicTensor;
export const model = tf.model({ inputs, outputs });
`;

const cases: { construct: string; keras: string; tfjs: string; warning: RegExp }[] = [
  {
    construct: 'a while loop whose condition is unknown',
    keras: 'while os.environ.get("MORE"):\n    x = layers.Dense(8)(x)',
    tfjs: 'while (process.env.MORE) {\n  x = tf.layers.dense({ units: 8 }).apply(x) as tf.SymbolicTensor;\n}',
    warning: /^cannot tell whether this loop runs again: `(os\.environ\.get\("MORE"\)|process\.env\.MORE)` is unknown; the rest of the loop was not read$/,
  },
  {
    construct: 'an if whose condition is unknown',
    keras: 'if os.environ.get("MORE"):\n    x = layers.Dense(8)(x)',
    tfjs: 'if (process.env.MORE) {\n  x = tf.layers.dense({ units: 8 }).apply(x) as tf.SymbolicTensor;\n}',
    warning: /^cannot tell whether this branch runs: `(os\.environ\.get\("MORE"\)|process\.env\.MORE)` is unknown/,
  },
  {
    construct: 'a loop over something the reader cannot enumerate',
    keras: 'for size in os.environ.get("SIZES"):\n    x = layers.Dense(8)(x)',
    tfjs: 'for (const size of process.env.SIZES) {\n  x = tf.layers.dense({ units: 8 }).apply(x) as tf.SymbolicTensor;\n}',
    warning: /^cannot tell what `(os\.environ\.get\("SIZES"\)|process\.env\.SIZES)` iterates over; the loop body was not read$/,
  },
];

for (const c of cases) {
  test(`${c.construct}: the same located warning, unknown from there and incomplete, in Keras and TensorFlow.js code`, async () => {
    for (const [file, text] of [['model.py', KERAS(c.keras)], ['model.ts', TFJS(c.tfjs)]] as const) {
      const result = await read(text, file);
      const unknown = result.diagnostics.filter((d) => d.code === 'unknown');
      // Line 7 in the Keras file, line 4 in the tfjs one: the condition's own line.
      assert.deepEqual(unknown.map((d) => [d.severity, d.source.line]), [['warning', file.endsWith('.py') ? 7 : 4]], file);
      assert.match(unknown[0]!.message, c.warning, file);
      const report = await analyse(built(result.defaultModel!));
      // Never the body's Dense from a guessed iteration: the region is one Unknown layer, then the last Dense.
      assert.deepEqual(report.layers.map((l) => l.type), ['Dense', 'Unknown', 'Dense'], file);
      assert.equal(report.layers[0]!.params, 136, file);
      assert.equal(report.complete, false, file);
    }
  });
}

test('raise and throw reached for certain: the same warning, and what the function was building is unknown', async () => {
  const keras = `import keras
from keras import layers

def build():
    inputs = keras.Input(shape=(16,))
    x = layers.Dense(8)(inputs)
    raise ValueError("unsupported")

model = build()
`;
  const tfjs = `import * as tf from '@tensorflow/tfjs';
export function build() {
  const inputs = tf.input({ shape: [16] });
  const x = tf.layers.dense({ units: 8 }).apply(inputs) as tf.SymbolicTensor;
  throw new Error("unsupported");
}
`;
  for (const [file, text, line, statement] of [['model.py', keras, 7, 'raise ValueError("unsupported")'], ['model.ts', tfjs, 5, 'throw new Error("unsupported");']] as const) {
    const result = await read(text, file);
    const unknown = result.diagnostics.filter((d) => d.code === 'unknown');
    assert.deepEqual(unknown.map((d) => [d.severity, d.source.line, d.message]), [['warning', line, `the code raises here (\`${statement}\`); what it was building is unknown`]], file);
  }
});
