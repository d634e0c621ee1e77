/**
 * Argument names as each framework writes them, for messages in its own words: the engine's (tfjs) spelling
 * → Keras' and PyTorch's, where they differ (a name missing here is spelled the same).
 */
import type { Framework } from '../spec';

const KERAS_NAMES: Record<string, string> = {
  kernelSize: 'kernel_size',
  dilationRate: 'dilation_rate',
  poolSize: 'pool_size',
  depthMultiplier: 'depth_multiplier',
  targetShape: 'target_shape',
};
const TORCH_NAMES: Record<string, string> = {
  filters: 'out_channels',
  units: 'out_features',
  kernelSize: 'kernel_size',
  poolSize: 'kernel_size',
  strides: 'stride',
  dilationRate: 'dilation',
};

export function argumentName(framework: Framework, arg: string): string {
  if (framework === 'pytorch') return TORCH_NAMES[arg] ?? arg;
  if (framework === 'keras') return KERAS_NAMES[arg] ?? arg;
  return arg;
}
