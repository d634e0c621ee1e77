/**
 * isinstance, issubclass, hasattr, getattr and callable answer as Python does, or are unknown; never a default
 * that takes a branch by guess. Each answer sets a Conv2d's width (8 when true, 4 when false) that forward() never
 * calls, so its parameters (PyTorch's model.parameters(): 8·3 + 8 = 32 or 4·3 + 4 = 16) show what the reader
 * decided. The answers are Python's (scripts/reference/type_checks_reference.py, torch 2.13, same preamble).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';

const PREAMBLE = "import collections.abc\nimport numbers\nimport types\nimport typing\nfrom functools import partial\nimport torch\nimport torch.nn as nn\n\nclass Plain:\n    pass\n\nclass Cfg:\n    def __init__(self):\n        self.width = 8\n\nclass Block(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.aa = None\n        self.conv = nn.Conv2d(3, 3, 1)\n\nclass Seq(nn.Sequential):\n    pass\n\ndef helper():\n    return 1\n";

const PYTHON: [string, boolean][] = [
  ["isinstance(Block, type)", true],
  ["isinstance(nn.Conv2d, type)", true],
  ["isinstance(helper, type)", false],
  ["isinstance(partial(Block), partial)", true],
  ["isinstance(Block, partial)", false],
  ["isinstance(partial(Block), str)", false],
  ["isinstance(nn.BatchNorm2d, str)", false],
  ["isinstance(True, int)", true],
  ["isinstance(3, int)", true],
  ["isinstance(2.5, float)", true],
  ["isinstance(2.0, float)", true],
  ["isinstance(2.0, int)", false],
  ["isinstance(64 / 2, float)", true],
  ["isinstance(3, float)", false],
  ["isinstance(64 // 2, numbers.Integral)", true],
  ["isinstance('a', (int, str))", true],
  ["isinstance([1], tuple)", false],
  ["isinstance(Cfg(), Plain)", false],
  ["isinstance(Cfg(), Cfg)", true],
  ["isinstance(Block(), nn.Module)", true],
  ["isinstance(nn.Conv2d(3, 3, 1), nn.Module)", true],
  ["isinstance(nn.Conv2d(3, 3, 1), nn.BatchNorm2d)", false],
  ["isinstance(nn.BatchNorm2d(3), nn.modules.batchnorm._BatchNorm)", true],
  ["isinstance(nn.Sequential(), nn.Module)", true],
  ["isinstance(nn.LSTM(10, 10), nn.RNNBase)", true],
  ["isinstance(nn.ReLU6(), nn.Hardtanh)", true],
  ["isinstance(nn.ReLU(), nn.Hardtanh)", false],
  ["isinstance(nn.LazyBatchNorm2d(), nn.BatchNorm2d)", false],
  ["isinstance(Seq(), nn.Sequential)", true],
  ["isinstance(Block, collections.abc.Iterable)", false],
  ["isinstance(Cfg(), typing.Sequence)", false],
  ["isinstance((1, 2), collections.abc.Sequence)", true],
  ["isinstance(0, typing.Callable)", false],
  ["isinstance(helper, typing.Callable)", true],
  ["isinstance(helper, types.FunctionType)", true],
  ["isinstance(3, numbers.Number)", true],
  ["isinstance(None, nn.Module)", false],
  ["issubclass(Block, nn.Module)", true],
  ["issubclass(Seq, nn.Sequential)", true],
  ["issubclass(Cfg, Plain)", false],
  ["issubclass(Block, Block)", true],
  ["hasattr(Cfg(), 'width')", true],
  ["hasattr(Cfg(), 'depth')", false],
  ["hasattr(Block(), 'aa')", true],
  ["hasattr(Block(), 'missing')", false],
  ["hasattr(Seq(), '_is_cn')", false],
  ["hasattr(None, 'reset_parameters')", false],
  ["getattr(Block(), 'aa', 1) is None", true],
  ["getattr(Block(), 'missing', None) is None", true],
  ["getattr(Cfg(), 'depth', 8) == 8", true],
  ["callable(helper)", true],
  ["callable(3)", false],
  ["callable(Block())", true],
];

function model(exprs: readonly string[], extra = ''): string {
  const convs = exprs.map((e) => `nn.Conv2d(3, 8 if ${e} else 4, 1)`).join(',\n            ');
  return `${PREAMBLE}${extra}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 3, 1)
        self.checks = nn.ModuleList([
            ${convs},
        ])

    def forward(self, x):
        return self.stem(x)


model = Net()
y = model(torch.randn(1, 3, 8, 8))
`;
}

async function widths(text: string): Promise<(number | null)[]> {
  const read = (await getReader()).read(text, { file: 'checks.py', language: 'python' });
  const report = await analyse(built(read.defaultModel!));
  return report.layers.filter((l) => l.name.startsWith('checks.')).map((l) => (l.unknown?.params ? null : l.params));
}

test('each type check gives Python\'s answer', async () => {
  const got = await widths(model(PYTHON.map(([e]) => e)));
  const want = PYTHON.map(([, answer]) => (answer ? 32 : 16));
  const wrong = PYTHON.filter((_, i) => got[i] !== want[i]).map(([e], i) => `${e}: ${got[PYTHON.findIndex(([x]) => x === e)]}`);
  assert.deepEqual(wrong, []);
  assert.equal(got.length, PYTHON.length);
});

test('what the reader cannot tell is unknown, never false: a library function, a value it could not read', async () => {
  const extra = `
import json
from somewhere_unread import make_layer

def build(kw):
    return Block(**kw)

unread = json.loads(open('cfg.json').read())
`;
  const got = await widths(model(['isinstance(make_layer, type)', 'isinstance(unread, str)', 'hasattr(unread, "x")', 'getattr(unread, "x", None) is None', 'build(unread) is None'], extra));
  assert.deepEqual(got, [null, null, null, null, null]);
  // Python: 64 (__getattr__), True (a dict subclass is a Mapping), True (LibBase may be an nn.Module): the reader cannot tell.
  const computed = `
import collections.abc
from somewhere_unread import LibBase

class Dyn:
    def __getattr__(self, name):
        return 64

class Table(dict):
    pass

class Wrapped(LibBase):
    pass
`;
  const classes = await widths(model(['getattr(Dyn(), "width", 32) == 32', 'isinstance(Table(), collections.abc.Mapping)', 'isinstance(Wrapped(), nn.Module)'], computed));
  assert.deepEqual(classes, [null, null, null]);
});

test('a return the reader cannot evaluate returns unknown instead of falling through to the next statement', async () => {
  const extra = `
import json

def pick(kw):
    try:
        return Block(**kw)
    except TypeError:
        pass
    return None

unread = json.loads(open('cfg.json').read())
`;
  const got = await widths(model(['pick(unread) is None', 'pick({}) is None'], extra));
  // Python: pick({}) builds a Block (not None); pick(unread) depends on a file the reader does not open.
  assert.deepEqual(got, [null, 16]);
});
