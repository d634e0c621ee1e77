"""Keras files whose input is a (None, features) vector: the text-classification model of
test/fixtures/models/keras_text_embedding.py (token ids through an Embedding into Conv1D) as .keras, and an MNIST
MLP as .h5, weights stripped. Writes test/fixtures/files/keras_text_embedding.keras, keras_mlp.h5 and their
entries in expected.json: count_params() and each layer's output shape.

Run: /work/venv/bin/python scripts/files/make_keras_vector_fixtures.py   (Keras 3.15, TensorFlow 2.21)
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402

HERE = os.path.dirname(__file__)
sys.path.insert(0, HERE)
from make_fixtures import OUT, strip_h5_weights, strip_keras_weights  # noqa: E402


def facts(model):
    return {"params": model.count_params(), "layers": [{"name": l.name, "output": list(l.output.shape)} for l in model.layers if not isinstance(l, keras.layers.InputLayer)]}


def main():
    scope = {}
    exec(open(os.path.join(HERE, "..", "..", "test", "fixtures", "models", "keras_text_embedding.py")).read(), scope)
    text = scope["model"]
    mlp = keras.Sequential([keras.Input((784,)), keras.layers.Dense(128, activation="relu"), keras.layers.Dropout(0.2), keras.layers.Dense(10)], name="keras_mlp")
    with open(os.path.join(OUT, "expected.json")) as f:
        expected = json.load(f, object_pairs_hook=lambda kv: {int(k) if k.isdigit() else k: v for k, v in kv})
    text.save(os.path.join(OUT, "keras_text_embedding.keras"))
    strip_keras_weights(os.path.join(OUT, "keras_text_embedding.keras"))
    mlp.save(os.path.join(OUT, "keras_mlp.h5"))
    strip_h5_weights(os.path.join(OUT, "keras_mlp.h5"))
    expected["keras_text_embedding"] = facts(text)
    expected["keras_mlp"] = facts(mlp)
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")
    print(json.dumps({"text": expected["keras_text_embedding"]["params"], "mlp": expected["keras_mlp"]["params"]}))


if __name__ == "__main__":
    main()
