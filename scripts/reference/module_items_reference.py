"""The models of test/unit/source/moduleItems.test.ts, run with PyTorch 2.13: sum(p.numel()) over
model.parameters(), the output shape, and the names of the modules after `seq[i] = module`.

Run: /work/venv/bin/python scripts/reference/module_items_reference.py
Printed: replaced 1640829 (1, 5) / classifier.3 is Linear(100, 5) / features.0.0 is Conv2d(3, 8, 5, padding=2) /
listed 1426 / IndexError
"""
import torch
import torch.nn as nn


class Block(nn.Sequential):
    def __init__(self, cin, cout):
        super().__init__(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU())


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(Block(3, 8), Block(8, 16))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(16 * 32 * 32, 100), nn.ReLU(), nn.Linear(100, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


class Listed(nn.Module):
    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv2d(3, 8, 3), nn.Conv2d(8, 8, 3)])
        self.heads = nn.ModuleDict({"a": nn.Linear(8, 4)})

    def forward(self, x):
        for c in self.convs:
            x = c(x)
        return self.heads["a"](x.mean([2, 3]))


model = Net()
model.classifier[-1] = nn.Linear(100, 5)
model.features[0][0] = nn.Conv2d(3, 8, 5, padding=2)
y = model(torch.randn(1, 3, 32, 32))
print("replaced", sum(p.numel() for p in model.parameters()), tuple(y.shape))
print("classifier.3 is", model.classifier[3], "/ features.0.0 is", model.features[0][0])

listed = Listed()
listed.convs[-1] = nn.Conv2d(8, 16, 3)
listed.heads["a"] = nn.Linear(16, 2)
listed(torch.randn(1, 3, 16, 16))
print("listed", sum(p.numel() for p in listed.parameters()))
try:
    model.classifier[4] = nn.Identity()
except IndexError:
    print("IndexError")
