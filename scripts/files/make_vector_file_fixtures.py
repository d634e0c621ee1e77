"""MLPs on a (N, 784) vector as ONNX and TFLite files: torch's legacy and dynamo exporters, and the TFLite
converter from Keras (trained-like weights, so the converter keeps every bias). Writes
test/fixtures/files/torch_mlp.onnx, torch_mlp_dynamo.onnx, keras_mlp.tflite and "torch_mlp" / "keras_mlp_tflite" in
expected.json: torch's parameters and FlopCounterMode's MACs; Keras' count_params() and output shapes.

Run: /work/venv/bin/python scripts/files/make_vector_file_fixtures.py   (torch 2.13, onnxscript, TensorFlow 2.21)
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from make_fixtures import OUT, torch_expectation, trained_like  # noqa: E402


def main():
    import keras
    import tensorflow as tf

    torch.manual_seed(0)
    mlp = trained_like(nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10)))
    x = torch.randn(1, 784)
    e = torch_expectation(mlp, x)
    torch.onnx.export(mlp, (x,), os.path.join(OUT, "torch_mlp.onnx"), dynamo=False)
    torch.onnx.export(mlp, (x,), os.path.join(OUT, "torch_mlp_dynamo.onnx"), external_data=False)
    kmlp = keras.Sequential([keras.Input((784,)), keras.layers.Dense(128, activation="relu"), keras.layers.Dense(10)], name="keras_mlp_tflite")
    rng = np.random.default_rng(1)
    kmlp.set_weights([rng.normal(0, 0.05, w.shape).astype("float32") for w in kmlp.get_weights()])
    with open(os.path.join(OUT, "keras_mlp.tflite"), "wb") as f:
        f.write(tf.lite.TFLiteConverter.from_keras_model(kmlp).convert())
    with open(os.path.join(OUT, "expected.json")) as f:
        expected = json.load(f, object_pairs_hook=lambda kv: {int(k) if k.isdigit() else k: v for k, v in kv})
    expected["torch_mlp"] = {k: e[k] for k in ("input", "params", "macs", "moduleOutputShapes")}
    expected["keras_mlp_tflite"] = {"params": kmlp.count_params(), "layers": [list(l.output.shape) for l in kmlp.layers]}
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")
    print(json.dumps({"torch": expected["torch_mlp"]["params"], "keras": expected["keras_mlp_tflite"]["params"]}))


if __name__ == "__main__":
    main()
