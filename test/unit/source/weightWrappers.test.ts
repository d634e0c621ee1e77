/**
 * Weight reparametrisations: spectral_norm(module) is read as the module (pytorch_spectral_norm.expected.json,
 * torch 2.13: 38,497 parameters, hooks see Conv2d / Linear); weight_norm adds a weight_g parameter per output
 * (torch 2.13: weight_norm(nn.Conv2d(16, 16, 3)) has 2,336 parameters, not 2,320), which is not read: unknown,
 * never the plain layer's count.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

test('weight_norm is not read as the plain layer', async () => {
  const source = `import torch
import torch.nn as nn
from torch.nn.utils import weight_norm

net = nn.Sequential(weight_norm(nn.Conv2d(16, 16, 3)), nn.ReLU())
y = net(torch.randn(1, 16, 8, 8))
`;
  const read = (await getReader()).read(source, { file: 'wn.py', language: 'python' });
  const model = built(read.defaultModel!);
  const report = await analyse(model);
  assert.equal(report.complete, false);
  assert.notEqual(report.totals.params, 2_320);
});
