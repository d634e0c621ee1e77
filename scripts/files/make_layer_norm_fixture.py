"""nn.LayerNorm as torch 2.13's legacy ONNX exporter writes it below opset 17 (opset 17 has LayerNormalization):
ReduceMean → Sub → Pow → ReduceMean → Add → Sqrt → Div, then Mul by the weight and Add of the bias. A ConvNeXt-style
block (our own code: a LayerNorm2d as permute → F.layer_norm → permute, a depthwise 7×7, an inverted MLP on the
last axis) and an nn.LayerNorm on the pooled (N, C) vector. Writes test/fixtures/files/torch_layer_norm_opset13.onnx
and "torch_layer_norm_opset13" in expected.json: torch's parameters, FlopCounterMode's MACs, the output, the ops.

Run: /work/venv/bin/python scripts/files/make_layer_norm_fixture.py   (torch 2.13 cpu, onnx)
"""
import json
import os
import sys

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(__file__))
from make_fixtures import OUT, torch_expectation, trained_like  # noqa: E402


class LayerNorm2d(nn.LayerNorm):
    def forward(self, x):
        x = x.permute(0, 2, 3, 1)
        x = F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
        return x.permute(0, 3, 1, 2)


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.dw = nn.Conv2d(dim, dim, 7, padding=3, groups=dim)
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.fc1 = nn.Linear(dim, 4 * dim)
        self.fc2 = nn.Linear(4 * dim, dim)

    def forward(self, x):
        y = self.dw(x).permute(0, 2, 3, 1)
        y = self.fc2(F.gelu(self.fc1(self.norm(y))))
        return x + y.permute(0, 3, 1, 2)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 4, stride=4)
        self.stem_norm = LayerNorm2d(16)
        self.block = Block(16)
        self.head_norm = nn.LayerNorm(16)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.block(self.stem_norm(self.stem(x)))
        return self.fc(self.head_norm(x.mean((2, 3))))


def main():
    import onnx

    torch.manual_seed(0)
    model = trained_like(Net())
    x = torch.randn(1, 3, 32, 32)
    e = torch_expectation(model, x)
    entry = {k: e[k] for k in ("input", "params", "macs")}
    path = os.path.join(OUT, "torch_layer_norm_opset13.onnx")
    torch.onnx.export(model, (x,), path, dynamo=False, opset_version=13)
    graph = onnx.load(path).graph
    entry.update(ops=[n.op_type for n in graph.node], output=[d.dim_value for d in graph.output[0].type.tensor_type.shape.dim])
    with open(os.path.join(OUT, "expected.json")) as f:
        expected = json.load(f, object_pairs_hook=lambda kv: {int(k) if k.isdigit() else k: v for k, v in kv})
    expected["torch_layer_norm_opset13"] = entry
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")
    print(json.dumps({k: entry[k] for k in ("params", "macs", "output")}), entry["ops"].count("ReduceMean"))


if __name__ == "__main__":
    main()
