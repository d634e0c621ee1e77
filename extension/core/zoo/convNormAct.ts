import type { SpecBuilder } from '../spec';

/**
 * torchvision's conv → batch norm → activation unit (`torchvision.ops.misc.Conv2dNormActivation`, Inception's
 * `BasicConv2d`) as spec layers: a bias-free convolution with PyTorch's padding (k − 1)/2, which is Keras'
 * 'same' for odd kernels at any stride, or 'valid' when torchvision pads nothing.
 */
export interface ConvNormActOptions {
  kernel: number | readonly [number, number];
  strides?: number;
  /** A depthwise convolution (groups = input channels); `filters` is then ignored. */
  depthwise?: boolean;
  /** Keras activation name; null for none (a projection). */
  activation: string | null;
  padding?: 'same' | 'valid';
  epsilon?: number;
  /** 'sequential': name.0, name.1, name.2 (Conv2dNormActivation); 'basic': name.conv, name.bn, name.relu. */
  naming?: 'sequential' | 'basic';
}

export function convNormAct(m: SpecBuilder, name: string, x: string, filters: number, o: ConvNormActOptions): string {
  const [conv, norm, act] = o.naming === 'basic' ? ['conv', 'bn', 'relu'] : ['0', '1', '2'];
  const common = { kernelSize: o.kernel, strides: o.strides ?? 1, padding: o.padding ?? 'same', useBias: false };
  let y = o.depthwise
    ? m.add('DepthwiseConv2D', `${name}.${conv}`, common, x)
    : m.add('Conv2D', `${name}.${conv}`, { filters, ...common }, x);
  y = m.add('BatchNormalization', `${name}.${norm}`, { epsilon: o.epsilon ?? 1e-5 }, y);
  return o.activation === null ? y : m.add('Activation', `${name}.${act}`, { activation: o.activation }, y);
}
