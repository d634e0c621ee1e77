/**
 * ConvNeXt's channels-last steps in PyTorch code: x.permute / torch.permute / transpose, LayerNorm and Linear
 * over the last dim of a 4-D tensor, a LayerNorm subclass around F.layer_norm, a layer-scale nn.Parameter.
 * Rows are checked against PyTorch in pytorch.test.ts (pytorch_channels_last.expected.json); here the totals
 * and what is refused. MACs: PyTorch 2.13's torch.utils.flop_counter.FlopCounterMode on TinyConvNeXt at
 * (1, 3, 32, 32), get_total_flops() // 2 = 537,408; sum(p.numel() for p in model.parameters()) = 18,270
 * (with the two layer_scale parameters, 16 + 32, that no leaf module holds).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFrameworkShape } from '../../../extension/core/source/index';
import { enginePermuteDims } from '../../../extension/core/source/torchAxes';
import { analyse, built, findModel, getReader, readFixture } from './helpers';

test('pytorch_channels_last.py: TinyConvNeXt at (1, 3, 32, 32): params and MACs as PyTorch counts them', async () => {
  const model = built(findModel(await readFixture('pytorch_channels_last.py'), 'TinyConvNeXt'));
  const report = await analyse(model);
  assert.equal(report.complete, true, report.issues.map((i) => i.message).join('\n'));
  assert.equal(report.totals.params, 18_270);
  assert.equal(report.totals.macs, 537_408);
});

test('permute dims: PyTorch orders of (N, C, H, W) and (N, C, L) as tfjs Permute dims over the engine layout', () => {
  // (N, C, H, W) is held as (H, W, C): to (N, H, W, C) is held as (W, C, H).
  assert.deepEqual(enginePermuteDims([0, 2, 3, 1], 3), [2, 3, 1]);
  assert.deepEqual(enginePermuteDims([0, 3, 1, 2], 3), [3, 1, 2]);
  assert.deepEqual(enginePermuteDims([0, -1, -3, -2], 3), [3, 1, 2]);
  assert.deepEqual(enginePermuteDims([0, 1, 2, 3], 3), [1, 2, 3]);
  // (N, C, L) is held as PyTorch writes it.
  assert.deepEqual(enginePermuteDims([0, 2, 1], 2), [2, 1]);
  // Moving the batch, repeating a dim, or the wrong number of dims: refused.
  assert.equal(enginePermuteDims([1, 0, 2, 3], 3), null);
  assert.equal(enginePermuteDims([0, 1, 1, 3], 3), null);
  assert.equal(enginePermuteDims([0, 2, 1], 3), null);
});

const model = (forward: string, init = '') => `import torch
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)${init}

    def forward(self, x):
        x = self.conv(x)
${forward}


net = Net()
net(torch.randn(1, 3, 16, 12))
`;

async function read(forward: string, init = '') {
  const found = built(findModel((await getReader()).read(model(forward, init), { file: 'net.py', language: 'python' }), 'Net'));
  return { model: found, report: await analyse(found) };
}

test('x.permute(0, 2, 3, 1) then a Linear over C: PyTorch shapes (N, H, W, C) and (N, H, W, out)', async () => {
  const { model, report } = await read('        return self.fc(x.permute(0, 2, 3, 1))', '\n        self.fc = nn.Linear(8, 5)');
  assert.equal(report.complete, true, report.issues.map((i) => i.message).join('\n'));
  const fc = model.calls.find((c) => c.name === 'fc')!;
  assert.equal(formatFrameworkShape('pytorch', report.layers.find((l) => l.name === fc.output)!.outputShape), '(N, 16, 12, 5)');
  // 16·12 positions × 8 · 5, plus the conv's 16·12·8·3·3·3.
  assert.equal(report.totals.macs, 16 * 12 * 8 * 5 + 16 * 12 * 8 * 27);
  assert.equal(report.totals.params, 8 * 27 + 8 + 8 * 5 + 5);
});

test('a permute that moves the batch, and a LayerNorm whose shape is not the last dims, are unknown with the reason', async () => {
  const batch = await read('        return x.permute(1, 0, 2, 3)');
  assert.equal(batch.report.complete, false);
  assert.ok(batch.model.diagnostics.some((d) => d.source.line === 12 && /moves the batch/.test(d.message)), batch.model.diagnostics.map((d) => d.message).join('\n'));
  const norm = await read('        return self.norm(x)', '\n        self.norm = nn.LayerNorm(8)');
  // (N, 8, 16, 12): the last dim is 12, not 8; PyTorch raises, so nothing is guessed.
  assert.equal(norm.report.complete, false);
  assert.ok(norm.model.diagnostics.some((d) => /LayerNorm\(8\) on a tensor whose last dims are \(12\)/.test(d.message)), norm.model.diagnostics.map((d) => d.message).join('\n'));
});

test('an nn.Parameter that does not broadcast into the tensor leaves the shape unknown', async () => {
  const { model, report } = await read('        return x * self.scale', '\n        self.scale = nn.Parameter(torch.ones(5, 1, 1))');
  assert.equal(report.complete, false);
  assert.ok(model.diagnostics.some((d) => /nn\.Parameter of shape \(5, 1, 1\) that does not broadcast/.test(d.message)), model.diagnostics.map((d) => d.message).join('\n'));
});
