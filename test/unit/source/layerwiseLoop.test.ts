/**
 * A network shown layer by layer (Dive into Deep Learning's `for layer in net: X = layer(X)`): the loop runs
 * net on X, so net is the file's model at X's size, not the block the loop starts with. Layer-by-layer
 * numbers are checked against PyTorch 2.13 in pytorch.test.ts (pytorch_layerwise_loop.expected.json:
 * 7,658 parameters at (2, 1, 28, 28), the lazy modules hooked as Conv2d / BatchNorm2d / Linear).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader, readFixture } from './helpers';

test('for layer in net: X = layer(X) on torch.rand(size=...) makes net the default at that size', async () => {
  const read = await readFixture('pytorch_layerwise_loop.py');
  assert.equal(read.defaultModel?.name, 'net');
  const model = built(read.defaultModel!);
  assert.equal(model.inputOrigin, 'example');
  assert.deepEqual(model.spec.input, [28, 28, 1]);
  const report = await analyse(model);
  assert.equal(report.complete, true);
  assert.equal(report.totals.params, 7_658);
});

test('a loop over a Sequential that feeds its first layer something else is not a run', async () => {
  const source = `import torch
from torch import nn

net = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU())
for layer in net:
    print(layer)
`;
  const read = (await getReader()).read(source, { file: 'loop.py', language: 'python' });
  const outcome = read.models.find((m) => m.name === 'net')!.build();
  assert.equal(outcome.kind, 'input-needed');
});

test('torch.rand(size=(...)) and torch.randn(size=[...]) are example tensors of those sizes', async () => {
  const source = `import torch
from torch import nn

net = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU())
y = net(torch.randn(size=[2, 3, 20, 24]))
`;
  const read = (await getReader()).read(source, { file: 'sized.py', language: 'python' });
  assert.deepEqual(built(read.defaultModel!).spec.input, [20, 24, 3]);
});

test('a loop that starts with a block of the file\'s own class still runs the container', async () => {
  // torch 2.13: sum(p.numel()) of this net = 844 (convs 3->8: 224 and 8->8: 584, Linear 8->4: 36).
  const source = `import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)

    def forward(self, x):
        return torch.relu(self.conv(x))


net = nn.Sequential(Block(3, 8), Block(8, 8), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 4))
X = torch.rand(size=(1, 3, 12, 12))
for layer in net:
    X = layer(X)
    print(layer.__class__.__name__, X.shape)
`;
  const read = (await getReader()).read(source, { file: 'blocks_loop.py', language: 'python' });
  assert.equal(read.defaultModel?.name, 'net');
  const model = built(read.defaultModel!);
  assert.deepEqual(model.spec.input, [12, 12, 3]);
  assert.equal((await analyse(model)).totals.params, 224 + 584 + 36);
});
