#!/usr/bin/env python3
"""Writes test/fixtures/notebooks/lenet.ipynb with nbformat (Jupyter's own notebook library) and its
expectations, lenet.expected.json, by RUNNING the notebook's code cells in order with real PyTorch, the way a
kernel would: IPython-only lines (%magic, !shell) are skipped, the cell that does not parse fails on its own
and the later cells still run.

Per leaf-module call in the forward pass: cell number (1-based among all cells), line within the cell of the
module's constructor call, class, NCHW output shape; plus sum(p.numel() for p in model.parameters()).

Usage: /work/venv/bin/python scripts/notebooks/make_fixture.py   (torch 2.13, nbformat 5)
"""
import ast
import json
import os
import sys

import nbformat
import torch
import torch.nn as nn

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "notebooks")

CELLS = [
    ("markdown", "# LeNet in a notebook\nThe PyTorch tutorial's network, one cell at a time."),
    ("code", "%matplotlib inline\n!pip install torch\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F"),
    ("code", "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.conv1 = nn.Conv2d(1, 6, 5)\n        self.conv2 = nn.Conv2d(6, 16, 5)\n        self.fc1 = nn.Linear(16 * 5 * 5, 120)\n        self.fc2 = nn.Linear(120, 84)\n        self.fc3 = nn.Linear(84, 10)\n\n    def forward(self, x):\n        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))\n        x = F.max_pool2d(F.relu(self.conv2(x)), 2)\n        x = torch.flatten(x, 1)\n        x = F.relu(self.fc1(x))\n        x = F.relu(self.fc2(x))\n        return self.fc3(x)"),
    ("markdown", "A cell with a typo: the kernel reports a SyntaxError and goes on."),
    ("code", "def broken(:\n    return 1"),
    ("code", "net = Net()\nprint(net)"),
    ("code", "out = net(torch.randn(1, 1, 32, 32))\nout.shape"),
]


def ipython_free(source):
    lines = []
    for line in source.split("\n"):
        body = line.lstrip()
        lines.append(line[: len(line) - len(body)] + "pass" if body.startswith(("%", "!")) else line)
    return "\n".join(lines)


def main():
    nb = nbformat.v4.new_notebook()
    for kind, source in CELLS:
        nb.cells.append(nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source))
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "lenet.ipynb")
    nbformat.write(nb, path)

    # Run the code cells as a kernel would; record where each module was constructed (cell, line in cell).
    made_at = {}
    original = nn.Module.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        frame = sys._getframe(1)
        while frame is not None and not frame.f_code.co_filename.startswith("<cell"):
            frame = frame.f_back
        if frame is not None:
            made_at[id(self)] = (int(frame.f_code.co_filename[5:-1]), frame.f_lineno)

    nn.Module.__init__ = __init__
    scope = {"print": lambda *a, **k: None}
    errors = []
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        try:
            code = compile(ipython_free(cell.source), f"<cell{number}>", "exec")
        except SyntaxError as error:
            errors.append({"cell": number, "line": error.lineno, "error": "SyntaxError"})
            continue
        exec(code, scope)
    nn.Module.__init__ = original

    net = scope["net"].eval()
    calls = []
    for name, module in net.named_modules():
        if name and not list(module.children()):
            module.register_forward_hook(
                lambda m, i, o, name=name: calls.append(
                    {"name": name, "type": type(m).__name__, "cell": made_at[id(m)][0], "line": made_at[id(m)][1],
                     "output": list(o.shape), "params": sum(p.numel() for p in m.parameters(recurse=False))}))
    with torch.no_grad():
        out = net(torch.randn(1, 1, 32, 32))
    expected = {
        "notebook": "lenet.ipynb",
        "model": "Net",
        "input": [1, 1, 32, 32],
        "calls": calls,
        "output": list(out.shape),
        "params": sum(p.numel() for p in net.parameters()),
        "cellErrors": errors,
        "generatedBy": f"scripts/notebooks/make_fixture.py with torch {torch.__version__}, nbformat {nbformat.__version__}",
    }
    with open(os.path.join(OUT, "lenet.expected.json"), "w") as f:
        json.dump(expected, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
