/**
 * After a layer the reader cannot build, the layers that depend on its shape say so, naming where the unknowns
 * began, instead of claiming that they too are unsupported (nn.Conv1d and nn.AdaptiveAvgPool2d are supported).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getReader } from './helpers';

const CODE = `import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Unfold(2)
        self.b = nn.Conv1d(4, 4, 3)
        self.p = nn.AdaptiveAvgPool2d((7, 7))

    def forward(self, x):
        return self.p(self.b(self.a(x)))


model = Net()
model(torch.randn(1, 4, 16, 16))
`;

test('layers after an unsupported one are unknown because of it, not unsupported themselves', async () => {
  const result = (await getReader()).read(CODE, { file: 'model.py', language: 'python' });
  const model = result.defaultModel!.build();
  assert.equal(model.kind, 'built');
  const all = [...result.diagnostics, ...(model.kind === 'built' ? model.model.diagnostics : [])];
  const at = (line: number) => [...new Set(all.filter((d) => d.source.line === line).map((d) => d.message))];
  assert.ok(at(8).some((m) => m === 'nn.Unfold is not supported yet; shapes after it are unknown'), at(8).join('\n'));
  for (const [line, cls] of [[9, 'nn.Conv1d'], [10, 'nn.AdaptiveAvgPool2d']] as const) {
    assert.deepEqual(at(line), [`${cls}: its input's shape is unknown (unknown since nn.Unfold at line 8), so its own is too`]);
  }
});
