/**
 * Volumetric (video) PyTorch models: (N, C, D, H, W) inputs, Conv3d and a class that subclasses it, BatchNorm3d,
 * MaxPool3d, AdaptiveAvgPool3d. Layer-by-layer rows are checked against PyTorch in pytorch.test.ts
 * (pytorch_video_3d.expected.json); here the totals and the shapes as PyTorch prints them. MACs: PyTorch 2.13's
 * torch.utils.flop_counter.FlopCounterMode on ClipNet at (1, 3, 8, 48, 48), get_total_flops() // 2 = 35,537,120;
 * sum(p.numel() for p in model.parameters()) = 49,495.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFrameworkShape } from '../../../extension/core/source/index';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../../extension/cli/main';
import { analyse, built, findModel, FIXTURES, getReader, readFixture } from './helpers';

test('pytorch_video_3d.py: ClipNet at its example clip (1, 3, 8, 48, 48): params and MACs as PyTorch counts them', async () => {
  const found = findModel(await readFixture('pytorch_video_3d.py'), 'ClipNet');
  assert.deepEqual(found.input, [8, 48, 48, 3]);
  const model = built(found);
  const report = await analyse(model);
  assert.equal(report.complete, true, report.issues.map((i) => i.message).join('\n'));
  assert.equal(report.totals.params, 49_495);
  assert.equal(report.totals.macs, 35_537_120);
  const stem = report.layers.find((l) => l.name === 'stem.0')!;
  assert.equal(formatFrameworkShape('pytorch', stem.outputShape), '(N, 16, 8, 24, 24)');
  // The subclass of nn.Conv3d is listed under its own class name, as PyTorch's named_modules() shows it.
  assert.ok(model.calls.some((c) => c.sourceType === 'TemporalConv' && c.name === 'block.conv1.0'), model.calls.map((c) => `${c.name} ${c.sourceType}`).join('\n'));
});

test('a Conv3d padding that tfjs cannot reproduce exactly is unsupported, never approximated', async () => {
  const text = `import torch
from torch import nn


class Odd(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv3d(3, 8, kernel_size=3, padding=2)
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc(torch.flatten(self.conv(x), 1))


model = Odd()
out = model(torch.randn(1, 3, 4, 16, 16))
`;
  const read = (await getReader()).read(text, { file: 'odd.py', language: 'python' });
  const model = built(findModel(read, 'Odd'));
  const report = await analyse(model);
  assert.equal(report.complete, false, 'complete');
  assert.ok(model.diagnostics.some((d) => d.source.line === 8 && /Conv3d\(kernel_size=\[3,3,3\], padding=\[2,2,2\]\)/.test(d.message)), model.diagnostics.map((d) => `${d.source.line}: ${d.message}`).join('\n'));
  // The unsupported layer's weights are not counted, so the total (the Linear's 18) is a lower bound.
  assert.equal(report.totals.lowerBound, true);
  assert.equal(report.totals.params, 8 * 2 + 2);
});

async function cliJson(argv: string[]): Promise<{ code: number; json: any; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...argv, '--format', 'json'], { out: (t) => void out.push(t), err: (t) => void err.push(t) });
  return { code, json: out.length > 0 ? JSON.parse(out.join('')) : null, err: err.join('\n') };
}

test('cnn-inspect --input of a volume model: C,D,H,W and N,C,D,H,W, whether or not the code states its input', async () => {
  // A clip model whose code states no input. PyTorch 2.13 at (1, 3, 16, 32, 32): conv (1, 8, 16, 32, 32),
  // pool (1, 8, 8, 16, 16), 674 parameters (3 * 8 * 27 + 8 and 8 * 2 + 2).
  const dir = mkdtempSync(path.join(tmpdir(), 'cnn-volume-'));
  const file = path.join(dir, 'c3d.py');
  writeFileSync(file, `import torch.nn as nn


class C3D(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv3d(3, 8, kernel_size=3, padding=1)
        self.pool = nn.MaxPool3d(2)
        self.head = nn.AdaptiveAvgPool3d(1)
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        x = self.pool(self.conv(x))
        return self.fc(self.head(x).flatten(1))
`);
  for (const input of ['3,16,32,32', '1,3,16,32,32']) {
    const { code, json, err } = await cliJson([file, '--model', 'C3D', '--input', input]);
    assert.equal(code, 0, err);
    assert.deepEqual(json.input, [null, 3, 16, 32, 32], input);
    assert.equal(json.totals.params, 674);
    assert.deepEqual(json.layers.find((l: { name: string }) => l.name === 'pool').outputShape, [null, 8, 8, 16, 16]);
  }
  // ClipNet states its clip (1, 3, 8, 48, 48); another one, given with or without the batch, is read as a clip too.
  for (const input of ['3,8,64,64', '2,3,8,64,64']) {
    const { code, json, err } = await cliJson([path.join(FIXTURES, 'pytorch_video_3d.py'), '--model', 'ClipNet', '--input', input]);
    assert.equal(code, 0, err);
    assert.deepEqual(json.input, [null, 3, 8, 64, 64], input);
    assert.equal(json.totals.params, 49_495);
  }
});
