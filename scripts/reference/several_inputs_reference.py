"""What PyTorch computes for test/fixtures/models/pytorch_several_inputs.py (test/unit/source/severalInputs.test.ts):
per model, the example call of its __main__ block, model.parameters(), FlopCounterMode's MACs (FLOPs / 2), and
each leaf module call's output shape in order (forward hooks; a module called again appears again).

Run: /work/venv/bin/python scripts/reference/several_inputs_reference.py   (torch 2.13 cpu)
"""
import importlib.util
import json
import os

import torch
from torch.utils.flop_counter import FlopCounterMode

HERE = os.path.dirname(__file__)
spec = importlib.util.spec_from_file_location("several", os.path.join(HERE, "..", "..", "test", "fixtures", "models", "pytorch_several_inputs.py"))
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)

CASES = {
    "Siamese": lambda: (mod.Siamese(), (torch.randn(2, 1, 28, 28), torch.randn(2, 1, 28, 28))),
    "Triplet": lambda: (mod.Triplet(), (torch.randn(2, 1, 28, 28), torch.randn(2, 1, 28, 28), torch.randn(2, 1, 28, 28))),
    "CondNet": lambda: (mod.CondNet(), (torch.randn(2, 1, 28, 28), torch.randn(2, 10))),
}

out = {}
for name, make in CASES.items():
    model, inputs = make()
    model.eval()
    calls = []
    for n, m in model.named_modules():
        if n and not list(m.children()):
            m.register_forward_hook(lambda m, i, o, n=n: calls.append([n, list(o.shape)]))
    counter = FlopCounterMode(display=False)
    with torch.no_grad(), counter:
        model(*inputs)
    out[name] = {"params": sum(p.numel() for p in model.parameters()), "macs": counter.get_total_flops() // 2, "calls": calls}
print(json.dumps(out))
