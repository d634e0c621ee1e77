"""Small PyTorch checkpoints with an integer buffer, as Swin's and MaxViT's attention keep relative_position_index
(torchvision 0.28: swin_t's state dict holds 28,812 int64 elements that model.parameters() does not count), written
by torch 2.13's torch.save into test/fixtures/file-corpus/torch/ (our own module, random weights):

    /work/venv/bin/python scripts/files/make_torch_buffer_fixtures.py

index_buffer.state_dict.pth (zip), index_buffer.legacy.pth (_use_new_zipfile_serialization=False),
index_buffer.checkpoint.pth ({"epoch", "model_state_dict", "optimizer_state_dict"}, as training scripts save).
index_buffer.module.pt: torch.save(model) after an eval forward that filled a cache of tensors in a plain attribute
(as timm's LeViT keeps attention_bias_cache), which neither parameters() nor state_dict() holds.
Prints the facts the test asserts: sum(p.numel()), the buffers by dtype, the cached elements.
"""
import os

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "fixtures", "file-corpus", "torch")


class WindowBias(nn.Module):
    """A learned bias per relative position, looked up through an integer index (a buffer), as Swin does."""

    def __init__(self, window=4, heads=2):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.norm = nn.BatchNorm2d(8)
        self.table = nn.Parameter(torch.randn((2 * window - 1) ** 2, heads) * 0.02)
        coords = torch.stack(torch.meshgrid(torch.arange(window), torch.arange(window), indexing="ij")).flatten(1)
        rel = (coords[:, :, None] - coords[:, None, :]).permute(1, 2, 0) + window - 1
        self.register_buffer("relative_position_index", rel[..., 0] * (2 * window - 1) + rel[..., 1])
        self.register_buffer("seen", torch.zeros((), dtype=torch.bool))
        self.head = nn.Linear(8, 5)
        self.bias_cache = {}

    def forward(self, x):
        if not self.training:
            # The looked-up bias, kept for the next call (timm LeViT's get_attention_biases does this in eval mode).
            self.bias_cache["cpu"] = self.table[self.relative_position_index]
        return self.head(self.norm(self.conv(x)).mean((2, 3)))


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    model = WindowBias()
    sd = model.state_dict()
    torch.save(sd, os.path.join(OUT, "index_buffer.state_dict.pth"))
    torch.save(sd, os.path.join(OUT, "index_buffer.legacy.pth"), _use_new_zipfile_serialization=False)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    torch.save({"epoch": 3, "model_state_dict": sd, "optimizer_state_dict": opt.state_dict()}, os.path.join(OUT, "index_buffer.checkpoint.pth"))
    model.eval()
    with torch.no_grad():
        model(torch.randn(1, 3, 8, 8))
    torch.save(model, os.path.join(OUT, "index_buffer.module.pt"))
    print("params", sum(p.numel() for p in model.parameters()), "cached", sum(t.numel() for t in model.bias_cache.values()))
    print("buffers", {n: (str(b.dtype), b.numel()) for n, b in model.named_buffers()})


if __name__ == "__main__":
    main()
