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
KERAS_MODELS = [
    ("VGG16", {"tflite"}),
    ("ResNet50", {"tflite"}),
    ("MobileNetV2", {"tflite"}),
    ("DenseNet121", set()),
    ("InceptionV3", set()),
    ("EfficientNetB0", {"tflite"}),
    ("Xception", set()),
    ("NASNetMobile", set()),
    ("ConvNeXtTiny", set()),
]
WEIGHTED_ONNX = {"Conv", "Gemm", "MatMul", "BatchNormalization", "ConvTranspose"}


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
        if n.op_type in WEIGHTED_ONNX:
            for name in n.input[1:]:
                name = alias.get(name, name)
                if name in tensors and tensors[name][0] in floats:
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


def make_torch(facts):
    import torch

    torchvision = import_torchvision()
    versions = {"torch": torch.__version__, "torchvision": torchvision.__version__}
    try:
        import onnxscript

        versions["onnxscript"] = onnxscript.__version__
    except ImportError:
        pass
    import onnx

    versions["onnx"] = onnx.__version__
    for name, kwargs, size, extras in TORCH_MODELS:
        if FILTER not in name:
            continue
        torch.manual_seed(0)
        model = randomise_weights(getattr(torchvision.models, name)(weights=None, **kwargs)).eval()
        x = torch.randn(1, 3, size, size)
        model_facts = torch_facts(model, x)
        print(name, model_facts["params"], model_facts["macs"], flush=True)

        def record(file, kind, **extra):
            path = os.path.join(OUT, file)
            facts[file] = {"model": f"torchvision.models.{name}", "kind": kind, "tools": versions, "bytes": os.path.getsize(path),
                           "sha256": sha256(path), **model_facts, **extra}

        exports = [("dynamo", {}), ("legacy", {"dynamo": False}), ("legacy_noparams", {"dynamo": False, "export_params": False})]
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
            record(file, f"onnx-{variant}", onnx=of, exporter={"dynamo": options.get("dynamo", True), "exportParams": options.get("export_params", True)})
            print(f"  {file}: {of['weightElements']} weight elements, bn kept={of['batchNormInGraph']}", flush=True)
        torch.save(model.state_dict(), os.path.join(OUT, f"{name}.state_dict.pth"))
        record(f"{name}.state_dict.pth", "torch-state-dict")
        torch.save(model, os.path.join(OUT, f"{name}.module.pt"))
        record(f"{name}.module.pt", "torch-module")
        if "script" in extras:
            torch.jit.save(torch.jit.script(model), os.path.join(OUT, f"{name}.script.pt"))
            record(f"{name}.script.pt", "torchscript-script")
        if "trace" in extras:
            torch.jit.save(torch.jit.trace(model, x), os.path.join(OUT, f"{name}.trace.pt"))
            record(f"{name}.trace.pt", "torchscript-trace")
        save_facts(facts)


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
        keras.utils.clear_session()
        model = getattr(keras.applications, name)(weights=None)
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
            content = tf.lite.TFLiteConverter.from_keras_model(model).convert()
            with open(os.path.join(OUT, f"{name}.tflite"), "wb") as f:
                f.write(content)
            record(f"{name}.tflite", "tflite", tflite=tflite_facts(content))
        save_facts(facts)


def main():
    os.makedirs(OUT, exist_ok=True)
    os.makedirs(os.path.dirname(FACTS), exist_ok=True)
    facts = {}
    if os.path.exists(FACTS):
        with open(FACTS) as f:
            facts = json.load(f)
    which = os.environ.get("CORPUS_FRAMEWORKS", "torch,keras").split(",")
    if "torch" in which:
        make_torch(facts)
    if "keras" in which:
        make_keras(facts)
    save_facts(facts)


if __name__ == "__main__":
    main()
