/**
 * Image-to-image layers (test/fixtures/models/pytorch_image_to_image.py; layer rows and parameters are checked
 * against PyTorch in pytorch.test.ts). MACs from torch 2.13 running the fixture under
 * torch.utils.flop_counter.FlopCounterMode on zeros(1, 3, 20, 24): get_total_flops() // 2 = 2,062,128
 * (pads, instance norms and the pixel shuffle count none). The error is PyTorch 2.13's own, from
 * nn.PixelShuffle(3)(torch.zeros(1, 8, 4, 4)).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, findModel, getReader, readFixture } from './helpers';

test('pads, InstanceNorm2d, PixelShuffle, F.pad and torch.exp: MACs as FlopCounterMode counts them', async () => {
  const report = await analyse(built(findModel(await readFixture('pytorch_image_to_image.py'), 'StyleAndUpscale')));
  assert.equal(report.complete, true);
  assert.equal(report.totals.macs, 2_062_128);
  assert.equal(report.totals.params, 3878);
});

test('PixelShuffle on channels that upscale_factor² does not divide: PyTorch\'s error', async () => {
  const code = `import torch
import torch.nn as nn
class S(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 1)
        self.up = nn.PixelShuffle(3)
    def forward(self, x):
        return self.up(self.conv(x))
S()(torch.zeros(1, 3, 4, 4))
`;
  const read = (await getReader()).read(code, { file: 's.py', language: 'python' });
  const report = await analyse(built(read.defaultModel!));
  assert.equal(report.complete, false);
  const issue = report.issues.find((i) => /pixel_shuffle/.test(i.message));
  assert.ok(issue, JSON.stringify(report.issues));
  assert.match(issue.message, /input\.size\(-3\)=8 is not divisible by 9/);
});
