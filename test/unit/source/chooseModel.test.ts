/**
 * Choosing the model (issue 11, item 3): the default is what the file's own code builds — its example code,
 * including main()/test() functions nothing calls — at the input that code feeds; a library file chooses none
 * and the CLI lists what it defines. Expected counts from running the same code with PyTorch 2.13:
 * VGG('VGG11') of kuangliu/pytorch-cifar's style, 9,231,114 parameters at (2, 3, 32, 32).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyse, built, getReader } from './helpers';
import { runCli } from '../../../extension/cli/main';

const VGG = `import torch
import torch.nn as nn

cfg = {'VGG11': [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M']}

class VGG(nn.Module):
    def __init__(self, vgg_name):
        super(VGG, self).__init__()
        self.features = self._make_layers(cfg[vgg_name])
        self.classifier = nn.Linear(512, 10)

    def forward(self, x):
        out = self.features(x)
        out = out.view(out.size(0), -1)
        return self.classifier(out)

    def _make_layers(self, cfg):
        layers = []
        in_channels = 3
        for x in cfg:
            if x == 'M':
                layers += [nn.MaxPool2d(kernel_size=2, stride=2)]
            else:
                layers += [nn.Conv2d(in_channels, x, kernel_size=3, padding=1), nn.BatchNorm2d(x), nn.ReLU(inplace=True)]
                in_channels = x
        layers += [nn.AvgPool2d(kernel_size=1, stride=1)]
        return nn.Sequential(*layers)


def test():
    net = VGG('VGG11')
    x = torch.randn(2, 3, 32, 32)
    y = net(x)
    print(y.size())
`;

test('a model built only in test(), with constructor arguments, is the default at the input test() feeds', async () => {
  const read = (await getReader()).read(VGG, { file: 'vgg.py', language: 'python' });
  assert.equal(read.defaultModel?.name, 'VGG');
  const model = built(read.defaultModel!);
  assert.equal(model.inputOrigin, 'example');
  assert.deepEqual(model.spec.input, [32, 32, 3]);
  const report = await analyse(model);
  assert.equal(report.totals.params, 9_231_114);
  // print(y.size()) and the rest of test() are ordinary code: nothing is flagged.
  assert.deepEqual(read.diagnostics.filter((d) => d.severity !== 'info'), []);
});

test('a library file (no example code) has no default: the CLI names its models and --list lists them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnn-choose-'));
  const file = join(dir, 'lib.py');
  writeFileSync(file, VGG.replace(/\ndef test\(\):[\s\S]*$/, '\n') + `
class Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(3, 8, 3)
    def forward(self, x):
        return self.c(x)


def small():
    return Small()
`);
  const read = (await getReader()).read(VGG.replace(/\ndef test\(\):[\s\S]*$/, '\n'), { file: 'lib.py', language: 'python' });
  assert.equal(read.defaultModel, null);
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
  assert.equal(await runCli([file], io), 1);
  assert.match(err.join('\n'), /defines 2 models and its own code builds none; choose one with --model NAME \(Small, small\), or see them with --list/);
  out.length = 0;
  assert.equal(await runCli([file, '--list'], io), 0);
  assert.match(out[0]!, /^model\s+framework\s+defined as\s+line\s+input$/);
  assert.match(out.join('\n'), /^Small\s+pytorch\s+class\s+\d+\s+--input C,H,W/m);
  assert.match(out[out.length - 1]!, /builds none of them: choose one with --model NAME/);
});

test('an example input wrapped in torch.autograd.Variable (pre-0.4 tutorials) is the tensor itself', async () => {
  const code = `import torch
import torch.nn as nn
from torch.autograd import Variable

class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv = nn.Conv2d(3, 8, 3)
    def forward(self, x):
        return self.conv(x)

def test():
    net = Net()
    y = net(Variable(torch.randn(4, 3, 16, 16)))
`;
  const read = (await getReader()).read(code, { file: 'v.py', language: 'python' });
  assert.equal(read.defaultModel?.name, 'Net');
  const model = built(read.defaultModel!);
  assert.deepEqual(model.spec.input, [16, 16, 3]);
  // PyTorch: Conv2d(3, 8, 3) has 3·3·3·8 + 8 = 224 parameters and gives (4, 8, 14, 14).
  const report = await analyse(model);
  assert.equal(report.totals.params, 224);
  assert.deepEqual(report.layers[0]!.outputShape, [14, 14, 8]);
});

test("ShuffleNet's channel split and shuffle (x[:, :c], view → permute → reshape) are ChannelSlice and ChannelShuffle", async () => {
  // The same code run with PyTorch 2.13: 1,366 parameters and a (3, 10) output.
  const code = `import torch
import torch.nn as nn
import torch.nn.functional as F

class Shuffle(nn.Module):
    def forward(self, x):
        N, C, H, W = x.size()
        g = 2
        return x.view(N, g, int(C/g), H, W).permute(0, 2, 1, 3, 4).reshape(N, C, H, W)

class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(3, 24, kernel_size=3, stride=1, padding=1, bias=False)
        self.conv2 = nn.Conv2d(12, 12, kernel_size=1, bias=False)
        self.shuffle = Shuffle()
        self.linear = nn.Linear(24, 10)

    def forward(self, x):
        out = self.conv1(x)
        x1, x2 = out[:, :12, :, :], out[:, 12:, :, :]
        out = self.shuffle(torch.cat([x1, self.conv2(x2)], 1))
        out = F.avg_pool2d(out, 32)
        return self.linear(out.view(out.size(0), -1))

def test():
    net = Net()
    y = net(torch.randn(3, 3, 32, 32))
`;
  const read = (await getReader()).read(code, { file: 's.py', language: 'python' });
  const report = await analyse(built(read.defaultModel!));
  assert.equal(report.complete, true);
  assert.equal(report.totals.params, 648 + 144 + 250);
  assert.deepEqual(report.layers.filter((l) => l.type === 'ChannelSlice' || l.type === 'ChannelShuffle').map((l) => [l.type, l.outputShape]), [
    ['ChannelSlice', [32, 32, 12]],
    ['ChannelSlice', [32, 32, 12]],
    ['ChannelShuffle', [32, 32, 24]],
  ]);
  assert.deepEqual(report.layers.at(-1)!.outputShape, [10]);
});

test('a tutorial that runs its own model, then an nn.Sequential of loose layers, is about its own model', async () => {
  // The shape of PyTorch's "Build the Neural Network" tutorial: model(X) on (1, 28, 28), then the pieces
  // (flatten, layer1) reassembled as seq_modules and run on (3, 28, 28). torch 2.13: sum(p.numel()) = 669,706.
  const source = `import torch
from torch import nn

class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.stack = nn.Sequential(nn.Linear(28*28, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))

    def forward(self, x):
        return self.stack(self.flatten(x))

model = Classifier()
logits = model(torch.rand(1, 28, 28))

flatten = nn.Flatten()
layer1 = nn.Linear(in_features=28*28, out_features=20)
seq_modules = nn.Sequential(flatten, layer1, nn.ReLU(), nn.Linear(20, 10))
logits = seq_modules(torch.rand(3, 28, 28))
`;
  const read = (await getReader()).read(source, { file: 'build_model.py', language: 'python' });
  assert.equal(read.defaultModel?.name, 'Classifier');
  const model = built(read.defaultModel!);
  assert.deepEqual(model.spec.input, [28, 28]);
  assert.equal((await analyse(model)).totals.params, 669_706);
  // The container is still listed, at the input its own run fed it.
  assert.ok(read.models.some((m) => m.name === 'seq_modules'));
});

test('--model runs only that factory, as importing the file does: another factory changing a global does not change it', async () => {
  // PyTorch 2.13: head() after `import` alone is Linear(8, 16), 8 * 16 + 16 = 144 parameters; calling
  // wide_head() first would make it Linear(8, 64), 576.
  const dir = mkdtempSync(join(tmpdir(), 'cnn-only-'));
  const file = join(dir, 'heads.py');
  writeFileSync(file, `import torch.nn as nn

WIDTH = [16]


class Head(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, WIDTH[0])

    def forward(self, x):
        return self.fc(x)


def wide_head():
    WIDTH[0] = 64
    return Head()


def head():
    return Head()
`);
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
  assert.equal(await runCli([file, '--model', 'head', '--input', '8', '--format', 'json'], io), 0, err.join('\n'));
  assert.equal(JSON.parse(out.join('')).totals.params, 144);
  // A name the file does not define: the file is read whole and every model is named.
  out.length = 0;
  err.length = 0;
  assert.equal(await runCli([file, '--model', 'nosuch'], io), 1);
  assert.match(err.join('\n'), /no model named "nosuch"; the file defines Head, wide_head, head/);
});

test('--model accepts the module-level variable that holds a model (model = Net()), as well as the name it is listed by', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnn-alias-'));
  const file = join(dir, 'train.py');
  writeFileSync(file, `import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)

    def forward(self, x):
        return self.conv(x)


model = Net()
y = model(torch.randn(1, 3, 16, 16))
`);
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
  for (const name of ['Net', 'model']) {
    out.length = 0;
    assert.equal(await runCli([file, '--model', name], io), 0, err.join('\n'));
    assert.match(out.join('\n'), /^Model: "Net"/m);
    // nn.Conv2d(3, 8, 3): 8·3·3·3 + 8.
    assert.match(out.join('\n'), /^Total params: 224 /m);
  }
  assert.equal(await runCli([file, '--model', 'net'], io), 1);
  assert.match(err.join('\n'), /no model named "net"; the file defines Net/);
});
