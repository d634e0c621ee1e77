"""What PyTorch computes for the code in test/unit/source/modelWrappers.test.ts: a model wrapped by torch.compile /
nn.DataParallel before the example runs it, a normalisation by registered buffers, a Linear written as x @ W + b, a Linear sized by a dummy forward in __init__, example inputs shaped by the example code, and a U-Net step that resizes only when `x.shape != skip.shape`.
Prints model.parameters() and FlopCounterMode's MACs (FLOPs / 2) for each, at the example input.

Run: /work/venv/bin/python scripts/reference/model_wrappers_reference.py   (torch 2.13 cpu)
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc(self.conv(x).mean((2, 3)))


class Up(nn.Module):
    def __init__(self):
        super().__init__()
        self.down = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.up = nn.ConvTranspose2d(8, 3, 2, stride=2)

    def forward(self, x):
        skip = x
        x = self.up(self.down(x))
        if x.shape != skip.shape:
            x = F.interpolate(x, size=skip.shape[2:])
        return torch.cat((skip, x), dim=1)


class Normalized(Net):
    """ImageNet normalisation inside the model, by buffers viewed (1, 3, 1, 1)."""

    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    def forward(self, x):
        return super().forward((x - self.mean) / self.std)


class MyLinear(nn.Module):
    """A Linear written by hand (d2l's from-scratch models): x @ W + b with nn.Parameters."""

    def __init__(self, in_f, out_f):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(in_f, out_f) * 0.01)
        self.bias = nn.Parameter(torch.zeros(out_f))

    def forward(self, x):
        return x @ self.weight + self.bias


handmade = nn.Sequential(nn.Flatten(), MyLinear(784, 32), nn.ReLU(), MyLinear(32, 10))
counter = FlopCounterMode(display=False)
with torch.no_grad(), counter:
    y = handmade(torch.randn(1, 1, 28, 28))
print("handmade", sum(p.numel() for p in handmade.parameters()), counter.get_total_flops() // 2, tuple(y.shape))
try:
    nn.Sequential(nn.Flatten(), MyLinear(780, 32))(torch.randn(1, 1, 28, 28))
except RuntimeError as error:
    print("mismatch:", error)

class Sentdex(nn.Module):
    """pythonprogramming.net's way to size the Linear: a dummy forward in __init__ sets self._to_linear."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 5)
        self._to_linear = None
        self.convs(torch.randn(50, 50).view(-1, 1, 50, 50))
        self.fc1 = nn.Linear(self._to_linear, 2)

    def convs(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
        if self._to_linear is None:
            self._to_linear = x[0].shape[0] * x[0].shape[1] * x[0].shape[2]
        return x

    def forward(self, x):
        x = self.convs(x)
        x = x.view(-1, self._to_linear)
        return self.fc1(x)


sentdex = Sentdex()
counter = FlopCounterMode(display=False)
with torch.no_grad(), counter:
    y = sentdex(torch.randn(1, 1, 50, 50))
print("sentdex", sum(p.numel() for p in sentdex.parameters()), counter.get_total_flops() // 2, tuple(y.shape), sentdex._to_linear)

small = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2))
for how, x in (("randn(3, 50, 60).unsqueeze(0)", torch.randn(3, 50, 60).unsqueeze(0)),
               ("randn(50, 60, 3).permute(2, 0, 1).unsqueeze(0)", torch.randn(50, 60, 3).permute(2, 0, 1).unsqueeze(0)),
               ("randn(1, 1, 50, 60).repeat(1, 3, 1, 1)", torch.randn(1, 1, 50, 60).repeat(1, 3, 1, 1)),
               ("randn(3, 3000).view(1, 3, 50, 60).float()", torch.randn(3, 3000).view(1, 3, 50, 60).float())):
    counter = FlopCounterMode(display=False)
    with torch.no_grad(), counter:
        y = small(x)
    print("small on", how, tuple(x.shape), sum(p.numel() for p in small.parameters()), counter.get_total_flops() // 2)

for name, model, x in (("Net (DataParallel)", nn.DataParallel(Net()), torch.randn(1, 3, 16, 16)),
                       ("Normalized", Normalized(), torch.randn(1, 3, 16, 16)),
                       ("Up at 32x32", Up(), torch.randn(1, 3, 32, 32)), ("Up at 33x33", Up(), torch.randn(1, 3, 33, 33))):
    counter = FlopCounterMode(display=False)
    with torch.no_grad(), counter:
        y = model(x)
    print(name, sum(p.numel() for p in model.parameters()), counter.get_total_flops() // 2, tuple(y.shape))
