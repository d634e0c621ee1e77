"""The model of test/unit/source/parameterViews.test.ts, run with PyTorch 2.13: prints the output shape, the
parameter count (sum(p.numel() for p in model.parameters())) and each submodule's output shape (forward hooks).

Run: /work/venv/bin/python scripts/reference/parameter_views_reference.py
Printed: (1, 8, 16, 16) 608 {'conv': (1, 8, 16, 16)}
"""
import torch
import torch.nn as nn


class ScaledConv(nn.Conv2d):
    def forward(self, x):
        return super().forward(x) * 2


class Block(nn.Module):
    def __init__(self, c, device=None, dtype=None):
        super().__init__()
        dd = {'device': device, 'dtype': dtype}
        self.conv = ScaledConv(c, c, 3, padding=1)
        self.gamma = nn.Parameter(1e-6 * torch.ones(c, **dd))
        self.beta = nn.Parameter(torch.zeros(c))
        self.scale = nn.Parameter(torch.ones(1, c, 1, 1))

    def forward(self, x):
        y = self.conv(x)
        y = y.mul(self.gamma.reshape(1, -1, 1, 1))
        y = y + self.beta[:, None, None]
        y = y * self.gamma.view(-1, 1, 1)
        y = self.scale * y
        y = y.add(self.beta.unsqueeze(-1).unsqueeze(-1))
        return y + x


model = Block(8)
y = model(torch.randn(1, 8, 16, 16))

outputs = {}
for name, module in model.named_modules():
    if name:
        module.register_forward_hook(lambda m, i, o, name=name: outputs.__setitem__(name, tuple(o.shape)))
model(torch.randn(1, 8, 16, 16))
print(tuple(y.shape), sum(p.numel() for p in model.parameters()), outputs)
