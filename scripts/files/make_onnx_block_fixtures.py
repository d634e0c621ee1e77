"""Small ONNX fixtures for the channels-last and transposed-convolution mappings, made by torch 2.13's exporters
into test/fixtures/file-corpus/onnx/ (files of our own: random weights, no code):

    /work/venv/bin/python scripts/files/make_onnx_block_fixtures.py [prelu]   (prelu: only the prelu.* files)

cnx.*: Conv2d(3, 8, 4, stride=4) → torchvision's LayerNorm2d(8) → CNBlock(8, layer_scale=1e-6) →
AdaptiveAvgPool2d(1) → LayerNorm2d(8) → Flatten → Linear(8, 5) on (1, 3, 32, 32), exported by the dynamo exporter
(its small constants in cnx.dynamo.onnx.data), the TorchScript exporter, and with export_params=False.
conv_transpose.*: Conv2d(3, 8, 3, s2, p1) → ReLU → ConvTranspose2d(8, 4, 4, s2, p1) →
ConvTranspose2d(4, 2, 3, s2, p1, output_padding=1) on (1, 3, 16, 16).
volume.*: Conv3d(2, 4, 3, p1) → BatchNorm3d(4) → ReLU → MaxPool3d(2) → a residual Conv3d(4, 4, 3, p1) + x → AvgPool3d(2)
→ AdaptiveAvgPool3d(1) → Flatten → Linear(4, 3) on (1, 2, 4, 8, 8); volume_pad.legacy.onnx: Conv3d(2, 4, 3,
padding=(0, 1, 1)), whose D padding tfjs cannot give.
sequence.*: Conv1d(3, 6, 5, p2) → BatchNorm1d(6) → ReLU → MaxPool1d(2) → Conv1d(6, 8, 3, p3, dilation=2) → AvgPool1d(2)
→ AdaptiveAvgPool1d(1) → Flatten → Linear(8, 4) on (1, 3, 20).
prelu.*: Conv2d(3, 8, 3) → PReLU(8) → MaxPool2d(2) → PReLU() → Flatten → Linear(392, 4) → PReLU(4) on (1, 3, 16, 16)
(slopes (8, 1, 1) from the TorchScript exporter, (1, 8, 1, 1) from dynamo).
norms.*: Conv2d(3, 8, 3, p1) → GroupNorm(2, 8) → ReLU → Conv2d(8, 16, 3, s2, p1) → InstanceNorm2d(16, affine=True) →
InstanceNorm2d(16) → PixelShuffle(2) → Conv2d(4, 8, 1) → permute(0, 2, 3, 1) → mean((1, 2)) → Linear(8, 5) on
(1, 3, 16, 16): GroupNorm as Reshape(N, G, -1) → InstanceNormalization → Reshape back, PixelShuffle as DepthToSpace,
the mean over H and W of an (N, H, W, C) tensor; norms.dynbatch.onnx with a dynamic batch (dynamo: Shape(start=0)).
Only these with `norms`. sizes.dynamo.onnx (only with `sizes`): Conv2d(3, 4, 3, s2, p1) → F.interpolate(size=(20, 12),
bilinear) → Conv2d(4, 2, 1) → F.interpolate(size=(32, 32)) on (1, 3, 16, 16): the dynamo exporter writes each size
as a constant (N, C, H, W) Resize input, as torchvision's LRASPP head does. Prints the facts the test asserts: sum(p.numel()), FlopCounterMode's total / 2, the output
shape, and for the norms files the float weight elements the file holds (make_file_corpus.onnx_facts).
"""
import os
import sys

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_file_corpus import ROOT, import_torchvision, randomise_weights  # noqa: E402

OUT = os.path.join(ROOT, "test", "fixtures", "file-corpus", "onnx")


def facts(name, model, x):
    counter = FlopCounterMode(display=False)
    with torch.no_grad(), counter:
        y = model(x)
    print(name, "params", sum(p.numel() for p in model.parameters()), "macs", counter.get_total_flops() // 2, "output", list(y.shape))


class NormsNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.GroupNorm(2, 8), nn.ReLU())
        self.body = nn.Sequential(nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.InstanceNorm2d(16, affine=True), nn.InstanceNorm2d(16), nn.PixelShuffle(2), nn.Conv2d(4, 8, 1))
        self.head = nn.Linear(8, 5)

    def forward(self, x):
        x = self.body(self.stem(x)).permute(0, 2, 3, 1)
        return self.head(x.mean((1, 2)))


class SizesNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.down = nn.Conv2d(3, 4, 3, stride=2, padding=1)
        self.mix = nn.Conv2d(4, 2, 1)

    def forward(self, x):
        y = nn.functional.interpolate(self.down(x), size=(20, 12), mode="bilinear", align_corners=False)
        return nn.functional.interpolate(self.mix(y), size=(32, 32))


def make_sizes():
    torch.manual_seed(0)
    sizes = randomise_weights(SizesNet()).eval()
    x = torch.randn(1, 3, 16, 16)
    facts("sizes", sizes, x)
    torch.onnx.export(sizes, (x,), "sizes.dynamo.onnx")


def make_norms():
    from make_file_corpus import onnx_facts

    torch.manual_seed(0)
    norms = randomise_weights(NormsNet()).eval()
    x = torch.randn(1, 3, 16, 16)
    facts("norms", norms, x)
    dynamic = {"input_names": ["input"], "dynamic_axes": {"input": {0: "batch"}}}
    for name, options in [("dynamo", {}), ("legacy", {"dynamo": False}), ("dynbatch", {"dynamo": True, **dynamic})]:
        torch.onnx.export(norms, (x,), f"norms.{name}.onnx", **options)
        print(f"  norms.{name}.onnx weight elements", onnx_facts(f"norms.{name}.onnx")["weightElements"])


def main():
    os.makedirs(OUT, exist_ok=True)
    os.chdir(OUT)  # the dynamo exporter names its external data file after the path it is given
    if sys.argv[1:] == ["norms"]:
        return make_norms()
    if sys.argv[1:] == ["sizes"]:
        return make_sizes()
    torch.manual_seed(0)
    prelu = randomise_weights(nn.Sequential(nn.Conv2d(3, 8, 3), nn.PReLU(8), nn.MaxPool2d(2), nn.PReLU(), nn.Flatten(), nn.Linear(392, 4), nn.PReLU(4))).eval()
    x = torch.randn(1, 3, 16, 16)
    facts("prelu", prelu, x)
    for name, options in [("dynamo", {}), ("legacy", {"dynamo": False})]:
        torch.onnx.export(prelu, (x,), f"prelu.{name}.onnx", **options)
    if sys.argv[1:] == ["prelu"]:
        return
    import_torchvision()
    from torchvision.models.convnext import CNBlock, LayerNorm2d

    torch.manual_seed(0)
    cnx = nn.Sequential(nn.Conv2d(3, 8, 4, stride=4), LayerNorm2d(8), CNBlock(8, 1e-6, 0.0), nn.AdaptiveAvgPool2d(1), LayerNorm2d(8), nn.Flatten(1), nn.Linear(8, 5))
    cnx = randomise_weights(cnx).eval()
    x = torch.randn(1, 3, 32, 32)
    facts("cnx", cnx, x)
    for name, options in [("dynamo", {}), ("legacy", {"dynamo": False}), ("noparams", {"dynamo": False, "export_params": False})]:
        torch.onnx.export(cnx, (x,), f"cnx.{name}.onnx", **options)
    deconv = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.ReLU(), nn.ConvTranspose2d(8, 4, 4, stride=2, padding=1), nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1))
    deconv = randomise_weights(deconv).eval()
    x = torch.randn(1, 3, 16, 16)
    facts("conv_transpose", deconv, x)
    for name, options in [("dynamo", {}), ("legacy", {"dynamo": False})]:
        torch.onnx.export(deconv, (x,), f"conv_transpose.{name}.onnx", **options)

    volume = randomise_weights(VolumeNet()).eval()
    x = torch.randn(1, 2, 4, 8, 8)
    facts("volume", volume, x)
    for name, options in [("dynamo", {}), ("legacy", {"dynamo": False}), ("noparams", {"dynamo": False, "export_params": False})]:
        torch.onnx.export(volume, (x,), f"volume.{name}.onnx", **options)
    pad = randomise_weights(nn.Sequential(nn.Conv3d(2, 4, 3, padding=(0, 1, 1)), nn.ReLU())).eval()
    facts("volume_pad", pad, x)
    torch.onnx.export(pad, (x,), "volume_pad.legacy.onnx", dynamo=False)
    sequence = nn.Sequential(nn.Conv1d(3, 6, 5, padding=2), nn.BatchNorm1d(6), nn.ReLU(), nn.MaxPool1d(2), nn.Conv1d(6, 8, 3, padding=3, dilation=2),
                             nn.AvgPool1d(2), nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(8, 4))
    sequence = randomise_weights(sequence).eval()
    x = torch.randn(1, 3, 20)
    facts("sequence", sequence, x)
    for name, options in [("dynamo", {}), ("legacy", {"dynamo": False}), ("noparams", {"dynamo": False, "export_params": False})]:
        torch.onnx.export(sequence, (x,), f"sequence.{name}.onnx", **options)


class VolumeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv3d(2, 4, 3, padding=1), nn.BatchNorm3d(4), nn.ReLU(), nn.MaxPool3d(2))
        self.branch = nn.Conv3d(4, 4, 3, padding=1)
        self.head = nn.Sequential(nn.AvgPool3d(2), nn.AdaptiveAvgPool3d(1), nn.Flatten(), nn.Linear(4, 3))

    def forward(self, x):
        x = self.stem(x)
        return self.head(self.branch(x) + x)


if __name__ == "__main__":
    main()
