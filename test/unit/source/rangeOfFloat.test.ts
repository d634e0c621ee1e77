/**
 * range() takes ints only: Python 3's `(depth - 4) / 6` is a float, and range() of it raises TypeError (the old
 * WideResNet code's NetworkBlock loop). The loop is unknown and the warning says why, on its line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getReader } from './helpers';

test('range() of a float is Python\'s TypeError, said on the loop', async () => {
  // Python 3: range((28 - 4) / 6) raises TypeError: 'float' object cannot be interpreted as an integer.
  const source = `import torch
import torch.nn as nn

n = (28 - 4) / 6
layers = []
for i in range(n):
    layers.append(nn.Conv2d(8, 8, 3, padding=1))
net = nn.Sequential(*layers)
y = net(torch.randn(1, 8, 8, 8))
`;
  const read = (await getReader()).read(source, { file: 'wrn.py', language: 'python' });
  const d = read.diagnostics.find((x) => x.source.line === 6 && x.message.includes("'float' object cannot be interpreted as an integer"));
  assert.ok(d, read.diagnostics.map((x) => `${x.source.line}: ${x.message}`).join('\n'));
});
