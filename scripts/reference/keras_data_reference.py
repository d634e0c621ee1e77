"""Facts for test/unit/source/kerasData.test.ts from Keras 3.15 (TensorFlow 2.21 backend).

The datasets are not downloaded: load_data()'s arrays have the shapes keras/src/datasets/mnist.py and cifar10.py
document (MNIST x_train (60000, 28, 28) uint8, CIFAR-10 x_train (50000, 32, 32, 3) uint8), so zero arrays of
those shapes go through the same steps as the test programs, and each model is called on one batch.

Run: /work/venv/bin/python scripts/reference/keras_data_reference.py
"""
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

facts = {}

# Sequential without an input, fed by fit(): np.expand_dims of MNIST.
x = np.expand_dims(np.zeros((60000, 28, 28), "uint8").astype("float32") / 255, -1)
seq = keras.Sequential([layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(), layers.Flatten(), layers.Dense(10, activation="softmax")])
seq(x[:128])
facts["sequential"] = {"input": list(x.shape[1:]), "params": seq.count_params(), "outputs": [list(l.output.shape) for l in seq.layers]}


# A subclassed model looped over a tf.data pipeline of CIFAR-10.
class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.c1 = layers.Conv2D(8, 3, padding="same")
        self.pool = layers.GlobalAveragePooling2D()
        self.out = layers.Dense(10)

    def call(self, x):
        return self.out(self.pool(self.c1(x)))


images = np.zeros((50000, 32, 32, 3), "uint8") / 255.0
net = Net()
y = net(images[:64])
facts["subclassed"] = {"input": list(images.shape[1:]), "params": net.count_params(), "output": list(y.shape)}

# x[..., None] and reshape(-1, 28, 28, 1) give the channel axis too.
facts["newaxis"] = list(np.zeros((60000, 28, 28))[..., None].shape)
facts["reshape"] = list(np.zeros((60000, 28, 28)).reshape(-1, 28, 28, 1).shape)

# A subclassed dense autoencoder fit() on Fashion-MNIST without a channel axis: Keras reads axis 0 as the batch,
# so each sample is (28, 28), not a (60000, 28, 28) image.
class DenseAutoencoder(keras.Model):
    def __init__(self, code_size):
        super().__init__()
        self.encode = keras.Sequential([layers.Flatten(), layers.Dense(code_size, activation="relu")])
        self.decode = keras.Sequential([layers.Dense(28 * 28, activation="sigmoid"), layers.Reshape((28, 28))])

    def call(self, x):
        return self.decode(self.encode(x))


faces = np.zeros((60000, 28, 28), "uint8").astype("float32") / 255.0
ae = DenseAutoencoder(32)
out = ae(faces[:32])
facts["dense_autoencoder"] = {"input": list(faces.shape[1:]), "params": ae.count_params(), "output": list(out.shape)}
print(json.dumps(facts))
# Printed: {"sequential": {"input": [28, 28, 1], "params": 27210, "outputs": [[128, 26, 26, 16], [128, 13, 13, 16], [128, 2704], [128, 10]]},
#          "subclassed": {"input": [32, 32, 3], "params": 314, "output": [64, 10]}, "newaxis": [60000, 28, 28, 1], "reshape": [60000, 28, 28, 1],
#          "dense_autoencoder": {"input": [28, 28], "params": 50992, "output": [32, 28, 28]}}
