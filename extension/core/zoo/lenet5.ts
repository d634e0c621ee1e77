import { SpecBuilder, INPUT, type ModelSpec } from '../spec';

/**
 * LeNet-5 (LeCun et al. 1998) as taught today: 32×32×1 input, 5×5 valid convolutions with 6 and 16 filters,
 * 2×2 average pooling, tanh, dense 120-84-10 (C5 as a dense layer over the flattened 5×5×16 maps).
 */
export function lenet5(input: readonly number[] = [32, 32, 1]): ModelSpec {
  const m = new SpecBuilder('lenet5', input, 'LeNet-5: 5×5 valid convs, average pooling, tanh (LeCun et al. 1998)');
  let x = INPUT;
  x = m.block('c1_s2', 'conv-pool', () => {
    const c = m.add('Conv2D', 'c1', { filters: 6, kernelSize: 5, activation: 'tanh' }, INPUT);
    return m.add('AveragePooling2D', 's2', { poolSize: 2, strides: 2 }, c);
  });
  x = m.block('c3_s4', 'conv-pool', () => {
    const c = m.add('Conv2D', 'c3', { filters: 16, kernelSize: 5, activation: 'tanh' }, x);
    return m.add('AveragePooling2D', 's4', { poolSize: 2, strides: 2 }, c);
  });
  x = m.block('classifier', 'classifier', () => {
    let y = m.add('Flatten', 'flatten', {}, x);
    y = m.add('Dense', 'c5', { units: 120, activation: 'tanh' }, y);
    y = m.add('Dense', 'f6', { units: 84, activation: 'tanh' }, y);
    return m.add('Dense', 'output', { units: 10, activation: 'softmax' }, y);
  });
  return m.build();
}
