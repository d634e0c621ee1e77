"""Parameter counts of Keras Applications, built for real (Keras 3 in /work/venv, weights=None), for the zoo
models whose Keras twin has the same layers as torchvision's: the Keras view of our zoo (batch norm's moving
mean and variance as non-trainable parameters) must give the same trainable and non-trainable counts.

Writes test/fixtures/reference/keras_applications.json.

Run: /work/venv/bin/python scripts/reference/keras_applications_reference.py
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402


def count(weights):
    return int(sum(keras.ops.size(w) for w in weights))


MODELS = {
    "mobilenet_v2": lambda: keras.applications.MobileNetV2(weights=None),
    "densenet121": lambda: keras.applications.DenseNet121(weights=None),
    "efficientnet_b0": lambda: keras.applications.EfficientNetB0(weights=None),
    "inception_v3": lambda: keras.applications.InceptionV3(weights=None),
}


def main():
    out = {"generator": "scripts/reference/keras_applications_reference.py", "keras": keras.__version__, "models": {}}
    for name, build in MODELS.items():
        model = build()
        entry = {"class": type(model).__name__, "application": model.name, "input": list(model.input_shape),
                 "params": model.count_params(), "trainableParams": count(model.trainable_weights),
                 "nonTrainableParams": count(model.non_trainable_weights), "layers": len(model.layers)}
        # EfficientNet's input Normalization layer holds mean, variance and count (non-trainable, no MACs).
        entry["normalizationWeights"] = sum(count(l.weights) for l in model.layers if type(l).__name__ == "Normalization")
        out["models"][name] = entry
        print(name, entry)
    path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "reference", "keras_applications.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
