import { SpecBuilder, INPUT, type ModelSpec } from '../spec';

/** VGG16 configuration "D" (Simonyan & Zisserman 2014, Table 1): 3×3 convs, 2×2 max pooling. */
const STAGES: readonly (readonly [convs: number, filters: number])[] = [
  [2, 64],
  [2, 128],
  [3, 256],
  [3, 512],
  [3, 512],
];

/** VGG16, with Keras applications' layer names (block1_conv1 … block5_pool, fc1, fc2, predictions). */
export function vgg16(input: readonly number[] = [224, 224, 3]): ModelSpec {
  const m = new SpecBuilder('vgg16', input, 'VGG16: 13 3×3 convs in 5 stages, 3 dense layers (Simonyan & Zisserman 2014)');
  let x = INPUT;
  STAGES.forEach(([convs, filters], s) => {
    const block = `block${s + 1}`;
    m.block(block, 'stage', () => {
      for (let c = 1; c <= convs; c++) {
        x = m.add('Conv2D', `${block}_conv${c}`, { filters, kernelSize: 3, padding: 'same', activation: 'relu' }, x);
      }
      x = m.add('MaxPooling2D', `${block}_pool`, { poolSize: 2, strides: 2 }, x);
    });
  });
  m.block('classifier', 'classifier', () => {
    x = m.add('Flatten', 'flatten', {}, x);
    x = m.add('Dense', 'fc1', { units: 4096, activation: 'relu' }, x);
    x = m.add('Dense', 'fc2', { units: 4096, activation: 'relu' }, x);
    x = m.add('Dense', 'predictions', { units: 1000, activation: 'softmax' }, x);
  });
  return m.build();
}
