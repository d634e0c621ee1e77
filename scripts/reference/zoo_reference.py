"""Reference numbers for the zoo, computed by real PyTorch (torch 2.13, torchvision 0.28 in /work/venv).

Writes test/fixtures/reference/zoo.json: for each model, sum(p.numel() for p in model.parameters()), the
MACs of every Conv2d and Linear measured with forward hooks on a real forward pass (outH·outW·outC·kH·kW·inC/groups
and in·out), checked against torch.utils.flop_counter.FlopCounterMode (convolution and matmul FLOPs; MACs =
FLOPs / 2), and per-layer output shapes (NCHW). torchvision builds ResNets, ResNeXt-50 32×4d, VGG16,
SqueezeNet 1.1, MobileNetV2, DenseNet-121, Inception v3 (without its auxiliary classifier, which inference does
not run) and EfficientNet-B0; LeNet-5, AlexNet (the seed's single-tower variant) and GoogLeNet (Szegedy et al.
2014 Table 1, biased convs, no aux heads) are written out below because torchvision's versions differ from the
papers (its GoogLeNet uses BN and a 3×3 in the "5×5" branch; its AlexNet has 64 first-layer filters).

The numbers of the first nine models are the ones torch 1.13 / torchvision 0.14 gave (Debian's python3-torch).

Run: /work/venv/bin/python scripts/reference/zoo_reference.py
"""
import json
import os
import sys
import types

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

# The venv's torchvision wheel is a CUDA build whose compiled ops (nms, roi_align) cannot load next to the CPU
# torch, and its import then fails registering their fake kernels. The model constructors need none of them.
sys.modules.setdefault("torchvision._meta_registrations", types.ModuleType("torchvision._meta_registrations"))
import torchvision  # noqa: E402

torch.set_grad_enabled(False)


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.Tanh(), nn.AvgPool2d(2),
        nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2),
        nn.Flatten(), nn.Linear(400, 120), nn.Tanh(), nn.Linear(120, 84), nn.Tanh(), nn.Linear(84, 10))


def alexnet():
    return nn.Sequential(
        nn.Conv2d(3, 96, 11, stride=4), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Conv2d(96, 256, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Conv2d(256, 384, 3, padding=1), nn.ReLU(),
        nn.Conv2d(384, 384, 3, padding=1), nn.ReLU(),
        nn.Conv2d(384, 256, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Flatten(), nn.Linear(9216, 4096), nn.ReLU(), nn.Dropout(),
        nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(), nn.Linear(4096, 1000))


class Inception(nn.Module):
    def __init__(self, cin, n1, r3, n3, r5, n5, pp):
        super().__init__()
        relu = lambda: nn.ReLU(inplace=True)
        self.b1 = nn.Sequential(nn.Conv2d(cin, n1, 1), relu())
        self.b3 = nn.Sequential(nn.Conv2d(cin, r3, 1), relu(), nn.Conv2d(r3, n3, 3, padding=1), relu())
        self.b5 = nn.Sequential(nn.Conv2d(cin, r5, 1), relu(), nn.Conv2d(r5, n5, 5, padding=2), relu())
        self.bp = nn.Sequential(nn.MaxPool2d(3, 1, padding=1), nn.Conv2d(cin, pp, 1), relu())

    def forward(self, x):
        return torch.cat([self.b1(x), self.b3(x), self.b5(x), self.bp(x)], 1)


def googlenet():
    pool = lambda: nn.MaxPool2d(3, 2, ceil_mode=True)
    return nn.Sequential(
        nn.Conv2d(3, 64, 7, stride=2, padding=3), nn.ReLU(), pool(),
        nn.Conv2d(64, 64, 1), nn.ReLU(), nn.Conv2d(64, 192, 3, padding=1), nn.ReLU(), pool(),
        Inception(192, 64, 96, 128, 16, 32, 32), Inception(256, 128, 128, 192, 32, 96, 64), pool(),
        Inception(480, 192, 96, 208, 16, 48, 64), Inception(512, 160, 112, 224, 24, 64, 64),
        Inception(512, 128, 128, 256, 24, 64, 64), Inception(512, 112, 144, 288, 32, 64, 64),
        Inception(528, 256, 160, 320, 32, 128, 128), pool(),
        Inception(832, 256, 160, 320, 32, 128, 128), Inception(832, 384, 192, 384, 48, 128, 128),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.4), nn.Linear(1024, 1000))


MODELS = {
    "lenet5": (lenet5, (1, 1, 32, 32)),
    "alexnet": (alexnet, (1, 3, 227, 227)),
    "vgg16": (torchvision.models.vgg16, (1, 3, 224, 224)),
    "resnet18": (torchvision.models.resnet18, (1, 3, 224, 224)),
    "resnet34": (torchvision.models.resnet34, (1, 3, 224, 224)),
    "resnet50": (torchvision.models.resnet50, (1, 3, 224, 224)),
    "resnet101": (torchvision.models.resnet101, (1, 3, 224, 224)),
    "resnet152": (torchvision.models.resnet152, (1, 3, 224, 224)),
    "googlenet": (googlenet, (1, 3, 224, 224)),
    "squeezenet1_1": (torchvision.models.squeezenet1_1, (1, 3, 224, 224)),
    "mobilenet_v2": (torchvision.models.mobilenet_v2, (1, 3, 224, 224)),
    "resnext50_32x4d": (torchvision.models.resnext50_32x4d, (1, 3, 224, 224)),
    "densenet121": (torchvision.models.densenet121, (1, 3, 224, 224)),
    "inception_v3": (lambda: torchvision.models.inception_v3(aux_logits=False, init_weights=False), (1, 3, 299, 299)),
    "efficientnet_b0": (torchvision.models.efficientnet_b0, (1, 3, 224, 224)),
}

def pool_heights(model, size):
    """Heights after each max pool of model.features: ceil-mode pooling checked away from 224×224."""
    x, heights = torch.zeros(*size), []
    for layer in model.eval().features:
        x = layer(x)
        if isinstance(layer, nn.MaxPool2d):
            heights.append(x.shape[2])
    return heights


# Published totals that include parts inference does not run, recorded to cite the difference; other facts.
EXTRA = {
    "squeezenet1_1": lambda: {"maxPoolHeightsAt225": pool_heights(torchvision.models.squeezenet1_1(), (1, 3, 225, 225))},
    "inception_v3": lambda: {"paramsWithAuxLogits": sum(p.numel() for p in torchvision.models.inception_v3(
        aux_logits=True, init_weights=False).parameters())},
}


def measure(build, input_size):
    model = build().eval()
    layers = []

    def hook(module, inputs, output):
        if isinstance(module, nn.Conv2d):
            k = module.kernel_size[0] * module.kernel_size[1]
            macs = output.numel() // output.shape[0] * k * module.in_channels // module.groups
        elif isinstance(module, nn.Linear):
            macs = output.numel() // output.shape[0] * module.in_features
        else:
            return
        layers.append({"type": type(module).__name__, "outputShape": list(output.shape), "macs": macs,
                       "params": sum(p.numel() for p in module.parameters())})

    for m in model.modules():
        m.register_forward_hook(hook)
    with FlopCounterMode(display=False) as counter:
        model(torch.zeros(*input_size))
    macs = sum(l["macs"] for l in layers)
    if counter.get_total_flops() != 2 * macs:
        raise SystemExit(f"hooks count {macs} MACs, FlopCounterMode {counter.get_total_flops()} FLOPs")
    return {
        "input": list(input_size),
        "params": sum(p.numel() for p in model.parameters()),
        "macs": macs,
        "flopCounterModeFlops": counter.get_total_flops(),
        "layers": layers,
    }


# The models whose padding and pooling are written as Keras 'same'/'valid' equivalents: measured again at an odd
# input size, where a wrong equivalence (ceil vs floor) would show.
ODD_INPUTS = {
    "squeezenet1_1": (1, 3, 225, 225),
    "mobilenet_v2": (1, 3, 225, 225),
    "resnext50_32x4d": (1, 3, 225, 225),
    "densenet121": (1, 3, 225, 225),
    "inception_v3": (1, 3, 301, 301),
    "efficientnet_b0": (1, 3, 225, 225),
}


def main():
    out = {"generator": "scripts/reference/zoo_reference.py", "torch": torch.__version__,
           "torchvision": torchvision.__version__, "models": {}}
    for name, (build, size) in MODELS.items():
        out["models"][name] = measure(build, size)
        if name in ODD_INPUTS:
            out["models"][name]["oddInput"] = measure(build, ODD_INPUTS[name])
        if name in EXTRA:
            out["models"][name].update(EXTRA[name]())
        print(name, out["models"][name]["params"], out["models"][name]["macs"])
    path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "reference", "zoo.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
