"""The numbers test/unit/source/installedLibraries.test.ts expects, from the real frameworks (torch 2.13,
torchvision 0.28, timm 1.0.29, keras 3.15 in /work/venv): the two transfer-learning tutorial snippets, built with weights=None
(the reader never loads weights; the architecture is the same: 1000 ImageNet classes for torchvision, no top for
Keras).

Run: /work/venv/bin/python scripts/reference/installed_libraries_reference.py
"""
import json
import os
import sys
import types

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# The CUDA build of torchvision registers meta kernels that this torch build lacks.
sys.modules.setdefault("torchvision._meta_registrations", types.ModuleType("torchvision._meta_registrations"))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
from torchvision import models  # noqa: E402

out = {}

# PyTorch's transfer-learning tutorial (finetuning the convnet).
model_ft = models.resnet18(weights=None)
num_ftrs = model_ft.fc.in_features
model_ft.fc = nn.Linear(num_ftrs, 2)
y = model_ft(torch.randn(1, 3, 224, 224))
out["torchvision_resnet18_fc2"] = {
    "in_features": num_ftrs,
    "params": sum(p.numel() for p in model_ft.parameters()),
    "output": list(y.shape),
}

# The same with the classifier of MobileNetV2 replaced by index.
mnet = models.mobilenet_v2(weights=None)
mnet.classifier[1] = nn.Linear(mnet.last_channel, 10)
out["torchvision_mobilenet_v2_classifier10"] = {"params": sum(p.numel() for p in mnet.parameters())}

# Older tutorials: pretrained=True (the same architecture) and VGG's last classifier layer replaced.
vgg = models.vgg16(weights=None)
vgg.classifier[6] = nn.Linear(4096, 2)
out["torchvision_vgg16_classifier6_2"] = {"params": sum(p.numel() for p in vgg.parameters())}

# torchvision.models.resnet50(weights=ResNet50_Weights.DEFAULT): 1000 classes, as weights=None.
out["torchvision_resnet50"] = {"params": sum(p.numel() for p in models.resnet50(weights=None).parameters())}

import timm  # noqa: E402

# timm.create_model: the builder timm's registry names (pretrained only loads weights).
out["timm_resnet50_classes2"] = {"params": sum(p.numel() for p in timm.create_model("resnet50", pretrained=False, num_classes=2).parameters())}
out["timm_efficientnet_b0"] = {"params": sum(p.numel() for p in timm.create_model("efficientnet_b0").parameters())}

import keras  # noqa: E402
from keras import layers  # noqa: E402

out["keras_resnet50"] = {"params": keras.applications.ResNet50(weights=None).count_params()}

# Keras' transfer-learning guide: a frozen MobileNetV2 base in a functional model.
base_model = keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False, weights=None)
base_model.trainable = False
inputs = keras.Input(shape=(160, 160, 3))
x = base_model(inputs, training=False)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)


def count(weights):
    return int(sum(keras.ops.size(w) for w in weights))


out["keras_mobilenet_v2_transfer"] = {
    "params": model.count_params(),
    "trainable": count(model.trainable_weights),
    "non_trainable": count(model.non_trainable_weights),
    "base_params": base_model.count_params(),
    "output": list(model.output.shape[1:]),
}
# The frozen base as the first layer of a Sequential (its input is the Sequential's).
seq = keras.Sequential([base_model, layers.GlobalAveragePooling2D(), layers.Dense(1)])
out["keras_sequential_frozen_base"] = {
    "params": seq.count_params(),
    "trainable": count(seq.trainable_weights),
    "non_trainable": count(seq.non_trainable_weights),
    "input": list(seq.input_shape[1:]),
}

# TensorFlow's transfer-learning tutorial: preprocess_input and a data-augmentation Sequential before the base.
import tensorflow as tf  # noqa: E402

preprocess_input = tf.keras.applications.mobilenet_v2.preprocess_input
base = tf.keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False, weights=None)
base.trainable = False
data_augmentation = tf.keras.Sequential([tf.keras.layers.RandomFlip("horizontal"), tf.keras.layers.RandomRotation(0.2)])
inputs = tf.keras.Input(shape=(160, 160, 3))
x = data_augmentation(inputs)
x = preprocess_input(x)
x = base(x, training=False)
x = tf.keras.layers.GlobalAveragePooling2D()(x)
x = tf.keras.layers.Dropout(0.2)(x)
outputs = tf.keras.layers.Dense(1, activation="sigmoid")(x)
tf_model = tf.keras.Model(inputs, outputs)
out["tf_tutorial_mobilenet_v2"] = {
    "params": tf_model.count_params(),
    "trainable": count(tf_model.trainable_weights),
    "non_trainable": count(tf_model.non_trainable_weights),
}
print(json.dumps(out, indent=2))
