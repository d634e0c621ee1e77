/**
 * The input a training script feeds its model, from its data: torchvision datasets (CIFAR-10 3×32×32,
 * MNIST 1×28×28, as torchvision documents them), the transforms that change the size, a DataLoader's batch and
 * argparse defaults. What the reader cannot follow gives no input, never a guessed one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyse, built, callRows, FIXTURES, getReader, readFixture } from './helpers';

async function read(source: string) {
  return (await getReader()).read(source, { file: 'train.py', language: 'python' });
}

const script = (dataset: string, transform: string, loader = 'batch_size=8') => `
import torch
import torch.nn as nn
import torchvision
import torchvision.transforms as transforms

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)

    def forward(self, x):
        return self.conv(x)

transform = ${transform}
trainset = torchvision.datasets.${dataset}(root="./data", train=True, download=True, transform=transform)
trainloader = torch.utils.data.DataLoader(trainset, ${loader})
net = Net()
for epoch in range(2):
    for i, data in enumerate(trainloader, 0):
        inputs, labels = data
        outputs = net(inputs)
print(len(trainloader))
`;

test('pytorch_training_script.py: main() feeds CIFAR-10 batches of --batch-size, read from the data pipeline', async () => {
  const result = await readFixture('pytorch_training_script.py');
  const found = result.defaultModel!;
  assert.equal(found.name, 'SmallConvNet');
  assert.deepEqual(found.input, [32, 32, 3]);
  assert.equal(found.inputOrigin, 'example');
  // PyTorch ran the model at that input (scripts/pytorch/make_expected.py), batch 32 as --batch-size says.
  const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'pytorch_training_script.expected.json'), 'utf8')) as { models: { input: number[]; total_params: number; layers: { output: number[] }[] }[] };
  const m = expected.models[0]!;
  assert.deepEqual(m.input, [32, 3, 32, 32]);
  const model = built(found);
  const report = await analyse(model);
  assert.deepEqual(callRows(model, report, 32, (t) => t.startsWith('nn.')).map((r) => r.output), m.layers.map((l) => l.output));
  assert.equal(report.totals.params, m.total_params);
});

test('the dataset, its transforms and the loader decide the example input', async () => {
  const cases: [string, string, [number, number, number]][] = [
    ['CIFAR10', 'transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])', [32, 32, 3]],
    ['CIFAR100', 'transforms.Compose([transforms.Resize(64), transforms.ToTensor()])', [64, 64, 3]],
    ['CIFAR10', 'transforms.Compose([transforms.RandomResizedCrop((40, 48)), transforms.ToTensor()])', [40, 48, 3]],
    ['MNIST', 'transforms.Compose([transforms.Grayscale(3), transforms.ToTensor()])', [28, 28, 3]],
    // ImageFolder opens every file as RGB (torchvision's pil_loader); a crop fixes the size whatever the files'
    // (the DCGAN tutorial's Resize(64) + CenterCrop(64), the transfer-learning tutorial's RandomResizedCrop(224)).
    ['ImageFolder', 'transforms.Compose([transforms.Resize(64), transforms.CenterCrop(64), transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])', [64, 64, 3]],
    ['ImageFolder', 'transforms.Compose([transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(), transforms.ToTensor()])', [224, 224, 3]],
    ['ImageFolder', 'transforms.Compose([transforms.Resize((96, 128)), transforms.ToTensor()])', [96, 128, 3]],
  ];
  for (const [dataset, transform, input] of cases) {
    const found = (await read(script(dataset, transform))).defaultModel!;
    assert.equal(found.name, 'Net', `${dataset} ${transform}`);
    assert.deepEqual(found.input, input, `${dataset} ${transform}`);
  }
});

test('a data pipeline the reader cannot follow gives no input: never a guessed one', async () => {
  const cases: [string, string, string?][] = [
    ['CIFAR10', 'transforms.Compose([transforms.Lambda(lambda x: x), transforms.ToTensor()])'],
    ['CIFAR10', 'transforms.Compose([transforms.Normalize((0.5,), (0.5,))])'], // no ToTensor: PIL images
    ['CIFAR10', 'None'],
    ['ImageFolder', 'transforms.ToTensor()'], // images of any size
    ['ImageFolder', 'transforms.Compose([transforms.Resize(64), transforms.ToTensor()])'], // shorter side 64, the other the file's
    ['CIFAR10', 'transforms.ToTensor()', 'batch_size=int(input())'],
  ];
  for (const [dataset, transform, loader] of cases) {
    const found = (await read(script(dataset, transform, loader))).models.find((m) => m.name === 'Net')!;
    assert.equal(found.input, null, `${dataset} ${transform} ${loader ?? ''}`);
  }
});

test('argparse: parse_args() gives the defaults; a required option stays unknown', async () => {
  const source = `
import argparse
parser = argparse.ArgumentParser()
parser.add_argument("--batch-size", type=int, default=16)
parser.add_argument("--no-cuda", action="store_true")
parser.add_argument("--width", dest="channels", type=int, default=24)
parser.add_argument("--depth", type=int, required=True)
args = parser.parse_args()
import torch.nn as nn
model = nn.Sequential(nn.Conv2d(3, args.channels, 3))
deep = nn.Sequential(nn.Conv2d(3, args.depth, 3))
`;
  const result = await read(source);
  const model = built(result.models.find((m) => m.name === 'model')!, [8, 8, 3]);
  const report = await analyse(model);
  assert.equal(report.totals.params, 3 * 24 * 9 + 24);
  assert.equal(report.complete, true);
  const deep = await analyse(built(result.models.find((m) => m.name === 'deep')!, [8, 8, 3]));
  assert.equal(deep.complete, false, 'a required option has no value without a command line');
});
