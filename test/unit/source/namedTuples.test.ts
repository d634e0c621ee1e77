/**
 * collections.namedtuple, torch.autograd.Function.apply and type(x) == list as EfficientNet ports use them
 * (the whole network: pytorch_namedtuple_configs.py against PyTorch 2.13 in pytorch.test.ts). Here the edges:
 * where Python raises (a field not given, an unknown keyword or field name), the layer built from the value is
 * unknown with Python's reason, never a number; the numbers below are what Python 3.11 / PyTorch 2.13 give.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, findModel, getReader } from './helpers';

async function linearWidth(source: string): Promise<{ width: number | null; complete: boolean }> {
  const read = (await getReader()).read(source, { file: 'cfg.py', language: 'python' });
  const model = built(findModel(read, 'model'));
  const report = await analyse(model);
  const fc = report.layers.find((l) => l.name === 'fc');
  const shape = fc?.outputShape ?? null;
  return { width: shape ? (shape[shape.length - 1] as number) : null, complete: report.complete };
}

const program = (body: string): string => `import collections
import torch
import torch.nn as nn

Cfg = collections.namedtuple('Cfg', ['width', 'depth', 'extra'])
${body}
model = nn.Sequential()
model.add_module('fc', nn.Linear(4, width))
y = model(torch.randn(2, 4))
`;

test('namedtuple fields by position, keyword, index, unpacking, _replace, _make, _asdict and defaults', async () => {
  // Python: Cfg(3, depth=5, extra=7) -> width 3; [1] -> 5; _replace(width=6).width -> 6; _make([8, 0, 0])[0] -> 8;
  // _asdict()['extra'] -> 7; with Cfg.__new__.__defaults__ = (2,) only extra defaults: Cfg(1, 9).extra -> 2;
  // namedtuple('P', 'a b', defaults=(4,)) -> P(1).b == 4. Sum: 3 + 5 + 6 + 8 + 7 + 2 + 4 + 3 (unpacked a) = 38.
  const { width, complete } = await linearWidth(
    program(`c = Cfg(3, depth=5, extra=7)
a, b, e = c
Cfg.__new__.__defaults__ = (2,)
P = collections.namedtuple('P', 'a b', defaults=(4,))
width = c.width + c[1] + c._replace(width=6).width + Cfg._make([8, 0, 0])[0] + c._asdict()['extra'] + Cfg(1, 9).extra + P(1).b + a
assert isinstance(c, tuple) and isinstance(c, Cfg) and len(c) == 3 and Cfg._fields == ('width', 'depth', 'extra')`),
  );
  assert.equal(width, 38);
  assert.equal(complete, true);
});

test('a namedtuple field not given is Python\'s TypeError: the layer made from it is unknown, not a number', async () => {
  // Python: Cfg(3, 5) raises TypeError: Cfg.__new__() missing 1 required positional argument: 'extra'.
  const { width, complete } = await linearWidth(program(`c = Cfg(3, 5)
width = c.extra`));
  assert.equal(width, null);
  assert.equal(complete, false);
});

test('_replace with a field the tuple does not have is Python\'s ValueError: unknown', async () => {
  // Python: Cfg(1, 2, 3)._replace(height=4) raises ValueError: Got unexpected field names: ['height'].
  const { width, complete } = await linearWidth(program(`width = Cfg(1, 2, 3)._replace(height=4).width`));
  assert.equal(width, null);
  assert.equal(complete, false);
});

test('type(x) == list, type(x) is tuple: the builtin classes compare by name', async () => {
  // Python: type([1]) == list -> True; type((1,)) is tuple -> True; type(2) == float -> False; type(2.0) == float -> True.
  const { width } = await linearWidth(program(`width = (type([1]) == list) + 2 * (type((1,)) is tuple) + 4 * (type(2) == float) + 8 * (type(2.0) == float)`));
  assert.equal(width, 11);
});

test('Function.apply runs the static forward with a context, keywords bound to its parameters', async () => {
  // PyTorch 2.13: Repeat.apply(x) of a (2, 4) tensor is (2, 8) (k defaults to 2, saved on ctx and read back);
  // Repeat.apply(x, k=3) is (2, 12).
  const source = (call: string, cin: number): string => `import torch
import torch.nn as nn

class Repeat(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k=2):
        ctx.save_for_backward(x)
        ctx.k = k
        return torch.cat([x] * ctx.k, dim=1)

    @staticmethod
    def backward(ctx, g):
        return sum(g.chunk(ctx.k, dim=1)), None

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(${cin}, 3)

    def forward(self, x):
        return self.fc(${call})

model = Net()
y = model(torch.randn(2, 4))
`;
  for (const [call, cin] of [['Repeat.apply(x)', 8], ['Repeat.apply(x, k=3)', 12]] as const) {
    const read = (await getReader()).read(source(call, cin), { file: 'fn.py', language: 'python' });
    const report = await analyse(built(findModel(read, 'Net')));
    assert.equal(report.layers.find((l) => l.name === 'fc')?.outputShape?.at(-1), 3, call);
    assert.equal(report.complete, true, call);
    assert.equal(report.totals.params, cin * 3 + 3, call);
  }
});
