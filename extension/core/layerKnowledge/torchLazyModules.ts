/**
 * PyTorch's lazy modules turn into their `cls_to_become` on the first forward pass (before forward hooks run),
 * so a model that ran lists nn.LazyConv2d(6, 5) as a Conv2d. torch 2.13: `nn.LazyX.cls_to_become.__name__`.
 */
export const TORCH_LAZY_BECOMES: Readonly<Record<string, string>> = {
  LazyBatchNorm1d: 'BatchNorm1d',
  LazyBatchNorm2d: 'BatchNorm2d',
  LazyBatchNorm3d: 'BatchNorm3d',
  LazyConv1d: 'Conv1d',
  LazyConv2d: 'Conv2d',
  LazyConv3d: 'Conv3d',
  LazyConvTranspose1d: 'ConvTranspose1d',
  LazyConvTranspose2d: 'ConvTranspose2d',
  LazyConvTranspose3d: 'ConvTranspose3d',
  LazyInstanceNorm1d: 'InstanceNorm1d',
  LazyInstanceNorm2d: 'InstanceNorm2d',
  LazyInstanceNorm3d: 'InstanceNorm3d',
  LazyLinear: 'Linear',
};

/** The class a torch.nn module is once it has run: its own, or the one a lazy module becomes. */
export function torchClassAfterRun(cls: string): string {
  return TORCH_LAZY_BECOMES[cls] ?? cls;
}
