/**
 * isinstance against collections.abc / typing classes for values the reader knows (torchvision's MobileNetV3
 * raises unless `isinstance(inverted_residual_setting, Sequence)`; Python: a list and a tuple are Sequences, a
 * dict is a Mapping, none of them is the other). The model below raises when the check fails, so a wrong
 * answer either way loses the layers: Conv2d(3, 8, 3) + Linear(8, 10) is 224 + 90 parameters (PyTorch counts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, findModel, getReader } from './helpers';

const model = (setting: string, check: string): string => `import torch
from collections.abc import Mapping, Sequence
from torch import nn


class Net(nn.Module):
    def __init__(self, setting=${setting}):
        super().__init__()
        if not ${check}:
            raise TypeError("bad setting")
        self.conv = nn.Conv2d(3, 8, 3)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        return self.fc(torch.flatten(self.pool(self.conv(x)), 1))


net = Net()
`;

async function total(text: string): Promise<number | null> {
  const read = (await getReader()).read(text, { file: 'net.py', language: 'python' });
  const report = await analyse(built(findModel(read, 'Net'), [16, 16, 3]));
  return report.complete ? report.totals.params : null;
}

test('a list and a tuple are Sequences, a dict is a Mapping: the checks pass and the model is read', async () => {
  assert.equal(await total(model('[1, 2]', 'isinstance(setting, Sequence)')), 314);
  assert.equal(await total(model('(1, 2)', 'isinstance(setting, Sequence)')), 314);
  assert.equal(await total(model('{"a": 1}', 'isinstance(setting, Mapping)')), 314);
  assert.equal(await total(model('{"a": 1}', 'isinstance(setting, (Sequence, Mapping))')), 314);
});

test('a dict is not a Sequence and a list is not a Mapping: the raise is reached and the model is not complete', async () => {
  assert.equal(await total(model('{"a": 1}', 'isinstance(setting, Sequence)')), null);
  assert.equal(await total(model('[1, 2]', 'isinstance(setting, Mapping)')), null);
});
