/**
 * A module's own nn.Parameter reshaped for the product it takes part in (timm's ConvNeXt
 * `x.mul(self.gamma.reshape(1, -1, 1, 1))`, `self.beta[:, None, None]`) is that parameter, counted once; a
 * torch.nn layer subclass whose forward() calls `super().forward(x)` runs the layer; x.mul / x.add are the
 * operators; `dtype=None` passed through **kwargs is the default dtype. Facts from running the same code with
 * PyTorch 2.13 (scripts/reference/parameter_views_reference.py): output (1, 8, 16, 16), 608 parameters
 * (conv 8·8·9 + 8 = 584, gamma 8, beta 8, scale 8), conv's output (1, 8, 16, 16).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

const MODEL = "import torch\nimport torch.nn as nn\n\n\nclass ScaledConv(nn.Conv2d):\n    def forward(self, x):\n        return super().forward(x) * 2\n\n\nclass Block(nn.Module):\n    def __init__(self, c, device=None, dtype=None):\n        super().__init__()\n        dd = {'device': device, 'dtype': dtype}\n        self.conv = ScaledConv(c, c, 3, padding=1)\n        self.gamma = nn.Parameter(1e-6 * torch.ones(c, **dd))\n        self.beta = nn.Parameter(torch.zeros(c))\n        self.scale = nn.Parameter(torch.ones(1, c, 1, 1))\n\n    def forward(self, x):\n        y = self.conv(x)\n        y = y.mul(self.gamma.reshape(1, -1, 1, 1))\n        y = y + self.beta[:, None, None]\n        y = y * self.gamma.view(-1, 1, 1)\n        y = self.scale * y\n        y = y.add(self.beta.unsqueeze(-1).unsqueeze(-1))\n        return y + x\n\n\nmodel = Block(8)\ny = model(torch.randn(1, 8, 16, 16))\n";

test('parameter views count their parameter once and keep the tensor shape; super().forward runs the layer', async () => {
  const read = (await getReader()).read(MODEL, { file: 'views.py', language: 'python' });
  // ScaledConv takes nn.Conv2d's arguments: a layer, not a model of the file.
  assert.deepEqual(read.models.map((m) => m.name), ['model']);
  assert.deepEqual(read.diagnostics, []);
  const report = await analyse(built(read.defaultModel!));
  assert.equal(report.complete, true);
  assert.equal(report.totals.params, 608);
  const conv = report.layers.find((l) => l.name === 'conv')!;
  assert.equal(conv.frameworkType, 'ScaledConv');
  assert.deepEqual(conv.outputShape, [16, 16, 8]);
  assert.deepEqual(report.layers.at(-1)!.outputShape, [16, 16, 8]);
  assert.equal(report.layers.filter((l) => l.notCalled).length, 0);
});

test('a view that does not fit the parameter is unknown, never reshaped by guess', async () => {
  const text = MODEL.replace('self.gamma.view(-1, 1, 1)', 'self.gamma.view(3, -1)');
  const read = (await getReader()).read(text, { file: 'views.py', language: 'python' });
  const report = await analyse(built(read.defaultModel!));
  assert.equal(report.complete, false);
  assert.ok(read.diagnostics.some((d) => d.source.line === 23 && /could not evaluate/.test(d.message)), JSON.stringify(read.diagnostics));
});

test('a view of a parameter held as an attribute is no parameter of its own', async () => {
  // PyTorch 2.13: self.g4 = self.gamma.view(…) registers nothing; sum(p.numel()) stays 608.
  const text = MODEL.replace("        self.scale = nn.Parameter(torch.ones(1, c, 1, 1))", "        self.scale = nn.Parameter(torch.ones(1, c, 1, 1))\n        self.g4 = self.gamma.view(1, -1, 1, 1)");
  const read = (await getReader()).read(text, { file: 'views.py', language: 'python' });
  const report = await analyse(built(read.defaultModel!));
  assert.equal(report.totals.params, 608);
  assert.equal(report.layers.filter((l) => l.notCalled).length, 0);
});

test('setattr / add_module by a name the reader cannot evaluate makes the total a lower bound, with a located warning', async () => {
  const text = `import os
import torch
import torch.nn as nn

NAME = os.environ.get("HEAD_NAME")

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(10, 10)
        setattr(self, NAME, nn.Linear(10, 10))
        self.add_module(NAME, nn.Linear(10, 10))

    def forward(self, x):
        return self.fc(x)

model = Net()
y = model(torch.randn(1, 10))
`;
  const read = (await getReader()).read(text, { file: 'named.py', language: 'python' });
  const report = await analyse(built(read.defaultModel!));
  assert.equal(report.totals.lowerBound, true);
  assert.equal(report.totals.params, 110);
  assert.deepEqual(read.diagnostics.filter((d) => /with a name the reader could not evaluate/.test(d.message)).map((d) => d.source.line), [11, 12]);
});
