/**
 * Values the reader cannot evaluate never become an empty container, a dropped argument or an uncounted
 * weight (issue 7 item 3, issue 9 item 2): each case here gave a confident wrong number with `complete: true`.
 * Expected figures from the frameworks themselves, as each test says.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';
import { diagnosticsFromReport } from '../../../extension/core/source/index';

async function read(text: string, file = 'model.py') {
  return (await getReader()).read(text, { file, language: 'python' });
}

/** The model the file builds (`model = Net()` then `model(torch.randn(…))`). */
async function model0(text: string) {
  const result = await read(text);
  assert.ok(result.defaultModel, result.models.map((m) => m.name).join(', '));
  return result.defaultModel;
}

const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

const UNLISTED_BLOCKS = `import torch
import torch.nn as nn
from config import make_blocks


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList(make_blocks())
        self.head = nn.Linear(32, 2)

    def forward(self, x):
        for b in self.blocks:
            x = b(x)
        return self.head(x)


model = Net()
model(torch.randn(1, 3, 32, 32))
`;

test('nn.ModuleList of a value the reader cannot list is unknown, not an empty list the loop skips', async () => {
  const model = built(await model0(UNLISTED_BLOCKS));
  const report = await analyse(model);
  // Before: an empty ModuleList, the head applied to the input itself, complete with 66 parameters.
  assert.equal(report.complete, false);
  assert.equal(report.totals.lowerBound, true);
  const loop = lineOf(UNLISTED_BLOCKS, 'for b in self.blocks');
  const errors = diagnosticsFromReport(model, report).filter((d) => d.severity === 'error');
  assert.ok(errors.some((d) => d.source.line === loop && /self\.blocks/.test(d.message)), errors.map((d) => `${d.source.line}: ${d.message}`).join('\n'));
  assert.ok(
    model.diagnostics.some((d) => d.source.line === lineOf(UNLISTED_BLOCKS, 'nn.ModuleList(') && /nn\.ModuleList of a value the reader could not evaluate/.test(d.message)),
    model.diagnostics.map((d) => `${d.source.line}: ${d.message}`).join('\n'),
  );
});

test('nn.ModuleList / ModuleDict of a list passed to code the reader cannot see are unknown', async () => {
  for (const [container, arg] of [['ModuleList', 'layers'], ['ModuleDict', 'list(zip(names, layers))']] as const) {
    const text = UNLISTED_BLOCKS.replace('from config import make_blocks', 'from config import fill, names').replace(
      'self.blocks = nn.ModuleList(make_blocks())',
      `layers = []\n        fill(layers)\n        self.blocks = nn.${container}(${arg})`,
    );
    const report = await analyse(built(await model0(text)));
    assert.equal(report.complete, false, container);
    assert.ok(!report.layers.some((l) => l.type === 'Dense' && l.params === 66 && l.outputShape !== null), `${container}: the head was applied to the input`);
  }
});

test('written empty nn.ModuleList() and nn.ModuleDict() stay empty: the model is complete', async () => {
  const text = UNLISTED_BLOCKS.replace('from config import make_blocks\n', '').replace('nn.ModuleList(make_blocks())', 'nn.ModuleList()').replace(
    'self.head = nn.Linear(32, 2)',
    'self.extra = nn.ModuleDict()\n        self.head = nn.Linear(32, 2)',
  );
  const report = await analyse(built(await model0(text)));
  assert.equal(report.complete, true);
  // torch 2.13: sum(p.numel() for p in Net().parameters()) = 32·2 + 2.
  assert.equal(report.totals.params, 66);
  assert.deepEqual(report.layers.at(-1)!.outputShape !== null, true);
});

const PARAMETER_AND_BUFFER = `import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.scale = nn.Parameter(torch.ones(8, 4))
        self.register_buffer("running", torch.zeros(100))
        self.plain = torch.zeros(50)

    def forward(self, x):
        return self.conv(x)


model = Net()
model(torch.randn(1, 3, 32, 32))
`;

test('an nn.Parameter forward() never uses counts (model.parameters()); a buffer does not', async () => {
  const model = built(await model0(PARAMETER_AND_BUFFER));
  const report = await analyse(model);
  // torch 2.13 running this file: sum(p.numel() for p in model.parameters()) = 256 (scale 32, conv 224);
  // named_buffers() = ['running'], which parameters() does not count.
  assert.equal(report.totals.params, 256);
  assert.equal(report.totals.lowerBound, undefined);
  assert.equal(report.complete, true);
  const scale = report.layers.find((l) => l.name === 'scale');
  assert.ok(scale, report.layers.map((l) => l.name).join(', '));
  assert.equal(scale.notCalled, true);
  assert.equal(scale.params, 32);
  assert.equal(scale.source?.line, lineOf(PARAMETER_AND_BUFFER, 'nn.Parameter('));
});

test('an nn.Parameter forward() uses is counted once, not again as unused', async () => {
  const text = PARAMETER_AND_BUFFER.replace('self.scale = nn.Parameter(torch.ones(8, 4))', 'self.scale = nn.Parameter(torch.ones(8, 1, 1))').replace(
    'return self.conv(x)',
    'return self.conv(x) * self.scale',
  );
  const report = await analyse(built(await model0(text)));
  // torch 2.13: 224 + 8.
  assert.equal(report.totals.params, 232);
  assert.equal(report.layers.filter((l) => l.notCalled).length, 0);
  assert.equal(report.complete, true);
});

test('an nn.Parameter whose size the reader cannot evaluate makes the total a lower bound and the report incomplete', async () => {
  const text = PARAMETER_AND_BUFFER.replace('import torch.nn as nn', 'import torch.nn as nn\nfrom config import width').replace('torch.ones(8, 4)', 'torch.ones(width(), 4)');
  const model = built(await model0(text));
  const report = await analyse(model);
  assert.equal(report.totals.params, 224);
  assert.equal(report.totals.lowerBound, true);
  assert.equal(report.complete, false);
  const line = lineOf(text, 'nn.Parameter(');
  assert.ok(model.diagnostics.some((d) => d.source.line === line && d.severity === 'warning' && /at least/.test(d.message)));
  assert.ok(diagnosticsFromReport(model, report).some((d) => d.severity === 'error' && d.source.line === line && /scale/.test(d.message)));
});

test('a registered module forward() never calls, with parameters its constructor fixes, is exact; one it cannot fix is incomplete', async () => {
  const text = `import torch
import torch.nn as nn
from config import width


class Net(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.aux = nn.Linear(4, 2)
        self.aux2 = nn.Linear(n, 2)

    def forward(self, x):
        return self.conv(x)


model = Net(width())
model(torch.randn(1, 3, 32, 32))
`;
  const model = built(await model0(text));
  const report = await analyse(model);
  const aux = report.layers.find((l) => l.name === 'aux')!;
  // torch 2.13: nn.Linear(4, 2) has 10 parameters; it runs no MACs (forward() never calls it).
  assert.equal(aux.params, 10);
  assert.equal(aux.unknown, undefined);
  assert.equal(report.totals.params, 234);
  assert.equal(report.totals.lowerBound, true);
  assert.equal(report.complete, false);
  const errors = diagnosticsFromReport(model, report).filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => [d.source.line, /aux2.*never calls, are unknown/.test(d.message)]), [[lineOf(text, 'self.aux2'), true]]);
});

test('Keras GlobalAveragePooling1D(keepdims=True) keeps the axis; an unevaluable keepdims is unsupported, not dropped', async () => {
  const text = `from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(100, 16))
x = layers.Conv1D(8, 3)(inputs)
x = layers.GlobalAveragePooling1D(keepdims=True)(x)
y = layers.GlobalMaxPooling1D(keepdims=True)(x)
model = keras.Model(inputs, y)
`;
  const report = await analyse(built(await model0(text)));
  // Keras 3.15 running this file: model.summary() gives (None, 1, 8) for both poolings; count_params() 392.
  assert.deepEqual(report.layers.at(-1)!.outputShape, [1, 8]);
  assert.deepEqual(report.layers.find((l) => l.name === 'global_average_pooling1d')?.outputShape, [1, 8]);
  assert.equal(report.totals.params, 392);
  assert.equal(report.complete, true);
  const unknown = text.replace('keepdims=True)(x)\ny', 'keepdims=flag())(x)\ny');
  const incomplete = await analyse(built(await model0(unknown)));
  assert.equal(incomplete.complete, false);
});

test('nn.Sequential.extend() of a value the reader cannot list, or add_module() under an unknown name, leaves the container unknown', async () => {
  const base = `import torch
import torch.nn as nn
from config import more_layers, name_of


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3))
        GROWS
        self.head = nn.Flatten()

    def forward(self, x):
        return self.head(self.features(x))


model = Net()
model(torch.randn(1, 3, 32, 32))
`;
  for (const grows of ['self.features.extend(more_layers())', 'self.features.add_module(name_of(), nn.Conv2d(8, 8, 3))']) {
    const text = base.replace('GROWS', grows);
    const report = await analyse(built(await model0(text)));
    // Before: the written Conv2d alone, then Flatten to 7,200: complete, with the added layers missing.
    assert.equal(report.complete, false, grows);
    assert.ok(!report.layers.some((l) => l.type === 'Flatten' && l.outputShape !== null), `${grows}: flattened as if nothing were added`);
  }
  // The same file with what it adds written out is complete: torch 2.13, Conv2d(3, 8, 3) + Conv2d(8, 8, 3) = 224 + 584.
  const known = await analyse(built(await model0(base.replace('GROWS', 'self.features.add_module("more", nn.Conv2d(8, 8, 3))'))));
  assert.equal(known.complete, true);
  assert.equal(known.totals.params, 808);
  assert.deepEqual(known.layers.at(-1)!.outputShape, [28 * 28 * 8]);
});

test('tfjs: a layer the reader cannot evaluate, added or listed, makes what follows unknown (was skipped: Flatten to 7,200)', async () => {
  const texts = [
    `const tf = require('@tensorflow/tfjs');\nconst { block } = require('./config');\nconst model = tf.sequential();\nmodel.add(tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 8, kernelSize: 3 }));\nmodel.add(block());\nmodel.add(tf.layers.flatten());\n`,
    `const tf = require('@tensorflow/tfjs');\nconst { more } = require('./config');\nconst model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 8, kernelSize: 3 }), ...more(), tf.layers.flatten()] });\n`,
    `const tf = require('@tensorflow/tfjs');\nconst { all } = require('./config');\nconst model = tf.sequential({ layers: all() });\nmodel.add(tf.layers.flatten({ inputShape: [32, 32, 3] }));\n`,
  ];
  for (const text of texts) {
    const read = (await getReader()).read(text, { file: 'model.js', language: 'javascript' });
    const found = read.defaultModel ?? read.models[0];
    assert.ok(found, text);
    const outcome = found.build([32, 32, 3]);
    assert.equal(outcome.kind, 'built', text);
    if (outcome.kind !== 'built') continue;
    const report = await analyse(outcome.model);
    assert.equal(report.complete, false, text);
    assert.ok(!report.layers.some((l) => l.type === 'Flatten' && l.outputShape !== null), text);
  }
});

test('Keras: model.add() of a value the reader cannot evaluate is unknown from there, not an internal error', async () => {
  const text = `from tensorflow import keras
from tensorflow.keras import layers
from config import block

model = keras.Sequential([keras.Input(shape=(32, 32, 3))])
model.add(layers.Conv2D(8, 3))
model.add(block())
model.add(layers.Flatten())
`;
  const found = (await read(text)).defaultModel!;
  const outcome = found.build();
  assert.equal(outcome.kind, 'built', 'message' in outcome ? outcome.message : '');
  const report = await analyse(built(found));
  assert.equal(report.complete, false);
  // Keras 3.15: Conv2D(8, 3) on (32, 32, 3) has 224 parameters; the rest is unknown.
  assert.equal(report.totals.params, 224);
  assert.equal(report.totals.lowerBound, true);
});
