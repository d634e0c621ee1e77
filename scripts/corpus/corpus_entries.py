"""The corpus: which public files, which models in each, how they are built and at which input.

package   the pinned wheel scripts/corpus/fetch.sh unpacks under .corpus/<name>-<version>/
path      the file inside it; module: the same file as an importable module
models    model: the name the file gives it (its factory function or class); build: a Python expression
          evaluated in the file's namespace, the way a user calls it; input: batch-first, framework order
default   what the file's own example code (__main__, main(), test()) builds and feeds it: {"model", "input"},
          or model null when the file has none (then the CLI should list the models and ask, not pick one)
"""

NO_EXAMPLE = {"model": None, "input": None, "why": "the file has no example code (__main__, main(), test())"}

TV = "torchvision==0.28.0"
KERAS = "keras==3.15.1"
TIMM = "timm==1.0.29"

T224 = [1, 3, 224, 224]
K224 = [None, 224, 224, 3]


def tv(name, models):
    return {"package": TV, "path": "torchvision/models/%s.py" % name, "module": "torchvision.models.%s" % name, "framework": "pytorch", "default": NO_EXAMPLE, "models": models}


def keras_app(name, models):
    return {"package": KERAS, "path": "keras/src/applications/%s.py" % name, "module": "keras.src.applications.%s" % name, "framework": "keras", "default": NO_EXAMPLE, "models": models}


def timm_file(name, models):
    return {"package": TIMM, "path": "timm/models/%s.py" % name, "module": "timm.models.%s" % name, "framework": "pytorch", "default": NO_EXAMPLE, "models": models}


def torch_call(fn, size=T224):
    return {"model": fn, "build": "%s()" % fn, "input": size}


def keras_call(fn, size=K224):
    # The default call: weights="imagenet" can change the architecture (EfficientNet's extra Rescaling);
    # make_expected.py stubs the download and the loading, not the model.
    return {"model": fn, "build": "%s()" % fn, "input": size}


ENTRIES = [
    # Some models also at another input, which the file's own code never states: AdaptiveAvgPool2d((6, 6)) of
    # AlexNet pools 10x10 with uneven windows at 379x379; VGG's AdaptiveAvgPool2d((7, 7)) repeats 3x3 up to 7x7.
    tv("alexnet", [torch_call("alexnet"), torch_call("alexnet", [1, 3, 379, 379])]),
    tv("vgg", [torch_call("vgg16"), torch_call("vgg11_bn"), torch_call("vgg16", [1, 3, 112, 112])]),
    tv("resnet", [torch_call("resnet18"), torch_call("resnet50"), torch_call("resnext50_32x4d"), torch_call("wide_resnet50_2"), torch_call("resnet18", [1, 3, 160, 160])]),
    tv("squeezenet", [torch_call("squeezenet1_0"), torch_call("squeezenet1_1")]),
    tv("googlenet", [torch_call("googlenet")]),
    tv("inception", [torch_call("inception_v3", [1, 3, 299, 299])]),
    tv("densenet", [torch_call("densenet121"), torch_call("densenet121", [1, 3, 128, 128])]),
    tv("mobilenetv2", [torch_call("mobilenet_v2"), torch_call("mobilenet_v2", [1, 3, 160, 160])]),
    tv("mobilenetv3", [torch_call("mobilenet_v3_large"), torch_call("mobilenet_v3_small")]),
    tv("mnasnet", [torch_call("mnasnet1_0")]),
    tv("shufflenetv2", [torch_call("shufflenet_v2_x1_0")]),
    tv("efficientnet", [torch_call("efficientnet_b0")]),
    tv("regnet", [torch_call("regnet_y_400mf")]),
    tv("convnext", [torch_call("convnext_tiny")]),
    keras_app("vgg16", [keras_call("VGG16")]),
    keras_app("vgg19", [keras_call("VGG19")]),
    keras_app("resnet", [keras_call("ResNet50"), keras_call("ResNet101")]),
    keras_app("resnet_v2", [keras_call("ResNet50V2"), keras_call("ResNet152V2")]),
    keras_app("inception_v3", [keras_call("InceptionV3", [None, 299, 299, 3])]),
    keras_app("xception", [keras_call("Xception", [None, 299, 299, 3])]),
    keras_app("mobilenet", [keras_call("MobileNet")]),
    keras_app("mobilenet_v2", [keras_call("MobileNetV2")]),
    # MobileNetV3 declares its input (None, None, 3): any size, 224 and 160 here.
    keras_app("mobilenet_v3", [keras_call("MobileNetV3Small"), keras_call("MobileNetV3Large"), keras_call("MobileNetV3Small", [None, 160, 160, 3])]),
    keras_app("densenet", [keras_call("DenseNet121"), keras_call("DenseNet201")]),
    keras_app("efficientnet", [keras_call("EfficientNetB0"), keras_call("EfficientNetB3", [None, 300, 300, 3])]),
    keras_app("nasnet", [keras_call("NASNetMobile")]),
    keras_app("inception_resnet_v2", [keras_call("InceptionResNetV2", [None, 299, 299, 3])]),
    timm_file("resnet", [torch_call("resnet18"), torch_call("resnet50")]),
    timm_file("mobilenetv3", [torch_call("mobilenetv3_large_100")]),
    timm_file("efficientnet", [torch_call("efficientnet_b0"), torch_call("tf_efficientnet_b0")]),
]

# Debian's python3-torchvision 0.14.1 (run with Debian's torch 1.13: runner "debian").
TV14 = "python3-torchvision=0.14.1-2"


def tv14(name, models):
    return {"package": TV14, "path": "torchvision/models/%s.py" % name, "module": "torchvision.models.%s" % name, "framework": "pytorch", "runner": "debian", "default": NO_EXAMPLE, "models": models}


# Debian's python3-keras-applications 1.0.8: the standalone Keras 2 applications (identity_block / conv_block
# ResNet50 and friends), which take Keras' submodules as keyword arguments, as keras.applications passed them.
KA = "python3-keras-applications=1.0.8+ds-1"


def keras_applications(name, models):
    return {"package": KA, "path": "keras_applications/%s.py" % name, "module": "keras_applications.%s" % name, "framework": "keras", "sys_path": "corpus", "default": NO_EXAMPLE, "models": models}


def ka_call(fn, size=K224):
    return {"model": fn, "build": "%s(**KERAS2)" % fn, "input": size}


ENTRIES += [
    tv14("alexnet", [torch_call("alexnet")]),
    tv14("vgg", [torch_call("vgg13_bn"), torch_call("vgg19")]),
    tv14("resnet", [torch_call("resnet34"), torch_call("resnet101"), torch_call("resnext101_32x8d")]),
    tv14("squeezenet", [torch_call("squeezenet1_1")]),
    tv14("googlenet", [torch_call("googlenet")]),
    tv14("inception", [torch_call("inception_v3", [1, 3, 299, 299])]),
    tv14("densenet", [torch_call("densenet169")]),
    tv14("mobilenetv2", [torch_call("mobilenet_v2")]),
    tv14("mobilenetv3", [torch_call("mobilenet_v3_large")]),
    tv14("mnasnet", [torch_call("mnasnet0_5")]),
    tv14("shufflenetv2", [torch_call("shufflenet_v2_x0_5")]),
    tv14("efficientnet", [torch_call("efficientnet_b1", [1, 3, 240, 240])]),
    tv14("regnet", [torch_call("regnet_x_400mf")]),
    keras_applications("vgg16", [ka_call("VGG16")]),
    keras_applications("vgg19", [ka_call("VGG19")]),
    keras_applications("resnet50", [ka_call("ResNet50")]),
    keras_applications("resnet", [ka_call("ResNet101")]),
    keras_applications("resnet_v2", [ka_call("ResNet50V2")]),
    keras_applications("resnext", [ka_call("ResNeXt50")]),
    keras_applications("inception_v3", [ka_call("InceptionV3", [None, 299, 299, 3])]),
    keras_applications("inception_resnet_v2", [ka_call("InceptionResNetV2", [None, 299, 299, 3])]),
    keras_applications("xception", [ka_call("Xception", [None, 299, 299, 3])]),
    keras_applications("mobilenet", [ka_call("MobileNet")]),
    keras_applications("mobilenet_v2", [ka_call("MobileNetV2")]),
]

ENTRIES += [
    # pytorch/examples' MNIST Net, as pytorch_lightning ships it for its demos (1x28x28 digits: fc1 takes 64*12*12).
    {
        "package": "pytorch-lightning==2.6.6",
        "path": "pytorch_lightning/demos/boring_classes.py",
        "module": "pytorch_lightning.demos.boring_classes",
        "framework": "pytorch",
        "default": NO_EXAMPLE,
        "models": [{"model": "Net", "build": "Net()", "input": [1, 1, 28, 28]}],
    },
    keras_app("efficientnet_v2", [keras_call("EfficientNetV2B0")]),
    keras_app("convnext", [keras_call("ConvNeXtTiny")]),
    timm_file("vgg", [torch_call("vgg16")]),
    timm_file("densenet", [torch_call("densenet121")]),
    timm_file("inception_v3", [torch_call("inception_v3", [1, 3, 299, 299])]),
    timm_file("ghostnet", [torch_call("ghostnet_100")]),
]


def tv_sub(sub, name, models):
    return {"package": TV, "path": "torchvision/models/%s/%s.py" % (sub, name), "module": "torchvision.models.%s.%s" % (sub, name), "framework": "pytorch", "default": NO_EXAMPLE, "models": models}


ENTRIES += [
    # Segmentation heads on backbones from other files (resnet.py with dilation, mobilenetv3.py); the default
    # weights_backbone only loads ImageNet weights into the same backbone, so it is skipped (no download).
    tv_sub("segmentation", "fcn", [{"model": "fcn_resnet50", "build": "fcn_resnet50(weights_backbone=None)", "input": T224}]),
    tv_sub("segmentation", "deeplabv3", [{"model": "deeplabv3_mobilenet_v3_large", "build": "deeplabv3_mobilenet_v3_large(weights_backbone=None)", "input": T224}]),
    tv_sub("segmentation", "lraspp", [{"model": "lraspp_mobilenet_v3_large", "build": "lraspp_mobilenet_v3_large(weights_backbone=None)", "input": T224}]),
    # 3-D convolutions over 16 frames of 112x112 (the clip size of torchvision's video model table).
    tv_sub("video", "resnet", [torch_call("r3d_18", [1, 3, 16, 112, 112])]),
    # The quantizable ResNet, built unquantized (its default): QuantStub / DeQuantStub around a float ResNet.
    tv_sub("quantization", "resnet", [torch_call("resnet18")]),
    timm_file("inception_v4", [torch_call("inception_v4", [1, 3, 299, 299])]),
    timm_file("senet", [torch_call("legacy_seresnet18")]),
    timm_file("xception", [torch_call("legacy_xception", [1, 3, 299, 299])]),
    timm_file("dla", [torch_call("dla34")]),
    timm_file("res2net", [torch_call("res2net50_26w_4s")]),
    timm_file("sknet", [torch_call("skresnet18")]),
    timm_file("selecsls", [torch_call("selecsls42b")]),
    timm_file("dpn", [torch_call("dpn68")]),
    timm_file("vovnet", [torch_call("ese_vovnet19b_dw")]),
    timm_file("cspnet", [torch_call("cspresnet50")]),
    timm_file("rexnet", [torch_call("rexnet_100")]),
    timm_file("regnet", [torch_call("regnety_004")]),
    timm_file("byobnet", [torch_call("repvgg_a0")]),
    timm_file("hrnet", [torch_call("hrnet_w18_small")]),
    # Convolutions on a module's own (standardised, SAME-padded) weight, a layer-scale parameter, an anti-aliasing
    # pool found by isinstance/getattr: read from the code, not stood in for.
    timm_file("convnext", [torch_call("convnext_atto")]),
    timm_file("nfnet", [torch_call("nf_resnet26")]),
    timm_file("tresnet", [torch_call("tresnet_m")]),
    timm_file("rdnet", [torch_call("rdnet_tiny")]),
    # Four more families: aligned Xception (separable convs, its 299x299 input), HGNetV2 (light blocks, an
    # ESE stem), RepViT (re-parameterisable blocks with an SE toggled per layer), StarNet (element-wise "star" products).
    timm_file("xception_aligned", [torch_call("xception41", [1, 3, 299, 299])]),
    timm_file("hgnet", [torch_call("hgnetv2_b0")]),
    timm_file("repvit", [torch_call("repvit_m1")]),
    timm_file("starnet", [torch_call("starnet_s1")]),
    # Split attention over radix groups: a 4-D view with -1, transposed and softmaxed, 5-D views multiplied and summed.
    timm_file("resnest", [torch_call("resnest14d")]),
    # Eleven more CNN families: Inception-ResNet-v2 and NASNet/PNASNet cells (their 299/331 inputs), ConvMixer,
    # HardCoReNAS and LCNetV2 (MobileNet-style searched blocks), RepGhost, BiT ResNetV2 (pre-activation, weight-
    # standardised convs), InceptionNeXt, MambaOut (gated CNN blocks), FasterNet (forward picked in __init__).
    timm_file("inception_resnet_v2", [torch_call("inception_resnet_v2", [1, 3, 299, 299])]),
    timm_file("nasnet", [torch_call("nasnetalarge", [1, 3, 331, 331])]),
    timm_file("pnasnet", [torch_call("pnasnet5large", [1, 3, 331, 331])]),
    timm_file("convmixer", [torch_call("convmixer_768_32")]),
    timm_file("hardcorenas", [torch_call("hardcorenas_a")]),
    timm_file("lcnetv2", [torch_call("lcnetv2_small")]),
    timm_file("repghost", [torch_call("repghostnet_050")]),
    timm_file("resnetv2", [torch_call("resnetv2_50x1_bit")]),
    timm_file("inception_next", [torch_call("inception_next_atto")]),
    timm_file("mambaout", [torch_call("mambaout_femto")]),
    timm_file("fasternet", [torch_call("fasternet_t0")]),
    # The all-MLP models CNNs are compared with: MLP-Mixer and gMLP (patches by a strided conv, x.flatten(2).transpose(1, 2),
    # token mixing by a Linear on the transposed tokens, gMLP's spatial gating unit).
    timm_file("mlp_mixer", [torch_call("mixer_s16_224"), torch_call("gmlp_ti16_224")]),
]
