import { SpecBuilder, INPUT, type ModelSpec } from '../spec';
import { convNormAct } from './convNormAct';

/**
 * EfficientNet-B0 (Tan & Le 2019, Table 1) as torchvision builds it: MBConv blocks (1×1 expansion, k×k
 * depthwise convolution, squeeze-and-excitation, linear 1×1 projection), SiLU, batch norm, a residual add
 * where the stride is 1 and the width is kept (stochastic depth is the identity at inference). The
 * squeeze-and-excitation gate is average pooling to 1×1, two biased 1×1 convolutions (to ⌊in/4⌋ of the block's
 * input channels, then back), a sigmoid, and a broadcast multiply. Layer names follow torchvision
 * (features.2.0.block.2.fc1 is stage 2's first squeeze-and-excitation reduction).
 */
const STAGES: readonly (readonly [expand: number, kernel: number, stride: number, inC: number, outC: number, layers: number])[] = [
  [1, 3, 1, 32, 16, 1],
  [6, 3, 2, 16, 24, 2],
  [6, 5, 2, 24, 40, 2],
  [6, 3, 2, 40, 80, 3],
  [6, 5, 1, 80, 112, 3],
  [6, 5, 2, 112, 192, 4],
  [6, 3, 1, 192, 320, 1],
];

function squeezeExcitation(m: SpecBuilder, p: string, x: string, channels: number, squeeze: number): string {
  let g = m.add('GlobalAveragePooling2D', `${p}.avgpool`, { keepDims: true }, x);
  g = m.add('Conv2D', `${p}.fc1`, { filters: squeeze, kernelSize: 1 }, g);
  g = m.add('Activation', `${p}.activation`, { activation: 'silu' }, g);
  g = m.add('Conv2D', `${p}.fc2`, { filters: channels, kernelSize: 1 }, g);
  g = m.add('Activation', `${p}.scale_activation`, { activation: 'sigmoid' }, g);
  return m.add('Multiply', `${p}.scale`, {}, [x, g]);
}

function mbconv(m: SpecBuilder, p: string, x: string, expand: number, kernel: number, stride: number, inC: number, outC: number): string {
  return m.block(p, 'mbconv', () => {
    // torchvision rounds the expanded width to a multiple of 8 (_make_divisible); B0's widths already are.
    const expanded = inC * expand;
    let i = 0;
    let y = x;
    if (expanded !== inC) y = convNormAct(m, `${p}.block.${i++}`, y, expanded, { kernel: 1, activation: 'silu' });
    y = convNormAct(m, `${p}.block.${i++}`, y, expanded, { kernel, strides: stride, depthwise: true, activation: 'silu' });
    y = squeezeExcitation(m, `${p}.block.${i++}`, y, expanded, Math.max(1, Math.floor(inC / 4)));
    y = convNormAct(m, `${p}.block.${i++}`, y, outC, { kernel: 1, activation: null });
    return stride === 1 && inC === outC ? m.add('Add', `${p}.add`, {}, [x, y]) : y;
  });
}

export function efficientnetB0(input: readonly number[] = [224, 224, 3]): ModelSpec {
  const m = new SpecBuilder('efficientnet_b0', input, 'EfficientNet-B0: MBConv blocks with squeeze-and-excitation (Tan & Le 2019)');
  let x = m.block('stem', 'stem', () => convNormAct(m, 'features.0', INPUT, 32, { kernel: 3, strides: 2, activation: 'silu' }));
  STAGES.forEach(([expand, kernel, stride, inC, outC, layers], s) => {
    for (let l = 0; l < layers; l++) {
      x = mbconv(m, `features.${s + 1}.${l}`, x, expand, kernel, l === 0 ? stride : 1, l === 0 ? inC : outC, outC);
    }
  });
  x = m.block('features.8', 'head', () => convNormAct(m, 'features.8', x, 1280, { kernel: 1, activation: 'silu' }));
  m.block('classifier', 'classifier', () => {
    x = m.add('GlobalAveragePooling2D', 'avgpool', {}, x);
    x = m.add('Dropout', 'classifier.0', { rate: 0.2 }, x);
    x = m.add('Dense', 'classifier.1', { units: 1000 }, x);
  });
  return m.build();
}
