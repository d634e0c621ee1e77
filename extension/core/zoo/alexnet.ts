import { SpecBuilder, INPUT, type ModelSpec } from '../spec';

/**
 * AlexNet (Krizhevsky et al. 2012) in its common single-tower form: 227×227×3, 96 11×11/4 conv, 3×3/2 max
 * pooling, 'same' padding in the later convs, ReLU, dropout after the FC layers, 4096-4096-1000.
 * Local response normalisation is left out (it has no parameters and no MACs).
 */
export function alexnet(input: readonly number[] = [227, 227, 3]): ModelSpec {
  const m = new SpecBuilder('alexnet', input, 'AlexNet: 11×11/4 stem, max pooling, ReLU, dropout (Krizhevsky et al. 2012)');
  let x = m.add('Conv2D', 'conv1', { filters: 96, kernelSize: 11, strides: 4, activation: 'relu' }, INPUT);
  x = m.add('MaxPooling2D', 'pool1', { poolSize: 3, strides: 2 }, x);
  x = m.add('Conv2D', 'conv2', { filters: 256, kernelSize: 5, padding: 'same', activation: 'relu' }, x);
  x = m.add('MaxPooling2D', 'pool2', { poolSize: 3, strides: 2 }, x);
  x = m.add('Conv2D', 'conv3', { filters: 384, kernelSize: 3, padding: 'same', activation: 'relu' }, x);
  x = m.add('Conv2D', 'conv4', { filters: 384, kernelSize: 3, padding: 'same', activation: 'relu' }, x);
  x = m.add('Conv2D', 'conv5', { filters: 256, kernelSize: 3, padding: 'same', activation: 'relu' }, x);
  x = m.add('MaxPooling2D', 'pool5', { poolSize: 3, strides: 2 }, x);
  x = m.add('Flatten', 'flatten', {}, x);
  m.block('classifier', 'classifier', () => {
    x = m.add('Dense', 'fc6', { units: 4096, activation: 'relu' }, x);
    x = m.add('Dropout', 'drop6', { rate: 0.5 }, x);
    x = m.add('Dense', 'fc7', { units: 4096, activation: 'relu' }, x);
    x = m.add('Dropout', 'drop7', { rate: 0.5 }, x);
    x = m.add('Dense', 'fc8', { units: 1000, activation: 'softmax' }, x);
  });
  return m.build();
}
