import { SpecBuilder, INPUT, type ModelSpec } from '../spec';
import { convNormAct } from './convNormAct';

/**
 * MobileNetV2 (Sandler et al. 2018, Table 2) as torchvision builds it (width 1.0): inverted residual blocks of
 * a 1×1 expansion (×t), a 3×3 depthwise convolution and a linear 1×1 projection, each with batch norm, ReLU6
 * after the first two; a residual add where the stride is 1 and the width is kept. Layer names follow
 * torchvision (features.2.conv.1.0 is block 2's depthwise convolution).
 */
const SETTINGS: readonly (readonly [t: number, c: number, n: number, s: number])[] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

function invertedResidual(m: SpecBuilder, index: number, x: string, inC: number, outC: number, stride: number, t: number): string {
  const p = `features.${index}`;
  return m.block(p, 'inverted-residual', () => {
    let i = 0;
    let y = x;
    if (t !== 1) y = convNormAct(m, `${p}.conv.${i++}`, y, inC * t, { kernel: 1, activation: 'relu6' });
    y = convNormAct(m, `${p}.conv.${i++}`, y, inC * t, { kernel: 3, strides: stride, depthwise: true, activation: 'relu6' });
    y = m.add('Conv2D', `${p}.conv.${i++}`, { filters: outC, kernelSize: 1, useBias: false }, y);
    y = m.add('BatchNormalization', `${p}.conv.${i++}`, { epsilon: 1e-5 }, y);
    return stride === 1 && inC === outC ? m.add('Add', `${p}.add`, {}, [x, y]) : y;
  });
}

export function mobilenetV2(input: readonly number[] = [224, 224, 3]): ModelSpec {
  const m = new SpecBuilder('mobilenet_v2', input, 'MobileNetV2: inverted residuals with linear bottlenecks (Sandler et al. 2018)');
  let x = m.block('stem', 'stem', () => convNormAct(m, 'features.0', INPUT, 32, { kernel: 3, strides: 2, activation: 'relu6' }));
  let channels = 32;
  let index = 1;
  for (const [t, c, n, s] of SETTINGS) {
    for (let i = 0; i < n; i++) {
      x = invertedResidual(m, index++, x, channels, c, i === 0 ? s : 1, t);
      channels = c;
    }
  }
  x = m.block(`features.${index}`, 'head', () => convNormAct(m, `features.${index}`, x, 1280, { kernel: 1, activation: 'relu6' }));
  m.block('classifier', 'classifier', () => {
    x = m.add('GlobalAveragePooling2D', 'avgpool', {}, x);
    x = m.add('Dropout', 'classifier.0', { rate: 0.2 }, x);
    x = m.add('Dense', 'classifier.1', { units: 1000 }, x);
  });
  return m.build();
}
