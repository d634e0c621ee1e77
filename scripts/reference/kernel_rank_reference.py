"""What PyTorch does with a convolution's kernel_size of another length than its spatial rank
(test/unit/source/kernelRank.test.ts, extension/core/source/python/kernelRank.ts).

Prints, per case: the constructor, the weight's shape and model.parameters() count, then "forward OK <shape>" or
the exception forward() raises. A one-item stride or padding is shown to be repeated over the axes.

Run: /work/venv/bin/python scripts/reference/kernel_rank_reference.py   (torch 2.13 cpu)
"""
import torch
from torch import nn

CASES = [
    ("nn.Conv2d(3, 8, [3])", (1, 3, 16, 16)),
    ("nn.Conv2d(3, 8, (3,))", (1, 3, 16, 16)),
    ("nn.Conv2d(3, 8, [3, 3, 3])", (1, 3, 16, 16)),
    ("nn.ConvTranspose2d(3, 8, [3])", (1, 3, 16, 16)),
    ("nn.Conv3d(3, 8, kernel_size=[3, 3])", (1, 3, 8, 8, 8)),
    ("nn.Conv1d(3, 8, (3, 3))", (1, 3, 16)),
    ("nn.Conv2d(3, 8, 3, stride=[2], padding=[1])", (1, 3, 16, 16)),
    ("nn.Conv2d(3, 8, [3, 3])", (1, 3, 16, 16)),
]

for code, shape in CASES:
    m = eval(code)
    params = sum(p.numel() for p in m.parameters())
    print(f"{code}: weight {tuple(m.weight.shape)}, parameters {params}")
    try:
        print(f"  forward OK {tuple(m(torch.zeros(shape)).shape)}")
    except Exception as e:  # noqa: BLE001 - the message is the fact recorded
        print(f"  forward {type(e).__name__}: {str(e).splitlines()[0]}")
