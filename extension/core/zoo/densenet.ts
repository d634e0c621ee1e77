import { SpecBuilder, INPUT, type ModelSpec } from '../spec';

/**
 * DenseNet-121 (Huang et al. 2017, Table 1) as torchvision builds it: growth rate 32, bottleneck size 4
 * (BN → ReLU → 1×1 conv to 128 → BN → ReLU → 3×3 conv to 32, concatenated to the block's running input),
 * dense blocks of 6, 12, 24 and 16 layers, transitions halving channels (1×1 conv) and size (2×2 average
 * pooling), bias-free convolutions. Keras applications' DenseNet121 concatenates the same way. Layer names
 * follow torchvision (features.denseblock1.denselayer1.conv1).
 */
const BLOCKS = [6, 12, 24, 16] as const;
const GROWTH = 32;
const BOTTLENECK = 4;

function bnRelu(m: SpecBuilder, p: string, suffix: string, x: string): string {
  const y = m.add('BatchNormalization', `${p}.norm${suffix}`, { epsilon: 1e-5 }, x);
  return m.add('Activation', `${p}.relu${suffix}`, { activation: 'relu' }, y);
}

export function densenet121(input: readonly number[] = [224, 224, 3]): ModelSpec {
  const m = new SpecBuilder('densenet121', input, 'DenseNet-121: four dense blocks, growth rate 32 (Huang et al. 2017)');
  let x = m.block('stem', 'stem', () => {
    let y = m.add('Conv2D', 'features.conv0', { filters: 64, kernelSize: 7, strides: 2, padding: 'same', useBias: false }, INPUT);
    y = bnRelu(m, 'features', '0', y);
    return m.add('MaxPooling2D', 'features.pool0', { poolSize: 3, strides: 2, padding: 'same' }, y);
  });
  let channels = 64;
  BLOCKS.forEach((layers, b) => {
    const block = `features.denseblock${b + 1}`;
    m.block(block, 'dense', () => {
      for (let l = 1; l <= layers; l++) {
        const p = `${block}.denselayer${l}`;
        let y = bnRelu(m, p, '1', x);
        y = m.add('Conv2D', `${p}.conv1`, { filters: BOTTLENECK * GROWTH, kernelSize: 1, useBias: false }, y);
        y = bnRelu(m, p, '2', y);
        y = m.add('Conv2D', `${p}.conv2`, { filters: GROWTH, kernelSize: 3, padding: 'same', useBias: false }, y);
        x = m.add('Concatenate', `${p}.cat`, { axis: -1 }, [x, y]);
        channels += GROWTH;
      }
    });
    if (b < BLOCKS.length - 1) {
      const p = `features.transition${b + 1}`;
      channels = Math.floor(channels / 2);
      x = m.block(p, 'transition', () => {
        let y = bnRelu(m, p, '', x);
        y = m.add('Conv2D', `${p}.conv`, { filters: channels, kernelSize: 1, useBias: false }, y);
        return m.add('AveragePooling2D', `${p}.pool`, { poolSize: 2, strides: 2 }, y);
      });
    }
  });
  m.block('classifier', 'classifier', () => {
    x = m.add('BatchNormalization', 'features.norm5', { epsilon: 1e-5 }, x);
    x = m.add('Activation', 'relu', { activation: 'relu' }, x);
    x = m.add('GlobalAveragePooling2D', 'avgpool', {}, x);
    x = m.add('Dense', 'classifier', { units: 1000 }, x);
  });
  return m.build();
}
