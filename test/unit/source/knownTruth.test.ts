/**
 * `unknown and False` is false and `unknown or True` is true, whatever the unknown: the DCGAN tutorial's
 * `if (device.type == 'cuda') and (ngpu > 1): netG = nn.DataParallel(netG, ...)` does not run with ngpu = 1
 * (Python: the and-expression is either the falsy left side or False), so netG stays the Generator it built.
 * The value itself stays unknown, and a right side that would call something is not evaluated.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

const source = (condition: string) => `import torch
import torch.nn as nn

ngpu = 1
device = torch.device("cuda:0" if (torch.cuda.is_available() and ngpu > 0) else "cpu")


class Generator(nn.Module):
    def __init__(self, ngpu):
        super().__init__()
        self.ngpu = ngpu
        self.main = nn.Sequential(nn.ConvTranspose2d(16, 8, 4, 1, 0, bias=False), nn.BatchNorm2d(8), nn.ReLU(True))

    def forward(self, input):
        return self.main(input)


netG = Generator(ngpu).to(device)
if ${condition}:
    netG = nn.DataParallel(netG, list(range(ngpu)))
fake = netG(torch.randn(4, 16, 1, 1, device=device))
`;

test("`(device.type == 'cuda') and (ngpu > 1)` is false with one GPU: the branch does not run", async () => {
  const read = (await getReader()).read(source("(device.type == 'cuda') and (ngpu > 1)"), { file: 'dcgan.py', language: 'python' });
  assert.deepEqual(read.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message), []);
  const model = built(read.defaultModel!);
  const report = await analyse(model);
  assert.equal(report.complete, true);
  // torch 2.13: ConvTranspose2d(16, 8, 4) 2,048 + BatchNorm2d(8) 16 = 2,064.
  assert.equal(report.totals.params, 2_064);
});

test('`unknown or True` is true; `unknown and True` stays unknown', async () => {
  const runs = (await getReader()).read(source("(device.type == 'cuda') or (ngpu == 1)"), { file: 'dcgan.py', language: 'python' });
  // The branch runs: netG is a DataParallel the reader does not expand, not the Generator.
  assert.notEqual(runs.defaultModel?.name, 'Generator');
  const unknown = (await getReader()).read(source("(device.type == 'cuda') and (ngpu == 1)"), { file: 'dcgan.py', language: 'python' });
  assert.ok(unknown.diagnostics.some((d) => d.severity === 'warning' && d.message.includes('cannot tell whether this branch runs')));
});

test('a right side that calls something is not evaluated to settle the truth', async () => {
  const read = (await getReader()).read(source("(device.type == 'cuda') and bool(ngpu > 1)"), { file: 'dcgan.py', language: 'python' });
  assert.ok(read.diagnostics.some((d) => d.severity === 'warning' && d.message.includes('cannot tell whether this branch runs')));
});
