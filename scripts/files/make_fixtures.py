"""Makes the model-file fixtures (test/fixtures/files/) with the real tools, and the expectations beside them.

Run with the project's venv (TensorFlow 2.21 / Keras 3, torch 2.13, onnx, onnxscript for the dynamo exporter):
    /work/venv/bin/python scripts/files/make_fixtures.py [keras|torch|exported ...]
Every number in expected.json comes from the frameworks (Keras count_params and layer output shapes, torch
parameters/buffers, forward hooks and FlopCounterMode), never from CNN Inspector. The tfjs fixture is made by
scripts/files/make_tfjs_fixture.ts (TensorFlow.js's own Keras-JSON deserializer and model.save).
"""
import json
import os
import pickle
import shutil
import sys
import tempfile
import zipfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "files")
OUT = os.path.abspath(OUT)
# Paths the crafted files try to create when a framework loads them; tests assert they never appear.
MARKER_KERAS = "/tmp/cnn_inspector_marker_keras_lambda"
MARKER_PICKLE = os.path.join(tempfile.gettempdir(), "cnn_inspector_marker_pickle")

expected = {}


def keras_models():
    import keras
    from keras import layers as L

    inp = keras.Input((32, 32, 3), name="image")
    x = L.Conv2D(16, 3, padding="same", use_bias=False, name="stem_conv")(inp)
    x = L.BatchNormalization(name="stem_bn")(x)
    x = L.ReLU(name="stem_relu")(x)
    x = L.MaxPooling2D(2, name="pool1")(x)
    a = L.Conv2D(8, 1, activation="relu", name="b1_reduce")(x)
    a = L.Conv2D(16, 3, padding="same", name="b1_conv")(a)
    x2 = L.Add(name="b1_add")([x, a])
    b = L.Conv2D(8, 1, name="br_1x1")(x2)
    c = L.DepthwiseConv2D(3, padding="same", name="br_dw")(x2)
    y = L.Concatenate(name="concat")([b, c])
    y = L.AveragePooling2D(2, strides=2, name="avg")(y)
    y = L.Flatten(name="flat")(y)
    y = L.Dropout(0.2, name="drop")(y)
    out = L.Dense(10, activation="softmax", name="logits")(y)
    functional = keras.Model(inp, out, name="keras_small")

    sequential = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            L.Conv2D(6, 5, activation="tanh", padding="same", name="c1"),
            L.AveragePooling2D(2, name="s2"),
            L.Conv2D(16, 5, activation="tanh", name="c3"),
            L.AveragePooling2D(2, name="s4"),
            L.Flatten(name="flatten"),
            L.Dense(120, activation="tanh", name="f5"),
            L.Dense(84, activation="tanh", name="f6"),
            L.Dense(10, activation="softmax", name="out"),
        ],
        name="keras_lenet",
    )
    return functional, sequential


def keras_expectation(model):
    import numpy as np

    def count(ws):
        return int(sum(int(np.prod(w.shape)) for w in ws))

    rows = []
    for layer in model.layers:
        if layer.__class__.__name__ == "InputLayer":
            continue
        rows.append({
            "name": layer.name,
            "type": layer.__class__.__name__,
            "outputShape": list(layer.output.shape),
            "params": layer.count_params(),
            "trainableParams": count(layer.trainable_weights),
        })
    return {
        "input": list(model.inputs[0].shape),
        "layers": rows,
        "params": model.count_params(),
        "trainableParams": count(model.trainable_weights),
        "nonTrainableParams": count(model.non_trainable_weights),
    }


def strip_h5_weights(path):
    """A weights-free copy of a Keras .h5: the same root attributes (model_config...), no model_weights data."""
    import h5py

    tmp = path + ".tmp"
    with h5py.File(path, "r") as src, h5py.File(tmp, "w") as dst:
        for k, v in src.attrs.items():
            dst.attrs[k] = v
    os.replace(tmp, path)


def strip_keras_weights(path):
    """A weights-free .keras: config.json and metadata.json as Keras wrote them, no model.weights.h5."""
    tmp = path + ".tmp"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename.endswith(".json"):
                dst.writestr(info, src.read(info.filename))
    os.replace(tmp, path)


def make_keras():
    import numpy as np
    import keras
    from keras import layers as L

    functional, sequential = keras_models()
    for model in (functional, sequential):
        name = model.name
        model.save(os.path.join(OUT, f"{name}.keras"))
        strip_keras_weights(os.path.join(OUT, f"{name}.keras"))
        model.save(os.path.join(OUT, f"{name}.h5"))
        strip_h5_weights(os.path.join(OUT, f"{name}.h5"))
        with open(os.path.join(OUT, f"{name}.keras_json"), "w") as f:
            f.write(model.to_json())
        expected[name] = keras_expectation(model)

    # The same functional model with weights kept, to show a real .keras opens without its weights being read.
    functional.save(os.path.join(OUT, "keras_small_with_weights.keras"))

    # A Lambda whose code creates a marker file when Keras loads the model with safe_mode=False.
    inp = keras.Input((8, 8, 3), name="x")
    y = L.Conv2D(4, 3, name="conv")(inp)
    # Keras marshals only the code, not globals: the marker path is a literal (MARKER_KERAS).
    y = L.Lambda(lambda t: (__import__("os").system("touch /tmp/cnn_inspector_marker_keras_lambda"), t)[1],
                 output_shape=(6, 6, 4), name="evil_lambda")(y)
    y = L.Flatten(name="flat")(y)
    y = L.Dense(2, name="head")(y)
    evil = keras.Model(inp, y, name="keras_lambda")
    path = os.path.join(OUT, "keras_lambda.keras")
    evil.save(path)  # weights kept (a few KB): Keras refuses to load a .keras without them
    if os.path.exists(MARKER_KERAS):
        os.remove(MARKER_KERAS)
    keras.config.enable_unsafe_deserialization()
    loaded = keras.saving.load_model(path, compile=False, safe_mode=False)
    loaded(np.zeros((1, 8, 8, 3), "float32"))
    assert os.path.exists(MARKER_KERAS), "the crafted Lambda did not run in Keras: the fixture proves nothing"
    os.remove(MARKER_KERAS)
    expected["keras_lambda"] = {"marker": MARKER_KERAS, "lambdaLayer": "evil_lambda", "beforeLambda": "conv",
                                "convOutputShape": list(evil.get_layer("conv").output.shape)}

    # CVE-2025-1550 style: a config naming an arbitrary module function as a layer class.
    cfg = json.loads(evil.to_json())
    for layer in cfg["config"]["layers"]:
        if layer["name"] == "evil_lambda":
            layer["module"] = "os"
            layer["class_name"] = "system"
            layer["registered_name"] = None
            layer["config"] = {"command": "touch " + MARKER_KERAS}
    with zipfile.ZipFile(os.path.join(OUT, "keras_cve_2025_1550.keras"), "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": keras.__version__, "date_saved": "2026-01-01@00:00:00"}))
        z.writestr("config.json", json.dumps(cfg))

    # Lambda with a stated output_shape keeps the shapes after it.
    inp = keras.Input((8, 8, 3), name="x")
    y = L.Conv2D(4, 3, name="conv")(inp)
    y = L.Lambda(lambda t: t * 2, output_shape=(6, 6, 4), name="scale")(y)
    y = L.Flatten(name="flat")(y)
    y = L.Dense(2, name="head")(y)
    stated = keras.Model(inp, y, name="keras_lambda_shape")
    path = os.path.join(OUT, "keras_lambda_shape.keras")
    stated.save(path)
    strip_keras_weights(path)
    expected["keras_lambda_shape"] = keras_expectation(stated)

    # TFLite: TensorFlow's converter folds batch norm into the convolution and fuses activations.
    import tensorflow as tf

    tflite = tf.lite.TFLiteConverter.from_keras_model(functional).convert()
    with open(os.path.join(OUT, "keras_small.tflite"), "wb") as f:
        f.write(tflite)
    interp = tf.lite.Interpreter(model_content=tflite)
    ops = interp._get_ops_details()
    shapes = {t["index"]: t["shape"].tolist() for t in interp.get_tensor_details()}
    weighted = {"CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"}
    # Weight elements per op use (inputs after the activation); the converter may share identical constants.
    per_use = sum(int(np.prod(shapes[i])) for op in ops if op["op_name"] in weighted for i in op["inputs"][1:] if i >= 0)
    expected["keras_small_tflite"] = {
        "input": interp.get_input_details()[0]["shape"].tolist(),
        "output": interp.get_output_details()[0]["shape"].tolist(),
        "ops": [op["op_name"] for op in ops],
        "outputShapes": {op["index"]: shapes[op["outputs"][0]] for op in ops},
        "weightElementsPerUse": per_use,
    }

    # Models used as layers (a base model inside a Sequential or a functional model), as transfer learning does.
    binp = keras.Input((32, 32, 3), name="base_in")
    bx = L.Conv2D(8, 3, padding="same", use_bias=False, name="base_conv")(binp)
    bx = L.BatchNormalization(name="base_bn")(bx)
    bx = L.ReLU(name="base_relu")(bx)
    base = keras.Model(binp, bx, name="base")
    seq = keras.Sequential([keras.Input((32, 32, 3)), base, L.GlobalAveragePooling2D(name="gap"), L.Dense(5, name="head")], name="keras_nested_sequential")
    finp = keras.Input((32, 32, 3), name="image")
    fy = L.Dense(5, name="head")(L.GlobalAveragePooling2D(name="gap")(base(finp)))
    func = keras.Model(finp, fy, name="keras_nested_functional")
    for nested in (seq, func):
        path = os.path.join(OUT, f"{nested.name}.keras")
        nested.save(path)
        strip_keras_weights(path)
        expected[nested.name] = keras_expectation(nested)

    # Keras's Normalization (EfficientNet's first layers) and a Conv2D with one group per channel (ConvNeXt's).
    ninp = keras.Input((16, 16, 3), name="pixels")
    ny = L.Rescaling(1 / 255, name="rescale")(ninp)
    ny = L.Normalization(axis=-1, name="norm")(ny)
    ny = L.Conv2D(12, 3, padding="same", name="stem")(ny)
    ny = L.Conv2D(12, 7, padding="same", groups=12, name="dw_groups")(ny)
    ny = L.GlobalAveragePooling2D(name="gap")(ny)
    norm = keras.Model(ninp, L.Dense(4, name="head")(ny), name="keras_normalization_groups")
    path = os.path.join(OUT, "keras_normalization_groups.keras")
    norm.save(path)
    strip_keras_weights(path)
    expected[norm.name] = keras_expectation(norm)

    # Keras Applications VGG16, config only: the benchmark (bench/modelFiles.ts) writes it into an .h5 with
    # 528 MB of weights; the tests read the config alone.
    vgg = keras.applications.VGG16(weights=None)
    with open(os.path.join(OUT, "vgg16.keras_json"), "w") as f:
        f.write(vgg.to_json())
    expected["vgg16_keras"] = keras_expectation(vgg)

    # An HDF5 file that is not a Keras model.
    import h5py

    with h5py.File(os.path.join(OUT, "not_keras.h5"), "w") as f:
        f.create_dataset("data", data=[1, 2, 3])
        f.attrs["title"] = "measurements"


def import_torchvision():
    """torchvision 0.28's compiled ops do not load beside this venv's torch 2.13 (\"torchvision::nms does not
    exist\"); the models need none of them, so their fake-kernel registration is skipped while importing."""
    import torch.library

    original = torch.library.register_fake
    torch.library.register_fake = lambda *a, **k: (lambda f: f)
    try:
        import torchvision
    finally:
        torch.library.register_fake = original
    return torchvision


import torch  # noqa: E402  (after the environment settings above)
from torch import nn  # noqa: E402


class Small(nn.Module):
    """At module level so torch.save(model) can pickle it by name (__main__.Small)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.reduce = nn.Conv2d(16, 8, 1)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.pool(self.relu(self.bn1(self.conv1(x))))
        y = self.conv2(self.relu(self.reduce(x)))
        x = self.relu(x + y)
        return self.fc(torch.flatten(self.gap(x), 1))


def torch_models():
    torch.manual_seed(0)
    return Small().eval()


def torch_expectation(model, x):
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    shapes = {}
    hooks = [m.register_forward_hook(lambda m, i, o, n=n: shapes.__setitem__(n, list(o.shape)))
             for n, m in model.named_modules() if n]
    counter = FlopCounterMode(display=False)
    with torch.no_grad(), counter:
        model(x)
    for h in hooks:
        h.remove()
    by_module = {}
    for name, ops in counter.get_flop_counts().items():
        if name != "Global":
            by_module[name] = int(sum(ops.values())) // 2
    params = sum(p.numel() for p in model.parameters())
    buffers = sum(b.numel() for n, b in model.named_buffers() if not n.endswith("num_batches_tracked"))
    return {
        "input": list(x.shape),
        "moduleOutputShapes": shapes,
        "params": params,
        "bnRunningStats": buffers,
        "macs": int(sum(counter.get_flop_counts()["Global"].values())) // 2,
        "macsByModule": by_module,
        "stateDict": {k: list(v.shape) for k, v in model.state_dict().items()},
    }


def make_torch():
    import torch

    model = torch_models()
    x = torch.randn(1, 3, 32, 32)
    expected["torch_small"] = torch_expectation(model, x)

    # ONNX, eval mode with constant folding (the exporter's default): batch norm folded into conv1.
    torch.onnx.export(model, x, os.path.join(OUT, "torch_small_folded.onnx"), dynamo=False,
                      input_names=["input"], output_names=["logits"])
    # ONNX with batch norm kept (training mode, no folding), weights left out.
    torch.onnx.export(model, x, os.path.join(OUT, "torch_small_bn.onnx"), dynamo=False, export_params=False,
                      training=torch.onnx.TrainingMode.TRAINING, do_constant_folding=False,
                      input_names=["input"], output_names=["logits"])
    model.eval()
    import onnx

    folded = onnx.load(os.path.join(OUT, "torch_small_folded.onnx"))
    float_types = {onnx.TensorProto.FLOAT, onnx.TensorProto.FLOAT16, onnx.TensorProto.DOUBLE}
    expected["torch_small_folded_onnx"] = {
        "floatInitializerElements": sum(int(__import__("numpy").prod(t.dims)) for t in folded.graph.initializer if t.data_type in float_types),
        "ops": [n.op_type for n in folded.graph.node],
    }

    # The same graph with onnx's shape inference run, so the file states every tensor's shape (value_info).
    inferred = onnx.shape_inference.infer_shapes(folded)
    onnx.save(inferred, os.path.join(OUT, "torch_small_value_info.onnx"))
    expected["torch_small_value_info_onnx"] = {
        "valueInfo": {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim] for v in inferred.graph.value_info},
    }

    # x.view(x.size(0), -1) exported without constant folding: the shape is Constant → Unsqueeze → Concat.
    class ViewNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 6, 5)
            self.fc = nn.Linear(6 * 24 * 24, 10)

        def forward(self, x):
            x = torch.relu(self.conv(x))
            return self.fc(x.view(x.size(0), -1))

    view = ViewNet().eval()
    vx = torch.randn(1, 1, 28, 28)
    torch.onnx.export(view, vx, os.path.join(OUT, "torch_view_unfolded.onnx"), dynamo=False, export_params=False,
                      training=torch.onnx.TrainingMode.TRAINING, do_constant_folding=False, input_names=["input"])
    view.eval()
    v = torch_expectation(view, vx)
    expected["torch_view_unfolded_onnx"] = {"params": v["params"], "macs": v["macs"],
                                            "ops": [n.op_type for n in onnx.load(os.path.join(OUT, "torch_view_unfolded.onnx")).graph.node]}

    # PixelShuffle exports as DepthToSpace (the engine's PixelShuffle; torch: 744 params, 405,504 MACs, (1, 8, 32, 32)).
    shuffle = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.PixelShuffle(2), nn.Conv2d(4, 8, 3, padding=1)).eval()
    torch.onnx.export(shuffle, torch.randn(1, 3, 16, 16), os.path.join(OUT, "torch_pixel_shuffle.onnx"), dynamo=False,
                      export_params=False, input_names=["input"], output_names=["out"])
    expected["torch_pixel_shuffle_onnx"] = {"ops": [n.op_type for n in onnx.load(os.path.join(OUT, "torch_pixel_shuffle.onnx")).graph.node],
                                             "firstConvParams": sum(p.numel() for p in shuffle[0].parameters())}

    # State dict and whole-model checkpoints (zip format), and TorchScript.
    torch.save(model.state_dict(), os.path.join(OUT, "torch_small_state_dict.pth"))
    # The whole module pickled (its class by name): parameters and buffers are told apart by the module itself.
    torch.save(model, os.path.join(OUT, "torch_small_module.pt"))
    # The legacy (pre-1.6, not zip) format.
    torch.save(model.state_dict(), os.path.join(OUT, "torch_small_legacy.pth"), _use_new_zipfile_serialization=False)
    torch.jit.save(torch.jit.script(model), os.path.join(OUT, "torch_small_scripted.pt"))
    with zipfile.ZipFile(os.path.join(OUT, "torch_small_scripted.pt")) as z:
        expected["torch_small_scripted"] = {"code": sorted(n for n in z.namelist() if "/code/" in n and n.endswith(".py"))}

    # A pickle that runs os.system when torch.load(weights_only=False) or pickle.load reads it.
    class Evil:
        def __reduce__(self):
            return (os.system, ("touch " + MARKER_PICKLE,))

    evil_path = os.path.join(OUT, "torch_evil.pth")
    torch.save({"conv.weight": torch.zeros(4, 3, 3, 3), "payload": Evil()}, evil_path)
    if os.path.exists(MARKER_PICKLE):
        os.remove(MARKER_PICKLE)
    torch.load(evil_path, weights_only=False)
    assert os.path.exists(MARKER_PICKLE), "the crafted pickle did not run: the fixture proves nothing"
    os.remove(MARKER_PICKLE)
    expected["torch_evil"] = {"marker": MARKER_PICKLE, "stateDict": {"conv.weight": [4, 3, 3, 3]}}

    torchvision = import_torchvision()
    # torchvision VGG16 graph without weights: the benchmark adds 528 MB of initializers to it.
    vgg = torchvision.models.vgg16().eval()
    torch.onnx.export(vgg, torch.randn(1, 3, 224, 224), os.path.join(OUT, "vgg16_graph.onnx"), dynamo=False,
                      export_params=False, input_names=["input"], output_names=["logits"])
    expected["vgg16_torch"] = {"params": sum(p.numel() for p in vgg.parameters())}

    # torchvision ResNet-50, batch norm kept, no weights: the graph and the parameter shapes only.
    resnet = torchvision.models.resnet50().eval()
    x = torch.randn(1, 3, 224, 224)
    torch.onnx.export(resnet, x, os.path.join(OUT, "resnet50_bn.onnx"), dynamo=False, export_params=False,
                      training=torch.onnx.TrainingMode.TRAINING, do_constant_folding=False,
                      input_names=["input"], output_names=["logits"])
    resnet.eval()
    r = torch_expectation(resnet, x)
    expected["resnet50"] = {k: r[k] for k in ("input", "params", "bnRunningStats", "macs")}


def trained_like(model):
    """Weights as training leaves them (no zero bias, no identity batch norm): the dynamo exporter's optimizer
    drops a zero bias and folds an identity batch norm away, which a trained model's file never shows."""
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.05)
        for m in model.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=g))
                m.running_var.copy_(torch.rand(m.running_var.shape, generator=g) + 0.5)
    return model.eval()


def onnx_weight_elements(path):
    """Float weight elements the file's Conv/Gemm/MatMul/BatchNormalization nodes use, read with onnx."""
    import numpy as np
    import onnx

    g = onnx.load(path, load_external_data=False).graph
    dims = {t.name: list(t.dims) for t in g.initializer if t.data_type == onnx.TensorProto.FLOAT}
    for i in g.input:
        if i.name not in dims and i.type.tensor_type.elem_type == onnx.TensorProto.FLOAT:
            dims[i.name] = [d.dim_value for d in i.type.tensor_type.shape.dim]
    used = {name for n in g.node if n.op_type in ("Conv", "Gemm", "MatMul", "BatchNormalization") for name in n.input[1:] if name in dims}
    return int(sum(int(np.prod(dims[n])) for n in used))


def exported(name, model, x, **options):
    """Exports with torch.onnx.export's defaults plus options; the expectation: torch's numbers and the file's."""
    import onnx

    path = os.path.join(OUT, f"{name}.onnx")
    torch.onnx.export(model, (x,), path, **options)
    model.eval()
    e = torch_expectation(model, x)
    graph = onnx.load(path, load_external_data=False).graph
    expected[name] = {k: e[k] for k in ("input", "params", "bnRunningStats", "macs", "moduleOutputShapes")}
    expected[name].update(weightElements=onnx_weight_elements(path), ops=[n.op_type for n in graph.node],
                          output=[d.dim_value for d in graph.output[0].type.tensor_type.shape.dim])


def make_exported():
    """Small models through the exporters' defaults, one per op that the file corpus (make_file_corpus.py) showed
    the readers missing."""
    # torch 2.13's default exporter (dynamo): AdaptiveAvgPool2d(1) becomes ReduceMean with its axes as an input,
    # batch norm is fused by onnxscript's optimizer (the bias it adds is named WEIGHT_bias), weights go to
    # NAME.onnx.data beside the graph.
    class DynamoGap(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3, padding=1, bias=False)
            self.bn = nn.BatchNorm2d(8)
            self.gap = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(8, 8)

        def forward(self, x):
            y = torch.relu(self.bn(self.conv(x)))
            # keepdims=1 (the pooling) and keepdims=0 (the mean).
            return self.fc(torch.flatten(self.gap(y), 1)) + y.mean((2, 3))

    exported("torch_dynamo_gap", trained_like(DynamoGap()), torch.randn(1, 3, 16, 16))

    # A grouped convolution (RegNet's, ResNeXt's), TorchScript exporter without weights.
    grouped = trained_like(nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 16, 3, padding=1, groups=4), nn.ReLU(),
                                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 4)))
    exported("torch_grouped_conv", grouped, torch.randn(1, 3, 16, 16), dynamo=False, export_params=False)

    # ShuffleNet's channel ops: x.chunk(2, dim=1) (legacy: Shape → Gather → Add → Div → Mul → Slice; dynamo: Split)
    # and channel_shuffle's view → transpose(1, 2) → view.
    class Shuffle(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Conv2d(3, 8, 3, padding=1)
            self.branch = nn.Conv2d(4, 4, 1)
            self.head = nn.Linear(8, 4)

        def forward(self, x):
            x = torch.relu(self.stem(x))
            a, b = x.chunk(2, dim=1)
            x = torch.cat((a, torch.relu(self.branch(b))), dim=1)
            n, c, h, w = x.size()
            x = x.view(n, 2, c // 2, h, w).transpose(1, 2).contiguous().view(n, -1, h, w)
            return self.head(x.mean((2, 3)))

    shuffle_model = trained_like(Shuffle())
    exported("torch_shuffle_legacy", shuffle_model, torch.randn(1, 3, 8, 8), dynamo=False, export_params=False)
    exported("torch_shuffle_dynamo", shuffle_model, torch.randn(1, 3, 8, 8), external_data=False)

    # ConvNeXt's layer scale (a parameter that Mul reads first), without weights: the parameter is a graph input
    # beside the image; the reader has no engine layer for a per-channel scale and must say so, located.
    class LayerScale(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3, padding=1)
            self.layer_scale = nn.Parameter(torch.full((8, 1, 1), 1e-6))

        def forward(self, x):
            return self.layer_scale * self.conv(x)

    exported("torch_layer_scale", trained_like(LayerScale()), torch.randn(1, 3, 8, 8), dynamo=False, export_params=False)

    # EfficientNet's preprocessing as Keras Applications writes it: Rescaling then Normalization(axis=3), whose axis the
    # config states as [3]; the rank after Rescaling is the inbound tensor's stated shape.
    import keras
    from keras import layers as L

    inp = keras.Input((16, 16, 3), name="pixels")
    y = L.Normalization(axis=3, name="norm")(L.Rescaling(1 / 255, name="rescale")(inp))
    y = L.GlobalAveragePooling2D(name="gap")(L.Conv2D(8, 3, name="stem")(y))
    pre = keras.Model(inp, L.Dense(4, name="head")(y), name="keras_rescale_normalization")
    path = os.path.join(OUT, "keras_rescale_normalization.keras")
    pre.save(path)
    strip_keras_weights(path)
    expected[pre.name] = keras_expectation(pre)
    with zipfile.ZipFile(path) as z:
        expected[pre.name]["normalizationAxis"] = next(l for l in json.loads(z.read("config.json"))["config"]["layers"] if l["name"] == "norm")["config"]["axis"]

    # Hostile (issue 7): one bit flipped in a name the second Conv reads ("/1/Relu_output_0" → "/1/Relu_outpu4_0"),
    # as a corrupt download gives; before, the reader skipped the rest of the graph and reported a smaller model
    # as complete. onnx.checker says why the file is wrong.
    import onnx

    data = bytearray(open(os.path.join(OUT, "torch_grouped_conv.onnx"), "rb").read())
    at = data.index(b"/1/Relu_output_0", data.index(b"/1/Relu_output_0") + 1)
    data[at + len(b"/1/Relu_outpu")] ^= 0x40
    hostile = os.path.join(OUT, "..", "hostile", "onnx_dangling_name.onnx")
    with open(hostile, "wb") as f:
        f.write(data)
    # A state dict with one bit flipped in data.pkl (conv1.weight's 16 output channels read as 17): the zip's CRC-32
    # no longer matches. torch.load refuses it; before, the reader counted 459 parameters for conv1 instead of 432.

    data = bytearray(open(os.path.join(OUT, "torch_small_state_dict.pth"), "rb").read())
    at = data.index(b"K\x10K\x03K\x03K\x03")
    data[at + 1] ^= 0x01
    flipped = os.path.join(OUT, "..", "hostile", "torch_flipped_size.pth")
    with open(flipped, "wb") as f:
        f.write(data)
    try:
        zipfile.ZipFile(flipped).read("torch_small_state_dict/data.pkl")
        raise AssertionError("zipfile accepts the flipped file: it proves nothing")
    except zipfile.BadZipFile as error:
        print("zipfile:", error)
    try:
        torch.load(flipped, weights_only=True)
        raise AssertionError("torch.load accepts the flipped file: it proves nothing")
    except RuntimeError as error:
        print("torch.load:", str(error).splitlines()[0])

    try:
        onnx.checker.check_model(onnx.load(hostile), full_check=True)
        raise AssertionError("onnx accepts the flipped file: it proves nothing")
    except onnx.checker.ValidationError as error:
        print("onnx.checker:", str(error).splitlines()[0])


SECTIONS = {"keras": lambda: make_keras(), "torch": lambda: make_torch(), "exported": lambda: make_exported()}


def main():
    """All fixtures, or (python make_fixtures.py SECTION...) only those sections, keeping the other expectations."""
    os.makedirs(OUT, exist_ok=True)
    only = sys.argv[1:]
    if only:
        with open(os.path.join(OUT, "expected.json")) as f:
            # Integer keys (TFLite op indices) were ints when written: keep their numeric order.
            expected.update(json.load(f, object_pairs_hook=lambda kv: {int(k) if k.isdigit() else k: v for k, v in kv}))
    for name, make in SECTIONS.items():
        if not only or name in only:
            make()
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
