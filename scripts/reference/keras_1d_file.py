"""A Keras 3.15 model file (config only) with the 1-D layers tfjs lacks, for test/unit/files/keras.test.ts.

Writes test/fixtures/file-corpus/keras_1d_as_2d.keras (config.json and metadata.json of model.save(), no
weights: the reader never needs them) and prints what Keras' summary() shows per layer: the class, the output
shape, count_params(), and the MACs by the rule of scripts/reference/layer_coverage.py (kernel elements ×
output positions, × input positions for a transposed convolution).

Run: /work/venv/bin/python scripts/reference/keras_1d_file.py
"""
import math
import os
import tempfile
import zipfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
from keras import layers  # noqa: E402


def main():
    inputs = keras.Input(shape=(16, 3))
    x = layers.Conv1DTranspose(8, 4, strides=2, padding="same", name="up")(inputs)
    x = layers.SeparableConv1D(8, 3, depth_multiplier=2, name="sep")(x)
    x = layers.DepthwiseConv1D(3, name="dw")(x)
    model = keras.Model(inputs, x, name="keras_1d_as_2d")
    out = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "file-corpus", "keras_1d_as_2d.keras")
    with tempfile.TemporaryDirectory() as tmp:
        saved = os.path.join(tmp, "m.keras")
        model.save(saved)
        with zipfile.ZipFile(saved) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for name in ("metadata.json", "config.json"):
                dst.writestr(name, src.read(name))
    for layer in model.layers[1:]:
        transposed = "Transpose" in type(layer).__name__
        positions = layer.input.shape[1:-1] if transposed else layer.output.shape[1:-1]
        macs = sum(math.prod(w.shape) * math.prod(positions) for w in layer.weights if "kernel" in w.path)
        print(layer.name, type(layer).__name__, tuple(layer.output.shape), layer.count_params(), macs)
    print("count_params", model.count_params())


if __name__ == "__main__":
    main()
