#!/usr/bin/env python3
"""Writes test/fixtures/corpus/**.json: what the real frameworks say about public model files, used unmodified.

The files are the ones scripts/corpus/fetch.sh unpacks under .corpus/<package>-<version>/ (never committed).
This script imports the same files from the installed packages (/work/venv: torch 2.13, torchvision 0.28.0,
keras 3.15.1 with TensorFlow 2.21, timm 1.0.29), checks byte for byte (sha256) that they are the .corpus copies,
builds each model listed in corpus_entries.py as the entry says, and records:

  per leaf layer call, in execution order
    file    the file of the constructor call, relative to the package root ("torchvision/ops/misc.py" for a
            Conv2d made by Conv2dNormActivation); the innermost frame outside the framework itself
    line    1-based line of that call (recorded by wrapping nn.Module.__init__ / keras Layer.__init__)
    type    the framework's class name (PyTorch "Conv2d", Keras "Conv2D")
    output  output shape with batch, in the framework's order: PyTorch [1, 64, 112, 112], Keras [null, 112, 112, 64]
    params  the layer's own parameters (PyTorch: parameters(recurse=False); Keras: count_params())
  per model
    total_params   PyTorch sum(p.numel() for p in model.parameters()) (modules never called count too);
                   Keras model.count_params(), with trainable / non-trainable
    macs           PyTorch: torch.utils.flop_counter.FlopCounterMode's total / 2 (it counts 2 FLOPs per
                   multiply-add of conv, mm, addmm, bmm); Keras: the sum over layers of output positions x
                   kernel size for Conv*/Dense/DepthwiseConv2D/SeparableConv2D (no MACs elsewhere), null
                   when a layer that multiplies weights is not one of these
    not_called     PyTorch leaf modules with parameters that the forward pass never ran (aux heads)

PyTorch models run one forward pass in eval mode on zeros of the entry's input; Keras models run one pass on
zeros of a batch of one, at the model's input shape; they are built with their default weights="imagenet"
(which can change the architecture: EfficientNet adds a Rescaling layer), with Keras' get_file and
Model.load_weights stubbed so that nothing is downloaded or loaded. Keras' InputLayer is the input, not a layer call, and is not listed.

Debian's torchvision 0.14 runs with Debian's torch 1.13 (apt-get install python3-torchvision), which has no
FlopCounterMode: there MACs are summed from each Conv*/Linear module's output size x in_channels/groups x
kernel (x in_features), what FlopCounterMode counts. Debian's keras-applications 1.0.8 (written for Keras 2)
runs with Keras 3 given Keras 2's int_shape/name_scope (see keras2_submodules); its DenseNet and NASNet use
layer names or arguments Keras 3 refuses and are not in the corpus.

Usage: bash scripts/corpus/fetch.sh
       /work/venv/bin/python scripts/corpus/make_expected.py [path-filter]
       /usr/bin/python3 scripts/corpus/make_expected.py --debian [path-filter]
"""
import hashlib
import importlib
import json
import os
import re
import sys
import types
import weakref

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
CORPUS = os.path.join(ROOT, ".corpus")
OUT = os.path.join(ROOT, "test", "fixtures", "corpus")
sys.path.insert(0, HERE)

from corpus_entries import ENTRIES  # noqa: E402

# The venv's torchvision 0.28.0 is the CUDA build and its compiled ops do not load against the CPU torch; only
# its fake-tensor registrations need them, and no model here calls a torchvision op.
sys.modules.setdefault("torchvision._meta_registrations", types.ModuleType("torchvision._meta_registrations"))


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def site_root(module):
    """The site-packages directory a module was imported from."""
    path = os.path.abspath(module.__file__)
    top = module.__name__.split(".")[0]
    return path[: path.rindex(os.sep + top + os.sep)]


class Lines:
    """Constructor call sites: the innermost frame in model code (not in the framework, not in this script)."""

    def __init__(self, site, internal):
        self.site = site + os.sep
        self.internal = [p + os.sep for p in internal]
        # Weak keys, not id(): a module built and dropped while the model is made frees its id for the next
        # one, which would then inherit the dropped module's line.
        self.sites = weakref.WeakKeyDictionary()

    def of(self, obj):
        return self.sites.get(obj, (None, None))

    def record(self, obj):
        if obj in self.sites:
            return  # __init__ run twice on one object: the first call is the constructor call
        frame = sys._getframe(2)
        while frame is not None:
            path = os.path.abspath(frame.f_code.co_filename)
            if path.startswith(self.site) and not any(path.startswith(p) for p in self.internal):
                self.sites[obj] = (os.path.relpath(path, self.site), frame.f_lineno)
                return
            frame = frame.f_back
        self.sites[obj] = (None, None)


def package_dir(entry):
    """.corpus/torchvision-0.28.0 for "torchvision==0.28.0", .corpus/python3-torchvision-0.14.1-2 for Debian's "=0.14.1-2"."""
    return os.path.join(CORPUS, re.sub("=+", "-", entry["package"], count=1))


def import_checked(entry):
    if entry.get("sys_path") == "corpus":
        # A package no interpreter here installs (Debian's keras-applications needs a Keras 2): import the copy.
        if package_dir(entry) not in sys.path:
            sys.path.insert(0, package_dir(entry))
    module = importlib.import_module(entry["module"])
    root = package_dir(entry)
    corpus_file = os.path.join(root, entry["path"])
    installed = os.path.abspath(module.__file__)
    if sha256(corpus_file) != sha256(installed):
        raise SystemExit("%s differs from the installed %s: regenerate with the pinned versions" % (corpus_file, installed))
    return module, sha256(installed)


def keras2_submodules():
    """What keras.applications passed to keras-applications 1.0.8 (backend, layers, models, utils), from Keras 3.

    Keras 3's backend dropped int_shape and name_scope, which the 1.0.8 files call; these two stand-ins give the
    Keras 2 results (a static shape tuple; a scope that only names). Nothing in the files is changed.
    """
    import contextlib
    import keras

    backend = types.SimpleNamespace(**{k: getattr(keras.backend, k) for k in dir(keras.backend) if not k.startswith("__")})
    backend.int_shape = lambda x: tuple(x.shape)
    backend.name_scope = lambda name: contextlib.nullcontext()
    return {"backend": backend, "layers": keras.layers, "models": keras.models, "utils": keras.utils}


def namespace(module):
    """The file's globals for evaluating an entry's build expression, plus KERAS2 for keras-applications 1.0.8."""
    names = dict(vars(module))
    if module.__name__.startswith("keras_applications"):
        names["KERAS2"] = keras2_submodules()
    return names


# ------------------------------------------------------------------------------------------------- PyTorch


def hook_macs(mod, output):
    """Multiply-adds of a conv or linear module from its output (what FlopCounterMode counts, / 2); 0 elsewhere."""
    import torch.nn as nn

    per_sample = output[0].numel() if output is not None and output.dim() > 0 else 0
    if isinstance(mod, nn.modules.conv._ConvNd) and not mod.transposed:
        return per_sample * (mod.in_channels // mod.groups) * int(__import__("math").prod(mod.kernel_size))
    if isinstance(mod, nn.Linear):
        return per_sample * mod.in_features
    if isinstance(mod, (nn.modules.conv._ConvNd, nn.MultiheadAttention)):
        return None  # no formula here: only FlopCounterMode counts it
    return 0


def run_torch(entry, spec):
    import torch
    import torch.nn as nn
    try:
        from torch.utils.flop_counter import FlopCounterMode
    except ImportError:  # torch 1.13 (Debian) has no flop counter: conv and linear MACs from their shapes instead
        FlopCounterMode = None

    module, _ = import_checked(entry)
    lines = Lines(site_root(module), [os.path.join(site_root(torch), "torch")])
    original = nn.Module.__init__

    def __init__(self, *args, **kwargs):
        lines.record(self)
        original(self, *args, **kwargs)

    nn.Module.__init__ = __init__
    try:
        torch.manual_seed(0)
        model = eval(spec["build"], namespace(module))
    finally:
        nn.Module.__init__ = original
    model.eval()
    names = {id(m): n for n, m in model.named_modules()}
    records, called = [], set()

    def hook(mod, _inputs, output):
        called.add(id(mod))
        tensor = output[0] if isinstance(output, (tuple, list)) else output
        file, line = lines.of(mod)
        records.append(
            {
                "name": names.get(id(mod)),
                "type": type(mod).__name__,
                "file": file,
                "line": line,
                "output": list(tensor.shape) if isinstance(tensor, torch.Tensor) else None,
                "params": sum(p.numel() for p in mod.parameters(recurse=False)),
                "_macs": hook_macs(mod, tensor),
            }
        )

    leaves = [m for m in model.modules() if len(list(m.children())) == 0]
    handles = [m.register_forward_hook(hook) for m in leaves]
    try:
        if FlopCounterMode is not None:
            counter = FlopCounterMode(display=False)
            with torch.no_grad(), counter:
                model(torch.zeros(*spec["input"]))
            macs = counter.get_total_flops() // 2
        else:
            with torch.no_grad():
                model(torch.zeros(*spec["input"]))
            if any(r["_macs"] is None for r in records):
                raise SystemExit("%s: a layer without a MAC formula and no FlopCounterMode" % spec["model"])
            macs = sum(r["_macs"] for r in records)
    finally:
        for h in handles:
            h.remove()
    for r in records:
        r.pop("_macs", None)
    return {
        "total_params": sum(p.numel() for p in model.parameters()),
        "trainable_params": sum(p.numel() for p in model.parameters() if p.requires_grad),
        "macs": macs,
        "layers": records,
        "not_called": [
            {"name": names[id(m)], "type": type(m).__name__, "params": sum(p.numel() for p in m.parameters(recurse=False))}
            for m in leaves
            if id(m) not in called and sum(p.numel() for p in m.parameters(recurse=False)) > 0
        ],
    }


# ------------------------------------------------------------------------------------------------- Keras

# Layers whose MACs are output positions x kernel size (the README's convention: only weight multiplies count).
_OUTPUT_STATIONARY = {"Conv1D", "Conv2D", "Conv3D", "DepthwiseConv1D", "DepthwiseConv2D", "Dense"}
_NO_MACS_WITH_WEIGHTS = {"BatchNormalization", "LayerNormalization", "Normalization", "GroupNormalization"}


def keras_macs(layer, input_shape, output_shape):
    import numpy as np

    name = type(layer).__name__
    if layer.count_params() == 0 or name in _NO_MACS_WITH_WEIGHTS:
        return 0
    positions = lambda shape: int(np.prod([d for d in shape[1:-1]])) if len(shape) > 2 else 1  # noqa: E731
    if name in _OUTPUT_STATIONARY:
        return positions(output_shape) * int(np.prod(layer.kernel.shape))
    if name in ("SeparableConv1D", "SeparableConv2D"):
        return positions(output_shape) * (int(np.prod(layer.depthwise_kernel.shape)) + int(np.prod(layer.pointwise_kernel.shape)))
    if name in ("Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose"):
        return positions(input_shape) * int(np.prod(layer.kernel.shape))
    return None


def run_keras(entry, spec):
    import keras
    import numpy as np
    from keras.src.layers.layer import Layer

    module, _ = import_checked(entry)
    # Keras' own frames are not model code, except Keras Applications (the files under test).
    keras_site = site_root(keras)
    internal = [os.path.join(keras_site, "keras", "src", d) for d in os.listdir(os.path.join(keras_site, "keras", "src")) if d != "applications"]
    lines = Lines(site_root(module), internal + [os.path.join(keras_site, "tensorflow"), os.path.join(keras_site, "keras", "api")])
    original_init = Layer.__init__

    def __init__(self, *args, **kwargs):
        lines.record(self)
        original_init(self, *args, **kwargs)

    # The default weights="imagenet" is built as the file builds it (EfficientNet adds a Rescaling layer for
    # it); only the download and the loading are stubbed out, so no weights are fetched or read.
    from keras.src.models.model import Model
    from keras.src.utils import file_utils

    saved = (file_utils.get_file, keras.utils.get_file, Model.load_weights)
    file_utils.get_file = keras.utils.get_file = lambda *args, **kwargs: "imagenet-weights-not-downloaded.h5"
    Model.load_weights = lambda self, *args, **kwargs: None
    Layer.__init__ = __init__
    try:
        keras.utils.clear_session()
        model = eval(spec["build"], namespace(module))
    finally:
        Layer.__init__ = original_init
        file_utils.get_file, keras.utils.get_file, Model.load_weights = saved

    # Run the model with Layer.__call__ watched: every leaf layer call, nested models included, in the order
    # Keras runs them.
    records, macs = [], [0]
    original_call = Layer.__call__

    def __call__(self, *args, **kwargs):
        out = original_call(self, *args, **kwargs)
        if self._flatten_layers(include_self=False, recursive=False):
            return out  # a nested model or composite layer: its own layers report themselves
        first_in = keras.tree.flatten(args)[0] if args else None
        first_out = keras.tree.flatten(out)[0]
        # Run on a batch of one; Keras writes the batch axis as None.
        out_shape = [None] + list(first_out.shape)[1:]
        in_shape = [None] + list(first_in.shape)[1:] if first_in is not None else None
        file, line = lines.of(self)
        m = keras_macs(self, in_shape, out_shape)
        macs[0] = None if m is None or macs[0] is None else macs[0] + m
        records.append({"name": self.name, "type": type(self).__name__, "file": file, "line": line, "output": out_shape, "params": self.count_params()})
        return out

    Layer.__call__ = __call__
    try:
        # Eager on zeros: a symbolic call goes through compute_output_spec and never reaches the layers' __call__.
        # The entry's input; it must fit the model's own (MobileNetV3 declares (None, None, 3): any size).
        declared = list(model.input_shape[1:])
        run_shape = list(spec["input"][1:])
        if any(d is not None and d != r for d, r in zip(declared, run_shape)) or len(declared) != len(run_shape):
            raise SystemExit("%s: entry input %s does not fit the model's %s" % (spec["model"], spec["input"], model.input_shape))
        model(np.zeros([1] + run_shape, dtype="float32"))
    finally:
        Layer.__call__ = original_call
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    return {
        "total_params": model.count_params(),
        "trainable_params": trainable,
        "non_trainable_params": model.count_params() - trainable,
        "macs": macs[0],
        "input_shape": [None] + list(model.input_shape[1:]),
        "layers": records,
    }


# ------------------------------------------------------------------------------------------------- output

_EXAMPLE_CODE = re.compile(r"""^(if\s+__name__\s*==\s*['"]__main__['"]|def\s+(main|test)\s*\()""", re.M)


def check_default(entry, module):
    """An entry that says "no example code" must not have any: a file with some needs its default recorded."""
    with open(module.__file__, encoding="utf-8") as f:
        found = _EXAMPLE_CODE.search(f.read())
    if entry["default"]["model"] is None and found:
        raise SystemExit("%s has example code (%r): record what it builds in corpus_entries.py" % (entry["path"], found.group(0)))



def dump(out):
    """Indented JSON with one layer per line, so diffs stay readable."""
    lines = ["{"]
    for key in ("package", "path", "sha256", "helpers", "framework", "generator", "versions", "default"):
        lines.append("  %s: %s," % (json.dumps(key), json.dumps(out[key])))
    lines.append('  "models": [')
    for i, m in enumerate(out["models"]):
        lines.append("    {")
        for key in m:
            if key not in ("layers",):
                lines.append("      %s: %s," % (json.dumps(key), json.dumps(m[key])))
        lines.append('      "layers": [')
        lines.append(",\n".join("        " + json.dumps(layer) for layer in m["layers"]))
        lines.append("      ]")
        lines.append("    }" + ("," if i < len(out["models"]) - 1 else ""))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def versions(framework):
    if framework == "pytorch":
        import torch

        return {"torch": torch.__version__}
    import keras
    import tensorflow as tf

    return {"keras": keras.__version__, "tensorflow": tf.__version__}


def main():
    args = sys.argv[1:]
    # Debian's torchvision 0.14 runs with Debian's torch 1.13 (/usr/bin/python3), the rest with /work/venv.
    runner = "debian" if "--debian" in args else "venv"
    only = next((a for a in args if not a.startswith("--")), "")
    for entry in ENTRIES:
        if only not in "%s/%s" % (entry["package"], entry["path"]) or entry.get("runner", "venv") != runner:
            continue
        run = run_torch if entry["framework"] == "pytorch" else run_keras
        module, digest = import_checked(entry)
        check_default(entry, module)
        models = []
        for spec in entry["models"]:
            result = run(entry, spec)
            models.append({"model": spec["model"], "build": spec["build"], "input": spec["input"], **result})
            print("  %s %s: %d layers, %s params, %s MACs" % (entry["path"], spec["model"], len(result["layers"]), result["total_params"], result["macs"]))
        # The other files whose lines the layers cite (torchvision/ops/misc.py, timm/layers/*.py): pinned too.
        helpers = sorted({l["file"] for m in models for l in m["layers"] if l["file"] not in (None, entry["path"])})
        out = {
            "package": entry["package"],
            "path": entry["path"],
            "sha256": digest,
            "helpers": {h: sha256(os.path.join(package_dir(entry), h)) for h in helpers},
            "framework": entry["framework"],
            "generator": "scripts/corpus/make_expected.py",
            "versions": versions(entry["framework"]),
            "default": entry["default"],
            "models": models,
        }
        target = os.path.join(OUT, os.path.basename(package_dir(entry)), entry["path"] + ".json")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w") as f:
            f.write(dump(out))
        print("wrote", os.path.relpath(target, ROOT))


if __name__ == "__main__":
    main()
