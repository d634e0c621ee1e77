"""What Keras does with Conv1D(padding="causal") (kerasAdapters.ts causalConv1d; test/unit/source/causalConv1d.test.ts).

Prints each layer's output shape and count_params() for the model in CAUSAL below (the same text the test reads),
and saves it as test/fixtures/files/keras_causal_conv1d.keras (weights stripped) with "keras_causal_conv1d" in
test/fixtures/files/expected.json. MACs per layer: steps_out · filters · k · C_in / groups, from those shapes.

Run: /work/venv/bin/python scripts/reference/keras_causal_reference.py   (Keras 3.15, TensorFlow 2.21)
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402,F401

HERE = os.path.dirname(__file__)
sys.path.insert(0, os.path.join(HERE, "..", "files"))
from make_fixtures import OUT, strip_keras_weights  # noqa: E402

CAUSAL = """import keras
from keras import layers

inputs = keras.Input(shape=(100, 16))
x = layers.Conv1D(32, 3, padding="causal", activation="relu")(inputs)
x = layers.Conv1D(32, 3, padding="causal", dilation_rate=2)(x)
x = layers.Conv1D(16, 5, strides=2, padding="causal")(x)
x = layers.Conv1D(16, 3, padding="causal", groups=4)(x)
x = layers.GlobalAveragePooling1D()(x)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs, name="keras_causal_conv1d")
"""


def main():
    scope = {}
    exec(CAUSAL, scope)
    model = scope["model"]
    rows = []
    for layer in model.layers[1:]:
        shape = list(layer.output.shape)
        macs = 0
        if isinstance(layer, keras.layers.Conv1D):
            macs = shape[1] * layer.filters * layer.kernel_size[0] * layer.input.shape[-1] // layer.groups
        elif isinstance(layer, keras.layers.Dense):
            macs = layer.input.shape[-1] * layer.units
        rows.append({"name": layer.name, "output": shape, "params": layer.count_params(), "macs": macs})
        print(layer.name, shape, layer.count_params(), macs)
    print("count_params", model.count_params())
    path = os.path.join(OUT, "keras_causal_conv1d.keras")
    model.save(path)
    strip_keras_weights(path)
    with open(os.path.join(OUT, "expected.json")) as f:
        expected = json.load(f, object_pairs_hook=lambda kv: {int(k) if k.isdigit() else k: v for k, v in kv})
    expected["keras_causal_conv1d"] = {"params": model.count_params(), "layers": rows, "source": CAUSAL}
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
