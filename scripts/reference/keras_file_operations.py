"""Keras 3.15 model files (config only) for test/unit/files/keras.test.ts: what keras.applications writes that a
plain layer list does not.

  keras_scalar_ops.keras / .h5   x + 3.0, 3.0 - x, x * (1/6) saved as operation layers (MobileNetV3's
                                 hard_sigmoid), each with one tensor input and a number
  keras_layer_scale.h5           keras.applications' ConvNeXt LayerScale in a legacy .h5 (no module in the config)
  keras_conv3d.keras / .h5       a (None, D, H, W, C) input: Conv3D, MaxPooling3D, GlobalAveragePooling3D
  keras_center_crop.keras / .h5  Resizing then CenterCrop: a file states no shapes, yet Keras' output is (height, width, C)
  keras_python_numbers.keras / .h5  float('inf'), float('-inf') and float('nan') in layer arguments (ReLU(max_value=inf),
                                 MinMaxNorm(-inf, inf), MaxNorm(nan)): Keras writes its config with json.dumps, as the
                                 bare tokens Infinity, -Infinity and NaN, which JSON.parse refuses and json.loads reads
  keras_subclassed.keras / .h5   a subclassed keras.Model: its config lists no layers, so these two keep their weights
                                 (the variables' shapes are all the file says about it)

Writes them to test/fixtures/file-corpus/ with the weights dropped (the reader never needs them) and prints what
Keras' summary() shows per layer: the class, the output shape, count_params(), and the MACs by the rule of
scripts/reference/layer_coverage.py (kernel elements × output positions).

Run: /work/venv/bin/python scripts/reference/keras_file_operations.py [name-filter]
"""
import math
import os
import sys
import tempfile
import zipfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import h5py  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402
from keras.src.applications.convnext import LayerScale  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "file-corpus")


def save_keras(model, name):
    with tempfile.TemporaryDirectory() as tmp:
        saved = os.path.join(tmp, "m.keras")
        model.save(saved)
        with zipfile.ZipFile(saved) as src, zipfile.ZipFile(os.path.join(OUT, name), "w", zipfile.ZIP_DEFLATED) as dst:
            for entry in ("metadata.json", "config.json"):
                dst.writestr(entry, src.read(entry))


def save_h5(model, name):
    with tempfile.TemporaryDirectory() as tmp:
        saved = os.path.join(tmp, "m.h5")
        model.save(saved)
        # Only the root attributes (model_config, keras_version, backend): no weights.
        with h5py.File(saved, "r") as src, h5py.File(os.path.join(OUT, name), "w") as dst:
            for k, v in src.attrs.items():
                dst.attrs[k] = v


def report(model):
    print(model.name)
    # model.operations: the layers and the operation layers (x + 3.0) the config lists.
    for layer in getattr(model, "operations", None) or model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        positions = layer.output.shape[1:-1]
        macs = sum(math.prod(w.shape) * math.prod(positions) for w in getattr(layer, "weights", []) if "kernel" in w.path)
        print(" ", layer.name, type(layer).__name__, tuple(layer.output.shape), layer.count_params() if hasattr(layer, "count_params") else 0, macs)
    print("  count_params", model.count_params())


def scalar_ops():
    inputs = keras.Input(shape=(8, 8, 3))
    x = layers.Conv2D(4, 1, name="conv")(inputs)
    gate = layers.ReLU(6.0, name="relu6")(x + 3.0) * (1.0 / 6.0)
    x = layers.Multiply(name="hard_swish")([x, gate])
    x = 3.0 - x
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    return keras.Model(inputs, layers.Dense(2, name="head")(x), name="keras_scalar_ops")


def layer_scale():
    inputs = keras.Input(shape=(8, 8, 3))
    x = layers.Conv2D(4, 1, name="conv")(inputs)
    x = LayerScale(1e-6, 4, name="ls")(x)
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    return keras.Model(inputs, layers.Dense(2, name="head")(x), name="keras_layer_scale")


def conv3d():
    return keras.Sequential(
        [keras.Input((4, 8, 8, 2)), layers.Conv3D(3, 3, padding="same", activation="relu", name="c1"), layers.MaxPooling3D(2, name="pool"),
         layers.Conv3D(5, (1, 3, 3), name="c2"), layers.GlobalAveragePooling3D(name="gap"), layers.Dense(2, name="head")],
        name="keras_conv3d",
    )


def center_crop():
    return keras.Sequential(
        [keras.Input((32, 32, 3)), layers.Resizing(16, 16, name="resize"), layers.CenterCrop(12, 12, name="crop"),
         layers.Conv2D(4, 3, name="conv"), layers.GlobalMaxPooling2D(name="gmp"), layers.Dense(2, name="head")],
        name="keras_center_crop",
    )


def python_numbers():
    inputs = keras.Input((16, 16, 3))
    constraints = {"kernel_constraint": keras.constraints.MinMaxNorm(min_value=float("-inf"), max_value=float("inf")),
                   "bias_constraint": keras.constraints.MaxNorm(max_value=float("nan"))}
    x = layers.Conv2D(8, 3, name="conv", **constraints)(inputs)
    x = layers.ReLU(max_value=float("inf"), name="relu")(x)
    x = layers.GlobalAveragePooling2D(name="pool")(x)
    return keras.Model(inputs, layers.Dense(2, name="head")(x), name="keras_python_numbers")


@keras.saving.register_keras_serializable(package="fixtures")
class SubclassedNet(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.conv = layers.Conv2D(8, 3, activation="relu")
        self.norm = layers.BatchNormalization()
        self.pool = layers.GlobalAveragePooling2D()
        self.head = layers.Dense(3)

    def call(self, x):
        return self.head(self.pool(self.norm(self.conv(x))))


def subclassed():
    model = SubclassedNet(name="keras_subclassed")
    model(keras.ops.zeros((1, 16, 16, 3)))
    model.save(os.path.join(OUT, "keras_subclassed.keras"))
    model.save(os.path.join(OUT, "keras_subclassed.h5"))
    print(model.name)
    for layer in model.layers:
        print(" ", layer.name, type(layer).__name__, layer.count_params(), [tuple(w.shape) for w in layer.weights])
    print("  count_params", model.count_params(), "trainable", sum(math.prod(w.shape) for w in model.trainable_weights))


def main():
    only = sys.argv[1] if len(sys.argv) > 1 else ""
    if only in "keras_subclassed":
        subclassed()
    for build, formats in [(scalar_ops, ("keras", "h5")), (layer_scale, ("h5",)), (conv3d, ("keras", "h5")), (center_crop, ("keras", "h5")), (python_numbers, ("keras", "h5"))]:
        model = build()
        if only not in model.name:
            continue
        if "keras" in formats:
            save_keras(model, f"{model.name}.keras")
        if "h5" in formats:
            save_h5(model, f"{model.name}.h5")
        report(model)


if __name__ == "__main__":
    main()
