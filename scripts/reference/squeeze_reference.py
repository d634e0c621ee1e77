"""Reference facts for test/unit/source/squeezeUnsqueeze.test.ts, from the real frameworks in /work/venv.

Runs each test program (the same template and cases as the test) and prints, in call order, every PyTorch module
call (on the line that made the module) and every squeeze / unsqueeze with its line and output shape, or the
exception and its line; the parameters and MACs per sample (torch.utils.flop_counter: MACs = FLOPs / 2 / batch). Keras/TF cases print
each op's output shape on a symbolic input (Keras' None batch), or the exception. The test holds what it printed.

Run: /work/venv/bin/python scripts/reference/squeeze_reference.py
"""
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import torch  # noqa: E402
from torch import nn  # noqa: E402
from torch.utils.flop_counter import FlopCounterMode  # noqa: E402

torch.set_grad_enabled(False)
FILE = "model.py"


def program(layers, body, example):
    """The test's template: a Net with `layers` in __init__ and `body` in forward, run on torch.randn(example)."""
    init = "\n".join(f"        {line}" for line in layers) or "        pass"
    fwd = "\n".join(f"        {line}" for line in body)
    return (f"import torch\nimport torch.nn as nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n{init}\n\n"
            f"    def forward(self, x):\n{fwd}\n        return x\n\n\nmodel = Net()\nmodel(torch.randn({example}))\n")


TORCH_CASES = {
    "the defect's example": (["self.conv = nn.Conv2d(3, 8, 3)", "self.fc = nn.Linear(8, 10)", "self.pool = nn.AdaptiveAvgPool2d(1)"],
                             ["x = self.pool(self.conv(x))", "x = x.squeeze(-1).squeeze(-1)", "x = x.unsqueeze(1)", "x = self.fc(x)"], "2, 3, 32, 32"),
    "torch.squeeze / torch.unsqueeze, dim=": (["self.pool = nn.AdaptiveAvgPool2d(1)", "self.fc = nn.Linear(8, 10)"],
                                             ["x = self.pool(x)", "x = torch.squeeze(x, 3)", "x = torch.squeeze(x, dim=-1)", "x = torch.unsqueeze(x, dim=-1)",
                                              "x = x.squeeze(dim=2)", "x = self.fc(x)"], "2, 8, 5, 5"),
    "no-op squeezes": (["self.fc = nn.Linear(4, 3)"], ["x = x.squeeze(1)", "x = x.squeeze(0)", "x = x.squeeze(-1)", "x = self.fc(x)"], "2, 6, 5, 4"),
    "squeeze() of every size-1 dim": (["self.fc = nn.Linear(6, 3)"], ["x = x.view(x.size(0), 1, 6, 1)", "x = x.squeeze()", "x = self.fc(x)"], "2, 1, 6, 1"),
    "squeeze of a tuple of dims": (["self.fc = nn.Linear(6, 3)"], ["x = x.squeeze((1, 3))", "x = self.fc(x)"], "2, 1, 6, 1"),
    "unsqueeze at -1, then a Conv1d at 1": (["self.fc = nn.Linear(12, 8)", "self.conv = nn.Conv1d(1, 4, 3)"],
                                           ["x = self.fc(x)", "x = x.unsqueeze(-1)", "x = x.squeeze(2).unsqueeze(1)", "x = self.conv(x)"], "2, 12"),
    "an image through a 5-D unsqueeze and back": (["self.a = nn.Conv2d(3, 8, 3)", "self.b = nn.Conv2d(8, 4, 3)"],
                                                  ["x = self.a(x)", "x = x.unsqueeze(2)", "x = x.squeeze(2)", "x = self.b(x)"], "2, 3, 16, 12"),
    "a batch of scalars": (["self.fc = nn.Linear(8, 1)"], ["x = self.fc(x).squeeze(-1)", "x = x.unsqueeze(-1)"], "2, 8"),
    "unsqueeze(0)": (["self.fc = nn.Linear(8, 3)"], ["x = x.unsqueeze(0)", "x = self.fc(x)"], "2, 8"),
    "squeeze(4) of a 4-D tensor": (["self.fc = nn.Linear(8, 3)"], ["x = x.squeeze(4)", "x = self.fc(x)"], "2, 8, 1, 1"),
    "unsqueeze(3) of a 2-D tensor": (["self.fc = nn.Linear(8, 3)"], ["x = x.unsqueeze(3)", "x = self.fc(x)"], "2, 8"),
    "squeeze() of a batch of 1": (["self.fc = nn.Linear(8, 3)"], ["x = x.squeeze()", "x = self.fc(x)"], "1, 8, 1, 1"),
    "squeeze(0) of a batch of 1": (["self.fc = nn.Linear(8, 3)"], ["x = x.squeeze(0)", "x = self.fc(x)"], "1, 8"),
}


def run_torch(name, layers, body, example):
    code = program(layers, body, example)
    events = []

    def line():
        f = sys._getframe(2)
        while f is not None and f.f_code.co_filename != FILE:
            f = f.f_back
        return f.f_lineno if f else None

    def wrap(op, fn):
        def recorded(*args, **kwargs):
            out = fn(*args, **kwargs)
            events.append((op, line(), list(out.shape)))
            return out
        return recorded

    saved = {(owner, op): getattr(owner, op) for owner in (torch.Tensor, torch) for op in ("squeeze", "unsqueeze")}
    for (owner, op), fn in saved.items():
        setattr(owner, op, wrap(op, fn))
    scope = {"__name__": "reference"}
    try:
        exec(compile(code.replace("model(torch.randn", "x0 = (torch.randn"), FILE, "exec"), scope)
        model, x0 = scope["model"], scope["x0"]
        # A module's row is on the line that made it (as the reader and PyTorch's corpus expectations place it).
        made = {attr: next(i + 1 for i, text in enumerate(code.splitlines()) if f"self.{attr} = " in text) for attr, _ in model.named_children()}
        for attr, m in model.named_children():
            m.register_forward_hook(lambda m, i, o, at=made[attr]: events.append((type(m).__name__, at, list(o.shape))))
        try:
            with FlopCounterMode(display=False) as counter:
                model(x0)
            outcome = f"MACs per sample {counter.get_total_flops() // 2 // x0.shape[0]}"
        except Exception as e:  # noqa: BLE001 - the exception is the fact
            tb = e.__traceback__
            at = None
            while tb is not None:
                if tb.tb_frame.f_code.co_filename == FILE:
                    at = tb.tb_lineno
                tb = tb.tb_next
            outcome = f"{type(e).__name__} at line {at}: {e}"
    finally:
        for (owner, op), fn in saved.items():
            setattr(owner, op, fn)
    params = {attr: sum(p.numel() for p in m.parameters()) for attr, m in model.named_children()}
    params["total"] = sum(params.values())
    print(f"{name}  (input {example})")
    for op, at, shape in events:
        print(f"    line {at}: {op} {tuple(shape)}")
    print(f"    params {params}; {outcome}")


def keras_cases():
    import keras
    from keras import ops
    import tensorflow as tf

    def show(name, shape, f):
        x = keras.Input(shape=shape)
        try:
            print(f"{name} on {tuple(x.shape)}: {tuple(f(x).shape)}")
        except Exception as e:  # noqa: BLE001
            print(f"{name} on {tuple(x.shape)}: {type(e).__name__}: {e}")

    show("ops.squeeze(x, axis=1)", (1, 1, 8), lambda x: ops.squeeze(x, axis=1))
    show("ops.squeeze(x, axis=(1, 2))", (1, 1, 8), lambda x: ops.squeeze(x, axis=(1, 2)))
    show("ops.squeeze(x)", (1, 1, 8), lambda x: ops.squeeze(x))
    show("ops.squeeze(x, axis=-1)", (1, 1, 8), lambda x: ops.squeeze(x, axis=-1))
    show("ops.squeeze(x, axis=0)", (1, 1, 8), lambda x: ops.squeeze(x, axis=0))
    show("ops.expand_dims(x, -1)", (8,), lambda x: ops.expand_dims(x, -1))
    show("ops.expand_dims(x, 1)", (8,), lambda x: ops.expand_dims(x, 1))
    show("ops.expand_dims(x, 0)", (8,), lambda x: ops.expand_dims(x, 0))
    show("ops.expand_dims(x, 3)", (8,), lambda x: ops.expand_dims(x, 3))
    dense = keras.layers.Dense(10)
    show("Dense(10)(ops.expand_dims(x, 1))", (8,), lambda x: dense(ops.expand_dims(x, 1)))
    print(f"    Dense params {dense.count_params()}")

    # tf.* functions take no KerasTensor in Keras 3: traced on a (None, …) TensorSpec, as a Layer's call() sees them.
    for name, shape, f in [("tf.squeeze(x, [1, 2])", [None, 1, 1, 8], lambda t: tf.squeeze(t, [1, 2])),
                           ("tf.expand_dims(x, -1)", [None, 8], lambda t: tf.expand_dims(t, -1)),
                           ("tf.squeeze(x, -1)", [None, 1, 1, 8], lambda t: tf.squeeze(t, -1)),
                           ("tf.expand_dims(x, 3)", [None, 8], lambda t: tf.expand_dims(t, 3))]:
        try:
            out = tf.function(f, input_signature=[tf.TensorSpec(shape)]).get_concrete_function().structured_outputs
            print(f"{name} on {tuple(shape)}: {tuple(out.shape)}")
        except Exception as e:  # noqa: BLE001
            # tf.function wraps the op's own message ("in user code: … ValueError: …"): its last line is TF's.
            print(f"{name} on {tuple(shape)}: {str(e).strip().splitlines()[-1].split(' for ')[0].strip()}")


if __name__ == "__main__":
    for case, (layers, body, example) in TORCH_CASES.items():
        run_torch(case, layers, body, example)
    keras_cases()
