"""Reference facts for the layers added to the readers in 2026, from the real frameworks (torch 2.13, Keras 3.15).

Writes test/fixtures/reference/coverage2026.json, read by test/unit/layerKnowledge/coverage2026.test.ts. Each case
is the code of one layer call exactly as the test puts it in a model (PyTorch: `self.p = CODE` called on
`torch.randn(*input)`, or a function `F.f(x, ...)` returned by forward(); Keras: `x = CODE` on `inputs = keras.Input(shape=input[1:])`), evaluated here as written,
and what the framework says of it:
  outputShape  PyTorch (N, C, ...); Keras (None, ..., C)
  params       PyTorch sum(p.numel()) after the forward pass (lazy modules have materialised); Keras count_params()
  macs         PyTorch: torch.utils.flop_counter.FlopCounterMode on the forward pass, FLOPs / 2. Keras has no
               counter: kernel elements (without the bias) × output positions, × input positions for a transposed
               convolution, the rule the repo's layerMath.ts applies.
  rows         the rows torchinfo (one per leaf module) and Keras' summary() (one per layer, without the Input) show
  error        the framework's message, for arguments or inputs it rejects
and, under "numeric", forward passes of the repo's own weight-free layers value by value (see NUMERIC).

Run: /work/venv/bin/python scripts/reference/layer_coverage.py
"""
import json
import math
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import torch  # noqa: E402
from keras import layers  # noqa: E402,F401  (the Keras codes name it)
from torch import nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402,F401  (the PyTorch codes name it)
from torch.utils.flop_counter import FlopCounterMode  # noqa: E402

torch.set_grad_enabled(False)

TORCH = [
    ("nn.PixelUnshuffle(2)", (1, 3, 8, 8)),
    ("nn.PixelUnshuffle(downscale_factor=3)", (1, 2, 9, 6)),
    ("nn.AdaptiveAvgPool1d(4)", (1, 3, 16)),
    ("nn.AdaptiveAvgPool1d(5)", (1, 3, 16)),
    ("nn.AdaptiveMaxPool1d(1)", (1, 3, 16)),
    ("nn.AdaptiveMaxPool1d(output_size=3)", (1, 3, 10)),
    ("nn.ConstantPad1d(2, 0.5)", (1, 3, 16)),
    ("nn.ConstantPad1d((1, 3), 0.0)", (1, 3, 16)),
    ("nn.ZeroPad1d((1, 2))", (1, 3, 16)),
    ("nn.ReflectionPad1d(2)", (1, 3, 16)),
    ("nn.ReplicationPad1d((3, 1))", (1, 3, 16)),
    ("nn.ReplicationPad1d(5)", (1, 3, 4)),
    ("nn.CircularPad1d(2)", (1, 3, 16)),
    ("nn.CircularPad2d((1, 2, 3, 0))", (1, 3, 8, 8)),
    ("nn.ConstantPad3d(1, 0.0)", (1, 3, 4, 8, 8)),
    ("nn.ZeroPad3d((1, 1, 2, 2, 0, 1))", (1, 3, 4, 8, 8)),
    ("nn.ReflectionPad3d(1)", (1, 3, 4, 8, 8)),
    ("nn.ReplicationPad3d((0, 1, 0, 1, 2, 0))", (1, 3, 4, 8, 8)),
    ("nn.CircularPad3d(2)", (1, 3, 4, 8, 8)),
    ("nn.ConvTranspose1d(3, 8, 4, 2, 1)", (1, 3, 16)),
    ("nn.ConvTranspose1d(3, 8, 3)", (1, 3, 16)),
    ("nn.ConvTranspose1d(4, 2, 3, stride=2, padding=1, output_padding=1, bias=False)", (1, 4, 10)),
    ("nn.InstanceNorm1d(3, affine=True)", (1, 3, 16)),
    ("nn.InstanceNorm1d(3)", (1, 3, 16)),
    ("nn.InstanceNorm1d(3, 1e-5, 0.1, True)", (1, 3, 16)),
    ("nn.LazyInstanceNorm1d(1e-5, 0.1, False)", (1, 3, 16)),
    ("nn.Unflatten(1, (4, 4))", (1, 16)),
    ("nn.Unflatten(1, (2, 4, 2))", (1, 16)),
    ("nn.Softmin(dim=1)", (1, 3, 8, 8)),
    ("nn.GLU(dim=1)", (1, 4, 8, 8)),
    ("nn.GLU()", (1, 10)),
    ("nn.GLU(-1)", (1, 3, 16)),
    ("nn.RMSNorm(8)", (1, 3, 8, 8)),
    ("nn.RMSNorm([8, 8], elementwise_affine=False)", (1, 3, 8, 8)),
    ("nn.RMSNorm(16, eps=1e-6)", (1, 16)),
    ("nn.LazyConvTranspose2d(4, 2, 2)", (1, 3, 8, 8)),
    ("nn.LazyConvTranspose2d(4, 3, stride=2, padding=1, output_padding=1, bias=False)", (1, 3, 8, 8)),
    ("nn.LazyInstanceNorm2d(affine=True)", (1, 3, 8, 8)),
    ("nn.LazyInstanceNorm2d()", (1, 3, 8, 8)),
    ("nn.LazyInstanceNorm1d()", (1, 3, 16)),
    ("nn.InstanceNorm3d(3, affine=True)", (1, 3, 4, 8, 8)),
    ("F.pixel_unshuffle(x, 2)", (1, 3, 8, 8)),
    ("F.pixel_shuffle(x, 2)", (1, 8, 3, 3)),
    ("F.glu(x, 1)", (1, 6, 4, 4)),
    ("F.softmin(x, dim=1)", (1, 3, 8, 8)),
    # A function's (N, C, L) example is ambiguous to the reader (no first module says it is a sequence): (N, F) and 5-D here.
    ("F.pad(x, (1, 2))", (1, 16)),
    ("F.pad(x, (2, 2, 1, 0, 0, 3), mode='reflect')", (1, 3, 4, 8, 8)),
    ("F.pad(x, (1, 1, 2, 2, 0, 1))", (1, 3, 4, 8, 8)),
    ("F.pad(x, (1, 1, 2, 2), mode='replicate')", (1, 3, 4, 8, 8)),
    # The 1-D modules the engine holds as one layer around the tfjs layer that computes them (one row each):
    # explicit paddings other than 'same' and groups > 1 too.
    ("nn.Conv1d(3, 8, 3)", (1, 3, 16)),
    ("nn.Conv1d(4, 8, 3, padding=2)", (1, 4, 16)),
    ("nn.Conv1d(4, 6, 5, stride=2, padding=1, dilation=2)", (1, 4, 17)),
    ("nn.Conv1d(4, 8, 3, padding='same', bias=False)", (1, 4, 16)),
    ("nn.Conv1d(4, 8, 3, groups=2)", (1, 4, 16)),
    ("nn.Conv1d(6, 6, 3, padding=1, groups=6, bias=False)", (1, 6, 16)),
    ("nn.Conv1d(4, 8, 4, stride=3, padding=3, groups=4)", (1, 4, 20)),
    ("nn.Conv1d(4, 8, 4, padding='same', dilation=2, groups=2)", (1, 4, 16)),
    ("nn.MaxPool1d(2)", (1, 3, 16)),
    ("nn.MaxPool1d(3, stride=2)", (1, 3, 16)),
    ("nn.AvgPool1d(3, stride=2)", (1, 3, 16)),
    ("nn.MaxPool1d(3, stride=2, padding=1)", (1, 3, 16)),
    ("nn.AvgPool1d(4, stride=3, padding=1, ceil_mode=True)", (1, 3, 16)),
    ("nn.MaxPool1d(2, stride=2, ceil_mode=True)", (1, 3, 15)),
    # Rejected by PyTorch.
    ("nn.PixelUnshuffle(2)", (1, 3, 5, 4)),
    ("nn.ReflectionPad1d(5)", (1, 3, 4)),
    ("nn.CircularPad1d(5)", (1, 3, 4)),
    ("nn.GLU(1)", (1, 5, 4, 4)),
    ("nn.Unflatten(1, (3, 5))", (1, 16)),
    ("F.pad(x, (5, 5, 0, 0, 0, 0), mode='reflect')", (1, 3, 4, 4, 4)),
    ("nn.ConvTranspose1d(3, 8, 0)", (1, 3, 16)),
    ("nn.ConvTranspose1d(3, 8, 3, stride=0)", (1, 3, 16)),
    ("nn.Conv1d(4, 8, 3, stride=2, padding='same')", (1, 4, 16)),
    ("nn.MaxPool1d(3, padding=2)", (1, 3, 16)),
    ("nn.AvgPool1d(3, padding=2)", (1, 3, 16)),
]

KERAS = [
    ("layers.UnitNormalization()(inputs)", (None, 8, 8, 3)),
    ("layers.RMSNormalization()(inputs)", (None, 8, 8, 3)),
    ("layers.Cropping1D(2)(inputs)", (None, 16, 3)),
    ("layers.Cropping1D((1, 3))(inputs)", (None, 16, 3)),
    ("layers.Cropping3D(1)(inputs)", (None, 4, 8, 8, 3)),
    ("layers.Cropping3D(((1, 0), (2, 2), (0, 3)))(inputs)", (None, 4, 8, 8, 3)),
    ("layers.ZeroPadding1D(2)(inputs)", (None, 16, 3)),
    ("layers.ZeroPadding1D((0, 3))(inputs)", (None, 16, 3)),
    ("layers.ZeroPadding3D(1)(inputs)", (None, 4, 8, 8, 3)),
    ("layers.ZeroPadding3D((1, 2, 3))(inputs)", (None, 4, 8, 8, 3)),
    ("layers.UpSampling1D(2)(inputs)", (None, 16, 3)),
    ("layers.UpSampling1D(size=3)(inputs)", (None, 16, 3)),
    ("layers.UpSampling3D(2)(inputs)", (None, 4, 8, 8, 3)),
    ("layers.UpSampling3D((1, 2, 2))(inputs)", (None, 4, 8, 8, 3)),
    ("layers.Conv1DTranspose(8, 4, strides=2, padding='same')(inputs)", (None, 16, 3)),
    ("layers.Conv1DTranspose(8, 3)(inputs)", (None, 16, 3)),
    ("layers.Convolution1DTranspose(4, 5, strides=3, use_bias=False)(inputs)", (None, 16, 3)),
    ("layers.Conv3DTranspose(8, 3, strides=2, padding='same')(inputs)", (None, 4, 8, 8, 3)),
    ("layers.Conv3DTranspose(4, 2, strides=2)(inputs)", (None, 4, 8, 8, 3)),
    ("layers.SeparableConv1D(8, 3)(inputs)", (None, 16, 3)),
    ("layers.SeparableConv1D(8, 3, padding='same', depth_multiplier=2)(inputs)", (None, 16, 3)),
    ("layers.SeparableConvolution1D(4, 5, strides=2, use_bias=False)(inputs)", (None, 16, 3)),
    ("layers.DepthwiseConv1D(3)(inputs)", (None, 16, 3)),
    ("layers.DepthwiseConv1D(3, strides=2, depth_multiplier=2, padding='same')(inputs)", (None, 16, 3)),
    ("layers.Conv1DTranspose(4, 3, strides=2, output_padding=1)(inputs)", (None, 16, 3)),
    ("layers.Conv3D(4, 3, dilation_rate=2)(inputs)", (None, 6, 8, 8, 3)),
    ("layers.DepthwiseConv1D(3, dilation_rate=2)(inputs)", (None, 16, 3)),
    ("layers.SeparableConv1D(4, 3, dilation_rate=2, padding='same')(inputs)", (None, 16, 3)),
    ("layers.Conv1DTranspose(4, 3, padding='same', strides=3)(inputs)", (None, 16, 3)),
    ("layers.SpatialDropout1D(0.2)(inputs)", (None, 16, 3)),
    ("layers.SpatialDropout3D(0.2)(inputs)", (None, 4, 8, 8, 3)),
    ("layers.GlobalAveragePooling3D()(inputs)", (None, 4, 8, 8, 3)),
    ("layers.GlobalMaxPooling3D()(inputs)", (None, 4, 8, 8, 3)),
    ("layers.GlobalAvgPool3D(keepdims=True)(inputs)", (None, 4, 8, 8, 3)),
    ("layers.GlobalMaxPool3D()(inputs)", (None, 4, 8, 8, 3)),
    ("layers.Subtract()([inputs, layers.Dense(8)(inputs)])", (None, 8)),
    ("layers.subtract([inputs, inputs])", (None, 8, 8, 3)),
    ("layers.RepeatVector(3)(inputs)", (None, 8)),
    ("layers.Conv3D(8, 3)(inputs)", (None, 4, 8, 8, 3)),
    ("layers.Convolution3D(8, 3, padding='same', strides=2)(inputs)", (None, 4, 8, 8, 3)),
    ("layers.Convolution2DTranspose(8, 3)(inputs)", (None, 8, 8, 3)),
    ("layers.SeparableConvolution2D(8, 3)(inputs)", (None, 8, 8, 3)),
    ("layers.MaxPooling3D((1, 2, 2))(inputs)", (None, 4, 8, 8, 3)),
    ("layers.AveragePooling3D(2, padding='same')(inputs)", (None, 5, 8, 8, 3)),
    ("layers.AvgPool3D(2)(inputs)", (None, 4, 8, 8, 3)),
    ("layers.MaxPool3D(2, strides=1)(inputs)", (None, 4, 8, 8, 3)),
    ("layers.Conv1D(8, 3, groups=2)(inputs)", (None, 16, 4)),
    ("layers.Conv1D(6, 3, groups=3, padding='same', strides=2)(inputs)", (None, 16, 6)),
    # Rejected by Keras.
    ("layers.Cropping1D(9)(inputs)", (None, 16, 3)),
    ("layers.Cropping3D(3)(inputs)", (None, 4, 8, 8, 3)),
    ("layers.Subtract()([inputs, inputs, inputs])", (None, 8)),
    ("layers.ZeroPadding1D(-1)(inputs)", (None, 16, 3)),
    ("layers.ZeroPadding1D((1, -2))(inputs)", (None, 16, 3)),
    ("layers.Cropping1D(-1)(inputs)", (None, 16, 3)),
    ("layers.Cropping3D(-1)(inputs)", (None, 4, 8, 8, 3)),
    ("layers.UpSampling1D(0)(inputs)", (None, 16, 3)),
    ("layers.UpSampling3D(0)(inputs)", (None, 4, 8, 8, 3)),
    ("layers.RepeatVector(0)(inputs)", (None, 8)),
    ("layers.SpatialDropout1D(1.5)(inputs)", (None, 16, 3)),
    ("layers.Conv1DTranspose(8, 0)(inputs)", (None, 16, 3)),
    ("layers.SeparableConv1D(8, 3, dilation_rate=0)(inputs)", (None, 16, 3)),
    ("layers.DepthwiseConv1D(3, strides=0)(inputs)", (None, 16, 3)),
    ("layers.Conv3D(8, 0)(inputs)", (None, 4, 8, 8, 3)),
    ("layers.Conv3DTranspose(8, 3, strides=0)(inputs)", (None, 4, 8, 8, 3)),
    ("layers.MaxPooling3D(0)(inputs)", (None, 4, 8, 8, 3)),
    ("layers.UnitNormalization(axis=5)(inputs)", (None, 8, 8, 3)),
    ("layers.Conv3D(4, 3, groups=3)(inputs)", (None, 4, 8, 8, 3)),
    ("layers.Conv1D(8, 3, groups=3)(inputs)", (None, 16, 6)),
]


def torch_case(code, shape):
    functional = code.startswith("F.")
    try:
        # A constructor's own check (Conv1d(padding='same', stride=2)) is raised at the same line.
        module = nn.Identity() if functional else eval(code)  # noqa: S307 (our own table above)
        with FlopCounterMode(display=False) as counter:
            x = torch.randn(*shape)
            out = eval(code) if functional else module(x)  # noqa: S307
    except Exception as e:  # noqa: BLE001
        return {"framework": "pytorch", "code": code, "input": list(shape), "error": str(e).split("\n")[0]}
    return {"framework": "pytorch", "code": code, "className": code.split("(")[0] if functional else type(module).__name__, "input": list(shape), "outputShape": list(out.shape),
            "params": sum(p.numel() for p in module.parameters()), "macs": counter.get_total_flops() // 2,
            **({} if functional else {"rows": sum(1 for m in module.modules() if not list(m.children()))})}


def keras_macs(model):
    """Kernel elements × output positions (× input positions for a transposed convolution), per convolution or Dense."""
    total = 0
    for layer in model.layers:
        kernels = [w for w in layer.weights if "kernel" in w.path]
        if not kernels:
            continue
        transposed = "Transpose" in type(layer).__name__
        positions = layer.input.shape[1:-1] if transposed else layer.output.shape[1:-1]
        for k in kernels:
            total += math.prod(k.shape) * math.prod(positions)
    return total


def keras_case(code, shape):
    inputs = keras.Input(shape=shape[1:])  # noqa: F841 (the code names it)
    try:
        out = eval(code)  # noqa: S307
    except Exception as e:  # noqa: BLE001
        lines = [ln.strip() for ln in str(e).split("\n") if ln.strip()]
        # Keras wraps a layer's error in "Exception encountered when calling X.call()." and ANSI bold.
        msg = next((ln for ln in lines if not ln.startswith("Exception encountered")), lines[0])
        return {"framework": "keras", "code": code, "input": list(shape), "error": msg.replace("\x1b[1m", "").replace("\x1b[0m", "")}
    model = keras.Model(inputs, out)
    # The class summary() names the call by: the layer that made the output.
    return {"framework": "keras", "code": code, "className": type(out._keras_history.operation).__name__, "input": list(shape), "outputShape": list(out.shape),
            "params": model.count_params(), "macs": keras_macs(model), "rows": len(model.layers) - 1}


# Forward passes of the weight-free layers the repo defines itself (extension/core/tfjs/customLayers/), value by
# value, on x = linspace(-1, 1) of the input's size. x and y are flat in the engine's layout: channels-last, so
# PyTorch's (N, C, H, W) / (N, C, D, H, W) are permuted to (N, H, W, C) / (N, D, H, W, C); (N, C, L) and (N, F)
# stay as they are.
NUMERIC = [
    ("pytorch", "nn.PixelUnshuffle(2)", (1, 2, 4, 6)),
    ("pytorch", "nn.GLU(dim=1)", (1, 4, 2, 3)),
    ("pytorch", "nn.GLU()", (1, 3, 4)),
    ("pytorch", "nn.Unflatten(1, (2, 4, 2))", (1, 16)),
    ("pytorch", "nn.Unflatten(1, (3, 2))", (1, 6)),
    ("pytorch", "nn.ZeroPad3d((1, 0, 0, 2, 1, 1))", (1, 2, 2, 3, 2)),
    ("pytorch", "nn.ConstantPad1d((2, 1), 0.0)", (1, 2, 5)),
    ("pytorch", "nn.InstanceNorm1d(2)", (1, 2, 5)),
    ("pytorch", "nn.InstanceNorm3d(2)", (1, 2, 2, 3, 2)),
    ("pytorch", "nn.MaxPool1d(2)", (1, 2, 6)),
    ("pytorch", "nn.AvgPool1d(3, stride=2)", (1, 2, 7)),
    ("pytorch", "nn.AdaptiveMaxPool1d(2)", (1, 2, 5)),
    ("pytorch", "nn.MaxPool1d(3, stride=2, padding=1)", (1, 2, 7)),
    ("pytorch", "nn.AvgPool1d(3, stride=1, padding=1)", (1, 2, 5)),
    ("keras", "layers.UpSampling1D(2)(inputs)", (None, 3, 2)),
    ("keras", "layers.UpSampling3D((1, 2, 3))(inputs)", (None, 2, 2, 2, 2)),
    ("keras", "layers.Cropping1D((1, 2))(inputs)", (None, 6, 2)),
    ("keras", "layers.Cropping3D(((1, 0), (0, 1), (1, 1)))(inputs)", (None, 3, 3, 4, 2)),
    ("keras", "layers.ZeroPadding1D((2, 1))(inputs)", (None, 3, 2)),
    ("keras", "layers.UnitNormalization()(inputs)", (None, 2, 2, 3)),
    ("keras", "layers.GlobalMaxPooling3D()(inputs)", (None, 2, 2, 2, 3)),
    ("keras", "layers.GlobalAveragePooling3D(keepdims=True)(inputs)", (None, 2, 2, 2, 3)),
]


def engine(t):
    return t.permute(0, *range(2, t.dim()), 1) if t.dim() >= 4 else t


def numeric_case(framework, code, shape):
    size = math.prod(d for d in shape if d is not None)
    if framework == "pytorch":
        x = torch.linspace(-1, 1, size).reshape(shape)
        y = eval(code)(x)  # noqa: S307
        xs, ys = engine(x), engine(y)
    else:
        import numpy as np
        batch = (1,) + tuple(shape[1:])
        xs = np.linspace(-1, 1, size, dtype="float32").reshape(batch)
        inputs = keras.Input(shape=shape[1:])  # noqa: F841
        model = keras.Model(inputs, eval(code))  # noqa: S307
        ys = model(xs)
        xs, ys = torch.tensor(np.asarray(xs)), torch.tensor(np.asarray(ys))
    return {"framework": framework, "code": code, "input": [1 if d is None else d for d in shape],
            "x": [round(v, 6) for v in xs.reshape(-1).tolist()], "y": [round(v, 6) for v in ys.reshape(-1).tolist()], "yShape": list(ys.shape)}


def main():
    cases = [torch_case(c, s) for c, s in TORCH] + [keras_case(c, s) for c, s in KERAS]
    numeric = [numeric_case(*n) for n in NUMERIC]
    out = {"generator": "scripts/reference/layer_coverage.py", "keras": keras.__version__, "torch": torch.__version__, "cases": cases, "numeric": numeric}
    path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "reference", "coverage2026.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    for c in cases:
        print(c["code"], c["input"], c.get("outputShape"), c.get("params"), c.get("macs"), c.get("error", ""))


if __name__ == "__main__":
    main()
