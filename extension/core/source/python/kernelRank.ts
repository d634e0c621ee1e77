/**
 * A PyTorch convolution given a kernel_size tuple of another length than its spatial rank (`nn.Conv2d(3, 8, [3])`):
 * PyTorch takes the tuple as it is, so the weight has that many kernel axes ((8, 3, 3) here) and forward() raises
 * a RuntimeError. The reader refuses it at the call instead of reading [3] as 3×3 (a one-item stride or padding is
 * fine: forward() repeats it over the axes).
 */
import type { Refusal } from './floatArguments';
import { pythonStr } from './conversions';
import { isSeq, type Value } from './values';

const SPATIAL_RANK: Record<string, number> = {
  Conv1d: 1, Conv2d: 2, Conv3d: 3, ConvTranspose1d: 1, ConvTranspose2d: 2, ConvTranspose3d: 3,
  LazyConv1d: 1, LazyConv2d: 2, LazyConv3d: 3, LazyConvTranspose1d: 1, LazyConvTranspose2d: 2, LazyConvTranspose3d: 3,
};

export function kernelRankRefusal(cls: string, args: Value[], kwargs: Map<string, Value>): Refusal | null {
  const rank = SPATIAL_RANK[cls];
  if (rank === undefined) return null;
  // The Lazy classes have no in_channels: kernel_size is their second argument.
  const kernel = kwargs.get('kernel_size') ?? args[cls.startsWith('Lazy') ? 1 : 2];
  if (kernel === undefined || !isSeq(kernel) || kernel.items.length === rank) return null;
  const sizes = kernel.items.length;
  return {
    message: `kernel_size=${pythonStr(kernel) ?? '…'} gives nn.${cls} ${sizes} kernel size${sizes === 1 ? '' : 's'} for its ${rank} spatial ax${rank === 1 ? 'is' : 'es'}: PyTorch makes a weight with ${sizes} kernel ax${sizes === 1 ? 'is' : 'es'}, and forward() raises a RuntimeError`,
    atForward: true,
  };
}
