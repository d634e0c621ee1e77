/**
 * bool() of a tensor is never a guess. PyTorch 2.13 raises "RuntimeError: Boolean value of Tensor with more
 * than one value is ambiguous" for `self.convShortcut(x) or x` on a feature map (the and/or idiom of the
 * widely copied WideResNet code): the reader must not read such a block as running, let alone count it.
 * An empty nn.Sequential() has length 0, so `if self.shortcut:` is false (torch 2.13: bool(nn.Sequential()) is False).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnosticsFromReport } from '../../../extension/core/source/index';
import { analyse, built, getReader } from './helpers';

const AND_OR = `import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)
        self.equal = cin == cout
        self.proj = (not self.equal) and nn.Conv2d(cin, cout, 1) or None

    def forward(self, x):
        out = self.conv(x)
        return torch.add((not self.equal) and self.proj(x) or x, out)


net = nn.Sequential(Block(3, 8), Block(8, 8))
y = net(torch.randn(1, 3, 16, 16))
`;

test('`tensor or x` is unknown with PyTorch\'s error, not the tensor', async () => {
  const read = (await getReader()).read(AND_OR, { file: 'and_or.py', language: 'python' });
  const model = built(read.defaultModel!);
  const report = await analyse(model);
  assert.equal(report.complete, false);
  const messages = [...read.diagnostics, ...diagnosticsFromReport(model, report)].map((d) => `${d.source.line}: ${d.message}`);
  assert.ok(messages.some((m) => m.startsWith('14: ') && m.includes('Boolean value of Tensor with more than one value is ambiguous')), messages.join('\n'));
});

test('an empty nn.Sequential() is false, a non-empty one true', async () => {
  const source = `import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)
        self.shortcut = nn.Sequential()
        if cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1))

    def forward(self, x):
        out = self.conv(x)
        if self.shortcut:
            return out + self.shortcut(x)
        return out * 2


net = nn.Sequential(Block(3, 8), Block(8, 8))
y = net(torch.randn(1, 3, 16, 16))
`;
  const read = (await getReader()).read(source, { file: 'empty_seq.py', language: 'python' });
  // net(x) runs the blocks; the first block is not a run of its own.
  assert.equal(read.defaultModel?.name, 'net');
  const model = built(read.defaultModel!);
  const report = await analyse(model);
  assert.equal(report.complete, true);
  // torch 2.13: the first block adds its 1x1 projection (conv 224 + shortcut 32 params), the second doubles: 840 in all.
  assert.equal(report.totals.params, 840);
  assert.deepEqual(model.calls.filter((c) => c.sourceType === 'nn.Conv2d').length, 3);
});
