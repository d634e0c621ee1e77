/**
 * Freezing, as PyTorch counts it (torchinfo's "Trainable params": parameters with requires_grad): a loop over
 * model.parameters() setting requires_grad = False, then a new head; module.requires_grad_(False) and thawing one
 * submodule; a module's own nn.Parameter frozen with the rest. The model is the instance the example code ran, as
 * the code left it. PyTorch 2.13 (scripts/reference/freezing_reference.py): model 266 params, 18 trainable;
 * partial 338, 98; thawed 338, 90.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

const MODEL = "import torch\nimport torch.nn as nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.features = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU())\n        self.scale = nn.Parameter(torch.ones(8, 1, 1))\n        self.pool = nn.AdaptiveAvgPool2d(1)\n        self.fc = nn.Linear(8, 10)\n\n    def forward(self, x):\n        x = self.features(x) * self.scale\n        return self.fc(torch.flatten(self.pool(x), 1))\n\n\nmodel = Net()\nfor param in model.parameters():\n    param.requires_grad = False\nmodel.fc = nn.Linear(8, 2)\n\npartial = Net()\npartial.features.requires_grad_(False)\n\nthawed = Net()\nthawed.requires_grad_(False)\nthawed.fc.requires_grad_(True)\n\ny = model(torch.randn(1, 3, 16, 16))\n";

async function totals(text: string) {
  const read = (await getReader()).read(text, { file: 'freeze.py', language: 'python' });
  const report = await analyse(built(read.defaultModel!));
  return { params: report.totals.params, trainable: report.totals.trainableParams, nonTrainable: report.totals.nonTrainableParams, report };
}

test('a head replaced after freezing every parameter is the only trainable part; the model is the one the code changed', async () => {
  const { params, trainable, nonTrainable, report } = await totals(MODEL);
  assert.deepEqual([params, trainable, nonTrainable], [266, 18, 248]);
  assert.deepEqual(report.layers.find((l) => l.name === 'fc')!.outputShape, [2]);
});

test('requires_grad_(False) on a submodule, and thawing one after freezing all', async () => {
  const run = (name: string) => MODEL.replace('y = model(torch.randn(1, 3, 16, 16))', `y = ${name}(torch.randn(1, 3, 16, 16))`);
  const partial = await totals(run('partial'));
  assert.deepEqual([partial.params, partial.trainable], [338, 98]);
  const thawed = await totals(run('thawed'));
  assert.deepEqual([thawed.params, thawed.trainable], [338, 90]);
});

test('p.requires_grad_(False) in the loop freezes as the attribute does', async () => {
  const { params, trainable } = await totals(MODEL.replace('    param.requires_grad = False', '    param.requires_grad_(False)'));
  assert.deepEqual([params, trainable], [266, 18]);
});
