"""Facts for extension/core/layerKnowledge/torchParameterNames.ts: the names `named_parameters()` gives a leaf
torch.nn module, from torch itself (2.13). Each class is built with the first argument list it accepts; classes
holding submodules, or whose names depend on arguments beyond bias/affine (RNNs), are left out (unknown to the
reader). Run: /work/venv/bin/python scripts/reference/torch_parameter_names.py"""
import inspect
import json

import torch.nn as nn

TRIES = [(), (4,), (4, 4), (4, 4, 3), (2, 4), (4, 4, 4)]
VARIES = {"RNN", "LSTM", "GRU", "RNNBase", "RNNCell", "LSTMCell", "GRUCell", "RNNCellBase"}
names = {}
for cls_name in sorted(dir(nn)):
    cls = getattr(nn, cls_name)
    if not (inspect.isclass(cls) and issubclass(cls, nn.Module)) or cls_name in VARIES or cls_name.startswith("Lazy"):
        continue
    for args in TRIES:
        try:
            m = cls(*args)
        except Exception:
            continue
        if any(True for _ in m.children()):
            break
        # Every slot, including those registered as None (InstanceNorm2d's weight when affine=False), with the
        # defaults of the flags that empty them: the reader applies the flags as written.
        params = inspect.signature(cls.__init__).parameters
        flags = {f: params[f].default for f in ("bias", "affine", "elementwise_affine") if f in params and isinstance(params[f].default, bool)}
        names[cls_name] = {"names": list(m._parameters.keys()), **({"flags": flags} if flags else {})}
        break
print(json.dumps({k: v for k, v in names.items() if v["names"]}, sort_keys=True))
print(json.dumps(sorted(k for k, v in names.items() if not v["names"])))
