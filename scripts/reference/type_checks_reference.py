"""Python's answers to the type checks model builders branch on (isinstance, issubclass, hasattr, getattr,
callable), for test/unit/source/typeChecks.test.ts. Prints {expression: answer} as JSON.

Run: /work/venv/bin/python scripts/reference/type_checks_reference.py   (torch 2.13, Python 3.13)
"""
import collections.abc
import numbers
import types
import typing
from functools import partial
import torch
import torch.nn as nn

class Plain:
    pass

class Cfg:
    def __init__(self):
        self.width = 8

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.aa = None
        self.conv = nn.Conv2d(3, 3, 1)

class Seq(nn.Sequential):
    pass

def helper():
    return 1

EXPRS = [
    "isinstance(Block, type)",
    "isinstance(nn.Conv2d, type)",
    "isinstance(helper, type)",
    "isinstance(partial(Block), partial)",
    "isinstance(Block, partial)",
    "isinstance(partial(Block), str)",
    "isinstance(nn.BatchNorm2d, str)",
    "isinstance(True, int)",
    "isinstance(3, int)",
    "isinstance(2.5, float)",
    "isinstance(2.0, float)",
    "isinstance(2.0, int)",
    "isinstance(64 / 2, float)",
    "isinstance(3, float)",
    "isinstance(64 // 2, numbers.Integral)",
    "isinstance('a', (int, str))",
    "isinstance([1], tuple)",
    "isinstance(Cfg(), Plain)",
    "isinstance(Cfg(), Cfg)",
    "isinstance(Block(), nn.Module)",
    "isinstance(nn.Conv2d(3, 3, 1), nn.Module)",
    "isinstance(nn.Conv2d(3, 3, 1), nn.BatchNorm2d)",
    "isinstance(nn.BatchNorm2d(3), nn.modules.batchnorm._BatchNorm)",
    "isinstance(nn.Sequential(), nn.Module)",
    "isinstance(nn.LSTM(10, 10), nn.RNNBase)",
    "isinstance(nn.ReLU6(), nn.Hardtanh)",
    "isinstance(nn.ReLU(), nn.Hardtanh)",
    "isinstance(nn.LazyBatchNorm2d(), nn.BatchNorm2d)",
    "isinstance(Seq(), nn.Sequential)",
    "isinstance(Block, collections.abc.Iterable)",
    "isinstance(Cfg(), typing.Sequence)",
    "isinstance((1, 2), collections.abc.Sequence)",
    "isinstance(0, typing.Callable)",
    "isinstance(helper, typing.Callable)",
    "isinstance(helper, types.FunctionType)",
    "isinstance(3, numbers.Number)",
    "isinstance(None, nn.Module)",
    "issubclass(Block, nn.Module)",
    "issubclass(Seq, nn.Sequential)",
    "issubclass(Cfg, Plain)",
    "issubclass(Block, Block)",
    "hasattr(Cfg(), 'width')",
    "hasattr(Cfg(), 'depth')",
    "hasattr(Block(), 'aa')",
    "hasattr(Block(), 'missing')",
    "hasattr(Seq(), '_is_cn')",
    "hasattr(None, 'reset_parameters')",
    "getattr(Block(), 'aa', 1) is None",
    "getattr(Block(), 'missing', None) is None",
    "getattr(Cfg(), 'depth', 8) == 8",
    "callable(helper)",
    "callable(3)",
    "callable(Block())",
]
if __name__ == '__main__':
    import json
    print(json.dumps({e: eval(e) for e in EXPRS}, indent=1))
