/**
 * filter() and map() as Python 3 runs them: timm's ResNet stems are `nn.Sequential(*filter(None, [conv,
 * aa_layer_or_None, norm, act]))`; configs are read with `list(map(int, ...))`. Expected values from running the
 * same code with PyTorch 2.13 (the parameter count below).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

const CODE = `import torch
import torch.nn as nn

aa = None
chans = list(map(int, ["8", "16"]))
layers = nn.Sequential(*filter(None, [nn.Conv2d(3, chans[0], 3), aa, nn.ReLU(), None, nn.Conv2d(chans[0], chans[1], 3)]))
keep = list(filter(lambda c: c > 8, chans))
pairs = list(map(lambda a, b: a * b, [1, 2, 3], [4, 5]))
net = nn.Sequential(layers, nn.Conv2d(16, keep[0], 1), nn.Flatten(), nn.Linear(16 * 12 * 12, len(pairs)))
y = net(torch.zeros(1, 3, 16, 16))
`;

test('*filter(None, [...]) drops the Nones, filter(fn, ...) keeps what fn accepts, map() zips to the shortest', async () => {
  const read = (await getReader()).read(CODE, { file: 'iterators.py', language: 'python' });
  const report = await analyse(built(read.defaultModel!));
  assert.equal(report.complete, true, report.issues.map((i) => i.message).join('\n'));
  // PyTorch 2.13: sum(p.numel() for p in net.parameters()) = 224 + 1,168 + 272 + (2,304 · 2 + 2) = 6,274.
  assert.equal(report.totals.params, 6_274);
  assert.deepEqual(report.layers.filter((l) => l.params > 0).map((l) => l.name), ['0.0', '0.2', '1', '3']);
});

test('a filter() test the reader cannot evaluate leaves the list unknown, never a guess of what stays', async () => {
  const read = (await getReader()).read(CODE.replace('keep = list(filter(lambda c: c > 8, chans))', 'keep = list(filter(lambda c: c > unknown_threshold(), chans))'), { file: 'iterators.py', language: 'python' });
  const model = built(read.defaultModel!);
  const report = await analyse(model);
  assert.equal(report.complete, false);
});

test('a named child of an OrderedDict Sequential read as an attribute (self.head.global_pool) is that module', async () => {
  // MetaFormer-style heads. PyTorch 2.13: 260 parameters; hooks name the rows head.global_pool, head.flatten, head.fc.
  const read = (await getReader()).read(`from collections import OrderedDict
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Conv2d(3, 8, 3)
        self.head = nn.Sequential(OrderedDict([
            ('global_pool', nn.AdaptiveAvgPool2d(1)),
            ('flatten', nn.Flatten(1)),
            ('fc', nn.Linear(8, 4)),
        ]))
        self.blocks = nn.ModuleDict({'act': nn.ReLU()})

    def forward(self, x):
        x = self.blocks.act(self.body(x))
        x = self.head.global_pool(x)
        x = self.head.flatten(x)
        return self.head.fc(x)


net = Net()
y = net(torch.zeros(1, 3, 8, 8))
`, { file: 'heads.py', language: 'python' });
  const model = built(read.defaultModel!);
  const report = await analyse(model);
  assert.equal(report.complete, true, report.issues.map((i) => i.message).join('\n'));
  assert.equal(report.totals.params, 260);
  assert.deepEqual(report.layers.map((l) => l.name), ['body', 'blocks.act', 'head.global_pool', 'head.flatten', 'head.fc']);
});
