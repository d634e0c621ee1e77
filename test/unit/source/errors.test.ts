/**
 * Bad input and edge paths: syntax errors (partial results), models without an input, caps on pathological
 * code, reused modules, and the shape presentation helpers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  diagnosticsFromReport,
  formatFrameworkShape,
  inputFromFrameworkShape,
  languageOf,
  toFrameworkShape,
  type ReadResult,
} from '../../../extension/core/source/index';
import { analyse, built, callRows, findModel, getReader, readFixture } from './helpers';

async function readText(text: string, language: 'python' | 'typescript' | 'javascript' = 'python'): Promise<ReadResult> {
  return (await getReader()).read(text, { file: `inline.${language === 'python' ? 'py' : 'ts'}`, language });
}

test('a file with a syntax error: the good model is read, the error is a diagnostic on its line', async () => {
  const result = await readFixture('pytorch_syntax_error.py');
  const syntax = result.diagnostics.filter((d) => d.code === 'syntax');
  assert.equal(syntax.length, 1);
  assert.equal(syntax[0]!.severity, 'error');
  assert.equal(syntax[0]!.source.line, 24);
  assert.deepEqual(result.models.map((m) => [m.name, m.isDefault]), [['SmallNet', true], ['Broken', false]]);
  const small = built(findModel(result, 'SmallNet'));
  assert.equal(small.inputOrigin, 'comment');
  const report = await analyse(small);
  assert.deepEqual(callRows(small, report, 1).map((r) => [r.name, r.output, r.params]), [
    ['features.0', [1, 8, 32, 32], 224],
    ['features.1', [1, 8, 32, 32], 0],
    ['features.2', [1, 8, 16, 16], 0],
    ['flatten', [1, 2048], 0],
    ['fc', [1, 10], 20490],
  ]);
  const broken = findModel(result, 'Broken').build();
  assert.equal(broken.kind, 'failed');
  assert.match((broken as { message: string }).message, /syntax error/);
});

test('PyTorch without an example input: a typed input-needed result, then a given input works', async () => {
  const result = await readFixture('pytorch_resnet.py');
  assert.deepEqual(result.models.map((m) => [m.name, m.origin, m.isDefault, m.input]), [
    ['resnet18', 'function', true, [224, 224, 3]],
    ['resnet34', 'function', false, null],
    ['resnet50', 'function', false, null],
  ]);
  const r34 = findModel(result, 'resnet34');
  const outcome = r34.build();
  assert.equal(outcome.kind, 'input-needed');
  if (outcome.kind !== 'input-needed') return;
  assert.equal(outcome.framework, 'pytorch');
  assert.match(outcome.message, /cnn-inspect: input=/);
  assert.equal(outcome.source.line, 198);
  assert.ok(result.diagnostics.some((d) => d.code === 'input-needed' && d.model === 'resnet34' && d.severity === 'info'));
  const model = built(r34, inputFromFrameworkShape('pytorch', [1, 3, 224, 224])!);
  assert.equal(model.inputOrigin, 'given');
  const report = await analyse(model);
  assert.equal(report.totals.params, 21797672); // torchvision resnet34
  assert.equal(r34.build([224, 224, 3]), r34.build([224, 224, 3]), 'builds are cached per input');
});

test('input from a cnn-inspect comment, from torchinfo.summary, and model(torch.randn(...))', async () => {
  const code = (tail: string) => `import torch\nimport torch.nn as nn\n\nclass Tiny(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.conv = nn.Conv2d(3, 4, 3)\n\n    def forward(self, x):\n        return self.conv(x)\n\n${tail}\n`;
  for (const [tail, input, origin] of [
    ['# cnn-inspect: input=(1, 3, 20, 30)', [20, 30, 3], 'comment'],
    ['if __name__ == "__main__":\n    from torchinfo import summary\n    summary(Tiny(), input_size=(2, 3, 16, 16))', [16, 16, 3], 'example'],
    ['if __name__ == "__main__":\n    from torchsummary import summary\n    summary(Tiny(), (3, 8, 12))', [8, 12, 3], 'example'],
    ['net = Tiny()\nout = net(torch.rand(1, 3, 40, 40))', [40, 40, 3], 'example'],
  ] as const) {
    const result = await readText(code(tail));
    const m = result.defaultModel!;
    assert.equal(m.name, 'Tiny', tail);
    assert.deepEqual(m.input, input, tail);
    assert.equal(m.inputOrigin, origin, tail);
  }
});

test('unsupported PyTorch constructs are information; shapes after them are unknown, never guessed', async () => {
  const result = await readText(`import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.norm = nn.Unfold(2)
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        x = self.norm(self.conv(x))
        x = x.permute(0, 2, 3, 1)
        return self.fc(x.mean(1))

# cnn-inspect: input=(1, 3, 8, 8)
`);
  assert.ok(result.diagnostics.length >= 2);
  assert.ok(result.diagnostics.every((d) => d.severity === 'info' && d.code === 'unsupported'), JSON.stringify(result.diagnostics));
  assert.deepEqual(result.diagnostics.map((d) => d.source.line).slice(0, 2), [8, 13]);
  const model = built(result.defaultModel!);
  const report = await analyse(model);
  const rows = callRows(model, report, 1);
  assert.deepEqual(rows[0], { name: 'conv', type: 'Conv2d', line: 7, output: [1, 8, 8, 8], params: 224 });
  assert.ok(rows.slice(1).every((r) => r.output === null));
  assert.equal(report.complete, false);
  // An incomplete report is one error naming where the unknowns start (the CLI exits 1 on it).
  assert.deepEqual(
    diagnosticsFromReport(model, report).map((d) => [d.severity, d.code, d.source.line, d.message]),
    [['error', 'incomplete', 8, 'Net is incomplete: shapes are unknown from norm (line 8) on: nn.Unfold is not supported yet']],
  );
});

test('Conv2d in_channels and BatchNorm num_features are checked against the incoming tensor', async () => {
  const result = await readText(`import torch.nn as nn
net = nn.Sequential(
    nn.Conv2d(1, 16, 3),
    nn.BatchNorm2d(32),
    nn.Conv2d(32, 8, 3),
)
# cnn-inspect: input=(1, 3, 28, 28)
`);
  const model = built(result.defaultModel!);
  assert.equal(model.spec.framework, 'pytorch');
  const diags = diagnosticsFromReport(model, await analyse(model));
  assert.deepEqual(diags.map((d) => [d.code, d.source.line, d.layer]), [
    ['declared-size', 3, '0'],
    ['declared-size', 4, '1'],
    ['declared-size', 5, '2'],
  ]);
  assert.match(diags[0]!.message, /expected input to have 1 channels, but got 3 channels instead/);
  assert.match(diags[1]!.message, /num_features=32 but the input \(1, 16, 26, 26\) has 16 channels/);
});

test('Conv1d, ConvTranspose1d and InstanceNorm1d given other channels than written: an error, and the count as written', async () => {
  // PyTorch 2.13: sum(p.numel() for p in net.parameters()) = 8·4·3 + 4 (Conv1d) + 4·2·3 + 2 (ConvTranspose1d)
  // + 2·2 (InstanceNorm1d, affine) = 130, whatever arrives; net(torch.zeros(1, 3, 16)) raises at the Conv1d.
  const result = await readText(`import torch
import torch.nn as nn
net = nn.Sequential(
    nn.Conv1d(8, 4, 3),
    nn.ConvTranspose1d(4, 2, 3),
    nn.InstanceNorm1d(2, affine=True),
)
y = net(torch.zeros(1, 3, 16))
`);
  const model = built(result.defaultModel!);
  const report = await analyse(model);
  assert.equal(report.totals.params, 130);
  const diags = diagnosticsFromReport(model, report);
  assert.deepEqual(diags.filter((d) => d.code === 'declared-size').map((d) => [d.source.line, d.layer]), [[4, '0']]);
  assert.match(diags.find((d) => d.code === 'declared-size')!.message, /expected input to have 8 channels, but got 3 channels instead/);
});

test('a module used twice appears once per use; shared weights are marked', async () => {
  const result = await readText(`import torch
import torch.nn as nn

class Twice(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 4, 3, padding=1)
        self.act = nn.ReLU()

    def forward(self, x):
        x = self.act(self.conv(x))
        return self.act(self.conv(x))

model = Twice()
model(torch.zeros(1, 4, 8, 8))
`);
  const model = built(result.defaultModel!);
  assert.deepEqual(model.calls.map((c) => [c.name, c.use, c.sharesWeightsWith, c.source.line]), [
    ['conv', 1, null, 7],
    ['act', 1, null, 8],
    ['conv#2', 2, 'conv', 7],
    ['act#2', 2, null, 8],
  ]);
});

test('caps: endless loops, deep recursion and huge files end with a limit diagnostic', { timeout: 120_000 }, async () => {
  for (const text of [
    'while True:\n    x = 1\n',
    'for i in range(10**9):\n    pass\n',
    'def f(n):\n    return f(n + 1)\nf(0)\n',
    'x = [1]\nfor i in range(5000):\n    for j in range(5000):\n        x.append(i)\n',
  ]) {
    const result = await readText(text);
    assert.ok(result.diagnostics.some((d) => d.code === 'limit'), `${text}: ${JSON.stringify(result.diagnostics)}`);
  }
  const huge = await readText('x = 1\n'.repeat(200_000));
  assert.deepEqual(huge.diagnostics.map((d) => d.code), ['limit']);
  assert.equal(huge.models.length, 0);
  const js = await readText('let i = 0;\nwhile (true) { i++; }\n', 'typescript');
  assert.ok(js.diagnostics.some((d) => d.code === 'limit'));
});

test('presentation: NCHW for PyTorch, batch-first channels-last for Keras and tfjs', () => {
  assert.deepEqual(toFrameworkShape('pytorch', [56, 56, 64], 1), [1, 64, 56, 56]);
  assert.deepEqual(toFrameworkShape('pytorch', [1, 1, 512]), [null, 512, 1, 1]);
  assert.deepEqual(toFrameworkShape('pytorch', [10]), [null, 10]);
  assert.deepEqual(toFrameworkShape('keras', [56, 56, 64]), [null, 56, 56, 64]);
  assert.equal(formatFrameworkShape('pytorch', [7, 7, 2048]), '(N, 2048, 7, 7)');
  assert.equal(formatFrameworkShape('keras', [7, 7, 2048]), '(None, 7, 7, 2048)');
  assert.equal(formatFrameworkShape('keras', null), 'unknown');
  assert.deepEqual(inputFromFrameworkShape('pytorch', [1, 3, 224, 224]), [224, 224, 3]);
  assert.deepEqual(inputFromFrameworkShape('pytorch', [3, 32, 32]), [32, 32, 3]);
  assert.deepEqual(inputFromFrameworkShape('keras', [1, 28, 28, 1]), [28, 28, 1]);
  assert.equal(inputFromFrameworkShape('keras', [784]), null);
  assert.equal(languageOf('model.py'), 'python');
  assert.equal(languageOf('typescriptreact'), 'tsx');
  assert.equal(languageOf('a/b/model.mjs'), 'javascript');
  assert.equal(languageOf('README.md'), null);
});

test('several models in one file: the one the example code runs is the default', async () => {
  const result = await readFixture('pytorch_vgg_cifar.py');
  assert.deepEqual(result.models.map((m) => [m.name, m.origin, m.isDefault]), [
    ['vgg11', 'function', false],
    ['net', 'variable', true],
  ]);
  const noMain = await readText(`import torch.nn as nn
class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(3, 3, 1)
    def forward(self, x):
        return self.c(x)

class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = Block()
        self.b = Block()
    def forward(self, x):
        return self.b(self.a(x))

class Other(nn.Module):
    def __init__(self):
        super().__init__()
        self.b = Block()
    def forward(self, x):
        return self.b(x)
`);
  // No example code and no stated input: the file chooses none (the CLI lists the models, VS Code asks).
  assert.deepEqual(noMain.models.map((m) => [m.name, m.isDefault]), [['Block', false], ['Model', false], ['Other', false]]);
  assert.equal(noMain.defaultModel, null);
});

test('shapes computed by the code itself: num_flat_features over x.size()[1:] and a dummy tensor through conv layers', async () => {
  // The old 60-minute-blitz LeNet: num_flat_features loops over x.size()[1:]; _flat() runs a dummy tensor
  // through conv1 and conv2 without pooling, so its numel() (1·16·28·28 = 12,544) is not the 576 that arrives.
  const result = await readText(`import torch
import torch.nn as nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 6, 3)
        self.conv2 = nn.Conv2d(6, 16, 3)
        self.fc1 = nn.Linear(self._flat(), 120)
        self.fc2 = nn.Linear(120, 10)

    def _flat(self):
        return self.conv2(self.conv1(torch.zeros(1, 1, 32, 32))).numel()

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(-1, self.num_flat_features(x))
        x = F.relu(self.fc1(x))
        return self.fc2(x)

    def num_flat_features(self, x):
        size = x.size()[1:]
        num_features = 1
        for s in size:
            num_features *= s
        return num_features

net = Net()
out = net(torch.randn(1, 1, 32, 32))
`);
  const model = built(result.defaultModel!);
  const report = await analyse(model);
  const rows = callRows(model, report, 1);
  const byName = new Map(rows.map((r) => [r.name, r]));
  assert.deepEqual(byName.get('conv2')!.output, [1, 16, 13, 13]);
  assert.deepEqual(byName.get('view')!.output, [1, 576], 'x.view(-1, 16·6·6): num_flat_features evaluated from tfjs shapes');
  assert.deepEqual(model.declaredSizes.map((d) => [d.argument, d.value]), [['in_channels', 1], ['in_channels', 6], ['in_features', 12544], ['in_features', 120]]);
  const mismatch = diagnosticsFromReport(model, report).filter((d) => d.code === 'declared-size');
  assert.deepEqual(mismatch.map((d) => d.source.line), [10], 'fc1 = nn.Linear(self._flat(), 120) is the line PyTorch fails on');
  assert.match(mismatch[0]!.message, /mat1 and mat2 shapes cannot be multiplied \(1x576 and 12544x120\)/);
});
