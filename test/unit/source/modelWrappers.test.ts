/**
 * Code around the model that training scripts and U-Nets write: torch.compile(model) / nn.DataParallel(model)
 * before the example runs it (the same module runs), arithmetic with registered buffers, a Linear written as
 * x @ W + b, example inputs the
 * example code shapes (`.unsqueeze(0)`, `.permute`, `.repeat`, `.view`), and `if x.shape != skip.shape:` between two tensors of the
 * model's one input (their batch is one batch, so the comparison is decided by the other sizes). Facts:
 * scripts/reference/model_wrappers_reference.py (torch 2.13), quoted beside each assertion.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnosticsFromReport, toFrameworkShape } from '../../../extension/core/source/index';
import { analyse, built, getReader } from './helpers';

const NET = `import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc(self.conv(x).mean((2, 3)))


`;

async function readDefault(text: string) {
  const read = (await getReader()).read(text, { file: 'train.py', language: 'python' });
  assert.ok(read.defaultModel, JSON.stringify(read.diagnostics.map((d) => d.message)));
  const model = built(read.defaultModel);
  return { read, report: await analyse(model) };
}

for (const wrap of ['torch.compile(Net())', 'nn.DataParallel(Net())', 'nn.parallel.DistributedDataParallel(Net())']) {
  test(`model = ${wrap}, then model(example): the example's model and input, torch's totals`, async () => {
    // Net (DataParallel): 242 parameters, 42352 MACs, output (1, 2).
    const { read, report } = await readDefault(`${NET}model = ${wrap}\ny = model(torch.randn(1, 3, 16, 16))\n`);
    assert.equal(report.complete, true);
    assert.equal(report.totals.params, 242);
    assert.equal(report.totals.macs, 42352);
    assert.deepEqual(read.defaultModel!.input, [16, 16, 3]);
  });
}

test('(x - self.mean) / self.std with registered buffers viewed (1, 3, 1, 1): the shape stays, no parameters', async () => {
  // Normalized: 242 parameters (the buffers are not), 42352 MACs.
  const { report } = await readDefault(`${NET}class Normalized(Net):
    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    def forward(self, x):
        return super().forward((x - self.mean) / self.std)


model = Normalized()
y = model(torch.randn(1, 3, 16, 16))
`);
  assert.equal(report.complete, true);
  assert.equal(report.totals.params, 242);
  assert.equal(report.totals.macs, 42352);
  // A buffer that does not broadcast into the image ((1, 4, 1, 1) against 3 channels) is PyTorch's error: unknown.
  const wrong = await readDefault(`${NET}class Wrong(Net):
    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.5, 0.5, 0.5, 0.5]).view(1, 4, 1, 1))

    def forward(self, x):
        return super().forward(x - self.mean)


model = Wrong()
y = model(torch.randn(1, 3, 16, 16))
`);
  assert.equal(wrong.report.complete, false);
});

for (const make of ['torch.randn(3, 50, 60).unsqueeze(0)', 'torch.randn(50, 60, 3).permute(2, 0, 1).unsqueeze(0)', 'torch.randn(1, 1, 50, 60).repeat(1, 3, 1, 1)', 'torch.randn(3, 3000).view(1, 3, 50, 60).float()']) {
  test(`an example input the example code shapes: x = ${make}`, async () => {
    // small on each: (1, 3, 50, 60), 242 parameters, 601360 MACs.
    const { read, report } = await readDefault(`import torch
import torch.nn as nn

model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2))
x = ${make}
print(model(x).shape)
`);
    assert.deepEqual(read.defaultModel!.input, [50, 60, 3]);
    assert.equal(report.totals.params, 242);
    assert.equal(report.totals.macs, 601360);
  });
}

const HANDMADE = `import torch
import torch.nn as nn


class MyLinear(nn.Module):
    def __init__(self, in_f, out_f):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(in_f, out_f) * 0.01)
        self.bias = nn.Parameter(torch.zeros(out_f))

    def forward(self, x):
        return x @ self.weight + self.bias


model = nn.Sequential(nn.Flatten(), MyLinear(IN, 32), nn.ReLU(), MyLinear(32, 10))
y = model(torch.randn(1, 1, 28, 28))
`;

test('a Linear written by hand, x @ W + b with nn.Parameters: its weights, its MACs, and PyTorch\'s error when W does not fit', async () => {
  // handmade: 25450 parameters, 25408 MACs, (1, 10).
  const { report } = await readDefault(HANDMADE.replace('IN', '784'));
  assert.equal(report.complete, true);
  assert.equal(report.totals.params, 25450);
  assert.equal(report.totals.macs, 25408);
  assert.deepEqual(toFrameworkShape('pytorch', report.layers.at(-1)!.outputShape, 1), [1, 10]);
  // MyLinear(780, 32) on 784 features: "mat1 and mat2 shapes cannot be multiplied (1x784 and 780x32)".
  const { read } = await readDefault(HANDMADE.replace('IN', '780'));
  const built2 = built(read.defaultModel!);
  const diags = diagnosticsFromReport(built2, await analyse(built2));
  assert.ok(diags.some((d) => d.severity === 'error' && d.message.includes('mat1 and mat2 shapes cannot be multiplied (1x784 and 780x32)')), JSON.stringify(diags.map((d) => d.message)));
});

test('a Linear sized by a dummy forward in __init__ (torch.randn(50, 50).view(-1, 1, 50, 50), x[0].shape[0] * …)', async () => {
  // sentdex: 8674 parameters, 431664 MACs, (1, 2); self._to_linear 4232.
  const { report } = await readDefault(`import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 5)
        self._to_linear = None
        self.convs(torch.randn(50, 50).view(-1, 1, 50, 50))
        self.fc1 = nn.Linear(self._to_linear, 2)

    def convs(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
        if self._to_linear is None:
            self._to_linear = x[0].shape[0] * x[0].shape[1] * x[0].shape[2]
        return x

    def forward(self, x):
        x = self.convs(x)
        x = x.view(-1, self._to_linear)
        return self.fc1(x)


net = Net()
out = net(torch.randn(1, 1, 50, 50))
`);
  assert.equal(report.complete, true);
  assert.equal(report.totals.params, 8674);
  assert.equal(report.totals.macs, 431664);
});

const UP = `import torch
import torch.nn as nn
import torch.nn.functional as F


class Up(nn.Module):
    def __init__(self):
        super().__init__()
        self.down = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.up = nn.ConvTranspose2d(8, 3, 2, stride=2)

    def forward(self, x):
        skip = x
        x = self.up(self.down(x))
        if x.shape != skip.shape:
            x = F.interpolate(x, size=skip.shape[2:])
        return torch.cat((skip, x), dim=1)


model = Up()
y = model(torch.randn(1, 3, SIZE, SIZE))
`;

test('if x.shape != skip.shape: decided by the sizes after the batch, both ways', async () => {
  // Up at 32x32: 323 parameters, 79872 MACs, (1, 6, 32, 32) (no resize); at 33x33: 90168 MACs, (1, 6, 33, 33)
  // (the 32x32 upsampled map resized back to 33x33).
  for (const [size, macs] of [[32, 79872], [33, 90168]] as const) {
    const { report } = await readDefault(UP.replace(/SIZE/g, String(size)));
    assert.equal(report.complete, true, `${size}`);
    assert.equal(report.totals.params, 323);
    assert.equal(report.totals.macs, macs);
    assert.deepEqual(toFrameworkShape('pytorch', report.layers.at(-1)!.outputShape, 1), [1, 6, size, size]);
  }
});
