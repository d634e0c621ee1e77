/**
 * `model.layers` of a Keras functional model in Keras' order (keras/src/ops/function.py map_graph), so that code
 * freezing by position freezes what Keras freezes. Numbers: Keras 3.15, scripts/reference/keras_layers_list_reference.py
 * (a four-branch block with a shortcut, 16 layers, 968 params, frozen at every cut; isinstance on the items; a
 * nested model and a layer subclass as one item; names and outputs of the items; MobileNetV2, ResNet50 and VGG16 are in
 * installedLibraries.test.ts, read from the installed Keras).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

const BRANCHED = `import keras
from keras import layers

inputs = keras.Input((16, 16, 3))
stem = layers.Conv2D(8, 3, padding="same")(inputs)
a = layers.Conv2D(4, 1)(stem)
b = layers.Conv2D(6, 1)(stem)
b = layers.Conv2D(4, 3, padding="same")(b)
c = layers.MaxPooling2D(3, strides=1, padding="same")(stem)
c = layers.Conv2D(4, 1)(c)
d = layers.Conv2D(2, 1)(stem)
d = layers.Conv2D(3, 5, padding="same")(d)
d = layers.BatchNormalization()(d)
x = layers.Concatenate()([a, b, c, d])
shortcut = layers.Conv2D(15, 1)(stem)
x = layers.Add()([shortcut, x])
x = layers.Activation("relu")(x)
x = layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, layers.Dense(5)(x))
`;

/** Keras' trainable count after `for layer in model.layers[:k]: layer.trainable = False`, k = 0 … 16. */
const KERAS_CUTS = [962, 962, 738, 720, 666, 666, 513, 477, 257, 221, 215, 80, 80, 80, 80, 80, 0];

async function read(text: string) {
  const result = (await getReader()).read(text, { file: 'fine_tune.py', language: 'python' });
  return { result, report: await analyse(built(result.defaultModel!)) };
}

test('freezing model.layers[:k] of a branched functional model freezes what Keras does, at every cut', async () => {
  for (const [k, expected] of KERAS_CUTS.entries()) {
    const { report } = await read(`${BRANCHED}for layer in model.layers[:${k}]:\n    layer.trainable = False\n`);
    assert.equal(report.complete, true, `k=${k}`);
    assert.deepEqual([k, report.totals.params, report.totals.trainableParams], [k, 968, expected]);
  }
});

test('negative slices and indexing count from the end, as on the Keras list', async () => {
  const { report } = await read(`${BRANCHED}for layer in model.layers[:-6]:\n    layer.trainable = False\nmodel.layers[-1].trainable = False\n`);
  // layers[:-6] is layers[:10] (215 trainable left), then the Dense head (80) freezes too.
  assert.deepEqual([report.totals.params, report.totals.trainableParams], [968, 215 - 80]);
});

test('.layers of a model with a part the reader could not follow is unknown, and so is the split', async () => {
  const { report } = await read(
    `import keras\nfrom keras import layers\nimport mystery\ninputs = keras.Input((16, 16, 3))\nx = mystery.Block()(layers.Conv2D(8, 3)(inputs))\nmodel = keras.Model(inputs, layers.Dense(5)(x))\nfor layer in model.layers[:2]:\n    layer.trainable = False\n`,
  );
  assert.equal(report.complete, false);
  assert.equal(report.totals.trainableUnknown?.source.line, 7);
});

test('isinstance on the items: Keras layer classes and keras.Model answer as Keras does', async () => {
  const conv = await read(`${BRANCHED}for layer in model.layers:\n    if isinstance(layer, layers.Conv2D):\n        layer.trainable = False\n`);
  assert.deepEqual([conv.report.complete, conv.report.totals.trainableParams], [true, 86]);
  const nested = await read(
    'import keras\nfrom keras import layers\ninner_in = keras.Input((16, 16, 3))\ninner = keras.Model(inner_in, layers.BatchNormalization()(layers.Conv2D(4, 3)(inner_in)), name="inner")\nouter_in = keras.Input((16, 16, 3))\nouter = keras.Model(outer_in, layers.Dense(2)(layers.GlobalAveragePooling2D()(inner(outer_in))))\nfor layer in outer.layers:\n    if isinstance(layer, keras.Model):\n        layer.trainable = False\n',
  );
  // The outer model's 4 layers: InputLayer, the nested model (one item), the pooling and the Dense.
  assert.deepEqual([nested.report.complete, nested.report.totals.params, nested.report.totals.trainableParams], [true, 138, 10]);
});

test("layer.name on the items: names the code gave, and the input layer's own name (input_layer or input_layer_<n>)", async () => {
  const NAMED = 'import keras\nfrom keras import layers\ninputs = keras.Input((16, 16, 3), name="image")\nx = layers.GlobalAveragePooling2D(name="pool")(layers.Conv2D(4, 3, name="conv")(inputs))\nmodel = keras.Model(inputs, layers.Dense(2, name="head")(x))\n';
  const head = await read(`${NAMED}for layer in model.layers:\n    if layer.name != "head":\n        layer.trainable = False\n`);
  assert.deepEqual([head.report.complete, head.report.totals.params, head.report.totals.trainableParams], [true, 122, 10]);
  const image = await read(`${NAMED}for layer in model.layers:\n    if layer.name == "image":\n        continue\n    layer.trainable = layer.name == "head"\n`);
  assert.deepEqual([image.report.complete, image.report.totals.trainableParams], [true, 10]);
  // An Input without a name: Keras names it by a session-wide counter, so only names of that form stay unknown.
  const auto = NAMED.replace(', name="image"', '');
  const other = await read(`${auto}for layer in model.layers:\n    if layer.name == "conv":\n        layer.trainable = False\n`);
  assert.deepEqual([other.report.complete, other.report.totals.trainableParams], [true, 10]);
  const own = await read(`${auto}for layer in model.layers:\n    if layer.name == "input_layer_2":\n        layer.trainable = False\n`);
  assert.equal(own.report.complete, false);
  assert.equal(own.report.totals.trainableUnknown?.source.line, 7);
});

test("layer.output of an item is the tensor it made in the model (a feature extractor), the input layer's its input", async () => {
  const base = 'import keras\nfrom keras import layers\ninputs = keras.Input((32, 32, 3))\nx = layers.Conv2D(8, 3, activation="relu")(inputs)\nx = layers.MaxPooling2D()(x)\nx = layers.Conv2D(16, 3, activation="relu")(x)\nx = layers.GlobalAveragePooling2D()(x)\nx = layers.Dense(32, activation="relu")(x)\nmodel = keras.Model(inputs, layers.Dense(10)(x))\n';
  const features = (await getReader()).read(`${base}features = keras.Model(inputs=model.inputs, outputs=model.layers[-2].output)\nfeatures.summary()\n`, { file: 'features.py', language: 'python' });
  const report = await analyse(built(features.models.find((m) => m.name === 'features')!));
  assert.deepEqual([report.complete, report.totals.params, report.layers.at(-1)?.outputShape], [true, 1936, [32]]);
  const early = (await getReader()).read(`${base}early = keras.Model(model.layers[0].output, model.layers[2].output)\nearly.summary()\n`, { file: 'early.py', language: 'python' });
  const earlyReport = await analyse(built(early.models.find((m) => m.name === 'early')!));
  assert.deepEqual([earlyReport.complete, earlyReport.layers.at(-1)?.outputShape], [true, [15, 15, 8]]);
});

test('a layer subclass with sublayers is one item; a model on several inputs has an unknown list and is incomplete', async () => {
  const block = await read(
    'import keras\nfrom keras import layers\n\nclass ConvBlock(layers.Layer):\n    def __init__(self, filters, **kwargs):\n        super().__init__(**kwargs)\n        self.conv = layers.Conv2D(filters, 3, padding="same")\n        self.bn = layers.BatchNormalization()\n\n    def call(self, x):\n        return self.bn(self.conv(x))\n\ninputs = keras.Input((16, 16, 3))\nx = ConvBlock(8)(inputs)\nx = layers.GlobalAveragePooling2D()(x)\nmodel = keras.Model(inputs, layers.Dense(2)(x))\nfor layer in model.layers[:2]:\n    layer.trainable = False\n',
  );
  assert.deepEqual([block.report.totals.params, block.report.totals.trainableParams], [274, 18]);
  const two = await read(
    'import keras\nfrom keras import layers\na = keras.Input((8,))\nb = keras.Input((8,))\nx = layers.Concatenate()([layers.Dense(4)(a), layers.Dense(4)(b)])\nmodel = keras.Model([a, b], layers.Dense(1)(x))\nfor layer in model.layers[:3]:\n    layer.trainable = False\n',
  );
  assert.equal(two.report.totals.trainableUnknown?.source.line, 7);
  // Only the first input is followed: the Concatenate joining the second's Dense is unknown, never a smaller exact count.
  assert.deepEqual([two.report.complete, two.report.layers.find((l) => l.name === 'concatenate')?.outputShape], [false, null]);
});

test('isinstance follows Keras 3.15 class hierarchy: SpatialDropout2D is a Dropout', async () => {
  const { report } = await read(
    'import keras\nfrom keras import layers\nmodel = keras.Sequential([keras.Input(shape=(16, 16, 3)), layers.Conv2D(8, 3), layers.SpatialDropout2D(0.2), layers.Conv2D(8, 3)])\nfor layer in model.layers:\n    if isinstance(layer, layers.Dropout):\n        break\n    layer.trainable = False\n',
  );
  // Keras 3.15: 808 params, the first Conv2D (224) frozen, 584 trainable.
  assert.deepEqual([report.complete, report.totals.params, report.totals.trainableParams], [true, 808, 584]);
});
