"""A model with a frozen stem (requires_grad False), saved the three ways torch saves it: torch.save(model) (each
parameter's requires_grad is pickled), torch.jit.save (each tensor's), torch.save(model.state_dict()) (detached
tensors: which train is not recorded). Writes test/fixtures/files/torch_frozen_{module,scripted,state_dict}.* and
the entry "torch_frozen" in expected.json: torch's parameters, trainable and frozen counts.

Run: /work/venv/bin/python scripts/files/make_frozen_fixtures.py   (torch 2.13 cpu)
"""
import json
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(__file__))
from make_fixtures import OUT  # noqa: E402


def main():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 6 * 6, 10))
    for p in model[0].parameters():
        p.requires_grad = False
    model.eval()
    torch.save(model, os.path.join(OUT, "torch_frozen_module.pt"))
    torch.jit.save(torch.jit.script(model), os.path.join(OUT, "torch_frozen_scripted.pt"))
    torch.save(model.state_dict(), os.path.join(OUT, "torch_frozen_state_dict.pth"))
    entry = {
        "params": sum(p.numel() for p in model.parameters()),
        "trainable": sum(p.numel() for p in model.parameters() if p.requires_grad),
        "frozen": sum(p.numel() for p in model.parameters() if not p.requires_grad),
        # A state dict's tensors: requires_grad as saved (always False: state_dict() detaches them).
        "stateDictRequiresGrad": sorted({v.requires_grad for v in torch.load(os.path.join(OUT, "torch_frozen_state_dict.pth")).values()}),
    }
    with open(os.path.join(OUT, "expected.json")) as f:
        expected = json.load(f, object_pairs_hook=lambda kv: {int(k) if k.isdigit() else k: v for k, v in kv})
    expected["torch_frozen"] = entry
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")
    print(json.dumps(entry))


if __name__ == "__main__":
    main()
