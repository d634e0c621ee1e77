/**
 * tf.identity as a layer stand-in (keras.io's involution: `self.stride_layer = AveragePooling2D(…) if self.stride > 1
 * else tf.identity`, then `self.stride_layer(x)` in call()): the tensor itself, no row, no weights. Keras 3.15 on this
 * file: 104 params (1×1 convs 32 + 72), output (None, 8, 8, 8).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

const CODE = "import tensorflow as tf\nimport keras\nfrom keras import layers\n\n\nclass Block(keras.layers.Layer):\n    def __init__(self, stride, **kwargs):\n        super().__init__(**kwargs)\n        self.pool = layers.AveragePooling2D(stride) if stride > 1 else tf.identity\n        self.conv = layers.Conv2D(8, 1)\n\n    def call(self, x):\n        return self.conv(self.pool(x))\n\n\ninputs = keras.Input(shape=(16, 16, 3))\nx = Block(1)(inputs)\nx = Block(2)(x)\nmodel = keras.Model(inputs, x)\n";

test('tf.identity held in an attribute and called passes the tensor on', async () => {
  const result = (await getReader()).read(CODE, { file: 'block.py', language: 'python' });
  const report = await analyse(built(result.defaultModel!));
  assert.equal(report.complete, true);
  assert.equal(report.totals.params, 104);
  assert.deepEqual(report.layers.map((l) => l.type), ['Conv2D', 'AveragePooling2D', 'Conv2D']);
  assert.deepEqual(report.layers.at(-1)!.outputShape, [8, 8, 8]);
});
