/**
 * seq[i] = module on nn.Sequential / nn.ModuleList / nn.ModuleDict and on an nn.Sequential subclass, as PyTorch
 * 2.13 does it (scripts/reference/module_items_reference.py): `model.classifier[-1] = nn.Linear(100, 5)` replaces
 * classifier.3 (before, a new "classifier.-1" was added after it), `model.features[0][0] = …` replaces the
 * subclass's first module: 1,640,829 params, output (1, 5); a ModuleList's [-1] and a ModuleDict's key: 1,426;
 * a position past the end is PyTorch's IndexError, located.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

const MODELS = "import torch\nimport torch.nn as nn\n\n\nclass Block(nn.Sequential):\n    def __init__(self, cin, cout):\n        super().__init__(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU())\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.features = nn.Sequential(Block(3, 8), Block(8, 16))\n        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(16 * 32 * 32, 100), nn.ReLU(), nn.Linear(100, 10))\n\n    def forward(self, x):\n        return self.classifier(self.features(x))\n\n\nclass Listed(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.convs = nn.ModuleList([nn.Conv2d(3, 8, 3), nn.Conv2d(8, 8, 3)])\n        self.heads = nn.ModuleDict({\"a\": nn.Linear(8, 4)})\n\n    def forward(self, x):\n        for c in self.convs:\n            x = c(x)\n        return self.heads[\"a\"](x.mean([2, 3]))\n\n\n";

async function read(code: string) {
  const found = (await getReader()).read(MODELS + code, { file: 'items.py', language: 'python' });
  return { found, report: await analyse(built(found.defaultModel!)) };
}

function readOnly(code: string) {
  return getReader().then((r) => ({ found: r.read(MODELS + code, { file: 'items.py', language: 'python' }) }));
}

test('classifier[-1] = … replaces the last module under its own name; features[0][0] = … reaches into a Sequential subclass', async () => {
  const { report } = await read('model = Net()\nmodel.classifier[-1] = nn.Linear(100, 5)\nmodel.features[0][0] = nn.Conv2d(3, 8, 5, padding=2)\ny = model(torch.randn(1, 3, 32, 32))\n');
  assert.equal(report.totals.params, 1_640_829);
  const names = report.layers.map((l) => l.name);
  assert.ok(!names.includes('classifier.-1'));
  assert.deepEqual(report.layers.find((l) => l.name === 'classifier.3')!.outputShape, [5]);
  assert.deepEqual(report.layers.find((l) => l.name === 'features.0.0')!.kernel, [5, 5]);
  assert.equal(report.complete, true);
});

test("a ModuleList's [-1] and a ModuleDict's key are replaced", async () => {
  const { report } = await read('listed = Listed()\nlisted.convs[-1] = nn.Conv2d(8, 16, 3)\nlisted.heads["a"] = nn.Linear(16, 2)\ny = listed(torch.randn(1, 3, 16, 16))\n');
  assert.equal(report.totals.params, 1_426);
});

test('a position past the end is IndexError at that line, not a module added, and the model is not complete', async () => {
  const { found } = await readOnly('model = Net()\nmodel.classifier[4] = nn.Identity()\ny = model(torch.randn(1, 3, 32, 32))\n');
  const d = found.diagnostics.find((x) => /IndexError/.test(x.message))!;
  assert.equal(d.source.line, MODELS.split('\n').length + 1);
  // PyTorch stops at the assignment: the container as the code left it is unknown, never its four modules.
  const report = await analyse(built(found.defaultModel!));
  assert.equal(report.complete, false);
  const sub = await read('model = Net()\nmodel.features[0][3] = nn.Identity()\ny = model(torch.randn(1, 3, 32, 32))\n');
  assert.equal(sub.report.complete, false);
});
