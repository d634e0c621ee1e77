/**
 * named_parameters() and per-parameter freezing, as PyTorch counts them (torchinfo's "Trainable params"), on the
 * Net of freezing.test.ts. PyTorch 2.13 (scripts/reference/freezing_reference.py): named_parameters() gives scale,
 * features.0.weight, features.0.bias, features.1.weight, features.1.bias, fc.weight, fc.bias; freezing all but
 * fc by name: 338 params, 90 trainable; all but the last two of list(parameters()): 338, 90; the BatchNorm by
 * name with requires_grad_(False): 338, 322. Freezing the reader cannot follow leaves the split unknown.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';
import { toJsonReport } from '../../../extension/core/report/json';
import { toTable } from '../../../extension/core/report/table';
import { diagnosticsFromReport } from '../../../extension/core/source/index';

const NET = "import random\nimport torch\nimport torch.nn as nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.features = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU())\n        self.scale = nn.Parameter(torch.ones(8, 1, 1))\n        self.pool = nn.AdaptiveAvgPool2d(1)\n        self.fc = nn.Linear(8, 10)\n\n    def forward(self, x):\n        x = self.features(x) * self.scale\n        return self.fc(torch.flatten(self.pool(x), 1))\n\n\nnet = Net()\n";
const RUN = 'y = net(torch.randn(1, 3, 16, 16))\n';

async function read(freezing: string) {
  const found = (await getReader()).read(NET + freezing + RUN, { file: 'named.py', language: 'python' });
  const model = built(found.defaultModel!);
  const report = await analyse(model);
  return { report, model, totals: [report.totals.params, report.totals.trainableParams] };
}

test('named_parameters() names parameters as PyTorch does: freezing all but fc by name', async () => {
  const { totals, report } = await read('for name, p in net.named_parameters():\n    if not name.startswith("fc"):\n        p.requires_grad = False\n');
  assert.deepEqual(totals, [338, 90]);
  assert.equal(report.complete, true);
});

test('the names, in PyTorch order: the own parameter first, then features.0.weight … fc.bias', async () => {
  // Freezing by exact name: each name must be the one PyTorch gives, or the count moves.
  const names = ['scale', 'features.0.weight', 'features.0.bias', 'features.1.weight', 'features.1.bias'];
  const { totals } = await read(`for name, p in net.named_parameters():\n    if name in ${JSON.stringify(names)}:\n        p.requires_grad = False\n`);
  assert.deepEqual(totals, [338, 90]);
  // Position: the first name is the module's own parameter.
  const first = await read('names = [n for n, _ in net.named_parameters()]\nif names[0] == "scale" and names[-1] == "fc.bias" and len(names) == 7:\n    net.requires_grad_(False)\n');
  assert.deepEqual(first.totals, [338, 0]);
});

test('parameters() gives one handle per parameter: list(...)[:-2] leaves fc.weight and fc.bias', async () => {
  const { totals } = await read('for p in list(net.parameters())[:-2]:\n    p.requires_grad = False\n');
  assert.deepEqual(totals, [338, 90]);
});

test('requires_grad_(False) on both parameters of a module by name freezes it', async () => {
  const { totals } = await read('for name, p in net.named_parameters():\n    if name.startswith("features.1"):\n        p.requires_grad_(False)\n');
  assert.deepEqual(totals, [338, 322]);
});

test('a module frozen in part (its bias alone) leaves the split unknown, located, and the report incomplete', async () => {
  const { report, model } = await read('for name, p in net.named_parameters():\n    if name == "fc.bias":\n        p.requires_grad = False\n');
  assert.equal(report.totals.params, 338);
  assert.equal(report.complete, false);
  assert.match(report.totals.trainableUnknown!.message, /the nn\.Linear of line 12: some of its parameters are frozen and others not/);
  const json = toJsonReport(report) as { totals: { trainableParams: unknown; nonTrainableParams: unknown } };
  assert.deepEqual([json.totals.trainableParams, json.totals.nonTrainableParams], [null, null]);
  assert.match(toTable(report), /Trainable params: unknown\n/);
  const incomplete = diagnosticsFromReport(model, report).find((d) => d.code === 'incomplete')!;
  assert.match(incomplete.message, /Net is incomplete: which parameters are trainable is unknown/);
});

test('requires_grad set in a branch the reader cannot decide: the split is unknown at that line, never all trainable', async () => {
  const { report } = await read('for p in net.parameters():\n    if random.random() > 0.5:\n        p.requires_grad = False\n');
  assert.equal(report.totals.params, 338);
  assert.equal(report.complete, false);
  assert.equal(report.totals.trainableUnknown!.source.line, 21);
  assert.match(report.totals.trainableUnknown!.message, /requires_grad or trainable is set in code the reader could not follow/);
  assert.ok(report.layers.every((l) => l.params === 0 || (l.unknown?.trainable && l.trainableParams === 0)));
});

test('a requires_grad the reader cannot evaluate leaves the split unknown', async () => {
  const { report } = await read('flag = random.random() > 0.5\nfor p in net.parameters():\n    p.requires_grad = flag\n');
  assert.equal(report.complete, false);
  assert.equal(report.totals.trainableUnknown!.source.line, 22);
});

test("requires_grad on an input tensor (the FGSM tutorial's data.requires_grad = True) freezes nothing", async () => {
  const { report } = await read('import torchvision\nloader = torch.utils.data.DataLoader(torchvision.datasets.MNIST("data", download=True))\nfor data, target in loader:\n    data.requires_grad = True\n    if random.random() > 0.5:\n        data.requires_grad = False\n');
  assert.equal(report.complete, true);
  assert.equal(report.totals.trainableUnknown, undefined);
  assert.deepEqual([report.totals.params, report.totals.trainableParams], [338, 338]);
});
