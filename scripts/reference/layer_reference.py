"""Reference facts for the engine's layer types, from the real frameworks (Keras 3 and PyTorch in /work/venv).

Writes test/fixtures/reference/layers.json: for each case, the framework, the layer as written, the input shape,
the output shape (Keras: (None, H, W, C); PyTorch: (N, C, H, W)), the parameter count (Keras count_params(),
PyTorch sum(p.numel())) and, for PyTorch, the MACs measured by torch.utils.flop_counter.FlopCounterMode on a real
forward pass (it counts convolution and matmul FLOPs; MACs = FLOPs / 2).

Run: /work/venv/bin/python scripts/reference/layer_reference.py
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch.utils.flop_counter import FlopCounterMode  # noqa: E402

torch.set_grad_enabled(False)


def keras_case(name, code, input_shape, build):
    inputs = [keras.Input(shape=s) for s in input_shape] if isinstance(input_shape[0], tuple) else [keras.Input(shape=input_shape)]
    layer = build()
    out = layer(inputs if len(inputs) > 1 else inputs[0])
    return {"name": name, "framework": "keras", "code": code, "input": [list(i.shape) for i in inputs],
            "outputShape": list(out.shape), "params": layer.count_params()}


def torch_case(name, code, input_shape, module=None, fn=None):
    x = torch.zeros(*input_shape)
    run = module if module is not None else fn
    with FlopCounterMode(display=False) as counter:
        out = run(x)
    outs = out if isinstance(out, (list, tuple)) else [out]
    params = sum(p.numel() for p in module.parameters()) if module is not None else 0
    return {"name": name, "framework": "pytorch", "code": code, "input": list(input_shape),
            "outputShapes": [list(o.shape) for o in outs], "params": params,
            "macs": counter.get_total_flops() // 2}


def cases():
    L = keras.layers
    yield keras_case("keras grouped conv", "Conv2D(8, 3, groups=2)", (8, 8, 4), lambda: L.Conv2D(8, 3, groups=2))
    yield keras_case("keras grouped conv, 1x1", "Conv2D(8, 1, groups=4, use_bias=False)", (8, 8, 4), lambda: L.Conv2D(8, 1, groups=4, use_bias=False))
    yield keras_case("keras dilated conv", "Conv2D(8, 3, dilation_rate=2)", (9, 9, 4), lambda: L.Conv2D(8, 3, dilation_rate=2))
    yield keras_case("keras dilated depthwise", "DepthwiseConv2D(3, depth_multiplier=2, dilation_rate=2)", (9, 9, 4),
                     lambda: L.DepthwiseConv2D(3, depth_multiplier=2, dilation_rate=2))
    yield keras_case("keras dilated separable conv", "SeparableConv2D(8, 3, dilation_rate=2, padding='same')", (9, 9, 4),
                     lambda: L.SeparableConv2D(8, 3, dilation_rate=2, padding="same"))
    yield keras_case("keras transposed conv, same, output padding", "Conv2DTranspose(3, 3, strides=2, padding='same', output_padding=1)",
                     (6, 6, 8), lambda: L.Conv2DTranspose(3, 3, strides=2, padding="same", output_padding=1))
    yield keras_case("keras transposed conv, valid, output padding", "Conv2DTranspose(3, 3, strides=2, padding='valid', output_padding=1)",
                     (6, 6, 8), lambda: L.Conv2DTranspose(3, 3, strides=2, padding="valid", output_padding=1))
    yield keras_case("keras squeeze-and-excitation multiply", "Multiply()([x, gate])", ((8, 8, 4), (1, 1, 4)), lambda: L.Multiply())
    yield keras_case("keras global pooling keepdims", "GlobalAveragePooling2D(keepdims=True)", (8, 8, 4), lambda: L.GlobalAveragePooling2D(keepdims=True))
    yield keras_case("keras hard_swish", "Activation('hard_swish')", (8, 8, 4), lambda: L.Activation("hard_swish"))
    yield keras_case("keras hard_sigmoid", "Activation('hard_sigmoid')", (8, 8, 4), lambda: L.Activation("hard_sigmoid"))

    yield torch_case("torch grouped conv", "nn.Conv2d(4, 8, 3, groups=2)", (1, 4, 8, 8), nn.Conv2d(4, 8, 3, groups=2))
    yield torch_case("torch ResNeXt grouped conv", "nn.Conv2d(128, 128, 3, padding=1, groups=32, bias=False)", (1, 128, 56, 56),
                     nn.Conv2d(128, 128, 3, padding=1, groups=32, bias=False))
    yield torch_case("torch dilated grouped conv", "nn.Conv2d(32, 64, 3, padding=2, dilation=2, groups=32)", (1, 32, 14, 14),
                     nn.Conv2d(32, 64, 3, padding=2, dilation=2, groups=32))
    yield torch_case("torch dilated strided conv", "nn.Conv2d(4, 8, 3, stride=2, dilation=2)", (1, 4, 15, 15),
                     nn.Conv2d(4, 8, 3, stride=2, dilation=2))
    yield torch_case("torch transposed conv, output padding", "nn.ConvTranspose2d(8, 3, 3, stride=2, padding=1, output_padding=1)", (1, 8, 6, 6),
                     nn.ConvTranspose2d(8, 3, 3, stride=2, padding=1, output_padding=1))
    yield torch_case("torch transposed conv, no padding", "nn.ConvTranspose2d(8, 3, 3, stride=2, output_padding=1)", (1, 8, 6, 6),
                     nn.ConvTranspose2d(8, 3, 3, stride=2, output_padding=1))
    yield torch_case("torch LRN", "nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=2.0)", (1, 96, 55, 55),
                     nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=2.0))
    yield torch_case("torch channel shuffle", "nn.ChannelShuffle(2)", (1, 8, 4, 4), nn.ChannelShuffle(2))
    yield torch_case("torch chunk", "x.chunk(3, dim=1)", (1, 12, 4, 4), fn=lambda x: x.chunk(3, dim=1))
    yield torch_case("torch split", "x.split([2, 6, 4], dim=1)", (1, 12, 4, 4), fn=lambda x: x.split([2, 6, 4], dim=1))
    yield torch_case("torch interpolate scale", "F.interpolate(x, scale_factor=1.5, mode='bilinear')", (1, 4, 7, 7),
                     fn=lambda x: F.interpolate(x, scale_factor=1.5, mode="bilinear"))
    yield torch_case("torch interpolate size", "F.interpolate(x, size=(5, 7))", (1, 4, 8, 8), fn=lambda x: F.interpolate(x, size=(5, 7)))
    yield torch_case("torch upsample", "nn.Upsample(scale_factor=2, mode='nearest')", (1, 4, 7, 7), nn.Upsample(scale_factor=2, mode="nearest"))
    yield torch_case("torch hardswish", "nn.Hardswish()", (1, 4, 8, 8), nn.Hardswish())
    yield torch_case("torch squeeze-and-excitation scale", "x * x.mean((2, 3), keepdim=True)", (1, 4, 8, 8),
                     fn=lambda x: x * x.mean((2, 3), keepdim=True))
    # VGG's AdaptiveAvgPool2d((7, 7)) at 112x112 meets a 3x3 map: bins repeat (output larger than input).
    yield torch_case("torch adaptive avg pool up", "nn.AdaptiveAvgPool2d((7, 7))", (1, 4, 3, 3), nn.AdaptiveAvgPool2d((7, 7)))
    yield torch_case("torch adaptive max pool up, uneven", "nn.AdaptiveMaxPool2d((5, 2))", (1, 4, 3, 7), nn.AdaptiveMaxPool2d((5, 2)))


def nhwc(t):
    """A PyTorch (N, C, H, W) tensor as the flat values of its (N, H, W, C) twin, rounded for JSON."""
    return [round(v, 5) for v in t.permute(0, 2, 3, 1).reshape(-1).tolist()]


def numeric_cases():
    """Forward passes with fixed inputs and weights, so the custom layers' call() can be checked value by value."""
    x = torch.linspace(-1, 1, 4 * 5 * 5).reshape(1, 4, 5, 5)
    conv = nn.Conv2d(4, 6, 3, groups=2)
    conv.weight.copy_(torch.linspace(-0.5, 0.5, conv.weight.numel()).reshape(conv.weight.shape))
    conv.bias.copy_(torch.tensor([0.1, -0.2, 0.3, -0.4, 0.5, -0.6]))
    yield {"name": "grouped conv", "code": "nn.Conv2d(4, 6, 3, groups=2)", "input": list(x.shape), "x": nhwc(x),
           # Keras layout (kH, kW, in/groups, out) of the same kernel.
           "weights": [[round(v, 6) for v in conv.weight.permute(2, 3, 1, 0).reshape(-1).tolist()], conv.bias.tolist()],
           "y": nhwc(conv(x)), "yShape": list(conv(x).permute(0, 2, 3, 1).shape)}
    a = torch.arange(8 * 2 * 2, dtype=torch.float32).reshape(1, 8, 2, 2)
    yield {"name": "channel shuffle", "code": "nn.ChannelShuffle(2)", "input": list(a.shape), "x": nhwc(a), "weights": [],
           "y": nhwc(nn.ChannelShuffle(2)(a)), "yShape": [1, 2, 2, 8]}
    lrn = nn.LocalResponseNorm(5, alpha=0.5, beta=0.75, k=2.0)
    yield {"name": "LRN", "code": "nn.LocalResponseNorm(5, alpha=0.5, beta=0.75, k=2.0)", "input": list(a.shape), "x": nhwc(a / 10),
           "weights": [], "y": nhwc(lrn(a / 10)), "yShape": [1, 2, 2, 8]}
    b = torch.linspace(0, 1, 2 * 3 * 3).reshape(1, 2, 3, 3)
    up = F.interpolate(b, scale_factor=2, mode="bilinear")
    yield {"name": "bilinear resize", "code": "F.interpolate(x, scale_factor=2, mode='bilinear')", "input": list(b.shape), "x": nhwc(b),
           "weights": [], "y": nhwc(up), "yShape": list(up.permute(0, 2, 3, 1).shape)}
    near = F.interpolate(b, size=(5, 4), mode="nearest")
    yield {"name": "nearest resize", "code": "F.interpolate(x, size=(5, 4), mode='nearest')", "input": list(b.shape), "x": nhwc(b),
           "weights": [], "y": nhwc(near), "yShape": list(near.permute(0, 2, 3, 1).shape)}
    c = torch.linspace(-1, 1, 2 * 3 * 5).reshape(1, 2, 3, 5)
    for mode, module in (("avg", nn.AdaptiveAvgPool2d((7, 3))), ("max", nn.AdaptiveMaxPool2d((4, 7)))):
        y = module(c)
        yield {"name": "adaptive %s pool" % mode, "code": "nn.Adaptive%sPool2d(%s)" % (mode.capitalize(), tuple(y.shape[2:])), "input": list(c.shape),
               "x": nhwc(c), "weights": [], "y": nhwc(y), "yShape": list(y.permute(0, 2, 3, 1).shape)}


def main():
    out = {"generator": "scripts/reference/layer_reference.py", "keras": keras.__version__, "torch": torch.__version__,
           "cases": list(cases()), "numeric": list(numeric_cases())}
    path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "reference", "layers.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    for c in out["cases"]:
        print(c["name"], c.get("outputShape") or c.get("outputShapes"), c["params"], c.get("macs"))


if __name__ == "__main__":
    main()
