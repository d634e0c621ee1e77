/**
 * Transfer learning, the tutorials' pattern: a library model built from a user file (`models.resnet18(...)`,
 * `keras.applications.MobileNetV2(...)`) is read from the installed library's own source
 * (python/installedLibraries.ts), found in the site-packages directories given (libraryRoots.ts), and then
 * changed as the file's own models are (`model_ft.fc = nn.Linear(num_ftrs, 2)`, `base_model.trainable = False`).
 * The installed packages here are the public corpus copies (.corpus/, unpacked by scripts/corpus/fetch.sh, never
 * committed) used as site-packages directories; the numbers are PyTorch 2.13 / torchvision 0.28 / Keras 3.15's
 * (scripts/reference/installed_libraries_reference.py).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { librarySearchRoots } from '../../../extension/core/source/libraryRoots';
import { runCli } from '../../../extension/cli/main';
import type { ReadResult } from '../../../extension/core/source/index';
import { analyse, built, findModel, getReader } from './helpers';

const CORPUS = path.resolve(__dirname, '..', '..', '..', '.corpus');
const TORCHVISION = path.join(CORPUS, 'torchvision-0.28.0');
const DEBIAN_TORCHVISION = path.join(CORPUS, 'python3-torchvision-0.14.1-2');
const KERAS = path.join(CORPUS, 'keras-3.15.1');
const TIMM = path.join(CORPUS, 'timm-1.0.29');
const NO_TIMM = !existsSync(path.join(TIMM, 'timm', 'models')) && `${TIMM} is missing: run bash scripts/corpus/fetch.sh (the public sources are never committed)`;
const NO_TORCHVISION = !existsSync(path.join(TORCHVISION, 'torchvision', 'models')) && `${TORCHVISION} is missing: run bash scripts/corpus/fetch.sh (the public sources are never committed)`;
const NO_KERAS = !existsSync(path.join(KERAS, 'keras', 'applications')) && `${KERAS} is missing: run bash scripts/corpus/fetch.sh (the public sources are never committed)`;

/** `text` written as a script in a fresh project directory, read with `pythonPaths` as the installed libraries. */
async function readScript(text: string, pythonPaths: string[]): Promise<ReadResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cnn-libs-'));
  try {
    const file = path.join(dir, 'train.py');
    writeFileSync(file, text);
    return (await getReader()).read(text, { file, language: 'python', imports: { follow: true, pythonPaths } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PYTORCH_TUTORIAL = `import torch.nn as nn
from torchvision import models
model_ft = models.resnet18(weights='IMAGENET1K_V1')
num_ftrs = model_ft.fc.in_features
model_ft.fc = nn.Linear(num_ftrs, 2)
`;

const KERAS_GUIDE = `import keras
from keras import layers
base_model = keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False, weights="imagenet")
base_model.trainable = False
inputs = keras.Input(shape=(160, 160, 3))
x = base_model(inputs, training=False)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
`;

test("PyTorch's transfer-learning tutorial: torchvision's resnet18 read from the installed package, fc replaced", { skip: NO_TORCHVISION }, async () => {
  const read = await readScript(PYTORCH_TUTORIAL, [TORCHVISION]);
  assert.equal(read.defaultModel?.name, 'model_ft');
  assert.deepEqual(read.diagnostics.filter((d) => d.severity !== 'info'), []);
  // Only the models' file and what it imports is read: not torchvision/__init__.py's datasets and io, nor the
  // other model files torchvision.models re-exports.
  const files = (read.importedFiles ?? []).map((f) => path.relative(TORCHVISION, f));
  assert.ok(files.includes(path.join('torchvision', 'models', 'resnet.py')), files.join(', '));
  assert.ok(!files.some((f) => /datasets|[\\/]io[\\/]|vision_transformer|maxvit/.test(f)), files.join(', '));
  const model = built(findModel(read, 'model_ft'), [224, 224, 3]);
  const report = await analyse(model);
  assert.equal(report.complete, true, report.issues.map((i) => i.message).join('\n'));
  // sum(p.numel() for p in model_ft.parameters()) in PyTorch 2.13.
  assert.equal(report.totals.params, 11_177_538);
  // resnet18's 1,814,073,344 MACs at 224×224 (the corpus expectation) less the 998 output features of fc.
  assert.equal(report.totals.macs, 1_814_073_344 - 512 * 998);
  const fc = model.calls.find((c) => c.name === 'fc')!;
  assert.equal(fc.source.file.endsWith('train.py'), true, 'the replacing Linear is the script\'s, at its line');
  assert.equal(fc.source.line, 5);
});

test('torchvision: from torchvision.models import mobilenet_v2 with classifier[1] replaced; torchvision.models.resnet50(weights=ResNet50_Weights.DEFAULT); get_model', { skip: NO_TORCHVISION }, async () => {
  const read = await readScript(
    `import torch.nn as nn
import torchvision
from torchvision.models import mobilenet_v2
mnet = mobilenet_v2(weights=None)
mnet.classifier[1] = nn.Linear(mnet.last_channel, 10)
r50 = torchvision.models.resnet50(weights=torchvision.models.ResNet50_Weights.DEFAULT)
by_name = torchvision.models.get_model('resnet18', weights=None, num_classes=2)
`,
    [TORCHVISION],
  );
  assert.deepEqual(read.diagnostics.filter((d) => d.severity !== 'info'), []);
  const mnet = await analyse(built(findModel(read, 'mnet'), [224, 224, 3]));
  assert.equal(mnet.complete, true);
  assert.equal(mnet.totals.params, 2_236_682);
  const r50 = await analyse(built(findModel(read, 'r50'), [224, 224, 3]));
  assert.equal(r50.complete, true);
  assert.equal(r50.totals.params, 25_557_032);
  // resnet18 with num_classes=2 has the tutorial's replaced fc: the same 11,177,538.
  const byName = await analyse(built(findModel(read, 'by_name'), [224, 224, 3]));
  assert.equal(byName.totals.params, 11_177_538);
});

test("older tutorials: pretrained=True, VGG's classifier[6] replaced; torchvision 0.28 and Debian's 0.14 alike", { skip: NO_TORCHVISION || (!existsSync(DEBIAN_TORCHVISION) && `${DEBIAN_TORCHVISION} is missing`) }, async () => {
  const text = `import torch.nn as nn
from torchvision import models
m = models.resnet18(pretrained=True)
m.fc = nn.Linear(m.fc.in_features, 2)
v = models.vgg16(pretrained=True)
v.classifier[6] = nn.Linear(4096, 2)
`;
  for (const root of [TORCHVISION, DEBIAN_TORCHVISION]) {
    const read = await readScript(text, [root]);
    const m = await analyse(built(findModel(read, 'm'), [224, 224, 3]));
    assert.equal(m.totals.params, 11_177_538, root);
    const v = await analyse(built(findModel(read, 'v'), [224, 224, 3]));
    assert.equal(v.complete, true);
    assert.equal(v.totals.params, 134_268_738, root);
  }
});

test("Keras' transfer-learning guide: a frozen MobileNetV2 from keras.applications inside a functional model", { skip: NO_KERAS }, async () => {
  const read = await readScript(KERAS_GUIDE, [KERAS]);
  assert.equal(read.defaultModel?.name, 'model');
  assert.deepEqual(read.diagnostics.filter((d) => d.severity !== 'info' && !d.source.file.includes('.corpus')), []);
  const report = await analyse(built(findModel(read, 'model')));
  assert.equal(report.complete, true, report.issues.map((i) => i.message).join('\n'));
  // model.count_params() and the trainable / non-trainable weights' sizes in Keras 3.15.
  assert.equal(report.totals.params, 2_259_265);
  assert.equal(report.totals.trainableParams, 1_281);
  assert.equal(report.totals.nonTrainableParams, 2_257_984);
});

test("Keras: the TensorFlow tutorial's fine-tuning, base_model.layers[:100] frozen, freezes the layers Keras does", { skip: NO_KERAS }, async () => {
  const read = await readScript(
    `import tensorflow as tf
base_model = tf.keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False, weights='imagenet')
base_model.trainable = True
fine_tune_at = 100
for layer in base_model.layers[:fine_tune_at]:
    layer.trainable = False
inputs = tf.keras.Input(shape=(160, 160, 3))
x = base_model(inputs, training=False)
x = tf.keras.layers.GlobalAveragePooling2D()(x)
x = tf.keras.layers.Dropout(0.2)(x)
model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(x))
`,
    [KERAS],
  );
  const report = await analyse(built(findModel(read, 'model')));
  assert.equal(report.complete, true, report.issues.map((i) => i.message).join('\n'));
  // Keras 3.15 (scripts/reference/keras_layers_list_reference.py): 154 layers in the base; summary()'s counts.
  assert.deepEqual([report.totals.params, report.totals.trainableParams], [2_259_265, 1_862_721]);
});

test('Keras: ResNet50 (residual shortcuts) frozen by position, then its last 20 layers but BatchNormalization thawed', { skip: NO_KERAS }, async () => {
  const head = `import keras
from keras import layers
base = keras.applications.ResNet50(input_shape=(224, 224, 3), include_top=False, weights=None)
`;
  const first = await readScript(`${head}for layer in base.layers[:143]:\n    layer.trainable = False\n`, [KERAS]);
  const frozen = await analyse(built(findModel(first, 'base')));
  assert.deepEqual([frozen.complete, frozen.totals.params, frozen.totals.trainableParams], [true, 23_587_712, 14_976_000]);
  const second = await readScript(
    `${head}for layer in base.layers:\n    layer.trainable = False\nfor layer in base.layers[-20:]:\n    if not isinstance(layer, layers.BatchNormalization):\n        layer.trainable = True\n`,
    [KERAS],
  );
  const thawed = await analyse(built(findModel(second, 'base')));
  assert.deepEqual([thawed.complete, thawed.totals.params, thawed.totals.trainableParams], [true, 23_587_712, 8_919_040]);
});

test("Keras: Deep Learning with Python's fine-tuning, VGG16 thawed from the layer named block5_conv1", { skip: NO_KERAS }, async () => {
  const read = await readScript(
    `from tensorflow.keras.applications import VGG16
from tensorflow.keras import layers, models
conv_base = VGG16(weights='imagenet', include_top=False, input_shape=(150, 150, 3))
model = models.Sequential()
model.add(conv_base)
model.add(layers.Flatten())
model.add(layers.Dense(256, activation='relu'))
model.add(layers.Dense(1, activation='sigmoid'))
conv_base.trainable = True
set_trainable = False
for layer in conv_base.layers:
    if layer.name == 'block5_conv1':
        set_trainable = True
    if set_trainable:
        layer.trainable = True
    else:
        layer.trainable = False
`,
    [KERAS],
  );
  const report = await analyse(built(findModel(read, 'model')));
  assert.equal(report.complete, true, report.issues.map((i) => i.message).join('\n'));
  // Keras 3.15 (scripts/reference/keras_layers_list_reference.py): count_params() and the trainable count.
  assert.deepEqual([report.totals.params, report.totals.trainableParams], [16_812_353, 9_177_089]);
});

test('Keras: a frozen base model as the first layer of a Sequential gives it its input', { skip: NO_KERAS }, async () => {
  const read = await readScript(
    `import tensorflow as tf
base_model = tf.keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False, weights='imagenet')
base_model.trainable = False
model = tf.keras.Sequential([
    base_model,
    tf.keras.layers.GlobalAveragePooling2D(),
    tf.keras.layers.Dense(1),
])
`,
    [KERAS],
  );
  const found = findModel(read, 'model');
  assert.deepEqual(found.input, [160, 160, 3]);
  const report = await analyse(built(found));
  assert.equal(report.complete, true, report.issues.map((i) => i.message).join('\n'));
  assert.deepEqual([report.totals.params, report.totals.trainableParams, report.totals.nonTrainableParams], [2_259_265, 1_281, 2_257_984]);
});

test("TensorFlow's transfer-learning tutorial: tf.keras.applications' preprocess_input and a frozen MobileNetV2", { skip: NO_KERAS }, async () => {
  const read = await readScript(
    `import tensorflow as tf
IMG_SIZE = (160, 160)
preprocess_input = tf.keras.applications.mobilenet_v2.preprocess_input
IMG_SHAPE = IMG_SIZE + (3,)
base_model = tf.keras.applications.MobileNetV2(input_shape=IMG_SHAPE, include_top=False, weights='imagenet')
base_model.trainable = False
data_augmentation = tf.keras.Sequential([
  tf.keras.layers.RandomFlip('horizontal'),
  tf.keras.layers.RandomRotation(0.2),
])
inputs = tf.keras.Input(shape=(160, 160, 3))
x = data_augmentation(inputs)
x = preprocess_input(x)
x = base_model(x, training=False)
x = tf.keras.layers.GlobalAveragePooling2D()(x)
x = tf.keras.layers.Dropout(0.2)(x)
outputs = tf.keras.layers.Dense(1, activation='sigmoid')(x)
model = tf.keras.Model(inputs, outputs)
`,
    [KERAS],
  );
  assert.equal(read.defaultModel?.name, 'model');
  const report = await analyse(built(findModel(read, 'model')));
  assert.equal(report.complete, true, report.issues.map((i) => i.message).join('\n'));
  assert.deepEqual([report.totals.params, report.totals.trainableParams, report.totals.nonTrainableParams], [2_259_265, 1_281, 2_257_984]);
});

test('Keras: from keras.applications import ResNet50 and tf.keras.applications.X', { skip: NO_KERAS }, async () => {
  const read = await readScript(
    `import tensorflow as tf
from keras.applications import ResNet50
a = ResNet50(weights=None)
b = tf.keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False, weights=None)
`,
    [KERAS],
  );
  const a = await analyse(built(findModel(read, 'a')));
  assert.equal(a.complete, true);
  assert.equal(a.totals.params, 25_636_712);
  const b = await analyse(built(findModel(read, 'b')));
  assert.equal(b.totals.params, 2_257_984);
});

test("timm.create_model('resnet50', pretrained=True, num_classes=2) and 'efficientnet_b0': the builder's file only", { skip: NO_TIMM }, async () => {
  for (const [name, args, params] of [
    ['resnet50', ', pretrained=True, num_classes=2', 23_512_130],
    ['efficientnet_b0', '', 5_288_548],
  ] as const) {
    const read = await readScript(`import timm\nmodel = timm.create_model('${name}'${args})\n`, [TIMM]);
    assert.equal(read.defaultModel?.name, 'model');
    assert.ok(!(read.importedFiles ?? []).some((f) => /vision_transformer|convnext/.test(f)), name);
    const report = await analyse(built(findModel(read, 'model'), [224, 224, 3]));
    assert.equal(report.complete, true, `${name}: ${report.issues.map((i) => i.message).join('\n')}`);
    assert.equal(report.totals.params, params, name);
  }
});

test('no installed copy: the honest message says where it looked and how to point at the library', async () => {
  const read = await readScript(PYTORCH_TUTORIAL, []);
  assert.equal(read.models.length, 0);
  const note = read.diagnostics.find((d) => d.message.includes('torchvision.models.resnet18()'));
  assert.ok(note, read.diagnostics.map((d) => d.message).join('\n'));
  assert.match(note.message, /no installed torchvision was found \(no site-packages directory was given or found\); point at its site-packages with --python-path DIR/);
  assert.equal(note.source.line, 3);
});

test("no installed Keras: an application's preprocess_input keeps the tensor's shape and adds no layer", async () => {
  const read = await readScript(
    `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
inputs = keras.Input(shape=(160, 160, 3))
x = tf.keras.applications.mobilenet_v2.preprocess_input(inputs)
x = layers.Conv2D(8, 3)(x)
x = layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, layers.Dense(2)(x))
`,
    [],
  );
  const report = await analyse(built(findModel(read, 'model')));
  // Keras 3.15: count_params() 242, output (None, 2); the three layers only.
  assert.deepEqual([report.complete, report.totals.params, report.layers.map((l) => l.type)], [true, 242, ['Conv2D', 'GlobalAveragePooling2D', 'Dense']]);
});

test('cnn-inspect FILE --python-path DIR reads the library from there', { skip: NO_TORCHVISION }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cnn-libs-'));
  try {
    const file = path.join(dir, 'train.py');
    writeFileSync(file, PYTORCH_TUTORIAL);
    const out: string[] = [];
    const code = await runCli([file, '--input', '3,224,224', '--format', 'json', '--python-path', TORCHVISION], { out: (t) => out.push(t), err: () => {} });
    assert.equal(code, 0);
    assert.equal((JSON.parse(out.join('\n')) as { totals: { params: number } }).totals.params, 11_177_538);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('library search roots: given directories first, then PYTHONPATH, the virtual env and the project .venv; only existing ones', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cnn-roots-'));
  try {
    const made = (...p: string[]): string => {
      const d = path.join(dir, ...p);
      mkdirSync(d, { recursive: true });
      return d;
    };
    const given = made('given');
    const fromPath = made('pp');
    const venv = made('venv-a', 'lib', 'python3.12', 'site-packages');
    const older = made('venv-a', 'lib', 'python3.9', 'site-packages');
    const project = made('project', '.venv', 'lib', 'python3.11', 'site-packages');
    const roots = librarySearchRoots(
      { pythonPaths: [given, path.join(dir, 'missing')], environment: { PYTHONPATH: [fromPath, path.join(dir, 'nope')].join(path.delimiter), VIRTUAL_ENV: path.join(dir, 'venv-a'), HOME: dir } },
      path.join(dir, 'project'),
    );
    assert.deepEqual(roots.slice(0, 5), [given, fromPath, venv, older, project]);
    // Without an environment only the given directories: a read that must not depend on the machine.
    assert.deepEqual(librarySearchRoots({ pythonPaths: [given] }, path.join(dir, 'project')), [given]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
