#!/usr/bin/env python3
"""Writes test/fixtures/models/<fixture>.expected.json by RUNNING each Keras fixture with real Keras.

For every model listed in FIXTURES the script executes the fixture (as a module: its __main__ block does not
run) and takes the model it builds. Per layer of the built model, in model.layers order (InputLayer left
out), it records:

  name    the layer's name ("conv2d_3")
  type    the layer class ("Conv2D")
  line    the source line of the constructor call that made the layer (innermost frame in the fixture file,
          recorded by wrapping keras.layers.Layer.__init__), 1-based
  output  the output shape, batch first (None)
  params  layer.count_params()

plus model.count_params(). A fixture listed with LEAF_CALLS (user Layer subclasses, Model subclasses) is
recorded as scripts/corpus/make_expected.py records Keras Applications instead: the model runs on zeros with
keras.layers.Layer.__call__ watched, one entry per leaf layer call (a layer holding sublayers is listed by
its sublayers; a layer called twice twice), so composite layers are compared by what they are made of.
The unit tests compare (line, type, output) as multisets, so an invented layer
is a miss, and the total exactly.

Usage (the project's venv, keras 3.15): /work/venv/bin/python scripts/keras/make_expected.py [fixture.py ...]
The unit tests read the JSON files; they never need Python.
"""
import json
import os
import runpy
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES_DIR = os.path.join(ROOT, "test", "fixtures", "models")

# fixture file -> models: (name the reader gives the model, the module-level variable holding it)
FIXTURES = {
    "keras_shapes_in_code.py": [("model", "model")],
    "keras_mnist_convnet.py": [("model", "model")],
    # Token ids through an Embedding into Conv1D (the Keras text-classification example), functional and Sequential.
    "keras_text_embedding.py": [("model", "model"), ("tagger", "tagger")],
    "keras_augmentation_upsampling.py": [("model", "model")],
    # Inputs that are not images: (None, 784) vectors, input_shape=(10,), (None, 128, 3) sequences.
    "keras_vectors_sequences.py": [("mlp", "mlp"), ("regressor", "regressor"), ("signal", "signal")],
    # ResNeXt's grouped conv without groups=: a 5-D Reshape, a Lambda summing x[:, :, :, :, i], an integer index.
    "keras_grouped_lambda.py": [("model", "model")],
    # Resizing, CenterCrop, inference-identity noise layers, GroupNormalization with and without weights.
    "keras_group_norm_resizing.py": [("model", "model")],
    # Backbone features by name: get_layer("block2_relu").output, base.input / base.inputs / base.outputs, ops.nn.relu.
    "keras_backbone_features.py": [("model", "model"), ("classifier", "classifier")],
    # A Model subclass without __init__/call made as Subclass(inputs, outputs); ops.depth_to_space.
    "keras_functional_subclass.py": [("make_upscaler", "model")],
    # Elementwise keras.ops / tf.math functions inside a layer's call() and on a functional tensor.
    "keras_elementwise_ops.py": [("build_encoder", "model")],
    # from keras.models import * / from keras.layers import *: Model, Input, Conv2D and concatenate by wildcard.
    "keras_star_imports.py": [("small_unet", "model")],
    # An Applications-style builder given input_tensor=: backend.is_keras_tensor, keras.utils.get_source_inputs.
    "keras_input_tensor_builder.py": [("segmenter", "model")],
    # RandomCrop at inference: a resize to (height, width), to the input's own size and to a smaller one.
    "keras_random_crop.py": [("same_size", "same_size"), ("smaller", "smaller")],
}

# fixture file -> the models recorded by their leaf layer calls: variable -> input (batch left out)
LEAF_CALLS = {
    "keras_custom_layers.py": {"model": [32, 32, 3], "tiny": [32, 32, 3]},
}
FIXTURES["keras_custom_layers.py"] = [("build_model", "model"), ("TinyNet", "tiny")]
# Model subclasses holding built models call() never runs (a distiller's teacher, a frozen encoder, spare heads).
LEAF_CALLS["keras_held_models.py"] = {"distiller": [32, 32, 3], "with_spares": [32, 32, 3]}
# A Model subclass whose call() raises tensors to a number power (tf.pow, ops.power) between channel slices.
LEAF_CALLS["keras_curve_enhancer.py"] = {"enhancer": [64, 64, 3]}
FIXTURES["keras_curve_enhancer.py"] = [("CurveEnhancer", "enhancer")]
FIXTURES["keras_held_models.py"] = [("distiller", "distiller"), ("WithSpares", "with_spares")]

_construction_lines = {}


def _wrap_init(fixture_path):
    original = keras.layers.Layer.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        frame = sys._getframe(1)
        while frame is not None:
            if os.path.abspath(frame.f_code.co_filename) == fixture_path:
                _construction_lines.setdefault(id(self), frame.f_lineno)
                break
            frame = frame.f_back

    keras.layers.Layer.__init__ = __init__
    return original


def _shape(layer):
    shape = layer.output.shape
    return [None if d is None else int(d) for d in shape]


def _leaf_calls(model, input_dims):
    import numpy as np

    records = []
    # Built first: building a subclassed model that holds unbuilt layers runs its call() once more, symbolically.
    model(np.zeros([1] + list(input_dims), dtype="float32"))
    original_call = keras.layers.Layer.__call__

    def __call__(self, *args, **kwargs):
        out = original_call(self, *args, **kwargs)
        if self._flatten_layers(include_self=False, recursive=False):
            return out  # a model or a layer made of layers: its sublayers report themselves
        first_out = keras.tree.flatten(out)[0]
        records.append({"name": self.name, "type": type(self).__name__, "line": _construction_lines.get(id(self)), "output": [None] + [int(d) for d in first_out.shape[1:]], "params": int(self.count_params())})
        return out

    keras.layers.Layer.__call__ = __call__
    try:
        model(np.zeros([1] + list(input_dims), dtype="float32"))
    finally:
        keras.layers.Layer.__call__ = original_call
    return records


def run_fixture(file, models):
    import numpy as np

    path = os.path.join(FIXTURES_DIR, file)
    _construction_lines.clear()
    original = _wrap_init(path)
    try:
        namespace = runpy.run_path(path, run_name="fixture")
    finally:
        keras.layers.Layer.__init__ = original
    out = []
    for name, variable in models:
        model = namespace[variable]
        leaf = LEAF_CALLS.get(file, {}).get(variable)
        if leaf is not None:
            # Called first: a Model subclass is built (and countable) only once it has run.
            calls = _leaf_calls(model, leaf)
            trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
            out.append({"model": name, "input": [None] + leaf, "total_params": int(model.count_params()), "trainable_params": trainable, "layers": calls})
            continue
        layers = [
            {
                "name": layer.name,
                "type": type(layer).__name__,
                "line": _construction_lines.get(id(layer)),
                "output": _shape(layer),
                "params": int(layer.count_params()),
            }
            for layer in model.layers
            if type(layer).__name__ != "InputLayer"
        ]
        out.append({"model": name, "input": [None] + list(model.inputs[0].shape[1:]), "total_params": int(model.count_params()), "layers": layers})
    return out


def _dump(out):
    lines = ["{"]
    for key in ("file", "generator", "keras"):
        lines.append("  %s: %s," % (json.dumps(key), json.dumps(out[key])))
    lines.append('  "models": [')
    for i, m in enumerate(out["models"]):
        lines.append("    {")
        for key in ("model", "input", "total_params", "trainable_params"):
            if key in m:
                lines.append("      %s: %s," % (json.dumps(key), json.dumps(m[key])))
        lines.append('      "layers": [')
        lines.append(",\n".join("        " + json.dumps(layer) for layer in m["layers"]))
        lines.append("      ]")
        lines.append("    }" + ("," if i < len(out["models"]) - 1 else ""))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    only = set(sys.argv[1:])
    for file, models in FIXTURES.items():
        if only and file not in only:
            continue
        out = {"file": file, "generator": "scripts/keras/make_expected.py", "keras": keras.__version__, "models": run_fixture(file, models)}
        target = os.path.join(FIXTURES_DIR, os.path.splitext(file)[0] + ".expected.json")
        with open(target, "w") as f:
            f.write(_dump(out))
        print("wrote", os.path.relpath(target, ROOT), "".join(" %s:%d" % (m["model"], len(m["layers"])) for m in out["models"]))


if __name__ == "__main__":
    main()
