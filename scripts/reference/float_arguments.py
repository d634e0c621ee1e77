"""What Python, PyTorch and Keras do with floats where ints are expected (test/unit/source/pythonFloats.test.ts).

Prints one line per case: the code, then its value (Python facts), "OK <shape>" when the layer builds and runs,
or the exception it raises, and where (constructor, build or forward). The messages in
extension/core/layerKnowledge/integerArguments.ts are these.

Run: /work/venv/bin/python scripts/reference/float_arguments.py
(torch 2.13 cpu, keras 3.15 with tensorflow 2.21; output as of those versions in the test's comments)
"""
import math
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import torch  # noqa: E402
from keras import layers  # noqa: E402
from torch import nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

PYTHON = [
    "str(2.0)", "f'{64 / 2}'", "repr(1e16)", "repr(2.0)", "str(1e-5)", "64 / 2", "int(64 / 2)", "64 // 2.0", "2 * 1.0", "2 ** -1",
    "math.ceil(2.5)", "math.floor(2.5)", "math.log(512, 2)", "int(abs(math.log(512, 2) + 1) / 2)", "math.log(1000, 10)", "math.log10(1000)", "round(2.5)", "round(2.25, 1)", "round(2.0, 1)", "max(2, 3.0)", "max(3, 3.0)",
    "abs(-2.0)", "sum([1, 2.0])", "2.0 == 2", "{2: 'a'}[2.0]", "bool(0.0)", "isinstance(2.0, float)", "isinstance(2, float)",
    "'%d' % 2.0", "'%s' % 2.0", "f'{2.0:.1f}'", "f'{2:03d}'", "f'{2.5:5}'", "'{:.2f}'.format(2)", "'{:>4}'.format('ab')",
    "format(2.0, '.1f')", "f'{2.0:d}'", "-2.0", "float(3)", "isinstance(64 / 2, float)", "[1, 2] * 2", "range(2.0)", "[1, 2][1.0]", "[1] * 2.0",
    "math.sqrt(-1)", "math.sqrt(4, 2)", "math.log(8, 1)", "0 ** -1", "5 / 0", "1 << 2.0", "enumerate([7], 1.0)", "math.prod([2, 3.0])", "sorted([3, 1.0, 2])",
]


def python_cases():
    for code in PYTHON:
        try:
            value = eval(code, {"math": math})
            print(f"{code}: {value!r} ({type(value).__name__})")
        except Exception as e:
            print(f"{code}: {type(e).__name__}: {e}")


TORCH = {
    "nn.Linear(10.0, 3)": (lambda: nn.Linear(10.0, 3), (1, 10)),
    "nn.Linear(10, 3.0)": (lambda: nn.Linear(10, 3.0), (1, 10)),
    "nn.Linear(64 // 2, 10)": (lambda: nn.Linear(64 // 2, 10), (1, 32)),
    "nn.Conv2d(3, 64 / 2, 3)": (lambda: nn.Conv2d(3, 64 / 2, 3), (1, 3, 8, 8)),
    "nn.Conv2d(3, int(64 / 2), 3)": (lambda: nn.Conv2d(3, int(64 / 2), 3), (1, 3, 8, 8)),
    "nn.Conv2d(3.0, 32, 3)": (lambda: nn.Conv2d(3.0, 32, 3), (1, 3, 8, 8)),
    "nn.Conv2d(3, 32, 3.0)": (lambda: nn.Conv2d(3, 32, 3.0), (1, 3, 8, 8)),
    "nn.Conv2d(3, 32, (3, 3.0))": (lambda: nn.Conv2d(3, 32, (3, 3.0)), (1, 3, 8, 8)),
    "nn.Conv2d(4, 32, 3, groups=2.0)": (lambda: nn.Conv2d(4, 32, 3, groups=2.0), (1, 4, 8, 8)),
    "nn.Conv2d(3, 32, 3, stride=2.0)": (lambda: nn.Conv2d(3, 32, 3, stride=2.0), (1, 3, 8, 8)),
    "nn.ConvTranspose2d(3.0, 32, 3)": (lambda: nn.ConvTranspose2d(3.0, 32, 3), (1, 3, 8, 8)),
    "nn.ConvTranspose2d(3, 32.0, 3)": (lambda: nn.ConvTranspose2d(3, 32.0, 3), (1, 3, 8, 8)),
    "nn.BatchNorm2d(32.0)": (lambda: nn.BatchNorm2d(32.0), (1, 32, 8, 8)),
    "nn.BatchNorm2d(4.0, affine=False)": (lambda: nn.BatchNorm2d(4.0, affine=False), (2, 4, 8, 8)),
    "nn.BatchNorm2d(4.0, affine=False, track_running_stats=False)": (lambda: nn.BatchNorm2d(4.0, affine=False, track_running_stats=False), (2, 4, 8, 8)),
    "nn.InstanceNorm2d(4.0)": (lambda: nn.InstanceNorm2d(4.0), (1, 4, 8, 8)),
    "nn.InstanceNorm2d(4.0, affine=True)": (lambda: nn.InstanceNorm2d(4.0, affine=True), (1, 4, 8, 8)),
    "nn.GroupNorm(2, 4.0, affine=False)": (lambda: nn.GroupNorm(2, 4.0, affine=False), (1, 4, 8, 8)),
    "nn.GroupNorm(2.0, 32)": (lambda: nn.GroupNorm(2.0, 32), (1, 32, 8, 8)),
    "nn.GroupNorm(2, 32.0)": (lambda: nn.GroupNorm(2, 32.0), (1, 32, 8, 8)),
    "nn.Embedding(10.0, 3)": (lambda: nn.Embedding(10.0, 3), None),
    "nn.MaxPool2d(2.0)": (lambda: nn.MaxPool2d(2.0), (1, 3, 8, 8)),
    "nn.MaxPool2d((2.0, 2))": (lambda: nn.MaxPool2d((2.0, 2)), (1, 3, 8, 8)),
    "nn.MaxPool2d(2, 2.0)": (lambda: nn.MaxPool2d(2, 2.0), (1, 3, 8, 8)),
    "nn.AvgPool1d(2.0)": (lambda: nn.AvgPool1d(2.0), (1, 3, 8)),
"nn.MaxPool2d(2, (2.0, 2))": (lambda: nn.MaxPool2d(2, (2.0, 2)), (1, 3, 8, 8)),
    "nn.MaxPool2d((2, 2.0))": (lambda: nn.MaxPool2d((2, 2.0)), (1, 3, 8, 8)),
    "nn.ConvTranspose2d(4, 8, 3, stride=2.0)": (lambda: nn.ConvTranspose2d(4, 8, 3, stride=2.0), (1, 4, 8, 8)),
    "nn.ConvTranspose2d(4, 8, 3, stride=(2, 2.0))": (lambda: nn.ConvTranspose2d(4, 8, 3, stride=(2, 2.0)), (1, 4, 8, 8)),
    "nn.ConvTranspose2d(4, 8, 3, dilation=1.0)": (lambda: nn.ConvTranspose2d(4, 8, 3, dilation=1.0), (1, 4, 8, 8)),
    "nn.LayerNorm(8.0)": (lambda: nn.LayerNorm(8.0), (1, 4, 8, 8)),
    "nn.LayerNorm((8, 8.0))": (lambda: nn.LayerNorm((8, 8.0)), (1, 4, 8, 8)),
    "nn.PReLU(num_parameters=4.0)": (lambda: nn.PReLU(num_parameters=4.0), (1, 4, 8, 8)),
    "nn.AdaptiveAvgPool2d(1.0)": (lambda: nn.AdaptiveAvgPool2d(1.0), (1, 4, 8, 8)),
    "nn.AdaptiveAvgPool2d((1.0, 1))": (lambda: nn.AdaptiveAvgPool2d((1.0, 1)), (1, 4, 8, 8)),
    "nn.AdaptiveMaxPool2d(1.0)": (lambda: nn.AdaptiveMaxPool2d(1.0), (1, 4, 8, 8)),
    "nn.AdaptiveAvgPool1d(1.0)": (lambda: nn.AdaptiveAvgPool1d(1.0), (1, 4, 8)),
    "nn.PixelShuffle(2.0)": (lambda: nn.PixelShuffle(2.0), (1, 4, 8, 8)),
    "nn.ChannelShuffle(2.0)": (lambda: nn.ChannelShuffle(2.0), (1, 4, 8, 8)),
    "nn.Flatten(1.0)": (lambda: nn.Flatten(1.0), (1, 4, 8, 8)),
    "nn.Flatten(1, -1.0)": (lambda: nn.Flatten(1, -1.0), (1, 4, 8, 8)),
    "nn.ZeroPad2d(1.0)": (lambda: nn.ZeroPad2d(1.0), (1, 4, 8, 8)),
    "nn.ZeroPad2d((1, 1.0, 1, 1))": (lambda: nn.ZeroPad2d((1, 1.0, 1, 1)), (1, 4, 8, 8)),
    "nn.MaxPool2d(2, dilation=1.0)": (lambda: nn.MaxPool2d(2, dilation=1.0), (1, 4, 8, 8)),
"nn.ReflectionPad2d(1.0)": (lambda: nn.ReflectionPad2d(1.0), (1, 4, 8, 8)),
    "nn.LPPool2d(2, 2.0)": (lambda: nn.LPPool2d(2, 2.0), (1, 4, 8, 8)),
    "nn.LPPool2d(2.0, 2)": (lambda: nn.LPPool2d(2.0, 2), (1, 4, 8, 8)),
    "nn.LazyLinear(3.0)": (lambda: nn.LazyLinear(3.0), (1, 4)),
    "nn.LazyConv2d(8, 3.0)": (lambda: nn.LazyConv2d(8, 3.0), (1, 4, 8, 8)),
    "nn.SyncBatchNorm(4.0)": (lambda: nn.SyncBatchNorm(4.0), (2, 4, 8, 8)),
    "nn.AdaptiveAvgPool3d(1.0)": (lambda: nn.AdaptiveAvgPool3d(1.0), (1, 4, 8, 8, 8)),
    "nn.Upsample(size=16.0)": (lambda: nn.Upsample(size=16.0), (1, 4, 8, 8)),
    "nn.Upsample(size=(16.0, 16))": (lambda: nn.Upsample(size=(16.0, 16)), (1, 4, 8, 8)),
"nn.Softmax(dim=1.0)": (lambda: nn.Softmax(dim=1.0), (1, 4, 8, 8)),
    "nn.LogSoftmax(dim=1.0)": (lambda: nn.LogSoftmax(dim=1.0), (1, 4, 8, 8)),
    "F.max_pool2d(x, 2.0)": (lambda: (lambda x: F.max_pool2d(x, 2.0)), (1, 3, 8, 8)),
    "torch.flatten(x, 1.0)": (lambda: (lambda x: torch.flatten(x, 1.0)), (1, 3, 8, 8)),
    "x.flatten(1.0)": (lambda: (lambda x: x.flatten(1.0)), (1, 3, 8, 8)),
    "F.pad(x, (1.0, 1, 1, 1))": (lambda: (lambda x: F.pad(x, (1.0, 1, 1, 1))), (1, 3, 8, 8)),
    "F.adaptive_avg_pool2d(x, 1.0)": (lambda: (lambda x: F.adaptive_avg_pool2d(x, 1.0)), (1, 3, 8, 8)),
    "nn.Dropout(0.0)": (lambda: nn.Dropout(0.0), (1, 3, 8, 8)),
    "nn.LeakyReLU(0.0)": (lambda: nn.LeakyReLU(0.0), (1, 3, 8, 8)),
    "nn.BatchNorm2d(3, eps=1.0, momentum=1.0)": (lambda: nn.BatchNorm2d(3, eps=1.0, momentum=1.0), (1, 3, 8, 8)),
    "nn.Upsample(scale_factor=2.0)": (lambda: nn.Upsample(scale_factor=2.0), (1, 3, 8, 8)),
}

KERAS = {
    "layers.Dense(10.0)": (lambda: layers.Dense(10.0), (4,)),
    "layers.Dense(64 // 2)": (lambda: layers.Dense(64 // 2), (4,)),
    "layers.Conv2D(8.0, 3)": (lambda: layers.Conv2D(8.0, 3), (8, 8, 3)),
    "layers.Conv2D(8, 3.0)": (lambda: layers.Conv2D(8, 3.0), (8, 8, 3)),
    "layers.Conv2D(8, (3.0, 3))": (lambda: layers.Conv2D(8, (3.0, 3)), (8, 8, 3)),
    "layers.Conv2D(8, 3, strides=2.0)": (lambda: layers.Conv2D(8, 3, strides=2.0), (8, 8, 3)),
    "layers.Conv2D(8, 3, strides=(2.0, 2))": (lambda: layers.Conv2D(8, 3, strides=(2.0, 2)), (8, 8, 3)),
    "layers.Conv1D(8, 3.0)": (lambda: layers.Conv1D(8, 3.0), (8, 3)),
    "layers.MaxPooling2D(2.0)": (lambda: layers.MaxPooling2D(2.0), (8, 8, 3)),
    "layers.MaxPooling2D((2.0, 2))": (lambda: layers.MaxPooling2D((2.0, 2)), (8, 8, 3)),
    "layers.DepthwiseConv2D(3, depth_multiplier=2.0)": (lambda: layers.DepthwiseConv2D(3, depth_multiplier=2.0), (8, 8, 3)),
"layers.Conv2DTranspose(8, 3.0)": (lambda: layers.Conv2DTranspose(8, 3.0), (8, 8, 3)),
    "layers.SeparableConv2D(8, 3, depth_multiplier=2.0)": (lambda: layers.SeparableConv2D(8, 3, depth_multiplier=2.0), (8, 8, 3)),
    "layers.DepthwiseConv2D(3, strides=2.0)": (lambda: layers.DepthwiseConv2D(3, strides=2.0), (8, 8, 3)),
    "layers.Conv2D(8, 3, dilation_rate=(1.0, 1))": (lambda: layers.Conv2D(8, 3, dilation_rate=(1.0, 1)), (8, 8, 3)),
    "layers.ZeroPadding2D(1.0)": (lambda: layers.ZeroPadding2D(1.0), (8, 8, 3)),
    "layers.ZeroPadding2D((1.0, 1))": (lambda: layers.ZeroPadding2D((1.0, 1)), (8, 8, 3)),
    "layers.Cropping2D(1.0)": (lambda: layers.Cropping2D(1.0), (8, 8, 3)),
    "layers.UpSampling2D((2.0, 2))": (lambda: layers.UpSampling2D((2.0, 2)), (8, 8, 3)),
    "layers.Embedding(10.0, 3)": (lambda: layers.Embedding(10.0, 3), (4,)),
    "layers.UpSampling2D(2.0)": (lambda: layers.UpSampling2D(2.0), (8, 8, 3)),
    "layers.Dropout(0.0)": (lambda: layers.Dropout(0.0), (4,)),
    "layers.BatchNormalization(momentum=1.0, epsilon=1.0)": (lambda: layers.BatchNormalization(momentum=1.0, epsilon=1.0), (4,)),
}


def torch_cases():
    for code, (make, shape) in TORCH.items():
        try:
            module = make()
        except Exception as e:
            print(f"{code}: constructor {type(e).__name__}: {e}")
            continue
        try:
            x = torch.tensor([[1, 2]]) if shape is None else torch.randn(*shape)
            print(f"{code}: OK {tuple(module(x).shape)}")
        except Exception as e:
            print(f"{code}: forward {type(e).__name__}: {str(e).splitlines()[0]}")


def keras_input():
    try:
        keras.Input(shape=(8.0, 8, 3))
        print("keras.Input(shape=(8.0, 8, 3)): OK")
    except Exception as e:
        print(f"keras.Input(shape=(8.0, 8, 3)): {type(e).__name__}: {str(e).strip()}")


def keras_cases():
    for code, (make, shape) in KERAS.items():
        try:
            layer = make()
        except Exception as e:
            print(f"{code}: constructor {type(e).__name__}: {e}")
            continue
        try:
            print(f"{code}: OK {tuple(layer(keras.Input(shape)).shape)} params={layer.count_params()}")
        except Exception as e:
            print(f"{code}: build {type(e).__name__}: {str(e).strip()}")


if __name__ == "__main__":
    python_cases()
    torch_cases()
    keras_cases()
    keras_input()
