/**
 * torch.jit.ScriptModule subclasses (pytorch-cifar100's stochastic-depth blocks) are modules: their
 * @torch.jit.script_method forward runs as written, in eval mode. PyTorch 2.13 on the model below:
 * sum(p.numel() for p in ScriptedNet().parameters()) = 5,322 and ScriptedNet().eval()(torch.zeros(2, 3, 16, 16))
 * is (2, 10). (Per-layer hooks cannot be compared: PyTorch scripts the blocks' children into
 * RecursiveScriptModules, which refuse forward hooks.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

const SOURCE = `import torch
import torch.nn as nn


class GatedBlock(torch.jit.ScriptModule):
    def __init__(self, channels):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(channels, channels, 3, padding=1),
            nn.BatchNorm2d(channels),
            nn.ReLU(inplace=True),
        )

    @torch.jit.script_method
    def forward(self, x):
        if self.training:
            x = self.body(x)
        else:
            x = self.body(x) + x
        return x


class ScriptedNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, padding=1)
        self.blocks = nn.Sequential(GatedBlock(16), GatedBlock(16))
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.blocks(self.stem(x))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))
`;

test('a torch.jit.ScriptModule block is a module whose eval-mode forward runs', async () => {
  const read = (await getReader()).read(SOURCE, { file: 'scripted.py', language: 'python' });
  const found = read.models.find((m) => m.name === 'ScriptedNet');
  assert.ok(found, read.models.map((m) => m.name).join(', '));
  const report = await analyse(built(found, [16, 16, 3]));
  assert.equal(report.complete, true);
  assert.equal(report.totals.params, 5_322);
  assert.deepEqual(report.layers[report.layers.length - 1]!.outputShape, [10]);
});
