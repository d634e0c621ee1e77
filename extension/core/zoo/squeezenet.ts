import { SpecBuilder, INPUT, type ModelSpec } from '../spec';

/**
 * SqueezeNet 1.1 (Iandola et al. 2016; the 1.1 variant from the authors' repository, as torchvision builds it):
 * a 3×3/2 stem with 64 filters, eight fire modules (a 1×1 "squeeze" feeding parallel 1×1 and 3×3 "expand"
 * convolutions, concatenated), a 1×1 convolution to the classes and global average pooling. Biased
 * convolutions, no batch norm. Layer names follow torchvision (features.3.squeeze, classifier.1).
 *
 * torchvision pools with ceil_mode=True: ⌈(H − 3)/2⌉ + 1. A zero padding of one row and column at the bottom
 * and right before a 'valid' pool gives exactly that at any input size (it changes no value a max could pick
 * at 224×224, and shapes are all the analysis reads).
 */
const FIRES: Record<number, readonly [squeeze: number, expand: number]> = {
  3: [16, 64],
  4: [16, 64],
  6: [32, 128],
  7: [32, 128],
  9: [48, 192],
  10: [48, 192],
  11: [64, 256],
  12: [64, 256],
};

function fire(m: SpecBuilder, index: number, x: string): string {
  const [squeeze, expand] = FIRES[index]!;
  const p = `features.${index}`;
  return m.block(p, 'fire', () => {
    const s = m.add('Conv2D', `${p}.squeeze`, { filters: squeeze, kernelSize: 1, activation: 'relu' }, x);
    const e1 = m.add('Conv2D', `${p}.expand1x1`, { filters: expand, kernelSize: 1, activation: 'relu' }, s);
    const e3 = m.add('Conv2D', `${p}.expand3x3`, { filters: expand, kernelSize: 3, padding: 'same', activation: 'relu' }, s);
    return m.add('Concatenate', `${p}.cat`, { axis: -1 }, [e1, e3]);
  });
}

function ceilModePool(m: SpecBuilder, index: number, x: string): string {
  const padded = m.add('ZeroPadding2D', `features.${index}.ceil_mode_pad`, { padding: [[0, 1], [0, 1]] }, x);
  return m.add('MaxPooling2D', `features.${index}`, { poolSize: 3, strides: 2 }, padded);
}

export function squeezenet1_1(input: readonly number[] = [224, 224, 3]): ModelSpec {
  const m = new SpecBuilder('squeezenet1_1', input, 'SqueezeNet 1.1: eight fire modules of 1×1 squeeze and 1×1 + 3×3 expand (Iandola et al. 2016)');
  let x = m.block('stem', 'stem', () => {
    const c = m.add('Conv2D', 'features.0', { filters: 64, kernelSize: 3, strides: 2, activation: 'relu' }, INPUT);
    return ceilModePool(m, 2, c);
  });
  x = fire(m, 4, fire(m, 3, x));
  x = ceilModePool(m, 5, x);
  x = fire(m, 7, fire(m, 6, x));
  x = ceilModePool(m, 8, x);
  for (const index of [9, 10, 11, 12]) x = fire(m, index, x);
  m.block('classifier', 'classifier', () => {
    x = m.add('Dropout', 'classifier.0', { rate: 0.5 }, x);
    x = m.add('Conv2D', 'classifier.1', { filters: 1000, kernelSize: 1, activation: 'relu' }, x);
    x = m.add('GlobalAveragePooling2D', 'classifier.3', {}, x);
  });
  return m.build();
}
