"""A module applied twice in one forward() (a shared Conv2d and a shared Linear), exported by torch 2.13's legacy
ONNX exporter: the file holds each weight once and two nodes read it. model.parameters() counts it once; the MACs
are per use. Writes test/fixtures/files/torch_shared_weights.onnx and its entry in expected.json (torch's numbers,
and the initializers the file holds, read with onnx).

Run: /work/venv/bin/python scripts/files/make_shared_weight_fixture.py   (torch 2.13 cpu, onnx)
"""
import json
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(__file__))
from make_fixtures import OUT, torch_expectation, trained_like  # noqa: E402


class Shared(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(8, 8, 3, padding=1)
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, 8)
        self.head = nn.Linear(8, 4)

    def forward(self, x):
        x = torch.relu(self.conv(torch.relu(self.conv(self.stem(x)))))
        x = torch.flatten(self.pool(x), 1)
        return self.head(torch.relu(self.fc(torch.relu(self.fc(x)))))


def main():
    import onnx

    torch.manual_seed(0)
    model = trained_like(Shared())
    x = torch.randn(1, 3, 8, 8)
    path = os.path.join(OUT, "torch_shared_weights.onnx")
    torch.onnx.export(model, (x,), path, dynamo=False)
    graph = onnx.load(path).graph
    readers = {}
    for node in graph.node:
        for name in node.input:
            readers.setdefault(name, []).append(node.name)
    e = torch_expectation(model, x)
    entry = {k: e[k] for k in ("input", "params", "macs")}
    entry.update(
        ops=[n.op_type for n in graph.node],
        initializers={t.name: list(t.dims) for t in graph.initializer},
        # Initializers two or more nodes read: the shared weights.
        shared={name: nodes for name, nodes in readers.items() if len(nodes) > 1 and any(t.name == name for t in graph.initializer)},
        output=[d.dim_value for d in graph.output[0].type.tensor_type.shape.dim],
    )
    with open(os.path.join(OUT, "expected.json")) as f:
        expected = json.load(f, object_pairs_hook=lambda kv: {int(k) if k.isdigit() else k: v for k, v in kv})
    expected["torch_shared_weights"] = entry
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")
    print(json.dumps(entry, indent=1))


if __name__ == "__main__":
    main()
