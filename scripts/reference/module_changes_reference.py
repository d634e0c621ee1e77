"""The models of test/unit/source/moduleChanges.test.ts, run with PyTorch 2.13 / Keras 3.15: total and trainable
parameters (sum(p.numel()) over parameters() and over those with requires_grad; Keras count_params() and its
trainable weights) and the output shape, after the code changes the model in place.

Run: /work/venv/bin/python scripts/reference/module_changes_reference.py
Printed: weight_frozen 258 34 (1, 2) / deleted 224 224 (1, 8) / inserted 190 190 (1, 2) / modules_frozen 258 18 (1, 2)
/ keepdim 224 224 (1, 8, 1, 1) / tied 80 72 (1, 8) / keras_seq_frozen 242 0 / keras_frozen_then_added 242 0
"""
import torch
import torch.nn as nn


def head():
    return nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2))


def weight_frozen():
    model = head()
    model[0].weight.requires_grad = False
    model[0].bias.requires_grad_(False)
    return model, model(torch.randn(1, 3, 32, 32))


def deleted():
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2), nn.Softmax(1))
    del model[-1]
    del model[4]
    return model, model(torch.randn(1, 3, 32, 32))


def inserted():
    model = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 4))
    model.insert(1, nn.Linear(8, 8))
    model.append(nn.Linear(4, 2))
    return model, model(torch.randn(1, 8))


def modules_frozen():
    model = nn.Sequential(nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8)), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2))
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm2d, nn.Conv2d)):
            m.requires_grad_(False)
    return model, model(torch.randn(1, 3, 32, 32))


class KeepDim(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)

    def forward(self, x):
        return self.conv(x).mean((2, 3), True)


def keepdim():
    model = KeepDim()
    return model, model(torch.randn(1, 3, 32, 32))


class Tied(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 8)
        self.fc2 = nn.Linear(8, 8)
        self.fc2.weight = self.fc1.weight

    def forward(self, x):
        return self.fc2(self.fc1(x))


def tied():
    model = Tied()
    for n, p in model.named_parameters():
        if n.startswith("fc2"):
            p.requires_grad = False
    return model, model(torch.randn(1, 8))


for f in (weight_frozen, deleted, inserted, modules_frozen, keepdim, tied):
    m, y = f()
    print(f.__name__, sum(p.numel() for p in m.parameters()), sum(p.numel() for p in m.parameters() if p.requires_grad), tuple(y.shape))

import keras  # noqa: E402
from keras import layers  # noqa: E402

seq = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3), layers.GlobalAveragePooling2D(), layers.Dense(2)])
seq.trainable = False
seq.layers[0].trainable = True
added = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3), layers.GlobalAveragePooling2D()])
added.trainable = False
added.add(layers.Dense(2))
for name, m in (("keras_seq_frozen", seq), ("keras_frozen_then_added", added)):
    print(name, m.count_params(), sum(int(w.numpy().size) for w in m.trainable_weights))
