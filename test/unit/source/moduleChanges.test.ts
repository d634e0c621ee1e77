/**
 * A model changed in place after it is made, read as the framework counts it: PyTorch 2.13 / Keras 3.15
 * (scripts/reference/module_changes_reference.py): a conv's weight and bias frozen through `model[0].weight` /
 * `.bias` 258 params, 34 trainable; `del model[-1]`, `del model[4]` 224, output (1, 8); `insert(1, …)` then
 * `append` 190, output (1, 2); `requires_grad_(False)` on the convs and norms of a nested `modules()` walk 258, 18;
 * `x.mean((2, 3), True)` (1, 8, 1, 1); a Keras Sequential frozen, then one layer set trainable or a layer added,
 * 242, 0 trainable. A tied weight (`fc2.weight = fc1.weight`: torch counts it once, 80) is unknown, never 144.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

async function read(code: string, file = 'changed.py') {
  const found = (await getReader()).read(code, { file, language: 'python' });
  return analyse(built(found.defaultModel!));
}

const T = 'import torch\nimport torch.nn as nn\n';
const HEAD = `${T}model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2))\n`;

test("freezing through a module's weight and bias (model[0].weight.requires_grad = False)", async () => {
  const r = await read(`${HEAD}model[0].weight.requires_grad = False\nmodel[0].bias.requires_grad_(False)\ny = model(torch.randn(1, 3, 32, 32))\n`);
  assert.deepEqual([r.totals.params, r.totals.trainableParams, r.complete], [258, 34, true]);
});

test('del model[i] removes and renumbers; insert() and append() place modules as PyTorch does', async () => {
  const deleted = await read(`${T}model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2), nn.Softmax(1))\ndel model[-1]\ndel model[4]\ny = model(torch.randn(1, 3, 32, 32))\n`);
  assert.equal(deleted.totals.params, 224);
  assert.deepEqual(deleted.layers.at(-1)!.outputShape, [8]);
  const inserted = await read(`${T}model = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 4))\nmodel.insert(1, nn.Linear(8, 8))\nmodel.append(nn.Linear(4, 2))\ny = model(torch.randn(1, 8))\n`);
  assert.equal(inserted.totals.params, 190);
  assert.deepEqual(inserted.layers.at(-1)!.outputShape, [2]);
});

test("an nn.Sequential's modules() walks nested containers, as PyTorch's does", async () => {
  const r = await read(`${T}model = nn.Sequential(nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8)), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2))\nfor m in model.modules():\n    if isinstance(m, (nn.BatchNorm2d, nn.Conv2d)):\n        m.requires_grad_(False)\ny = model(torch.randn(1, 3, 32, 32))\n`);
  assert.deepEqual([r.totals.params, r.totals.trainableParams], [258, 18]);
});

test('mean(dims, True) with keepdim given by position keeps the dims', async () => {
  const r = await read(`${T}class KeepDim(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.conv = nn.Conv2d(3, 8, 3)\n\n    def forward(self, x):\n        return self.conv(x).mean((2, 3), True)\n\n\nmodel = KeepDim()\ny = model(torch.randn(1, 3, 32, 32))\n`);
  assert.deepEqual(r.layers.at(-1)!.outputShape, [1, 1, 8]);
});

test('a Keras Sequential frozen holds no trainable weights, whatever is thawed or added after', async () => {
  const K = 'import keras\nfrom keras import layers\n';
  const thawed = await read(`${K}model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3), layers.GlobalAveragePooling2D(), layers.Dense(2)])\nmodel.trainable = False\nmodel.layers[0].trainable = True\n`);
  assert.deepEqual([thawed.totals.params, thawed.totals.trainableParams], [242, 0]);
  const added = await read(`${K}model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3), layers.GlobalAveragePooling2D()])\nmodel.trainable = False\nmodel.add(layers.Dense(2))\n`);
  assert.deepEqual([added.totals.params, added.totals.trainableParams], [242, 0]);
});

test('a layer changed after it was made (a tied weight) is unknown where it is called, never counted as written', async () => {
  const r = await read(`${T}class Tied(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc1 = nn.Linear(8, 8)\n        self.fc2 = nn.Linear(8, 8)\n        self.fc2.weight = self.fc1.weight\n\n    def forward(self, x):\n        return self.fc2(self.fc1(x))\n\n\nmodel = Tied()\ny = model(torch.randn(1, 8))\n`);
  assert.equal(r.complete, false);
  assert.equal(r.totals.lowerBound, true);
  assert.ok(r.totals.params <= 80, `at most PyTorch's 80 counted, got ${r.totals.params}`);
});
