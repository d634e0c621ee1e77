"""F.interpolate to another tensor's size, as torch 2.13's legacy ONNX exporter writes it: the sizes input of
Resize is Concat(Slice(Shape(x), 0, 2), ...) with the height and width either folded to constants (size=a.shape[-2:])
or read from another tensor's Shape (size=(y.shape[-2], y.shape[-1]), GhostNetV2's DFC attention). Writes
test/fixtures/files/torch_resize_to_tensor.onnx (opset 17) and _opset11.onnx (whose Resize also takes an empty
scales input), and "torch_resize_to_tensor" in expected.json: torch's parameters, FlopCounterMode's MACs, each
module's output shape (forward hooks), the final output, and the ops feeding each Resize's sizes.

Run: /work/venv/bin/python scripts/files/make_resize_fixture.py   (torch 2.13 cpu, onnx)
"""
import json
import os
import sys

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(__file__))
from make_fixtures import OUT, torch_expectation, trained_like  # noqa: E402


class Gate(nn.Module):
    """GhostNetV2's DFC idea: a gate computed at half resolution, resized to the main branch's size."""

    def __init__(self):
        super().__init__()
        self.main = nn.Conv2d(8, 8, 3, padding=1)
        self.short = nn.Conv2d(8, 8, 1)

    def forward(self, x):
        out = self.main(x)
        res = self.short(F.avg_pool2d(x, kernel_size=2, stride=2))
        gate = F.interpolate(torch.sigmoid(res), size=(out.shape[-2], out.shape[-1]), mode="nearest")
        return out * gate


class Seg(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.gate = Gate()
        self.down = nn.Conv2d(8, 16, 3, stride=2, padding=1)
        self.head = nn.Conv2d(16, 4, 1)

    def forward(self, x):
        size = x.shape[-2:]
        a = F.relu(self.stem(x))
        a = self.gate(a)
        y = self.head(F.relu(self.down(a)))
        y = F.interpolate(y, size=a.shape[-2:], mode="bilinear", align_corners=False)
        return F.interpolate(y, size=size, mode="bilinear", align_corners=False)


def sizes_ops(path):
    import onnx

    g = onnx.load(path).graph
    producer = {o: n for n in g.node for o in n.output}

    def ops(name, depth=0):
        n = producer.get(name)
        if n is None or depth > 4:
            return []
        return [n.op_type] + [op for i in n.input if i for op in ops(i, depth + 1)]

    return [sorted(set(ops(n.input[3]))) for n in g.node if n.op_type == "Resize"]


def main():
    torch.manual_seed(0)
    model = trained_like(Seg())
    x = torch.randn(1, 3, 32, 40)
    e = torch_expectation(model, x)
    entry = {k: e[k] for k in ("input", "params", "macs", "moduleOutputShapes")}
    entry["output"] = list(model(x).shape)
    for name, opset in (("torch_resize_to_tensor", 17), ("torch_resize_to_tensor_opset11", 11)):
        path = os.path.join(OUT, f"{name}.onnx")
        torch.onnx.export(model, (x,), path, dynamo=False, opset_version=opset)
        entry[f"sizesOps{opset}"] = sizes_ops(path)
    with open(os.path.join(OUT, "expected.json")) as f:
        expected = json.load(f, object_pairs_hook=lambda kv: {int(k) if k.isdigit() else k: v for k, v in kv})
    expected["torch_resize_to_tensor"] = entry
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")
    print(json.dumps(entry))


if __name__ == "__main__":
    main()
