"""The models of test/unit/source/kerasFreezing.test.ts, built with Keras 3.15: count_params() and the trainable
count (summary()'s "Trainable params") of each.

Run: /work/venv/bin/python scripts/reference/keras_freezing_reference.py
Printed: keyword 242 18 / before_call 302 10 / whole_model 242 0 / after_call 274 18 / thawed_after 274 258
"""
import keras
from keras import layers


def keyword():
    inputs = keras.Input((32, 32, 3))
    x = layers.Conv2D(8, 3, trainable=False)(inputs)
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(2)(x))


def before_call():
    base = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3), layers.BatchNormalization()], name="base")
    base.trainable = False
    inputs = keras.Input((32, 32, 3))
    x = layers.GlobalAveragePooling2D()(base(inputs))
    dense = layers.Dense(4)
    dense.trainable = False
    return keras.Model(inputs, layers.Dense(2)(dense(x)))


def whole_model():
    model = keyword_free()
    model.trainable = False
    return model


def keyword_free():
    inputs = keras.Input((32, 32, 3))
    x = layers.GlobalAveragePooling2D()(layers.Conv2D(8, 3)(inputs))
    return keras.Model(inputs, layers.Dense(2)(x))


def after_call():
    base = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3), layers.BatchNormalization()], name="base")
    inputs = keras.Input((32, 32, 3))
    x = layers.GlobalAveragePooling2D()(base(inputs))
    model = keras.Model(inputs, layers.Dense(2)(x))
    base.trainable = False
    return model


def thawed_after():
    bi = keras.Input((32, 32, 3))
    base = keras.Model(bi, layers.BatchNormalization()(layers.Conv2D(8, 3)(bi)))
    base.trainable = False
    inputs = keras.Input((32, 32, 3))
    x = layers.GlobalAveragePooling2D()(base(inputs))
    model = keras.Model(inputs, layers.Dense(2)(x))
    base.trainable = True
    return model


for f in (keyword, before_call, whole_model, after_call, thawed_after):
    m = f()
    print(f.__name__, m.count_params(), sum(int(w.numpy().size) for w in m.trainable_weights))
