#!/usr/bin/env python3
"""Writes test/fixtures/models/<fixture>.expected.json by RUNNING each PyTorch fixture with real PyTorch.

For every model listed in FIXTURES the script imports the fixture (its __main__ block does not run), builds
the model the way the fixture's example code does, and runs one forward pass with the example input in eval
mode. Forward hooks on every leaf module record, per call and in execution order:

  name    the module's attribute path from named_modules() ("layer1.0.conv1"); a module called again in the
          same forward pass appears again (the reader names the second use "<name>#2")
  type    the module class ("Conv2d")
  line    the source line of the constructor call that made the module (innermost frame in the fixture file,
          recorded by wrapping nn.Module.__init__), 1-based
  output  the output shape, NCHW, batch included
  params  sum(p.numel() for p in module.parameters(recurse=False))

plus the model's total sum(p.numel() for p in model.parameters()), which counts registered modules that
forward() never calls (hooks do not see them). A model whose forward pass fails records the error message
and the fixture line where it was raised instead of layers (the mismatch fixtures).

Usage (the project's venv, torch 2.13): /work/venv/bin/python scripts/pytorch/make_expected.py [fixture.py ...]
(no arguments: every fixture below). The unit tests read the JSON files; they never need Python.
"""
import importlib.util
import json
import os
import sys
import traceback

import types

import torch
import torch.nn as nn

# The venv's torchvision is the CUDA build: its compiled ops do not load against the CPU torch, and only its
# fake-tensor registrations need them (a fixture imports torchvision for its datasets and transforms).
sys.modules.setdefault("torchvision._meta_registrations", types.ModuleType("torchvision._meta_registrations"))

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES_DIR = os.path.join(ROOT, "test", "fixtures", "models")

# fixture file -> models to run: (name the reader gives the model, how to build it, example input NCHW)
def _single_device_data_parallel(m):
    """nn.parallel.data_parallel(module, input, device_ids) runs module(input) on each GPU's slice of the batch and
    gathers the outputs, so its result has module(input)'s shape; on a machine without an accelerator PyTorch 2.x
    raises "device type could not be determined" before running anything. The expectations are recorded with
    data_parallel as it behaves on one device: module(input)."""
    m.nn.parallel.data_parallel = lambda module, inputs, device_ids=None, *args, **kwargs: module(inputs)
    return m


FIXTURES = {
    "pytorch_lenet.py": [("Net", lambda m: m.Net(), (4, 3, 32, 32))],
    "pytorch_channels_first_norm.py": [("TinyNeXt", lambda m: m.TinyNeXt(), (2, 3, 64, 64))],
    "pytorch_norm_factory.py": [
        ("critic", lambda m: m.PatchCritic(6, norm=m.pick_norm("batch")), (1, 6, 64, 64)),
        ("plain", lambda m: m.PatchCritic(3, norm=m.pick_norm("class")), (1, 3, 64, 64)),
        ("Refiner", lambda m: m.Refiner(), (1, 3, 32, 32)),
    ],
    "pytorch_pooled_attention.py": [("Embedder", lambda m: m.Embedder(), (4, 3, 48, 48))],
    "pytorch_space_to_depth.py": [("TinyDetector", lambda m: m.TinyDetector(), (1, 3, 67, 67))],
    "pytorch_resnet.py": [
        ("resnet18", lambda m: m.resnet18(), (1, 3, 224, 224)),
        ("resnet50", lambda m: m.resnet50(), (1, 3, 224, 224)),
    ],
    "pytorch_inception.py": [("GoogLeNet", lambda m: m.GoogLeNet(), (1, 3, 224, 224))],
    "pytorch_vgg_cifar.py": [("net", lambda m: m.VGG("VGG16"), (2, 3, 32, 32)), ("vgg11", lambda m: m.vgg11(), (2, 3, 32, 32))],
    "pytorch_mnist_mismatch.py": [("MnistNet", lambda m: m.MnistNet(), (1, 1, 28, 28))],
    "pytorch_mixed.py": [("TinyDepthwise", lambda m: m.TinyDepthwise(), (1, 3, 64, 64))],
    # Shapes from x.size()/x.shape/x.dim(), a dummy-tensor flatten size, a shape-decided projection, an unused head.
    "pytorch_shapes_in_code.py": [("ShapeNet", lambda m: m.ShapeNet(), (1, 3, 64, 64))],
    # torchvision's newer idioms: dataclass configs, partial, copy.copy, isinstance, self.__class__,
    # an OrderedDict of blocks, and AdaptiveAvgPool2d((4, 4)) on a 3x3 map (bins repeat).
    "pytorch_torchvision_idioms.py": [("IdiomNet", lambda m: m.IdiomNet(), (1, 3, 24, 24))],
    # Video: (N, C, D, H, W) clips through Conv3d (and a subclass of it), BatchNorm3d, MaxPool3d, AdaptiveAvgPool3d.
    "pytorch_video_3d.py": [("ClipNet", lambda m: m.ClipNet(), (1, 3, 8, 48, 48))],
    # bias=False of the norms, `.bias = None` on a module and in a norm subclass, math.log(channels, 2) kernels.
    "pytorch_norm_without_bias.py": [("NoBiasNet", lambda m: m.NoBiasNet(), (2, 3, 32, 32))],
    # Eager-mode quantization modules in float: QuantStub / DeQuantStub, FloatFunctional add and add_relu.
    "pytorch_quantizable.py": [("QNet", lambda m: m.QNet(), (1, 3, 32, 32))],
    # Identity shortcuts as an empty nn.Sequential(): a leaf module PyTorch's hooks see.
    "pytorch_cifar_identity_shortcut.py": [("SmallResNet", lambda m: m.SmallResNet(), (2, 3, 32, 32))],
    # nn.ReLU(...)(x) and nn.Flatten()(x) made inside forward(): not registered, so not hooked.
    "pytorch_modules_in_forward.py": [("UnitNet", lambda m: m.UnitNet(), (1, 3, 32, 32))],
    # The input main() feeds: CIFAR-10 batches of the --batch-size default (the loader is not run here).
    "pytorch_training_script.py": [("SmallConvNet", lambda m: m.SmallConvNet(), (32, 3, 32, 32))],
    # F.interpolate to a skip connection's size, to the input's, by a fractional scale; nn.Upsample(scale_factor=2).
    "pytorch_interpolate.py": [("TinySegmenter", lambda m: m.TinySegmenter(), (2, 3, 32, 32))],
    # QuantStub/DeQuantStub and FloatFunctional.add_relu unquantized; a ModuleDict subclass fed by named_children().
    "pytorch_quant_stubs.py": [("QuantReady", lambda m: m.QuantReady(), (1, 3, 16, 16))],
    # forward() returns a dict of tensors (torchvision's segmentation models do).
    # Inputs that are not images: a Flatten-first MLP fed (N, 28, 28), an MLP on (N, 784).
    "pytorch_mlp_flatten_first.py": [("DigitMLP", lambda m: m.DigitMLP(), (1, 28, 28))],
    "pytorch_mlp_features.py": [("feature_mlp", lambda m: m.feature_mlp(), (64, 784))],
    "pytorch_linear_on_sequences.py": [("row_mixer", lambda m: m.row_mixer(), (4, 16, 10))],
    "pytorch_conv1d_signal.py": [("SignalNet", lambda m: m.SignalNet(), (8, 2, 128))],
    "pytorch_dict_output.py": [("TwoHeads", lambda m: m.TwoHeads(), (1, 3, 16, 16))],
    # A settings-only module whose forward() returns its input in eval mode: still one hooked row.
    "pytorch_identity_leaf.py": [("DropNet", lambda m: m.DropNet(), (1, 3, 32, 32))],
    # ConvNeXt's channels-last steps: permute, LayerNorm/Linear on the last dim, a LayerNorm2d subclass, a layer-scale Parameter.
    "pytorch_channels_last.py": [("TinyConvNeXt", lambda m: m.TinyConvNeXt(), (1, 3, 32, 32)), ("PaperNet", lambda m: m.PaperNet(), (1, 3, 32, 32))],
    # torchvision's segmentation idioms: a ModuleDict subclass returning an OrderedDict, `for mod in self`, a dict result, a weights enum.
    "pytorch_segmentation_heads.py": [("segmenter", lambda m: m.segmenter(), (1, 3, 32, 32))],
    # RegNet's widths from torch.arange/log/round/pow/divide/diff on constants, a classmethod, add_module in a loop.
    # __setattr__/__getattr__ by name, nn.parallel.data_parallel (always, and only on several GPUs), checkpoint().
    "pytorch_dynamic_attributes.py": [
        ("TreeNet", lambda m: m.TreeNet(), (2, 3, 32, 32)),
        ("OldGenerator", lambda m: _single_device_data_parallel(m).OldGenerator(), (2, 16, 1, 1)),
        ("Generator", lambda m: m.Generator(), (2, 16, 1, 1)),
        ("CheckpointedNet", lambda m: m.CheckpointedNet(), (2, 3, 32, 32)),
    ],
    # `for layer in net: X = layer(X)` on torch.rand(size=...): lazy modules listed as the classes they become.
    "pytorch_layerwise_loop.py": [("net", lambda m: m.net, (2, 1, 28, 28))],
    # Squeeze-and-excitation by y.expand_as(x); getattr/setattr by formatted names, padding="same", kernel_size=x.size()[2:].
    "pytorch_se_expand_as.py": [("SENetLike", lambda m: m.SENetLike(), (2, 3, 16, 16))],
    # x.flatten(2).transpose(1, 2) into tokens (MLP-Mixer, ViT's patch embedding), token mixing on the transposed tokens.
    "pytorch_token_mixing.py": [("TinyMixer", lambda m: m.TinyMixer(), (1, 3, 32, 32)), ("PatchEmbed", lambda m: m.PatchEmbed(), (1, 3, 32, 32))],
    # nn.Embedding: Kim's CNN (unsqueeze(1), Conv2d over (w, D), F.max_pool1d, cat) and a Conv1d on the permuted table.
    "pytorch_text_cnn.py": [("KimCNN", lambda m: m.KimCNN(), (2, 50)), ("ConvText", lambda m: m.ConvText(), (2, 20))],
    # torch.nn.functional's 1-D pooling (max_pool1d with ceil_mode by position, avg_pool1d over x.shape[-1]).
    "pytorch_functional_pool1d.py": [("M5", lambda m: m.M5(), (1, 1, 8000))],
    # timm's layer scales: nn.Parameter(torch.empty(dim)) filled by nn.init.constant_, a (1, -1, 1, 1) view.
    "pytorch_layer_scale.py": [("ScaledNet", lambda m: m.ScaledNet(), (1, 3, 32, 32))],
    # forward picked in __init__ (self.forward = self.forward_split_cat), FasterNet's partial convolution.
    "pytorch_instance_forward.py": [("TinyFasterNet", lambda m: m.TinyFasterNet(), (1, 3, 64, 64))],
    # A gate expanded by hand: g.expand(-1, -1, h, w) of a (N, C, 1, 1) tensor.
    "pytorch_gate_expand.py": [("GatedNet", lambda m: m.GatedNet(), (2, 3, 8, 8))],
    # spectral_norm(module) keeps the module (weight_orig replaces weight; u, v are buffers).
    "pytorch_spectral_norm.py": [("SNDiscriminator", lambda m: m.SNDiscriminator(), (8, 3, 32, 32))],
    "pytorch_regnet_widths.py": [("tiny_regnet", lambda m: m.tiny_regnet(), (1, 3, 64, 64))],
    # type(child) is nn.ReLU6, then module._modules[name] = ...: the replacements are the modules that run.
    "pytorch_replace_module.py": [("small_swapped", lambda m: m.small_swapped(), (1, 3, 12, 12))],
    # timm's ways of writing models: arch strings (re.split, isdigit), deep-copied block args, a dataclass config
    # with field(default_factory), __post_init__ and replace(), drop-path rates from torch.linspace().split(),
    # torch.split(x, width, 1), nn.Sequential subclasses iterating over themselves.
    "pytorch_timm_idioms.py": [
        ("timm_style_net", lambda m: m.timm_style_net(), (1, 3, 32, 32)),
        ("timm_style_net_relu6", lambda m: m.timm_style_net_relu6(), (1, 3, 32, 32)),
    ],
    # Reflection/replication/constant pads, InstanceNorm2d (affine and not), PixelShuffle, F.pad lists, torch.exp.
    "pytorch_image_to_image.py": [("StyleAndUpscale", lambda m: m.StyleAndUpscale(), (1, 3, 20, 24))],
    # A leaf module returning a tuple of two channel slices: one hooked call, shown with the first tensor.
    "pytorch_tuple_leaf.py": [("TwoPaths", lambda m: m.TwoPaths(), (2, 3, 8, 8))],
    # Leaf modules taking a list of tensors (timm's SelectSeq style) and a buffer kernel run by F.conv2d (BlurPool2d style).
    "pytorch_list_leaf.py": [("ListNet", lambda m: m.ListNet(), (2, 3, 16, 16))],
    # torch.stack of branch outputs into (N, paths, C, H, W), sum over dim 1 (with keepdim too), a 5-D view and softmax (timm's SKNet style).
    "pytorch_stacked_paths.py": [("StackedNet", lambda m: m.StackedNet(), (2, 3, 20, 20))],
    # Radix split attention (ResNeSt style): view(N, groups, radix, -1).transpose(1, 2), softmax, 5-D reshapes times each other, sum(dim=1).
    "pytorch_radix_attention.py": [("RadixNet", lambda m: m.RadixNet(), (2, 3, 16, 16))],
    # GroupNorm, SyncBatchNorm, PReLU (shared, per channel, on features), Hardtanh, CELU, Softmax2d, ChannelShuffle, UpsamplingBilinear2d.
    "pytorch_norms_activations.py": [("NormsAndActivations", lambda m: m.NormsAndActivations(), (2, 3, 12, 10))],
    # AlexNet at 379x379: the features end at 10x10, which AdaptiveAvgPool2d((6, 6)) pools with uneven windows.
    # EfficientNet-port idioms: collections.namedtuple configs (__new__.__defaults__, defaults=, _replace), a "same"
    # Conv2d subclass padding by a module chosen from type(size) == list and a one-item stride list, an autograd.Function swish.
    "pytorch_namedtuple_configs.py": [("TinyEfficientNet", lambda m: m.TinyEfficientNet(), (2, 3, 64, 64))],
    # Spatial transformers: F.affine_grid (the input's size, a written-out smaller one, a 5-D clip) and F.grid_sample.
    "pytorch_spatial_transformer.py": [("DigitSTN", lambda m: m.DigitSTN(), (4, 1, 28, 28)), ("ClipSTN", lambda m: m.ClipSTN(), (2, 1, 8, 12, 12))],
    "pytorch_torchvision_vgg_alexnet.py": [
        ("vgg11_bn", lambda m: m.vgg11_bn(), (1, 3, 224, 224)),
        ("alexnet", lambda m: m.alexnet(), (1, 3, 379, 379)),
        ("AlexNet", lambda m: m.AlexNet(), (1, 3, 224, 224)),
    ],
}

# Projects split over files (test/fixtures/imports/): the script imported with its directory on sys.path, as
# `python train.py` runs it; each layer also records the file of its constructor call, relative to the project.
PROJECTS_DIR = os.path.join(ROOT, "test", "fixtures", "imports")
PROJECTS = {
    "pytorch_project/train.py": [
        ("Wrapped", lambda m: m.Wrapped(), (1, 3, 32, 32)),
        # config.py edited to WIDTH = 8 (the editor's unsaved text in the tests): Wrapped reads cfg.WIDTH when made.
        ("Wrapped with config.WIDTH = 8", lambda m: (setattr(m.cfg, "WIDTH", 8), m.Wrapped())[1], (1, 3, 32, 32)),
    ],
    "pytorch_project/zoo.py": [("small_resnet", lambda m: m.small_resnet(), (1, 3, 32, 32)), ("Net", lambda m: m.Net(), (1, 3, 32, 32))],
    # `import widths` used while the model is made, `import toolbox` only by a method that never runs then.
    "lazy_import_project/net.py": [("LazyNet", lambda m: m.LazyNet(), (1, 3, 16, 16))],
    # A package whose __init__.py only re-exports (read per name), a BatchNorm2d subclass with its own forward.
    "pytorch_reexports/net.py": [("Net", lambda m: m.Net(), (1, 3, 32, 32))],
}

_construction_lines = {}
_construction_files = {}


def _wrap_init(fixture_path, project_dir=None):
    """Records each module's constructor line: the innermost frame in the fixture (or anywhere in the project)."""
    original = nn.Module.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        frame = sys._getframe(1)
        while frame is not None:
            file = os.path.abspath(frame.f_code.co_filename)
            if file == fixture_path or (project_dir and file.startswith(project_dir + os.sep)):
                _construction_lines[id(self)] = frame.f_lineno
                _construction_files[id(self)] = os.path.relpath(file, project_dir or os.path.dirname(fixture_path))
                break
            frame = frame.f_back

    nn.Module.__init__ = __init__
    return original


def _import(path):
    spec = importlib.util.spec_from_file_location(os.path.splitext(os.path.basename(path))[0], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fixture_line(tb, fixture_path):
    line = None
    for frame, lineno in traceback.walk_tb(tb):
        if os.path.abspath(frame.f_code.co_filename) == fixture_path:
            line = lineno
    return line


def run_model(module, fixture_path, name, build, input_size, with_files=False, made_on_import=None):
    _construction_lines.clear()
    _construction_files.clear()
    # Modules the fixture's top level made when imported (`net = nn.Sequential(...)`) keep their lines.
    for lines, files in [made_on_import] if made_on_import else []:
        _construction_lines.update(lines)
        _construction_files.update(files)
    model = build(module)
    model.eval()
    names = {id(m): n for n, m in model.named_modules()}
    records = []
    counts = {}

    def hook(mod, _inputs, output):
        base = names.get(id(mod), type(mod).__name__)
        counts[base] = counts.get(base, 0) + 1
        record = {
            "name": base if counts[base] == 1 else "%s#%d" % (base, counts[base]),
            "type": type(mod).__name__,
            "line": _construction_lines.get(id(mod)),
            # A module returning a tuple (a split): its first tensor, as scripts/corpus/make_expected.py records it.
            "output": list((output[0] if isinstance(output, (tuple, list)) else output).shape),
            "params": sum(p.numel() for p in mod.parameters(recurse=False)),
        }
        if with_files:
            record = {"file": _construction_files.get(id(mod)), **record}
        records.append(record)

    handles = [m.register_forward_hook(hook) for m in model.modules() if len(list(m.children())) == 0]
    entry = {
        "model": name,
        "input": list(input_size),
        "total_params": sum(p.numel() for p in model.parameters()),
    }
    try:
        with torch.no_grad():
            # A model that starts with an nn.Embedding reads token ids (int64), not floats.
            first = next((m for m in model.modules() if len(list(m.children())) == 0), None)
            model(torch.zeros(*input_size, dtype=torch.long if isinstance(first, torch.nn.Embedding) else torch.float32))
        entry["layers"] = records
    except RuntimeError as error:
        entry["error"] = {"message": str(error), "line": _fixture_line(sys.exc_info()[2], fixture_path)}
        entry["layers"] = records
    finally:
        for h in handles:
            h.remove()
    return entry


def _dump(out):
    """Indented JSON with one layer per line, so diffs stay readable."""
    lines = ["{"]
    for key in ("file", "generator", "torch"):
        lines.append("  %s: %s," % (json.dumps(key), json.dumps(out[key])))
    lines.append('  "models": [')
    for i, m in enumerate(out["models"]):
        lines.append("    {")
        for key in ("model", "input", "total_params", "error"):
            if key in m:
                lines.append("      %s: %s," % (json.dumps(key), json.dumps(m[key])))
        lines.append('      "layers": [')
        lines.append(",\n".join("        " + json.dumps(layer) for layer in m["layers"]))
        lines.append("      ]")
        lines.append("    }" + ("," if i < len(out["models"]) - 1 else ""))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def run_project(file, models):
    path = os.path.join(PROJECTS_DIR, file)
    project_dir = os.path.dirname(path)
    sys.path.insert(0, project_dir)
    sys.dont_write_bytecode = True  # no __pycache__ inside the fixtures
    original = _wrap_init(path, project_dir)
    try:
        module = _import(path)
        out = {
            "file": file,
            "generator": "scripts/pytorch/make_expected.py",
            "torch": torch.__version__,
            "models": [run_model(module, path, *m, with_files=True) for m in models],
        }
    finally:
        nn.Module.__init__ = original
        sys.path.remove(project_dir)
    target = os.path.splitext(path)[0] + ".expected.json"
    with open(target, "w") as f:
        f.write(_dump(out))
    print("wrote", os.path.relpath(target, ROOT), "".join(" %s:%d" % (m["model"], len(m["layers"])) for m in out["models"]))


def main():
    torch.manual_seed(0)
    only = set(sys.argv[1:])
    for file, models in PROJECTS.items():
        if not only or file in only:
            run_project(file, models)
    for file, models in FIXTURES.items():
        if only and file not in only:
            continue
        path = os.path.join(FIXTURES_DIR, file)
        original = _wrap_init(path)
        try:
            module = _import(path)
            made = (dict(_construction_lines), dict(_construction_files))
            out = {
                "file": file,
                "generator": "scripts/pytorch/make_expected.py",
                "torch": torch.__version__,
                "models": [run_model(module, path, *m, made_on_import=made) for m in models],
            }
        finally:
            nn.Module.__init__ = original
        target = os.path.join(FIXTURES_DIR, os.path.splitext(file)[0] + ".expected.json")
        with open(target, "w") as f:
            f.write(_dump(out))
        print("wrote", os.path.relpath(target, ROOT), "".join(" %s:%d" % (m["model"], len(m["layers"])) for m in out["models"]))


if __name__ == "__main__":
    main()
