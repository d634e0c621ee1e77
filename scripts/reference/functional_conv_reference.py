"""Reference numbers for test/unit/source/functionalConv.test.ts: the PyTorch files in
test/fixtures/functional_conv/ RUN with real PyTorch (the project's venv, torch 2.13, CPU).

For each file: exec it (it builds `model` and calls it once on its example input), then run the model again
on the same input with forward hooks on every leaf module, recording per call (in execution order) the
module's name from named_modules(), its class, its output shape (N, C, H, W) and
sum(p.numel() for p in module.parameters(recurse=False)); plus the model's total
sum(p.numel() for p in model.parameters()) and the MACs torch.utils.flop_counter.FlopCounterMode measures
(convolution and matmul FLOPs, MACs = FLOPs / 2). A file whose forward pass fails records the error.

Writes test/fixtures/functional_conv/expected.json. Run: /work/venv/bin/python scripts/reference/functional_conv_reference.py
"""
import json
import os
import re

import torch
from torch.utils.flop_counter import FlopCounterMode

torch.set_grad_enabled(False)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DIR = os.path.join(ROOT, "test", "fixtures", "functional_conv")


def run(path):
    code = open(path).read()
    shape = tuple(int(d) for d in re.search(r"model\(torch\.randn\(([\d, ]+)\)\)", code).group(1).split(","))
    scope = {"__name__": "fixture"}
    torch.manual_seed(0)
    exec(compile(code.replace("model(torch.randn(", "# model(torch.randn("), path, "exec"), scope)
    model = scope["model"].eval()
    rows = []
    for name, mod in model.named_modules():
        if not list(mod.children()):
            mod.register_forward_hook(lambda m, i, o, name=name: rows.append(
                {"name": name, "type": type(m).__name__, "output": list(o.shape),
                 "params": sum(p.numel() for p in m.parameters(recurse=False))}))
    x = torch.randn(*shape)
    with FlopCounterMode(display=False) as counter:
        model(x)
    # A module called again appears again; the reader names its second use "<name>#2".
    seen = {}
    for r in rows:
        seen[r["name"]] = seen.get(r["name"], 0) + 1
        if seen[r["name"]] > 1:
            r["name"] = f'{r["name"]}#{seen[r["name"]]}'
            r["params"] = 0
    return {"input": list(shape), "layers": rows, "total_params": sum(p.numel() for p in model.parameters()),
            "macs": counter.get_total_flops() // 2}


def main():
    out = {}
    for f in sorted(os.listdir(DIR)):
        if f.endswith(".py"):
            out[f] = run(os.path.join(DIR, f))
            print(f, out[f]["total_params"], out[f]["macs"], [(r["name"], r["output"]) for r in out[f]["layers"]])
    with open(os.path.join(DIR, "expected.json"), "w") as fh:
        json.dump({"torch": torch.__version__, "files": out}, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
