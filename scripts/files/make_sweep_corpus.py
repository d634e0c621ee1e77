"""A sweep of model files beyond make_file_corpus.py's, made by the real tools with the facts it records, written
outside the repository (SWEEP_OUT, default /tmp/filesweep): user models with GroupNorm, Upsample/interpolate,
channels-last LayerNorm, einsum attention, nn.MultiheadAttention, nested blocks with InstanceNorm2d and PixelShuffle,
each exported by both ONNX exporters at opsets 11-20, with a dynamic batch and with external data, plus legacy-format
and training-checkpoint torch.save files and torch.jit.trace; more torchvision and timm families; keras.applications
with include_top=False, pooling and other input sizes, transfer-learning models (a frozen base in a Sequential or a
functional model with augmentation), Keras configs holding inf / nan, channels_first, several inputs; TFLite float16
and full-integer int8. Run, then score:

    SWEEP=torch /work/venv/bin/python scripts/files/make_sweep_corpus.py   (and SWEEP=keras; SWEEP_FILTER=name)
    FILE_CORPUS_DIR=/tmp/filesweep/corpus FILE_CORPUS_FACTS=/tmp/filesweep/expected.torch.json \
        node --import tsx scripts/files/score_file_corpus.ts
"""
import importlib.util
import os
import sys
import types

sys.modules.setdefault("torchvision._meta_registrations", types.ModuleType("x"))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SWEEP_OUT = os.environ.get("SWEEP_OUT", "/tmp/filesweep")
spec = importlib.util.spec_from_file_location("mfc", os.path.join(ROOT, "scripts/files/make_file_corpus.py"))
mfc = importlib.util.module_from_spec(spec)
sys.argv = sys.argv[:1] + sys.argv[2:] if len(sys.argv) > 1 and sys.argv[1] in ("torch", "keras") else sys.argv
spec.loader.exec_module(mfc)
OUT = os.path.join(SWEEP_OUT, "corpus")
mfc.OUT = OUT
mfc.FACTS = os.path.join(SWEEP_OUT, f"expected.{os.environ.get('SWEEP', 'all')}.json")
mfc.HOSTILE_FACTS = os.path.join(SWEEP_OUT, "hostile.json")
os.makedirs(OUT, exist_ok=True)
import json

facts = json.load(open(mfc.FACTS)) if os.path.exists(mfc.FACTS) else {}
WHICH = os.environ.get("SWEEP", "torch,keras").split(",")
FILTER = os.environ.get("SWEEP_FILTER", "")


def user_models():
    import torch
    from torch import nn

    class GNNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Conv2d(3, 32, 3, padding=1)
            self.gn = nn.GroupNorm(8, 32)
            self.body = nn.Sequential(nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.GroupNorm(4, 64), nn.SiLU())
            self.head = nn.Linear(64, 10)

        def forward(self, x):
            x = torch.relu(self.gn(self.stem(x)))
            x = self.body(x)
            return self.head(x.mean((2, 3)))

    class UpNet(nn.Module):  # encoder-decoder with Resize
        def __init__(self):
            super().__init__()
            self.down = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU())
            self.up1 = nn.Upsample(scale_factor=2, mode="nearest")
            self.conv = nn.Conv2d(32, 16, 3, padding=1)
            self.out = nn.Conv2d(16, 2, 1)

        def forward(self, x):
            y = self.conv(self.up1(self.down(x)))
            y = nn.functional.interpolate(y, scale_factor=2.0, mode="bilinear", align_corners=False)
            return self.out(y)

    class LNNet(nn.Module):  # ConvNeXt-style channels-last LayerNorm
        def __init__(self):
            super().__init__()
            self.stem = nn.Conv2d(3, 32, 4, stride=4)
            self.norm = nn.LayerNorm(32)
            self.dw = nn.Conv2d(32, 32, 7, padding=3, groups=32)
            self.pw = nn.Linear(32, 64)
            self.head = nn.Linear(64, 10)

        def forward(self, x):
            x = self.dw(self.stem(x))
            x = self.norm(x.permute(0, 2, 3, 1))
            x = torch.nn.functional.gelu(self.pw(x))
            return self.head(x.mean((1, 2)))

    class EinsumAttn(nn.Module):  # conv stem then hand-written attention with einsum
        def __init__(self):
            super().__init__()
            self.stem = nn.Conv2d(3, 32, 8, stride=8)
            self.qkv = nn.Linear(32, 96)
            self.proj = nn.Linear(32, 32)
            self.head = nn.Linear(32, 10)

        def forward(self, x):
            x = self.stem(x).flatten(2).transpose(1, 2)
            q, k, v = self.qkv(x).chunk(3, dim=-1)
            a = torch.einsum("bqd,bkd->bqk", q, k).softmax(-1)
            x = self.proj(torch.einsum("bqk,bkd->bqd", a, v))
            return self.head(x.mean(1))

    class MHANet(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Conv2d(3, 32, 8, stride=8)
            self.attn = nn.MultiheadAttention(32, 4, batch_first=True)
            self.head = nn.Linear(32, 10)

        def forward(self, x):
            x = self.stem(x).flatten(2).transpose(1, 2)
            x, _ = self.attn(x, x, x)
            return self.head(x.mean(1))

    class Block(nn.Module):
        def __init__(self, c):
            super().__init__()
            self.conv1 = nn.Conv2d(c, c, 3, padding=1, bias=False)
            self.bn1 = nn.BatchNorm2d(c)
            self.conv2 = nn.Conv2d(c, c, 3, padding=1, bias=False)
            self.bn2 = nn.BatchNorm2d(c)

        def forward(self, x):
            return torch.relu(x + self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x))))))

    class NestedNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Sequential(Block(16), Block(16)), nn.MaxPool2d(2), nn.InstanceNorm2d(16, affine=True),
                                          nn.Conv2d(16, 64, 3, padding=1), nn.PixelShuffle(2), nn.AvgPool2d(2))
            self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(16 * 16 * 16, 10))

        def forward(self, x):
            return self.classifier(self.features(x))

    return [
        ("sw_groupnorm", (1, 3, 32, 32), GNNet()),
        ("sw_upsample", (1, 3, 64, 64), UpNet()),
        ("sw_layernorm", (1, 3, 64, 64), LNNet()),
        ("sw_einsum_attn", (1, 3, 64, 64), EinsumAttn()),
        ("sw_mha", (1, 3, 64, 64), MHANet()),
        ("sw_nested", (1, 3, 32, 32), NestedNet()),
    ]


EXPORTS = mfc.DEFAULT_EXPORTS + [(f"legacy_opset{v}", {"dynamo": False, "opset_version": v}) for v in (11, 13, 17, 18)] + [
    ("legacy_dynbatch", {"dynamo": False, "input_names": ["input"], "output_names": ["output"], "dynamic_axes": {"input": {0: "batch"}, "output": {0: "batch"}}}),
    ("dynamo_dynbatch", {"dynamo": True, "input_names": ["input"], "dynamic_axes": {"input": {0: "batch"}}}),
    ("dynamo_opset20", {"dynamo": True, "opset_version": 20}),
]


def extra_torch_files(name, model, x, versions):
    """torch.save legacy format, a training checkpoint dict, torch.jit.save, safetensors, onnx with external data."""
    import torch

    out = {}
    p = os.path.join(OUT, f"{name}.legacy_state_dict.pth")
    torch.save(model.state_dict(), p, _use_new_zipfile_serialization=False)
    out[f"{name}.legacy_state_dict.pth"] = "torch-state-dict"
    p = os.path.join(OUT, f"{name}.checkpoint.pth")
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    torch.save({"epoch": 3, "model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(), "loss": 0.5}, p)
    out[f"{name}.checkpoint.pth"] = "torch-state-dict"
    try:
        torch.save(model, os.path.join(OUT, f"{name}.legacy_module.pt"), _use_new_zipfile_serialization=False)
        out[f"{name}.legacy_module.pt"] = "torch-module"
    except Exception as e:
        print("  legacy module failed", e)
    try:
        torch.jit.save(torch.jit.trace(model, x), os.path.join(OUT, f"{name}.trace.pt"))
        out[f"{name}.trace.pt"] = "torchscript-trace"
    except Exception as e:
        print("  trace failed", str(e)[:100])
    try:
        import onnx

        src = os.path.join(OUT, f"{name}.legacy.onnx")
        if os.path.exists(src):
            m = onnx.load(src)
            onnx.save_model(m, os.path.join(OUT, f"{name}.external.onnx"), save_as_external_data=True, all_tensors_to_one_file=True, location=f"{name}.external.onnx.data", size_threshold=0)
            out[f"{name}.external.onnx"] = "onnx-legacy"
    except Exception as e:
        print("  external failed", e)
    return out


def make_torch():
    import torch

    versions = mfc.torch_versions()
    torchvision = mfc.import_torchvision()
    import timm

    models = []
    for name, shape, m in user_models():
        models.append((name, f"user: {name}", m, shape))
    for name, size in [("regnet_x_400mf", 224), ("resnext50_32x4d", 224), ("swin_t", 224), ("efficientnet_v2_s", 224), ("lraspp_mobilenet_v3_large", 224), ("maxvit_t", 224)]:
        models.append((f"tv_{name}", f"torchvision.models.{name}", name, (1, 3, size, size)))
    for name in ["mobilevit_xxs", "lcnet_050", "mixnet_s", "rexnet_100", "hrnet_w18_small", "repvit_m0_9", "edgenext_xx_small", "levit_128s", "efficientvit_b0", "fastvit_t8",
                 "resnet18d", "dla34", "poolformer_s12", "mobileone_s0", "tinynet_e", "ese_vovnet19b_dw", "gernet_s", "coatnet_nano_rw_224"]:
        models.append((f"timm_{name}", f"timm.{name}", ("timm", name), (1, 3, 224, 224)))
    for name, label, m, shape in models:
        if FILTER not in name:
            continue
        torch.manual_seed(0)
        try:
            if isinstance(m, str):
                if m.startswith("lraspp"):
                    m = torchvision.models.segmentation.__dict__[m](weights=None, weights_backbone=None)
                else:
                    m = getattr(torchvision.models, m)(weights=None)
            elif isinstance(m, tuple):
                m = timm.create_model(m[1], pretrained=False)
            model = mfc.randomise_weights(m).eval()
            x = torch.randn(*shape)
            if name.startswith("tv_lraspp"):
                class Out(torch.nn.Module):  # the segmentation models return a dict; the file holds its "out"
                    def __init__(self, inner):
                        super().__init__()
                        self.inner = inner

                    def forward(self, x):
                        return self.inner(x)["out"]
                model = Out(model).eval()
            exports = EXPORTS if name.startswith("sw_") or name in ("timm_resnet18d", "timm_mobilevit_xxs") else mfc.DEFAULT_EXPORTS[:2] + [("legacy_opset13", {"dynamo": False, "opset_version": 13})]
            mfc.export_torch(facts, name, label, model, x, set(), versions, exports)
            if name.startswith("sw_") or name in ("timm_resnet18d",):
                mf = mfc.torch_facts(model, x)
                for file, kind in extra_torch_files(name, model, x, versions).items():
                    path = os.path.join(OUT, file)
                    extra = {}
                    if file.endswith(".onnx"):
                        extra = {"onnx": mfc.onnx_facts(path)}
                    facts[file] = {"model": label, "kind": kind, "tools": versions, "bytes": os.path.getsize(path), "sha256": mfc.sha256(path), **mf, **extra}
            mfc.save_facts(facts)
        except Exception as e:
            print(name, "FAILED", type(e).__name__, str(e)[:300], flush=True)


def keras_models():
    import keras
    from keras import layers as L

    A = keras.applications
    out = []
    out.append(("k_mnv2_notop_avg160", lambda: A.MobileNetV2(weights=None, include_top=False, pooling="avg", input_shape=(160, 160, 3)), True))
    out.append(("k_resnet50_notop_max128", lambda: A.ResNet50(weights=None, include_top=False, pooling="max", input_shape=(128, 128, 3)), False))
    out.append(("k_effb0_notop", lambda: A.EfficientNetB0(weights=None, include_top=False, input_shape=(224, 224, 3)), False))
    out.append(("k_densenet121_notop_avg96", lambda: A.DenseNet121(weights=None, include_top=False, pooling="avg", input_shape=(96, 96, 3)), False))
    out.append(("k_vgg16_notop64", lambda: A.VGG16(weights=None, include_top=False, input_shape=(64, 64, 3)), False))
    out.append(("k_convnext_notop_avg", lambda: A.ConvNeXtTiny(weights=None, include_top=False, pooling="avg", input_shape=(128, 128, 3)), False))
    out.append(("k_effv2b0_notop", lambda: A.EfficientNetV2B0(weights=None, include_top=False, input_shape=(128, 128, 3), pooling="avg"), False))
    out.append(("k_mnv3s_classes5", lambda: A.MobileNetV3Small(weights=None, input_shape=(96, 96, 3), classes=5, alpha=0.75), True))
    out.append(("k_xception_notop", lambda: A.Xception(weights=None, include_top=False, input_shape=(96, 96, 3), pooling="avg"), False))
    out.append(("k_nasnet_notop", lambda: A.NASNetMobile(weights=None, include_top=False, input_shape=(96, 96, 3), pooling="avg"), False))

    def transfer_seq():
        base = A.MobileNetV2(weights=None, include_top=False, input_shape=(96, 96, 3))
        base.trainable = False
        return keras.Sequential([keras.Input((96, 96, 3)), base, L.GlobalAveragePooling2D(), L.Dropout(0.2), L.Dense(5)], name="k_transfer_seq")

    def transfer_fn():
        base = A.MobileNetV2(weights=None, include_top=False, input_shape=(96, 96, 3))
        base.trainable = False
        aug = keras.Sequential([L.RandomFlip("horizontal"), L.RandomRotation(0.1)], name="augment")
        inp = keras.Input((96, 96, 3))
        x = aug(inp)
        x = L.Rescaling(1.0 / 127.5, offset=-1)(x)
        x = base(x, training=False)
        x = L.GlobalAveragePooling2D()(x)
        x = L.Dropout(0.2)(x)
        return keras.Model(inp, L.Dense(1)(x), name="k_transfer_fn")

    def resnet_transfer():
        base = A.ResNet50(weights=None, include_top=False, input_shape=(64, 64, 3))
        inp = keras.Input((64, 64, 3))
        x = A.resnet50.preprocess_input(inp)
        x = base(x)
        x = L.GlobalAveragePooling2D()(x)
        return keras.Model(inp, L.Dense(3, activation="softmax")(x), name="k_resnet_transfer")

    def norms():
        inp = keras.Input((32, 32, 3))
        x = L.Conv2D(16, 3, padding="same")(inp)
        x = L.GroupNormalization(groups=4)(x)
        x = L.LayerNormalization()(x)
        x = L.UpSampling2D(2, interpolation="bilinear")(x)
        x = L.Resizing(48, 48)(x)
        x = L.Conv2D(8, 3, strides=2)(x)
        x = L.UnitNormalization()(x)
        x = L.Flatten()(x)
        return keras.Model(inp, L.Dense(4)(x), name="k_norms_resize")

    def mha():
        inp = keras.Input((32, 32, 3))
        x = L.Conv2D(32, 4, strides=4)(inp)
        x = L.Reshape((64, 32))(x)
        x = L.MultiHeadAttention(num_heads=4, key_dim=8)(x, x)
        x = L.GlobalAveragePooling1D()(x)
        return keras.Model(inp, L.Dense(10)(x), name="k_mha")

    def unbuilt_seq():
        m = keras.Sequential([L.Conv2D(8, 3, activation="relu"), L.MaxPooling2D(), L.Flatten(), L.Dense(10)], name="k_seq_build")
        m.build((None, 28, 28, 1))
        return m

    def seq_no_input_called():
        m = keras.Sequential([L.Conv2D(8, 3, activation="relu", input_shape=(28, 28, 1)), L.MaxPooling2D(), L.Flatten(), L.Dense(10)], name="k_seq_input_shape")
        return m

    def inf_config():
        inp = keras.Input((16, 16, 3))
        x = L.Conv2D(8, 3, kernel_constraint=keras.constraints.MinMaxNorm(min_value=0.0, max_value=float("inf")))(inp)
        x = L.ReLU(max_value=float("inf"))(x)
        x = L.GlobalAveragePooling2D()(x)
        return keras.Model(inp, L.Dense(2)(x), name="k_inf_config")

    def nan_config():
        inp = keras.Input((10, 8))
        x = L.Masking(mask_value=float("nan"))(inp)
        x = L.Conv1D(4, 3)(x)
        x = L.GlobalMaxPooling1D()(x)
        return keras.Model(inp, L.Dense(2)(x), name="k_nan_config")

    def channels_first():
        return keras.Sequential([keras.Input((3, 32, 32)), L.Conv2D(8, 3, data_format="channels_first"), L.MaxPooling2D(data_format="channels_first"),
                                 L.GlobalAveragePooling2D(data_format="channels_first"), L.Dense(4)], name="k_channels_first")

    def multi_io():
        a = keras.Input((32, 32, 3), name="img")
        b = keras.Input((8,), name="meta")
        x = L.GlobalAveragePooling2D()(L.Conv2D(8, 3)(a))
        x = L.Concatenate()([x, L.Dense(8)(b)])
        return keras.Model([a, b], [L.Dense(2, name="cls")(x), L.Dense(1, name="reg")(x)], name="k_multi_io")

    for fn, tfl in [(transfer_seq, True), (transfer_fn, False), (resnet_transfer, False), (norms, True), (mha, False), (unbuilt_seq, True), (seq_no_input_called, False),
                    (inf_config, False), (nan_config, False), (channels_first, False), (multi_io, False)]:
        out.append((fn.__name__, fn, tfl))
    return out


def make_keras():
    import keras
    import numpy as np
    import tensorflow as tf

    keras_macs = mfc.load_keras_macs()
    versions = {"keras": keras.__version__, "tensorflow": tf.__version__}
    for name, build, tfl in keras_models():
        if FILTER not in name:
            continue
        keras.utils.clear_session()
        try:
            model = build()
            mfc.randomise_keras_weights(model)
            try:
                mf = mfc.keras_facts(model, keras_macs)
            except Exception as e:
                mf = {"params": model.count_params(), "trainableParams": 0, "macs": None, "input": [None], "output": list(model.outputs[0].shape) if model.outputs else [None], "note": str(e)[:200]}
            print(name, mf["params"], mf["macs"], mf["output"], flush=True)

            def record(file, kind, **extra):
                path = os.path.join(OUT, file)
                facts[file] = {"model": f"sweep: {name}", "kind": kind, "tools": versions, "bytes": os.path.getsize(path), "sha256": mfc.sha256(path), **mf, **extra}

            model.save(os.path.join(OUT, f"{name}.keras"))
            record(f"{name}.keras", "keras")
            try:
                model.save(os.path.join(OUT, f"{name}.h5"))
                record(f"{name}.h5", "keras-h5")
            except Exception as e:
                print("  h5 failed", e)
            if tfl:
                for suffix, content in mfc.tflite_variants(model):
                    open(os.path.join(OUT, f"{name}.{suffix}"), "wb").write(content)
                    record(f"{name}.{suffix}", "tflite", tflite=mfc.tflite_facts(content), converter=suffix)
                # float16 and full-integer int8
                c = tf.lite.TFLiteConverter.from_keras_model(model)
                c.optimizations = [tf.lite.Optimize.DEFAULT]
                c.target_spec.supported_types = [tf.float16]
                content = c.convert()
                open(os.path.join(OUT, f"{name}.float16.tflite"), "wb").write(content)
                record(f"{name}.float16.tflite", "tflite", tflite=mfc.tflite_facts(content), converter="float16")
                shape = [1] + list(model.inputs[0].shape[1:])

                def rep():
                    rng = np.random.default_rng(0)
                    for _ in range(4):
                        yield [rng.random(shape).astype("float32")]
                c = tf.lite.TFLiteConverter.from_keras_model(model)
                c.optimizations = [tf.lite.Optimize.DEFAULT]
                c.representative_dataset = rep
                c.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
                c.inference_input_type = tf.int8
                c.inference_output_type = tf.int8
                content = c.convert()
                open(os.path.join(OUT, f"{name}.int8.tflite"), "wb").write(content)
                record(f"{name}.int8.tflite", "tflite", tflite=mfc.tflite_facts(content), converter="int8")
            mfc.save_facts(facts)
        except Exception as e:
            import traceback
            traceback.print_exc()
            print(name, "FAILED", type(e).__name__, str(e)[:300], flush=True)


if "torch" in WHICH:
    make_torch()
if "keras" in WHICH:
    make_keras()
mfc.save_facts(facts)
