/**
 * A 3-D example tensor in PyTorch: nn.Conv2d takes (C, H, W) as one unbatched image, while nn.Flatten and
 * nn.Linear take dim 0 as the batch (PyTorch docs: Conv2d "Input: (N, C_in, H_in, W_in) or (C_in, H_in, W_in)";
 * Flatten "Input: (*, S_start, ..., S_end, *)" with start_dim=1). The PyTorch "Build the Neural Network"
 * tutorial feeds torch.rand(3, 28, 28) to Flatten → Linear(784): three 28×28 samples, not a 3-channel image.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getReader } from './helpers';

async function read(source: string) {
  return (await getReader()).read(source, { file: 'example.py', language: 'python' });
}

test('torch.rand(3, 28, 28) fed to a Flatten-first model is not taken for a 3-channel image: it is a batch of three (28, 28) samples', async () => {
  const result = await read(`
import torch
from torch import nn

class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.stack = nn.Sequential(nn.Linear(28 * 28, 64), nn.ReLU(), nn.Linear(64, 10))

    def forward(self, x):
        return self.stack(self.flatten(x))

model = MLP()
logits = model(torch.rand(3, 28, 28))
`);
  const found = result.models.find((m) => m.name === 'MLP')!;
  // Three samples of (28, 28): the input is (N, 28, 28), which Flatten makes (N, 784).
  assert.deepEqual(found.input, [28, 28]);
  const outcome = found.build();
  assert.equal(outcome.kind, 'built');
});

test('torch.randn(3, 32, 32) fed to a Conv2d-first model is one unbatched 3×32×32 image', async () => {
  const result = await read(`
import torch
import torch.nn as nn

class Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)

    def forward(self, x):
        return self.conv(x)

net = Small()
y = net(torch.randn(3, 32, 32))
`);
  assert.deepEqual(result.defaultModel!.input, [32, 32, 3]);
});

test('a dummy input made from NumPy (PyTorch-GAN: Tensor(np.random.normal(0, 1, (64, 100)))) or torch.FloatTensor(8, 100) is the example input', async () => {
  // torch 2.13: Linear(100, 10) on torch.FloatTensor(np.random.normal(0, 1, (64, 100))) gives (64, 10); the
  // legacy constructor torch.FloatTensor(8, 100) is an uninitialised (8, 100) tensor.
  for (const make of ['Tensor(np.random.normal(0, 1, (64, 100)))', 'torch.FloatTensor(8, 100)', 'torch.from_numpy(np.random.uniform(-1, 1, size=(4, 100)))']) {
    const result = await read(`
import numpy as np
import torch
import torch.nn as nn
from torch.autograd import Variable

class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(100, 10)

    def forward(self, z):
        return self.fc(z)

cuda = True if torch.cuda.is_available() else False
Tensor = torch.cuda.FloatTensor if cuda else torch.FloatTensor
generator = Generator()
z = Variable(${make})
out = generator(z)
`);
    const found = result.defaultModel!;
    assert.equal(found.name, 'Generator', make);
    assert.deepEqual(found.input, [100], make);
  }
});
