"""Keras' `model.layers` of functional models, as the fine-tuning code of the Keras and TensorFlow guides uses it
(`for layer in base_model.layers[:fine_tune_at]: layer.trainable = False`), built with Keras 3.15: the length of
`.layers`, and count_params() / the trainable count (summary()'s "Trainable params") after freezing by position.

The order of `Functional.layers` is Keras' own (keras/src/ops/function.py map_graph: operations by decreasing
depth from the outputs, ties in the order a depth-first walk from the outputs first meets them), so a branched
model (a residual block, an inception-like block with four branches) is frozen for every cut to check it.

Run: /work/venv/bin/python scripts/reference/keras_layers_list_reference.py
Printed (held by test/unit/source/kerasLayersList.test.ts and installedLibraries.test.ts):
  branched 16 968 / branched cuts [962, 962, 738, 720, 666, 666, 513, 477, 257, 221, 215, 80, 80, 80, 80, 80, 0]
  mobilenet_v2 fine_tune_at=100 154 2259265 1862721 / resnet50 [:143] frozen 175 23587712 14976000
  resnet50 last 20 but BN thawed 23587712 8919040 / branched conv2d frozen 86 / nested model frozen 4 138 10
  vgg16 from block5_conv1 16812353 9177089 / named, head only ['image', 'conv', 'pool', 'head'] 122 10
"""
import keras
from keras import layers


def branched():
    inputs = keras.Input((16, 16, 3))
    stem = layers.Conv2D(8, 3, padding="same")(inputs)
    a = layers.Conv2D(4, 1)(stem)
    b = layers.Conv2D(6, 1)(stem)
    b = layers.Conv2D(4, 3, padding="same")(b)
    c = layers.MaxPooling2D(3, strides=1, padding="same")(stem)
    c = layers.Conv2D(4, 1)(c)
    d = layers.Conv2D(2, 1)(stem)
    d = layers.Conv2D(3, 5, padding="same")(d)
    d = layers.BatchNormalization()(d)
    x = layers.Concatenate()([a, b, c, d])
    shortcut = layers.Conv2D(15, 1)(stem)
    x = layers.Add()([shortcut, x])
    x = layers.Activation("relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(5)(x))


def trainable(model):
    return sum(int(w.numpy().size) for w in model.trainable_weights)


m = branched()
print("branched", len(m.layers), m.count_params())
cuts = []
for k in range(len(m.layers) + 1):
    for layer in m.layers:
        layer.trainable = True
    for layer in m.layers[:k]:
        layer.trainable = False
    cuts.append(trainable(m))
print("branched cuts", cuts)

# The TensorFlow transfer-learning tutorial: MobileNetV2 at 160x160 without its top, fine-tuned from layer 100.
base = keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False, weights=None)
base.trainable = True
for layer in base.layers[:100]:
    layer.trainable = False
inputs = keras.Input(shape=(160, 160, 3))
x = base(inputs, training=False)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dropout(0.2)(x)
model = keras.Model(inputs, layers.Dense(1)(x))
print("mobilenet_v2 fine_tune_at=100", len(base.layers), model.count_params(), trainable(model))

# ResNet50 (residual shortcuts: depth ties) frozen up to 143; then, as the keras.io EfficientNet guide thaws, the
# last 20 layers trainable except BatchNormalization.
base = keras.applications.ResNet50(input_shape=(224, 224, 3), include_top=False, weights=None)
for layer in base.layers[:143]:
    layer.trainable = False
print("resnet50 [:143] frozen", len(base.layers), base.count_params(), trainable(base))
for layer in base.layers:
    layer.trainable = False
for layer in base.layers[-20:]:
    if not isinstance(layer, layers.BatchNormalization):
        layer.trainable = True
print("resnet50 last 20 but BN thawed", base.count_params(), trainable(base))

# isinstance on the items: Conv2D layers frozen, the rest (BatchNormalization, Dense) trainable.
m = branched()
for layer in m.layers:
    if isinstance(layer, layers.Conv2D):
        layer.trainable = False
print("branched conv2d frozen", trainable(m))

# A nested model is one item of the outer model's layers (a keras.Model, a Layer, no BatchNormalization).
inner_in = keras.Input((16, 16, 3))
inner = keras.Model(inner_in, layers.BatchNormalization()(layers.Conv2D(4, 3)(inner_in)), name="inner")
outer_in = keras.Input((16, 16, 3))
outer = keras.Model(outer_in, layers.Dense(2)(layers.GlobalAveragePooling2D()(inner(outer_in))))
for layer in outer.layers:
    if isinstance(layer, keras.Model):
        layer.trainable = False
print("nested model frozen", len(outer.layers), outer.count_params(), trainable(outer))

# Deep Learning with Python's fine-tuning: VGG16's layers thawed from block5_conv1 on, found by name (the input
# layer's name is Keras' own, input_layer or input_layer_<n>, never block5_conv1).
conv_base = keras.applications.VGG16(weights=None, include_top=False, input_shape=(150, 150, 3))
model = keras.Sequential([keras.Input((150, 150, 3)), conv_base, layers.Flatten(), layers.Dense(256, activation="relu"), layers.Dense(1, activation="sigmoid")])
conv_base.trainable = True
set_trainable = False
for layer in conv_base.layers:
    if layer.name == "block5_conv1":
        set_trainable = True
    layer.trainable = set_trainable
print("vgg16 from block5_conv1", model.count_params(), trainable(model))

# Names given in code: everything but the head frozen by name.
inputs = keras.Input((16, 16, 3), name="image")
x = layers.GlobalAveragePooling2D(name="pool")(layers.Conv2D(4, 3, name="conv")(inputs))
model = keras.Model(inputs, layers.Dense(2, name="head")(x))
for layer in model.layers:
    if layer.name != "head":
        layer.trainable = False
print("named, head only", [l.name for l in model.layers], model.count_params(), trainable(model))

# layer.output of an item: a feature extractor up to the layer before the head.
inputs = keras.Input((32, 32, 3))
x = layers.Conv2D(8, 3, activation="relu")(inputs)
x = layers.MaxPooling2D()(x)
x = layers.Conv2D(16, 3, activation="relu")(x)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dense(32, activation="relu")(x)
model = keras.Model(inputs, layers.Dense(10)(x))
features = keras.Model(inputs=model.inputs, outputs=model.layers[-2].output)
print("features", features.count_params(), features.output.shape, keras.Model(model.layers[0].output, model.layers[2].output).output.shape)

# A layer subclass with sublayers is one item of .layers (its sublayers are not listed).
class ConvBlock(layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.conv = layers.Conv2D(filters, 3, padding="same")
        self.bn = layers.BatchNormalization()

    def call(self, x):
        return self.bn(self.conv(x))


inputs = keras.Input((16, 16, 3))
x = ConvBlock(8)(inputs)
x = layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, layers.Dense(2)(x))
for layer in model.layers[:2]:
    layer.trainable = False
print("subclass block", len(model.layers), model.count_params(), trainable(model))
