"""A Keras functional model with shared layers (conv(conv(x)), fc(fc(x))), saved as .keras, .h5 and .tflite:
the config lists each shared layer once with one inbound node per call, and the TFLite file has two ops that read
the same kernel and bias. count_params() counts the shared weights once. Writes
test/fixtures/files/keras_shared_layers.{keras,h5,tflite} and "keras_shared_layers" in expected.json: Keras'
count_params, each call's output shape (the inbound nodes' keras_history), the MACs of each Conv2D/Dense call
from those shapes (H·W·k·k·Cin·Cout, Cin·Cout), and the TFLite ops' kernel tensor indices.

Run: /work/venv/bin/python scripts/files/make_keras_shared_fixture.py   (TensorFlow 2.21, Keras 3.15)
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import layers as L  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from make_fixtures import OUT, strip_h5_weights, strip_keras_weights  # noqa: E402


def main():
    inp = keras.Input((8, 8, 8), name="image")
    conv = L.Conv2D(8, 3, padding="same", name="conv")
    fc = L.Dense(8, name="fc")
    x = L.GlobalAveragePooling2D(name="gap")(conv(conv(inp)))
    model = keras.Model(inp, L.Dense(4, name="head")(fc(fc(x))), name="keras_shared_layers")
    # Trained-like weights: the converter drops zero biases and stores identical constants once.
    rng = np.random.default_rng(1)
    model.set_weights([rng.normal(0, 0.05, w.shape).astype("float32") for w in model.get_weights()])
    calls = []
    for layer in model.layers:
        for node_index, node in enumerate(layer._inbound_nodes):
            out = node.outputs[0].shape
            inp_shape = node.input_tensors[0].shape if node.input_tensors else None
            macs = 0
            if isinstance(layer, L.Conv2D):
                k = layer.kernel_size
                macs = out[1] * out[2] * k[0] * k[1] * inp_shape[-1] * layer.filters
            elif isinstance(layer, L.Dense):
                macs = inp_shape[-1] * layer.units
            calls.append({"layer": layer.name, "call": node_index + 1, "output": list(out), "macs": int(macs)})
    base = os.path.join(OUT, "keras_shared_layers")
    model.save(base + ".keras")
    model.save(base + ".h5")
    tflite = tf.lite.TFLiteConverter.from_keras_model(model).convert()
    with open(base + ".tflite", "wb") as f:
        f.write(tflite)
    interpreter = tf.lite.Interpreter(model_content=tflite)
    ops = [{"op": o["op_name"], "inputs": [int(i) for i in o["inputs"]]} for o in interpreter._get_ops_details()]
    strip_keras_weights(base + ".keras")
    strip_h5_weights(base + ".h5")
    entry = {"params": model.count_params(), "calls": calls, "tfliteOps": ops}
    with open(os.path.join(OUT, "expected.json")) as f:
        expected = json.load(f, object_pairs_hook=lambda kv: {int(k) if k.isdigit() else k: v for k, v in kv})
    expected["keras_shared_layers"] = entry
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")
    print(json.dumps(entry))


if __name__ == "__main__":
    main()
