/**
 * `x in [...]` with an operand the reader cannot evaluate is unknown, never False. pytorch/examples' DCGAN sets
 * its image channels with `if opt.dataset in ['imagenet', 'folder', 'lfw']: nc = 3 … elif … nc = 1` on a
 * `required=True` argparse option: read as False, the first branch was skipped for the next one, and a
 * Conv2d(nc, …) came out with a channel count the file never fixes (and a false channel-mismatch error).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnosticsFromReport } from '../../../extension/core/source/index';
import { analyse, built, findModel, getReader } from './helpers';

const channelsFrom = (option: string): string => `import argparse
import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument('--dataset', ${option})
opt = parser.parse_args()

if opt.dataset in ['imagenet', 'cifar10']:
    nc = 3
else:
    nc = 1


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(nc, 8, 3)

    def forward(self, x):
        return self.conv(x)


net = Net()
net(torch.zeros(1, 3, 32, 32))
`;

test('membership of an unknown value in a list takes no branch: a located warning, never the other branch', async () => {
  const text = channelsFrom('required=True');
  const read = (await getReader()).read(text, { file: 'dcgan_like.py', language: 'python' });
  const ifLine = text.split('\n').findIndex((l) => l.startsWith('if opt.dataset in')) + 1;
  const warnings = read.diagnostics.map((d) => `${d.source.line}: ${d.severity}: ${d.message}`);
  assert.ok(read.diagnostics.some((d) => d.source.line === ifLine && d.severity === 'warning' && /cannot tell whether this branch runs/.test(d.message)), warnings.join('\n'));
  const model = built(findModel(read, 'Net'));
  const report = await analyse(model);
  // Read as False, the else branch made nc = 1 and a false "in_channels=1 but the input has 3 channels" error.
  // Unknown, nc is what the example input gives the Conv2d: the only value with which PyTorch runs the example,
  // Conv2d(3, 8, 3) with 3·3·3·8 + 8 = 224 parameters (torch 2.13, /work/venv).
  const errors = [...model.diagnostics, ...diagnosticsFromReport(model, report)].filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message), []);
  assert.equal(report.totals.params, 224);
});

test('membership of a known value is decided: a listed value takes the branch, an unlisted one the else', async () => {
  const reader = await getReader();
  // PyTorch: Conv2d(3, 8, 3) has 3·3·3·8 + 8 = 224 parameters, Conv2d(1, 8, 3) 1·3·3·8 + 8 = 80
  // (sum(p.numel() for p in m.parameters()), torch 2.13 in /work/venv).
  for (const [option, params, complete] of [["default='cifar10'", 224, true], ["default='mnist'", 80, false]] as const) {
    const read = reader.read(channelsFrom(option), { file: 'dcgan_like.py', language: 'python' });
    const model = built(findModel(read, 'Net'));
    const report = await analyse(model);
    assert.equal(report.totals.params, params, option);
    // One channel against the example's three is PyTorch's own error ("expected input[1, 3, 32, 32] to have 1
    // channels, but got 3 channels instead"), reported at the Conv2d; three channels run.
    const errors = diagnosticsFromReport(model, report).filter((d) => d.severity === 'error');
    assert.equal(errors.some((d) => /in_channels=1/.test(d.message)), !complete, option);
  }
});

test('one equal item decides membership even beside an unknown one', async () => {
  const text = `import torch
import torch.nn as nn

modes = ['rgb', unknown_mode()]
nc = 3 if 'rgb' in modes else 1
net = nn.Sequential(nn.Conv2d(nc, 8, 3))
net(torch.zeros(1, 3, 32, 32))
`;
  const read = (await getReader()).read(text, { file: 'modes.py', language: 'python' });
  const report = await analyse(built(findModel(read, 'net')));
  assert.equal(report.complete, true);
  assert.equal(report.totals.params, 224);
});
