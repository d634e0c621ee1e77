"""The models of test/unit/source/freezing.test.ts, run with PyTorch 2.13: for each, sum(p.numel()) over
model.parameters() and over those with requires_grad (torchinfo's "Total params" and "Trainable params").

Run: /work/venv/bin/python scripts/reference/freezing_reference.py
Printed: model 266 18 / partial 338 98 / thawed 338 90 / named 338 90 / sliced 338 90 / bn_only 338 322,
and the names of named_parameters() in order: scale, features.0.weight, features.0.bias, features.1.weight,
features.1.bias, fc.weight, fc.bias.
"""
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU())
        self.scale = nn.Parameter(torch.ones(8, 1, 1))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        x = self.features(x) * self.scale
        return self.fc(torch.flatten(self.pool(x), 1))


model = Net()
for param in model.parameters():
    param.requires_grad = False
model.fc = nn.Linear(8, 2)

partial = Net()
partial.features.requires_grad_(False)

thawed = Net()
thawed.requires_grad_(False)
thawed.fc.requires_grad_(True)

named = Net()
for name, p in named.named_parameters():
    if not name.startswith("fc"):
        p.requires_grad = False

sliced = Net()
for p in list(sliced.parameters())[:-2]:
    p.requires_grad = False

bn_only = Net()
for name, p in bn_only.named_parameters():
    if name.startswith("features.1"):
        p.requires_grad_(False)

y = model(torch.randn(1, 3, 16, 16))

print([n for n, _ in named.named_parameters()])
for name, m in [("model", model), ("partial", partial), ("thawed", thawed), ("named", named), ("sliced", sliced), ("bn_only", bn_only)]:
    print(name, sum(p.numel() for p in m.parameters()), sum(p.numel() for p in m.parameters() if p.requires_grad))
