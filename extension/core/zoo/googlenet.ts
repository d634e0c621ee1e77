import { SpecBuilder, INPUT, type ModelSpec } from '../spec';

/**
 * GoogLeNet / Inception v1 as in Szegedy et al. 2014, "Going deeper with convolutions", Table 1: biased
 * convolutions with ReLU, nine inception modules, no auxiliary classifiers (they are dropped at inference)
 * and no local response normalisation (no parameters, no MACs). Layer names follow the BVLC Caffe release.
 */
interface Inception {
  name: string;
  /** #1×1, #3×3 reduce, #3×3, #5×5 reduce, #5×5, pool proj: the columns of Table 1. */
  widths: readonly [number, number, number, number, number, number];
}

const STAGE3: readonly Inception[] = [
  { name: '3a', widths: [64, 96, 128, 16, 32, 32] },
  { name: '3b', widths: [128, 128, 192, 32, 96, 64] },
];
const STAGE4: readonly Inception[] = [
  { name: '4a', widths: [192, 96, 208, 16, 48, 64] },
  { name: '4b', widths: [160, 112, 224, 24, 64, 64] },
  { name: '4c', widths: [128, 128, 256, 24, 64, 64] },
  { name: '4d', widths: [112, 144, 288, 32, 64, 64] },
  { name: '4e', widths: [256, 160, 320, 32, 128, 128] },
];
const STAGE5: readonly Inception[] = [
  { name: '5a', widths: [256, 160, 320, 32, 128, 128] },
  { name: '5b', widths: [384, 192, 384, 48, 128, 128] },
];

function conv(m: SpecBuilder, name: string, x: string, filters: number, kernel: number, strides = 1): string {
  return m.add('Conv2D', name, { filters, kernelSize: kernel, strides, padding: 'same', activation: 'relu' }, x);
}

/** Parallel 1×1, 1×1→3×3, 1×1→5×5 and 3×3 max pool→1×1 branches, concatenated along channels. */
function inception(m: SpecBuilder, module: Inception, x: string): string {
  const p = `inception_${module.name}`;
  const [n1, r3, n3, r5, n5, pp] = module.widths;
  return m.block(p, 'inception', () => {
    const b1 = conv(m, `${p}/1x1`, x, n1, 1);
    const b3 = conv(m, `${p}/3x3`, conv(m, `${p}/3x3_reduce`, x, r3, 1), n3, 3);
    const b5 = conv(m, `${p}/5x5`, conv(m, `${p}/5x5_reduce`, x, r5, 1), n5, 5);
    const pool = m.add('MaxPooling2D', `${p}/pool`, { poolSize: 3, strides: 1, padding: 'same' }, x);
    const bp = conv(m, `${p}/pool_proj`, pool, pp, 1);
    return m.add('Concatenate', `${p}/output`, { axis: -1 }, [b1, b3, b5, bp]);
  });
}

export function googlenet(input: readonly number[] = [224, 224, 3]): ModelSpec {
  const m = new SpecBuilder('googlenet', input, 'GoogLeNet (Inception v1): nine inception modules (Szegedy et al. 2014)');
  let x = m.block('stem', 'stem', () => {
    let y = conv(m, 'conv1/7x7_s2', INPUT, 64, 7, 2);
    y = m.add('MaxPooling2D', 'pool1/3x3_s2', { poolSize: 3, strides: 2, padding: 'same' }, y);
    y = conv(m, 'conv2/3x3_reduce', y, 64, 1);
    y = conv(m, 'conv2/3x3', y, 192, 3);
    return m.add('MaxPooling2D', 'pool2/3x3_s2', { poolSize: 3, strides: 2, padding: 'same' }, y);
  });
  for (const module of STAGE3) x = inception(m, module, x);
  x = m.add('MaxPooling2D', 'pool3/3x3_s2', { poolSize: 3, strides: 2, padding: 'same' }, x);
  for (const module of STAGE4) x = inception(m, module, x);
  x = m.add('MaxPooling2D', 'pool4/3x3_s2', { poolSize: 3, strides: 2, padding: 'same' }, x);
  for (const module of STAGE5) x = inception(m, module, x);
  m.block('classifier', 'classifier', () => {
    // Table 1's 7×7 average pool: global at 224×224, and it keeps the classifier valid at other input sizes.
    x = m.add('GlobalAveragePooling2D', 'pool5/7x7_s1', {}, x);
    x = m.add('Dropout', 'pool5/drop_7x7_s1', { rate: 0.4 }, x);
    x = m.add('Dense', 'loss3/classifier', { units: 1000, activation: 'softmax' }, x);
  });
  return m.build();
}
