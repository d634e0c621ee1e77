/**
 * A model file whose classes all take constructor arguments and whose code builds none (pytorch/examples'
 * super_resolution/model.py: Net(upscale_factor)) lists no model; the reader says why, on the class line,
 * instead of leaving "no model found" unexplained. A file with other models says nothing of such classes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getReader } from './helpers';

const SOURCE = `import torch.nn as nn


class Upscaler(nn.Module):
    def __init__(self, upscale_factor, channels=1):
        super().__init__()
        self.conv = nn.Conv2d(channels, upscale_factor ** 2, 3, padding=1)
        self.shuffle = nn.PixelShuffle(upscale_factor)

    def forward(self, x):
        return self.shuffle(self.conv(x))
`;

test('classes that need constructor arguments are named as the reason nothing is listed', async () => {
  const read = (await getReader()).read(SOURCE, { file: 'model.py', language: 'python' });
  assert.deepEqual(read.models, []);
  const d = read.diagnostics.find((x) => x.message.includes('needs constructor arguments'));
  assert.ok(d, read.diagnostics.map((x) => x.message).join('\n'));
  assert.equal(d.source.line, 4);
  assert.match(d.message, /^Upscaler needs constructor arguments \(upscale_factor\)/);
});

test('a file that has models does not mention the classes needing arguments', async () => {
  const read = (await getReader()).read(`${SOURCE}\n\ndef upscaler3():\n    return Upscaler(3)\n`, { file: 'model.py', language: 'python' });
  assert.deepEqual(read.models.map((m) => m.name), ['upscaler3']);
  assert.equal(read.diagnostics.some((x) => x.message.includes('needs constructor arguments')), false);
});
