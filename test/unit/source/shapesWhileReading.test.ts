/**
 * Shapes while the code is read (issue 9): conditions on tensor sizes evaluate from tfjs's shapes, what
 * cannot be evaluated is never guessed, a new input re-reads the code, unused modules count, and a cap
 * stops only the code that hit it. Expected numbers are PyTorch's and Keras's own (cited per case).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnosticsFromReport, type ReadResult } from '../../../extension/core/source/index';
import { analyse, built, callRows, findModel, getReader } from './helpers';

async function readText(text: string, file = 'inline.py'): Promise<ReadResult> {
  return (await getReader()).read(text, { file, language: 'python' });
}

const KERAS_APPLICATION_STYLE = `from keras.src import backend, layers
from keras.src.applications import imagenet_utils
from keras.src.models import Functional


def TinyNet(input_shape=None, include_top=True, weights=None, classes=10):
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, default_size=96, min_size=32, data_format=backend.image_data_format(), require_flatten=include_top, weights=weights
    )
    img_input = layers.Input(shape=input_shape)
    channel_axis = 3 if backend.image_data_format() == "channels_last" else 1
    x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(img_input, 3))(img_input)
    x = layers.Conv2D(16, 3, strides=2, padding="VALID")(x)
    x = layers.BatchNormalization(axis=channel_axis)(x)
    x = layers.Conv2D(x.shape[channel_axis] * 2, 3, padding="SAME")(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dense(classes)(x)
    return Functional(img_input, x, name="tinynet")

model = TinyNet()
`;

const BLITZ = `import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):

    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(-1, self.num_flat_features(x))
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x

    def num_flat_features(self, x):
        size = x.size()[1:]
        num_features = 1
        for s in size:
            num_features *= s
        return num_features


net = Net()
input = torch.randn(1, 1, 32, 32)
out = net(input)
`;

const RESIDUAL = (condition: string): string => `import os
import keras
from keras import layers

def block(x, filters, stride=1):
    shortcut = x
    y = layers.Conv2D(filters, 3, strides=stride, padding="same")(x)
    if ${condition}:
        shortcut = layers.Conv2D(filters, 1, strides=stride)(x)
    return layers.Add()([y, shortcut])

inputs = keras.Input(shape=(32, 32, 16))
x = block(inputs, 16)
x = block(x, 32, 2)
x = layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, layers.Dense(10)(x))
`;

test('a condition on x.shape[-1] is evaluated from tfjs shapes: the projection exists only where Keras makes it', async () => {
  const result = await readText(RESIDUAL('stride != 1 or x.shape[-1] != filters'));
  const model = built(findModel(result, 'model'));
  const report = await analyse(model);
  // Keras 3.15 on this code: block 1 has no projection (16 → 16, stride 1), block 2 has one; count_params() is
  // 2,320 + 4,640 + 544 + 330 = 7,834 (3·3·16·16+16, 3·3·16·32+32, the 1×1 16·32+32, dense 32·10+10).
  assert.deepEqual(rows(model, report).filter((r) => r.type === 'Conv2D').map((r) => [r.line, r.output]), [
    [7, [null, 32, 32, 16]],
    [7, [null, 16, 16, 32]],
    [9, [null, 16, 16, 32]],
  ]);
  assert.equal(report.totals.params, 2320 + 4640 + 544 + 330);
  assert.equal(report.complete, true);
  assert.deepEqual(diagnosticsFromReport(model, report), []);
});

test('a condition the reader cannot evaluate takes no branch: a located diagnostic, unknown from there, an incomplete report', async () => {
  const result = await readText(RESIDUAL('os.environ.get("PROJ") == "1"'));
  const warning = result.diagnostics.filter((d) => d.code === 'unknown');
  assert.deepEqual(warning.map((d) => [d.severity, d.source.file, d.source.line, d.source.column]), [['warning', 'inline.py', 8, 8]]);
  assert.match(warning[0]!.message, /^cannot tell whether this branch runs: `os\.environ\.get\("PROJ"\) == "1"` is unknown/);
  const model = built(findModel(result, 'model'));
  const report = await analyse(model);
  // The "first branch" policy would have added the 1×1 projection (line 9): it must not appear.
  assert.deepEqual(model.calls.filter((c) => c.source.line === 9), []);
  const unknown = report.layers.filter((l) => l.type === 'Unknown');
  // One per call of block(): each decides its own shortcut; the diagnostic is reported once, at the condition.
  assert.deepEqual(unknown.map((l) => l.source?.line), [8, 8]);
  assert.equal(report.complete, false);
  const incomplete = diagnosticsFromReport(model, report).filter((d) => d.code === 'incomplete');
  assert.deepEqual(incomplete.map((d) => [d.severity, d.source.line]), [['error', 8]]);
  assert.match(incomplete[0]!.message, /model is incomplete: shapes are unknown from .* \(line 8\) on: cannot tell whether this branch runs/);
});

function rows(model: Parameters<typeof callRows>[0], report: Parameters<typeof callRows>[1]) {
  return callRows(model, report, null);
}

const ADAPTIVE = `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.ReLU())
        self.pool = nn.AdaptiveAvgPool2d((7, 7))
        self.head = nn.Linear(8 * 7 * 7, 10)

    def forward(self, x):
        x = self.pool(self.features(x))
        if x.size(2) * x.size(3) != 49:
            raise ValueError("unexpected size")
        return self.head(torch.flatten(x, 1))

model = Net()
out = model(torch.randn(1, 3, 224, 224))
`;

test('a new input re-reads the code: AdaptiveAvgPool2d((7, 7)) stays 7×7 at 112×112 and at 60×60', async () => {
  const found = (await readText(ADAPTIVE)).defaultModel!;
  for (const size of [224, 112, 60]) {
    const model = built(found, [size, size, 3]);
    const report = await analyse(model);
    const pool = callRows(model, report, 1).find((r) => r.name === 'pool')!;
    // PyTorch: AdaptiveAvgPool2d((7, 7)) outputs (N, 8, 7, 7) for any input at least 7×7.
    assert.deepEqual(pool.output, [1, 8, 7, 7], `at ${size}`);
    assert.equal(report.totals.params, 224 + 3930);
    assert.equal(report.complete, true);
  }
  // Each size is its own read: the spec for 112 is not the one for 224.
  assert.notEqual(found.build([112, 112, 3]), found.build([224, 224, 3]));
});

test('a Keras model read at another input follows its shape-dependent code at that input', async () => {
  const text = `import keras
from keras import layers
inputs = keras.Input(shape=(64, 64, 3))
x = layers.Conv2D(8, 3, padding="same")(inputs)
if x.shape[1] > 32:
    x = layers.MaxPooling2D()(x)
x = layers.Flatten()(x)
model = keras.Model(inputs, layers.Dense(x.shape[-1] // 128)(x))
`;
  const found = findModel(await readText(text), 'model');
  const at64 = await analyse(built(found));
  const at32 = await analyse(built(found, [32, 32, 3]));
  // Keras: at 64×64 the pool runs (32·32·8 = 8,192 features → Dense(64)); at 32×32 it does not (8,192 → 64).
  assert.deepEqual(at64.layers.map((l) => l.type), ['Conv2D', 'MaxPooling2D', 'Flatten', 'Dense']);
  assert.deepEqual(at32.layers.map((l) => l.type), ['Conv2D', 'Flatten', 'Dense']);
  assert.deepEqual(at64.layers.at(-1)!.outputShape, [64]);
  assert.deepEqual(at32.layers.at(-1)!.outputShape, [64]);
});

test('modules forward() never calls count in the total (model.parameters()) and are marked', async () => {
  const text = ADAPTIVE.replace('self.head = nn.Linear(8 * 7 * 7, 10)', 'self.head = nn.Linear(8 * 7 * 7, 10)\n        self.aux = nn.Sequential(nn.Conv2d(8, 4, 1), nn.BatchNorm2d(4), nn.Linear(100, 10))');
  const model = built((await readText(text)).defaultModel!);
  const report = await analyse(model);
  // PyTorch: 224 + 3,930 + aux (8·4 + 4, 2·4, 100·10 + 10) = 4,154 + 36 + 8 + 1,010 = 5,208.
  assert.equal(report.totals.params, 5208);
  assert.deepEqual(report.layers.filter((l) => l.notCalled).map((l) => [l.name, l.params]), [['aux.0', 36], ['aux.1', 8], ['aux.2', 1010]]);
  assert.equal(report.complete, true);
});

test('nn.Linear keeps the parameters written even when its input is unknown', async () => {
  const text = `import torch
import torch.nn as nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.fc1 = nn.Linear(400, 120)
    def forward(self, x):
        x = torch.special_op(self.conv(x))
        return self.fc1(x)
model = Net()
out = model(torch.randn(1, 3, 32, 32))
`;
  const model = built((await readText(text)).defaultModel!);
  const report = await analyse(model);
  const fc1 = report.layers.find((l) => l.name === 'fc1')!;
  assert.equal(fc1.outputShape, null);
  assert.equal(fc1.params, 48120, 'nn.Linear(400, 120): 400·120 + 120');
  assert.equal(report.totals.params, 224 + 48120);
  assert.equal(report.complete, false);
});

test('runaway code before a model: located "gave up" warnings, and the model after it is still found', async () => {
  const text = `import torch
import torch.nn as nn
cfg = [1]
for i in range(64):
    cfg = cfg + cfg
nest = [1]
for i in range(64):
    nest = [nest, nest]
text = str(nest)
def forever(n):
    return forever(n + 1)
forever(0)
while True:
    pass
for i in range(20):
    items = sorted(list(range(50000)) * 2)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
    def forward(self, x):
        return self.conv(x)

model = Net()
out = model(torch.randn(1, 3, 8, 8))
`;
  const result = await readText(text);
  const limits = result.diagnostics.filter((d) => d.code === 'limit');
  assert.deepEqual(limits.map((d) => d.source.line), [5, 9, 11, 13, 16]);
  assert.match(limits[0]!.message, /a value would grow to 131072 elements, past the limit of 100000; gave up here/);
  const model = built(findModel(result, 'Net'));
  const report = await analyse(model);
  assert.deepEqual(report.layers.map((l) => [l.name, l.outputShape]), [['conv', [6, 6, 4]]]);
});

test('Keras Applications helpers: obtain_input_shape, correct_pad, image_data_format, Functional, padding="SAME"', async () => {
  // Written the way keras/src/applications/*.py are; Keras 3.15 builds it with 5,482 parameters and these shapes.
  const text = `${KERAS_APPLICATION_STYLE}`;
  const found = findModel(await readText(text), 'TinyNet');
  const model = built(found);
  const report = await analyse(model);
  assert.deepEqual(model.spec.input, [96, 96, 3], 'obtain_input_shape: default_size 96 with the top and no weights');
  assert.deepEqual(report.layers.map((l) => l.outputShape), [[97, 97, 3], [48, 48, 16], [48, 48, 16], [48, 48, 32], [32], [10]]);
  assert.equal(report.totals.params, 5482);
  assert.equal(report.complete, true);
});

test('TensorFlow.js code: x.shape decides a branch from tfjs shapes; an unknown condition takes no branch', async () => {
  const code = (flag: string): string => `import * as tf from '@tensorflow/tfjs';
const input = tf.input({ shape: [28, 28, 1] });
let x = tf.layers.conv2d({ filters: 8, kernelSize: 3 }).apply(input) as tf.SymbolicTensor;
if (${flag}) {
  x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor;
}
const y = tf.layers.dense({ units: 10 }).apply(tf.layers.flatten().apply(x)) as tf.SymbolicTensor;
export const model = tf.model({ inputs: input, outputs: y });
`;
  const reader = await getReader();
  const known = reader.read(code('x.shape[3] === 8'), { file: 'model.ts', language: 'typescript' });
  const report = await analyse(built(known.defaultModel!));
  // conv 3·3·1·8 + 8 = 80; pooled 13·13·8 = 1,352 features → dense 1,352·10 + 10 = 13,530.
  assert.deepEqual(report.layers.map((l) => l.type), ['Conv2D', 'MaxPooling2D', 'Flatten', 'Dense']);
  assert.equal(report.totals.params, 13610);
  const unknown = reader.read(code('process.env.POOL === "1"'), { file: 'model.ts', language: 'typescript' });
  assert.deepEqual(unknown.diagnostics.filter((d) => d.code === 'unknown').map((d) => [d.severity, d.source.line]), [['warning', 4]]);
  const model = built(unknown.defaultModel!);
  const incomplete = await analyse(model);
  assert.deepEqual(incomplete.layers.map((l) => l.type), ['Conv2D', 'Unknown', 'Flatten', 'Dense'], 'no MaxPooling2D from a guessed branch');
  assert.equal(incomplete.complete, false);
  assert.deepEqual(diagnosticsFromReport(model, incomplete).map((d) => [d.code, d.source.line]), [['incomplete', 4]]);
});

test('the PyTorch 60-minute blitz Net: num_flat_features is evaluated, so every shape after the view is known', async () => {
  const model = built((await readText(BLITZ)).defaultModel!);
  const report = await analyse(model);
  const rows = callRows(model, report, 1);
  // PyTorch: view(-1, 16·5·5) is (1, 400); 156 + 2,416 + 48,120 + 10,164 + 850 = 61,706 parameters.
  assert.deepEqual(rows.find((r) => r.name === 'view')!.output, [1, 400]);
  assert.deepEqual(rows.filter((r) => r.type === 'Linear').map((r) => [r.name, r.output, r.params]), [['fc1', [1, 120], 48120], ['fc2', [1, 84], 10164], ['fc3', [1, 10], 850]]);
  assert.equal(report.totals.params, 61706);
  assert.equal(report.complete, true);
});
