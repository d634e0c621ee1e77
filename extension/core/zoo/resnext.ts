import type { ModelSpec } from '../spec';
import { residualNetwork } from './resnet';

/**
 * ResNeXt-50 32×4d (Xie et al. 2017, Table 1) in torchvision's convention: ResNet-50's bottlenecks with a
 * 3×3 convolution of 32 groups of 4 channels per 64 planes (128, 256, 512, 1024 wide), bias-free
 * convolutions and batch norm, the downsampling stride on the grouped 3×3. Names as in ./resnet.ts.
 */
export function resnext50_32x4d(input: readonly number[] = [224, 224, 3]): ModelSpec {
  return residualNetwork(
    'resnext50_32x4d',
    input,
    'ResNeXt-50 32×4d: bottlenecks with 32-group 3×3 convolutions (Xie et al. 2017), torchvision convention',
    'bottleneck',
    [3, 4, 6, 3],
    32,
    4,
  );
}
