"""Writes a corpus of model files made by the real tools, used as the tools write them, into .file-corpus/
(gitignored: the files are large), and the facts about each into test/fixtures/file-corpus/expected.json.

Run with the project's venv (torch 2.13 + torchvision 0.28 + onnxscript, Keras 3.15 on TensorFlow 2.21):
    /work/venv/bin/python scripts/files/make_file_corpus.py [name-filter]
then score the product on it:
    node --import tsx scripts/files/score_file_corpus.ts [name-filter] [--misses]

Files, per torchvision model (weights=None, eval mode, one 1x3xHxW input):
    NAME.dynamo.onnx            torch.onnx.export(model, (x,), path)  (torch 2.13's default: dynamo=True)
    NAME.legacy.onnx            torch.onnx.export(..., dynamo=False)   (TorchScript exporter, its defaults:
                                 export_params=True, do_constant_folding=True, so batch norm is folded)
    NAME.legacy_noparams.onnx   the same with export_params=False (weights are graph inputs)
    NAME.state_dict.pth / NAME.module.pt   torch.save(model.state_dict()) / torch.save(model)
    NAME.script.pt / NAME.trace.pt         torch.jit.script / torch.jit.trace (a few models)
per Keras Application (weights=None): NAME.keras, NAME.h5 (model.save, weights kept), and for a few NAME.tflite
(tf.lite.TFLiteConverter.from_keras_model). tfjs model.json: the tensorflowjs converter is not on the package
mirror (pip download tensorflowjs finds no version), so there is none.

Facts (never CNN Inspector's numbers): PyTorch parameters()/buffers, MACs = FlopCounterMode's total / 2,
output shape from a forward pass; per ONNX file the float weight elements its Conv/Gemm/MatMul/
BatchNormalization nodes use (read with the onnx package) and whether batch norm is still in the graph; Keras
count_params(), trainable/non-trainable, MACs as scripts/corpus/make_expected.py counts them (keras_macs);
TFLite the weight elements per op use from TensorFlow's interpreter.
"""
import hashlib
import importlib.util
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(ROOT, ".file-corpus")
FACTS = os.path.join(ROOT, "test", "fixtures", "file-corpus", "expected.json")
FILTER = sys.argv[1] if len(sys.argv) > 1 else ""

# name, constructor (torchvision.models.<name>(weights=None, **kwargs)), input H=W, extras
TORCH_MODELS = [
    ("resnet18", {}, 224, {"script", "trace"}),
    ("resnet50", {}, 224, set()),
    ("mobilenet_v2", {}, 224, {"script"}),
    ("mobilenet_v3_small", {}, 224, {"trace"}),
    ("mobilenet_v3_large", {}, 224, set()),
    ("efficientnet_b0", {}, 224, set()),
    ("densenet121", {}, 224, set()),
    ("squeezenet1_1", {}, 224, {"script", "trace"}),
    ("shufflenet_v2_x1_0", {}, 224, set()),
    ("googlenet", {"aux_logits": False, "init_weights": True}, 224, set()),
    ("inception_v3", {"aux_logits": False, "init_weights": True}, 299, set()),
    ("convnext_tiny", {}, 224, set()),
    ("regnet_y_400mf", {}, 224, set()),
    ("vgg11", {}, 224, set()),
    ("alexnet", {}, 224, set()),
    ("mnasnet1_0", {}, 224, set()),
]
KERAS_MODELS = [  # small and new families first: a run cut short still covers every family
    ("VGG16", {"tflite"}),
    ("MobileNet", set()),
    ("MobileNetV2", {"tflite"}),
    ("MobileNetV3Small", {"tflite"}),
    ("MobileNetV3Large", set()),
    ("EfficientNetB0", {"tflite"}),
    ("EfficientNetV2B0", set()),
    ("NASNetMobile", set()),
    ("ResNet50", {"tflite"}),
    ("ResNet50V2", set()),
    ("DenseNet121", set()),
    ("InceptionV3", set()),
    ("Xception", set()),
    ("ConvNeXtTiny", set()),
    ("DenseNet169", set()),
    ("InceptionResNetV2", set()),
    ("VGG19", set()),
]
WEIGHTED_ONNX = {"Conv", "Gemm", "MatMul", "BatchNormalization", "ConvTranspose"}
NORMALIZATIONS_ONNX = {"LayerNormalization", "InstanceNormalization", "GroupNormalization", "PRelu"}
ELEMENTWISE_ONNX = {"Add", "Mul", "Sub", "Div"}


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def import_torchvision():
    """torchvision 0.28's compiled ops do not load beside this venv's torch 2.13 ("torchvision::nms does not
    exist"); the models need none of them, so their fake-kernel registration is skipped while importing."""
    import torch.library

    original = torch.library.register_fake
    torch.library.register_fake = lambda *a, **k: (lambda f: f)
    try:
        import torchvision
    finally:
        torch.library.register_fake = original
    return torchvision


def randomise_weights(model):
    """Weights as training leaves them. weights=None leaves zero biases and batch norm at scale 1, shift 0, mean 0,
    variance 1, which the dynamo exporter's optimizer folds away (a Linear without its zero bias, a
    convolution without bias): the file would hold fewer weights than a trained model's. The counts do not change."""
    import torch

    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.05)
        for m in model.modules():
            if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
                m.weight.copy_(torch.rand(m.weight.shape, generator=g) + 0.5)
                m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=g))
                m.running_var.copy_(torch.rand(m.running_var.shape, generator=g) + 0.5)
    return model


def torch_facts(model, x):
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    called = set()
    leaves = [m for m in model.modules() if len(list(m.children())) == 0]
    hooks = [m.register_forward_hook(lambda m, i, o: called.add(id(m))) for m in leaves]
    counter = FlopCounterMode(display=False)
    with torch.no_grad(), counter:
        y = model(x)
    for h in hooks:
        h.remove()
    buffers = sum(b.numel() for n, b in model.named_buffers() if not n.endswith("num_batches_tracked"))
    return {
        "params": sum(p.numel() for p in model.parameters()),
        "trainableParams": sum(p.numel() for p in model.parameters() if p.requires_grad),
        "bnRunningStats": buffers,
        "macs": counter.get_total_flops() // 2,
        "input": list(x.shape),
        "output": list(y.shape),
        "leafModules": len(leaves),
        "leafModulesCalled": len(called),
    }


def onnx_facts(path):
    """What the file holds, read with the onnx package (external data is not loaded: dims are enough)."""
    import numpy as np
    import onnx

    m = onnx.load(path, load_external_data=False)
    g = m.graph
    floats = {onnx.TensorProto.FLOAT, onnx.TensorProto.FLOAT16, onnx.TensorProto.DOUBLE, onnx.TensorProto.BFLOAT16}
    tensors = {t.name: (t.data_type, list(t.dims)) for t in g.initializer}
    for i in g.input:
        if i.name not in tensors and i.type.tensor_type.elem_type in floats:
            tensors[i.name] = (i.type.tensor_type.elem_type, [d.dim_value for d in i.type.tensor_type.shape.dim])
    # Weights reach their op directly or through Identity / Transpose / Reshape / Cast of an initializer.
    alias = {}
    for n in g.node:
        if n.op_type in ("Identity", "Transpose", "Cast", "Reshape") and n.input and n.input[0] in tensors:
            alias[n.output[0]] = n.input[0]
    used = set()
    for n in g.node:
        if n.op_type in WEIGHTED_ONNX or n.op_type in NORMALIZATIONS_ONNX:
            for name in n.input[1:]:
                name = alias.get(name, name)
                if name in tensors and tensors[name][0] in floats:
                    used.add(name)
        elif n.op_type in ELEMENTWISE_ONNX:
            # A float operand of more than one element is a bias or a scale the model holds (Linear's bias after a
            # MatMul, ConvNeXt's layer_scale); scalars (x * 0.5, GELU's 1/sqrt(2)) are not parameters.
            for name in n.input:
                name = alias.get(name, name)
                if name in tensors and tensors[name][0] in floats and int(np.prod(tensors[name][1])) > 1:
                    used.add(name)
    ops = {}
    for n in g.node:
        ops[n.op_type] = ops.get(n.op_type, 0) + 1
    return {
        "opset": next((o.version for o in m.opset_import if o.domain in ("", "ai.onnx")), None),
        "producer": f"{m.producer_name} {m.producer_version}",
        "externalData": any(t.data_location == onnx.TensorProto.EXTERNAL for t in g.initializer),
        "weightElements": int(sum(int(np.prod(tensors[n][1])) for n in used)),
        "batchNormInGraph": "BatchNormalization" in ops,
        "ops": dict(sorted(ops.items())),
        "nodes": len(g.node),
    }


def save_facts(facts):
    """Written after every model, so an interrupted run keeps what it made."""
    with open(FACTS, "w") as f:
        json.dump(dict(sorted(facts.items())), f, indent=1, sort_keys=True)
        f.write("\n")


def already_made(facts, files):
    """True when every file is on disk with the size its facts record: a rerun after an interruption skips it."""
    return all(f in facts and os.path.exists(os.path.join(OUT, f)) and os.path.getsize(os.path.join(OUT, f)) == facts[f]["bytes"] for f in files)


def torch_versions():
    import onnx
    import torch

    torchvision = import_torchvision()
    versions = {"torch": torch.__version__, "torchvision": torchvision.__version__, "onnx": onnx.__version__}
    try:
        import onnxscript

        versions["onnxscript"] = onnxscript.__version__
    except ImportError:
        pass
    try:
        import timm

        versions["timm"] = timm.__version__
    except ImportError:
        pass
    return versions


# Every export path torch 2.13 offers: the dynamo exporter (default, opset 18), the TorchScript exporter
# (dynamo=False) with and without export_params, and the TorchScript exporter at older opsets.
DEFAULT_EXPORTS = [("dynamo", {}), ("legacy", {"dynamo": False}), ("legacy_noparams", {"dynamo": False, "export_params": False})]
OPSET_EXPORTS = [(f"legacy_opset{v}", {"dynamo": False, "opset_version": v}) for v in (11, 13, 15, 17)]


def export_torch(facts, name, label, model, x, extras, versions, exports=DEFAULT_EXPORTS):
    """All the files of one PyTorch model, with the framework's facts for each; skipped when already made."""
    import torch

    files = [f"{name}.{variant}.onnx" for variant, _ in exports] + [f"{name}.state_dict.pth", f"{name}.module.pt"]
    files += [f"{name}.{kind}.pt" for kind in ("script", "trace") if kind in extras]
    if already_made(facts, files):
        print(name, "already made", flush=True)
        return
    model_facts = torch_facts(model, x)
    print(name, model_facts["params"], model_facts["macs"], flush=True)

    def record(file, kind, **extra):
        path = os.path.join(OUT, file)
        facts[file] = {"model": label, "kind": kind, "tools": versions, "bytes": os.path.getsize(path), "sha256": sha256(path), **model_facts, **extra}

    for variant, options in exports:
        file = f"{name}.{variant}.onnx"
        path = os.path.join(OUT, file)
        try:
            torch.onnx.export(model, (x,), path, **options)
        except Exception as error:  # an exporter failure is a fact too: the file cannot exist
            print(f"  {file}: the exporter failed: {type(error).__name__}: {str(error)[:200]}", flush=True)
            continue
        model.eval()
        of = onnx_facts(path)
        # With batch norm kept, the file's weights are the model's parameters and running statistics.
        if of["batchNormInGraph"] and of["weightElements"] != model_facts["params"] + model_facts["bnRunningStats"]:
            print(f"  {file}: the file's weights {of['weightElements']} != params + running stats", flush=True)
        exporter = {"dynamo": options.get("dynamo", True), "exportParams": options.get("export_params", True), "opset": of["opset"]}
        record(file, f"onnx-{variant.split('_opset')[0]}", onnx=of, exporter=exporter)
        print(f"  {file}: {of['weightElements']} weight elements, bn kept={of['batchNormInGraph']}", flush=True)
    torch.save(model.state_dict(), os.path.join(OUT, f"{name}.state_dict.pth"))
    record(f"{name}.state_dict.pth", "torch-state-dict")
    try:
        torch.save(model, os.path.join(OUT, f"{name}.module.pt"))
        record(f"{name}.module.pt", "torch-module")
    except Exception as error:  # a module defined in this script pickles by reference; a local class cannot
        print(f"  {name}.module.pt: torch.save failed: {type(error).__name__}: {str(error)[:200]}", flush=True)
    if "script" in extras:
        torch.jit.save(torch.jit.script(model), os.path.join(OUT, f"{name}.script.pt"))
        record(f"{name}.script.pt", "torchscript-script")
    if "trace" in extras:
        torch.jit.save(torch.jit.trace(model, x), os.path.join(OUT, f"{name}.trace.pt"))
        record(f"{name}.trace.pt", "torchscript-trace")
    save_facts(facts)


def make_torch(facts):
    import torch

    versions = torch_versions()
    torchvision = import_torchvision()
    for name, kwargs, size, extras in TORCH_MODELS:
        if FILTER not in name:
            continue
        torch.manual_seed(0)
        model = randomise_weights(getattr(torchvision.models, name)(weights=None, **kwargs)).eval()
        export_torch(facts, name, f"torchvision.models.{name}", model, torch.randn(1, 3, size, size), extras, versions)


# timm families (timm.create_model(name, pretrained=False)); ViT is there to be reported unsupported, honestly.
TIMM_MODELS = [
    ("resnet18", 224),
    ("efficientnet_b0", 224),
    ("mobilenetv3_small_100", 224),
    ("regnety_002", 224),
    ("convnext_atto", 224),
    ("ghostnet_100", 224),
    ("densenet121", 224),
    ("vit_tiny_patch16_224", 224),
]


def make_timm(facts):
    import torch

    versions = torch_versions()
    import timm

    for name, size in TIMM_MODELS:
        if FILTER not in f"timm_{name}":
            continue
        torch.manual_seed(0)
        model = randomise_weights(timm.create_model(name, pretrained=False)).eval()
        export_torch(facts, f"timm_{name}", f"timm.{name}", model, torch.randn(1, 3, size, size), set(), versions)


def user_torch_models():
    """Small models as users write them: 1-D, 3-D and transposed convolutions, grouped, dilated and depthwise."""
    from torch import nn

    return [
        ("user_conv1d", (1, 4, 128), nn.Sequential(nn.Conv1d(4, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
                                                     nn.Conv1d(16, 32, 3, dilation=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 10))),
        ("user_conv3d", (1, 3, 16, 32, 32), nn.Sequential(nn.Conv3d(3, 8, 3, padding=1), nn.BatchNorm3d(8), nn.ReLU(), nn.MaxPool3d(2),
                                                            nn.Conv3d(8, 16, 3), nn.ReLU(), nn.AdaptiveAvgPool3d(1), nn.Flatten(), nn.Linear(16, 5))),
        ("user_conv_transpose", (1, 3, 32, 32), nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(),
                                                               nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1), nn.ReLU(),
                                                               nn.ConvTranspose2d(8, 3, 3, stride=1, padding=1), nn.Sigmoid())),
        ("user_grouped_dilated", (1, 3, 64, 64), nn.Sequential(nn.Conv2d(3, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
                                                                nn.Conv2d(32, 64, 3, padding=2, dilation=2, groups=4), nn.ReLU(),
                                                                nn.Conv2d(64, 64, 3, stride=2, padding=1, groups=64), nn.Conv2d(64, 128, 1), nn.ReLU6(),
                                                                nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(128, 10))),
    ]


def make_user_torch(facts):
    import torch

    versions = torch_versions()
    for name, shape, model in user_torch_models():
        if FILTER not in name:
            continue
        torch.manual_seed(0)
        model = randomise_weights(model).eval()
        exports = DEFAULT_EXPORTS + (OPSET_EXPORTS if name == "user_grouped_dilated" else [])
        export_torch(facts, name, f"user: {name}", model, torch.randn(*shape), set(), versions, exports)


def load_keras_macs():
    spec = importlib.util.spec_from_file_location("make_expected", os.path.join(ROOT, "scripts", "corpus", "make_expected.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.keras_macs


def keras_facts(model, keras_macs):
    import numpy as np

    def count(ws):
        return int(sum(int(np.prod(w.shape)) for w in ws))

    macs = 0
    for layer in model.layers:
        if layer.__class__.__name__ == "InputLayer":
            continue
        m = keras_macs(layer, list(layer.input.shape) if not isinstance(layer.input, list) else None, list(layer.output.shape))
        macs = None if m is None or macs is None else macs + m
    return {
        "params": model.count_params(),
        "trainableParams": count(model.trainable_weights),
        "nonTrainableParams": count(model.non_trainable_weights),
        "macs": macs,
        "input": list(model.inputs[0].shape),
        "output": list(model.outputs[0].shape),
        "layers": sum(1 for l in model.layers if l.__class__.__name__ != "InputLayer"),
    }


def tflite_facts(content):
    import numpy as np
    import tensorflow as tf

    interp = tf.lite.Interpreter(model_content=content)
    ops = interp._get_ops_details()
    shapes = {t["index"]: t["shape"].tolist() for t in interp.get_tensor_details()}
    weighted = {"CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"}
    per_use = sum(int(np.prod(shapes[i])) for op in ops if op["op_name"] in weighted for i in op["inputs"][1:] if i >= 0)
    # TRANSPOSE_CONV reads (output_shape, weights, input, bias): its weights are the second and fourth.
    per_use += sum(int(np.prod(shapes[i])) for op in ops if op["op_name"] == "TRANSPOSE_CONV" for i in list(op["inputs"][1:2]) + list(op["inputs"][3:4]) if i >= 0)
    names = {}
    for op in ops:
        names[op["op_name"]] = names.get(op["op_name"], 0) + 1
    return {
        "tfliteInput": interp.get_input_details()[0]["shape"].tolist(),
        "tfliteOutput": interp.get_output_details()[0]["shape"].tolist(),
        "weightElementsPerUse": per_use,
        "ops": dict(sorted(names.items())),
    }


def randomise_keras_weights(model):
    """As randomise_weights: weights as training leaves them (no zero bias or identity batch norm for the TFLite
    converter to drop); variances (moving_variance) stay positive."""
    import numpy as np

    rng = np.random.default_rng(1)
    for w in model.weights:
        value = rng.random(w.shape) + 0.5 if "variance" in w.path else rng.standard_normal(w.shape) * 0.05
        w.assign(value.astype(w.dtype))


def make_keras(facts):
    import keras
    import tensorflow as tf

    keras_macs = load_keras_macs()
    versions = {"keras": keras.__version__, "tensorflow": tf.__version__}
    for name, extras in KERAS_MODELS:
        if FILTER not in name:
            continue
        suffixes = ["keras", "h5"] + (["tflite", "dynamic_range.tflite"] if "tflite" in extras else [])
        if already_made(facts, [f"{name}.{s}" for s in suffixes]):
            print(name, "already made", flush=True)
            continue
        keras.utils.clear_session()
        model = getattr(keras.applications, name)(weights=None)
        if any(d is None for d in model.inputs[0].shape[1:]):
            # MobileNetV3 leaves H and W open by default; the file is made at the size its weights are trained for.
            keras.utils.clear_session()
            model = getattr(keras.applications, name)(weights=None, input_shape=(224, 224, 3))
        randomise_keras_weights(model)
        model_facts = keras_facts(model, keras_macs)
        print(name, model_facts["params"], model_facts["macs"], flush=True)

        def record(file, kind, **extra):
            path = os.path.join(OUT, file)
            facts[file] = {"model": f"keras.applications.{name}", "kind": kind, "tools": versions, "bytes": os.path.getsize(path),
                           "sha256": sha256(path), **model_facts, **extra}

        model.save(os.path.join(OUT, f"{name}.keras"))
        record(f"{name}.keras", "keras")
        model.save(os.path.join(OUT, f"{name}.h5"))
        record(f"{name}.h5", "keras-h5")
        if "tflite" in extras:
            for suffix, content in tflite_variants(model):
                with open(os.path.join(OUT, f"{name}.{suffix}"), "wb") as f:
                    f.write(content)
                record(f"{name}.{suffix}", "tflite", tflite=tflite_facts(content), converter=suffix)
        save_facts(facts)


def tflite_variants(model, saved_model_dir=None):
    """The converter's paths: from the Keras model (float), dynamic-range quantized, and from a SavedModel."""
    import tensorflow as tf

    yield "tflite", tf.lite.TFLiteConverter.from_keras_model(model).convert()
    quantized = tf.lite.TFLiteConverter.from_keras_model(model)
    quantized.optimizations = [tf.lite.Optimize.DEFAULT]
    yield "dynamic_range.tflite", quantized.convert()
    if saved_model_dir is not None:
        model.export(saved_model_dir, verbose=False)
        yield "saved_model.tflite", tf.lite.TFLiteConverter.from_saved_model(saved_model_dir).convert()


def keras_user_models():
    """Small Keras models as users write them, Sequential, functional and subclassed."""
    import keras
    from keras import layers as L

    seq1d = keras.Sequential([keras.Input((128, 4)), L.Conv1D(16, 5, padding="same"), L.BatchNormalization(), L.ReLU(), L.MaxPooling1D(2),
                              L.Conv1D(32, 3, dilation_rate=2), L.GlobalAveragePooling1D(), L.Dense(10, activation="softmax")], name="keras_seq_conv1d")
    seq3d = keras.Sequential([keras.Input((16, 32, 32, 3)), L.Conv3D(8, 3, padding="same", activation="relu"), L.MaxPooling3D(2),
                              L.Conv3D(16, 3), L.GlobalAveragePooling3D(), L.Dense(5)], name="keras_seq_conv3d")
    inp = keras.Input((64, 64, 3))
    y = L.Conv2D(32, 3, padding="same", use_bias=False)(inp)
    y = L.ReLU()(L.BatchNormalization()(y))
    y = L.Conv2D(64, 3, padding="same", dilation_rate=2, groups=4, activation="relu")(y)
    y = L.DepthwiseConv2D(3, strides=2, padding="same")(y)
    y = L.SeparableConv2D(128, 3, padding="same", activation="relu")(y)
    skip = L.Conv2D(128, 1)(y)
    y = L.Add()([y, skip])
    y = L.Conv2DTranspose(32, 4, strides=2, padding="same")(y)
    y = L.Concatenate()([y, L.Conv2D(32, 1)(inp)])
    y = L.GlobalAveragePooling2D()(y)
    functional = keras.Model(inp, L.Dense(10)(L.Dropout(0.2)(y)), name="keras_functional_mixed")

    @keras.saving.register_keras_serializable(package="corpus")
    class SubclassedNet(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.conv = L.Conv2D(16, 3, activation="relu")
            self.pool = L.GlobalAveragePooling2D()
            self.head = L.Dense(10)

        def call(self, x):
            return self.head(self.pool(self.conv(x)))

    sub = SubclassedNet(name="keras_subclassed")
    sub(keras.ops.zeros((1, 32, 32, 3)))
    return [(seq1d, False), (seq3d, False), (functional, True), (sub, False)]


def make_keras_user(facts):
    import keras
    import tensorflow as tf

    keras_macs = load_keras_macs()
    versions = {"keras": keras.__version__, "tensorflow": tf.__version__}
    keras.utils.clear_session()
    for model, tflite in keras_user_models():
        name = model.name
        if FILTER not in name:
            continue
        randomise_keras_weights(model)
        try:
            model_facts = keras_facts(model, keras_macs)
        except Exception as error:  # a subclassed model has no symbolic inputs: count_params() is still the fact
            model_facts = {"params": model.count_params(), "macs": None, "input": [None, 32, 32, 3], "output": [None, 10], "layers": len(model.layers),
                           "trainableParams": model.count_params(), "nonTrainableParams": 0, "note": f"no symbolic graph: {type(error).__name__}"}
        print(name, model_facts["params"], model_facts["macs"], flush=True)

        def record(file, kind, **extra):
            path = os.path.join(OUT, file)
            facts[file] = {"model": f"user: {name}", "kind": kind, "tools": versions, "bytes": os.path.getsize(path), "sha256": sha256(path), **model_facts, **extra}

        model.save(os.path.join(OUT, f"{name}.keras"))
        record(f"{name}.keras", "keras")
        try:
            model.save(os.path.join(OUT, f"{name}.h5"))
            record(f"{name}.h5", "keras-h5")
        except Exception as error:  # Keras refuses legacy .h5 for a subclassed model: no file
            print(f"  {name}.h5: {type(error).__name__}: {str(error)[:160]}", flush=True)
        if tflite:
            for suffix, content in tflite_variants(model, os.path.join(OUT, f"{name}.saved_model")):
                with open(os.path.join(OUT, f"{name}.{suffix}"), "wb") as f:
                    f.write(content)
                record(f"{name}.{suffix}", "tflite", tflite=tflite_facts(content), converter=suffix)
        save_facts(facts)


HOSTILE_FACTS = os.path.join(ROOT, "test", "fixtures", "file-corpus", "hostile.json")
PWNED = "/tmp/cnn-inspector-hostile-pwned"


def varint(n):
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field(number, payload):
    """A length-delimited protobuf field."""
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def nested_onnx_graph(depth):
    """ModelProto.graph (7) → GraphProto.node (1) → NodeProto.attribute (5) → AttributeProto.g (6) → GraphProto …
    Every level is a prefix of the next (the innermost graph is empty), so sizes are computed inside out and the
    bytes written outside in, once."""
    tag = lambda number: varint(number << 3 | 2)  # noqa: E731
    sizes = [0]  # sizes[k]: bytes of the graph k levels above the innermost
    parts = []
    for _ in range(depth):
        g = sizes[-1]
        attribute = len(field(1, b"then_branch")) + len(varint(20 << 3 | 0)) + 1 + len(tag(6)) + len(varint(g)) + g
        node = len(field(4, b"If")) + len(tag(5)) + len(varint(attribute)) + attribute
        parts.append((g, attribute, node))
        sizes.append(len(tag(1)) + len(varint(node)) + node)
    out = [varint(1 << 3 | 0), varint(8), tag(7), varint(sizes[-1])]
    for g, attribute, node in reversed(parts):
        out += [tag(1), varint(node), field(4, b"If"), tag(5), varint(attribute), field(1, b"then_branch"), varint(20 << 3 | 0), varint(5), tag(6), varint(g)]
    return b"".join(out)


def make_hostile(facts):
    """Hostile versions of the files above (issue 7): truncated, corrupted, wrong magic, huge declared sizes,
    deep nesting, a zip bomb, pickles that ask for os.system, HDF5 with a link cycle. The fact for each is what
    the product must do: end in < 20 s, exit 0 or 1 (never a signal or 70), no stack trace, and an error line that
    names the file (exit 1 where `expect` says so). score_file_corpus.ts --hostile runs the CLI on each."""
    import pickle
    import random
    import zipfile
    import zlib

    import h5py
    import numpy as np

    out = os.path.join(OUT, "hostile")
    os.makedirs(out, exist_ok=True)
    rng = random.Random(7)
    cases = {}

    def write(name, data, expect, why):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        cases[name] = {"expect": expect, "why": why, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}

    sources = ["user_grouped_dilated.dynamo.onnx", "user_grouped_dilated.legacy.onnx", "keras_functional_mixed.keras", "keras_functional_mixed.h5",
               "keras_functional_mixed.tflite", "user_grouped_dilated.state_dict.pth", "user_grouped_dilated.module.pt"]
    for source in sources:
        path = os.path.join(OUT, source)
        if not os.path.exists(path):
            print(f"  hostile: {source} not made, skipped", flush=True)
            continue
        data = open(path, "rb").read()
        stem, ext = source.rsplit(".", 1)
        write(f"{stem}.truncated_half.{ext}", data[: len(data) // 2], "error", "the first half of the file")
        write(f"{stem}.truncated_1k.{ext}", data[:1024], "error", "the first 1,024 bytes")
        write(f"{stem}.tail_only.{ext}", data[len(data) // 2 :], "error", "the second half only (no header)")
        corrupt = bytearray(data)
        for _ in range(64):
            corrupt[rng.randrange(len(corrupt))] ^= 1 << rng.randrange(8)
        write(f"{stem}.bitflips.{ext}", bytes(corrupt), "any", "64 random bit flips: weight bytes the reader never reads may be all it hits")
        head = bytearray(data)
        head[:8] = b"\x89PNG\r\n\x1a\n"
        write(f"{stem}.wrong_magic.{ext}", bytes(head), "error", "a PNG signature over the first 8 bytes")

    # ONNX: sizes no machine holds, declared (the data is never there).
    import onnx
    from onnx import TensorProto, helper

    huge = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 2**31 - 1, 2**31 - 1])
    w = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[2**40, 3, 3, 3])
    graph = helper.make_graph([helper.make_node("Conv", ["x", "w"], ["y"], kernel_shape=[3, 3])], "huge", [huge], [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], [w])
    write("onnx_huge_dims.onnx", helper.make_model(graph).SerializeToString(), "any", "input 2^31-1 x 2^31-1, a weight of 2^40 x 3 x 3 x 3 declared without data")
    write("onnx_nested_100k.onnx", nested_onnx_graph(100_000), "error", "If → then_branch → If … 100,000 graphs deep")
    write("onnx_length_lies.onnx", varint(7 << 3 | 2) + varint(2**40) + b"\x0a\x02ab", "error", "a graph field declaring 2^40 bytes in a 10-byte file")

    # Keras: a zip bomb (config.json inflates to 2 GiB) and a 100,000-deep config.
    bomb = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b" " * (1 << 20)
    body = b"".join(bomb.compress(chunk) for _ in range(2048)) + bomb.flush()
    import io
    import struct

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.15.1"}))
        z.writestr("config.json", b"")  # placeholder entry, replaced below
    data = buf.getvalue()
    # Rebuild by hand: one deflated entry whose sizes say what it inflates to (2 GiB of spaces).
    crc = 0
    for _ in range(2048):
        crc = zlib.crc32(chunk, crc)
    name = b"config.json"
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(body), 2048 << 20, len(name), 0) + name + body
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(body), 2048 << 20, len(name), 0, 0, 0, 0, 0, 0) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local), 0)
    write("keras_zip_bomb.keras", local + central + end, "error", "config.json deflated: 2 MiB that inflates to 2 GiB")
    deep = "[" * 100_000 + "]" * 100_000
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("config.json", '{"class_name": "Functional", "config": {"layers": ' + deep + "}}")
        z.writestr("metadata.json", "{}")
    write("keras_deep_config.keras", buf.getvalue(), "error", "config.json nested 100,000 lists deep")

    # PyTorch: pickles whose REDUCE calls os.system (must be refused, never run).
    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {PWNED}",))

    payload = pickle.dumps({"conv.weight": Evil()}, protocol=2)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", payload)
        z.writestr("archive/version", "3\n")
    write("torch_os_system.pth", buf.getvalue(), "any", f"data.pkl: GLOBAL posix.system, REDUCE ('touch {PWNED}'): refused, never run")
    legacy = pickle.dumps(0x1950A86A20F9469CFC6C, protocol=2) + pickle.dumps(1001, protocol=2) + pickle.dumps({}, protocol=2) + payload
    write("torch_os_system_legacy.pt", legacy, "any", "a legacy (non-zip) checkpoint whose pickle calls os.system")
    write("torch_pickle_deep.pth", b"\x80\x02" + b"(" * 200_000 + b"l" * 200_000 + b".", "error", "a pickle of 200,000 nested MARK/LIST")

    # HDF5: a model_config beside a group that links back to the root (a cycle); a group 1,000 deep.
    for name, build in [("h5_cycle.h5", "cycle"), ("h5_deep_groups.h5", "deep")]:
        path = os.path.join(out, name)
        with h5py.File(path, "w") as f:
            f.attrs["model_config"] = json.dumps({"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "InputLayer", "config": {"batch_shape": [None, 8], "name": "in"}}, {"class_name": "Dense", "config": {"units": 4, "name": "d"}}]}})
            f.attrs["keras_version"] = "3.15.1"
            g = f.create_group("model_weights")
            if build == "cycle":
                g["loop"] = f["/"]
                g["self"] = g
            else:
                for i in range(1000):
                    g = g.create_group(f"g{i}")
            g.create_dataset("w", data=np.zeros((2, 2), "float32"))
        data = open(path, "rb").read()
        cases[name] = {"expect": "any", "why": "model_weights links back to the root (a cycle)" if build == "cycle" else "groups 1,000 deep", "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}

    # tfjs: a manifest naming files outside its folder, and sizes no machine holds.
    manifest = {"format": "layers-model", "modelTopology": {"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "Dense", "config": {"units": 2**40, "batch_input_shape": [None, 2**40], "name": "d"}}]}},
                "weightsManifest": [{"paths": ["../../../../etc/passwd", "/dev/zero"], "weights": [{"name": "d/kernel", "shape": [2**40, 2**40], "dtype": "float32"}]}]}
    write("tfjs_traversal.json", json.dumps(manifest).encode(), "any", "weight paths ../../../../etc/passwd and /dev/zero, a Dense of 2^40 units")

    with open(HOSTILE_FACTS, "w") as f:
        json.dump({"about": "Hostile model files made by scripts/files/make_file_corpus.py (make_hostile) into .file-corpus/hostile/; "
                   "expect: 'error' = exit 1 with one located line naming the file, 'any' = exit 0 or 1 (the reader may read what it needs around the damage); "
                   "every case: < 20 s, no signal, no stack trace, no internal error, and " + PWNED + " never created.",
                   "cases": dict(sorted(cases.items()))}, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"hostile: {len(cases)} files", flush=True)


def refresh_file_facts(facts):
    """The ONNX and TFLite facts of every file already made, read again (after a change to onnx_facts or
    tflite_facts): CORPUS_FRAMEWORKS=file-facts."""
    for file, f in sorted(facts.items()):
        path = os.path.join(OUT, file)
        if FILTER not in file or not os.path.exists(path):
            continue
        if "onnx" in f:
            f["onnx"] = onnx_facts(path)
        if "tflite" in f:
            with open(path, "rb") as content:
                f["tflite"] = tflite_facts(content.read())
    save_facts(facts)


def main():
    os.makedirs(OUT, exist_ok=True)
    os.makedirs(os.path.dirname(FACTS), exist_ok=True)
    facts = {}
    if os.path.exists(FACTS):
        with open(FACTS) as f:
            facts = json.load(f)
    which = os.environ.get("CORPUS_FRAMEWORKS", "user,keras-user,hostile,torch,timm,keras").split(",")
    for part, make in [("user", make_user_torch), ("keras-user", make_keras_user), ("hostile", make_hostile), ("torch", make_torch), ("timm", make_timm), ("keras", make_keras), ("file-facts", refresh_file_facts)]:
        if part in which:
            make(facts)
    save_facts(facts)


if __name__ == "__main__":
    main()
