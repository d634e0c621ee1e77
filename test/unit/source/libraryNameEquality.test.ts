/**
 * `==` and `is` between library names: type(cls) is the builtin `type` (`type(norm_layer) == type`, pix2pix's
 * factory style; torch 2.13: the conv then has no bias, 232 params), and one path is one class but not always one
 * value (`np.nan == np.nan` is False in Python), so a library value compared with itself stays unknown, never True.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

const NET = (check: string) => `import torch.nn as nn
class Net(nn.Module):
    def __init__(self, norm_layer=nn.InstanceNorm2d):
        super().__init__()
        if ${check}:
            use_bias = norm_layer == nn.BatchNorm2d
        else:
            use_bias = True
        self.conv = nn.Conv2d(3, 8, 3, bias=use_bias)
        self.norm = norm_layer(8)
    def forward(self, x):
        return self.norm(self.conv(x))
`;

async function report(code: string) {
  const read = (await getReader()).read(code, { file: 'net.py', language: 'python' });
  return analyse(built(read.models.find((m) => m.name === 'Net')!, [16, 16, 3]));
}

test('type(cls) == type and type(cls) is type are True: the branch on a class argument runs', async () => {
  // torch 2.13: Conv2d(3, 8, 3, bias=False) 216, InstanceNorm2d(8) no affine 0 → 216.
  for (const check of ['type(norm_layer) == type', 'type(norm_layer) is type']) {
    const r = await report(NET(check));
    assert.deepEqual([check, r.complete, r.totals.params], [check, true, 216]);
  }
  const notType = await report(NET('type(norm_layer) != type'));
  assert.deepEqual([notType.complete, notType.totals.params], [true, 224]);
});

test('a library value compared with itself (np.nan == np.nan) is unknown, never True', async () => {
  const r = await report(NET('np.nan == np.nan').replace('import torch.nn as nn', 'import numpy as np\nimport torch.nn as nn'));
  assert.equal(r.complete, false);
});
