/**
 * The names `named_parameters()` gives a leaf torch.nn module, and the flags that leave a slot empty (bias=False,
 * affine=False, elementwise_affine=False) with their defaults: facts from torch 2.13, printed by
 * scripts/reference/torch_parameter_names.py. A class in neither table is unknown to the reader (an RNN, whose
 * names depend on num_layers; a module holding submodules).
 */
export interface TorchParameterSlots {
  names: readonly string[];
  flags?: Readonly<Partial<Record<'bias' | 'affine' | 'elementwise_affine', boolean>>>;
}

export const TORCH_PARAMETER_SLOTS: Readonly<Record<string, TorchParameterSlots>> = {
  BatchNorm1d: { names: ['weight', 'bias'], flags: { affine: true, bias: true } },
  BatchNorm2d: { names: ['weight', 'bias'], flags: { affine: true, bias: true } },
  BatchNorm3d: { names: ['weight', 'bias'], flags: { affine: true, bias: true } },
  Bilinear: { names: ['weight', 'bias'], flags: { bias: true } },
  Conv1d: { names: ['weight', 'bias'], flags: { bias: true } },
  Conv2d: { names: ['weight', 'bias'], flags: { bias: true } },
  Conv3d: { names: ['weight', 'bias'], flags: { bias: true } },
  ConvTranspose1d: { names: ['weight', 'bias'], flags: { bias: true } },
  ConvTranspose2d: { names: ['weight', 'bias'], flags: { bias: true } },
  ConvTranspose3d: { names: ['weight', 'bias'], flags: { bias: true } },
  Embedding: { names: ['weight'] },
  EmbeddingBag: { names: ['weight'] },
  GroupNorm: { names: ['weight', 'bias'], flags: { affine: true, bias: true } },
  InstanceNorm1d: { names: ['weight', 'bias'], flags: { affine: false, bias: true } },
  InstanceNorm2d: { names: ['weight', 'bias'], flags: { affine: false, bias: true } },
  InstanceNorm3d: { names: ['weight', 'bias'], flags: { affine: false, bias: true } },
  LayerNorm: { names: ['weight', 'bias'], flags: { bias: true, elementwise_affine: true } },
  Linear: { names: ['weight', 'bias'], flags: { bias: true } },
  PReLU: { names: ['weight'] },
  RMSNorm: { names: ['weight'], flags: { elementwise_affine: true } },
  SyncBatchNorm: { names: ['weight', 'bias'], flags: { affine: true, bias: true } },
};

/** Leaf torch.nn modules with no parameters. */
export const TORCH_PARAMETER_FREE: ReadonlySet<string> = new Set([
  'AdaptiveAvgPool1d', 'AdaptiveAvgPool2d', 'AdaptiveAvgPool3d', 'AdaptiveMaxPool1d', 'AdaptiveMaxPool2d',
  'AdaptiveMaxPool3d', 'AlphaDropout', 'AvgPool1d', 'AvgPool2d', 'AvgPool3d', 'BCELoss', 'BCEWithLogitsLoss', 'CELU',
  'CTCLoss', 'ChannelShuffle', 'CircularPad1d', 'CircularPad2d', 'CircularPad3d', 'ConstantPad1d', 'ConstantPad2d',
  'ConstantPad3d', 'CosineEmbeddingLoss', 'CosineSimilarity', 'CrossEntropyLoss', 'CrossMapLRN2d', 'Dropout',
  'Dropout1d', 'Dropout2d', 'Dropout3d', 'ELU', 'FeatureAlphaDropout', 'Flatten', 'Fold', 'FractionalMaxPool2d',
  'FractionalMaxPool3d', 'GELU', 'GLU', 'GaussianNLLLoss', 'Hardshrink', 'Hardsigmoid', 'Hardswish', 'Hardtanh',
  'HingeEmbeddingLoss', 'HuberLoss', 'Identity', 'KLDivLoss', 'L1Loss', 'LPPool1d', 'LPPool2d', 'LPPool3d',
  'LeakyReLU', 'LocalResponseNorm', 'LogSigmoid', 'LogSoftmax', 'MSELoss', 'MarginRankingLoss', 'MaxPool1d',
  'MaxPool2d', 'MaxPool3d', 'MaxUnpool1d', 'MaxUnpool2d', 'MaxUnpool3d', 'Mish', 'MultiLabelMarginLoss',
  'MultiLabelSoftMarginLoss', 'MultiMarginLoss', 'NLLLoss', 'NLLLoss2d', 'PairwiseDistance', 'PixelShuffle',
  'PixelUnshuffle', 'PoissonNLLLoss', 'RReLU', 'ReLU', 'ReLU6', 'ReflectionPad1d', 'ReflectionPad2d',
  'ReflectionPad3d', 'ReplicationPad1d', 'ReplicationPad2d', 'ReplicationPad3d', 'SELU', 'SiLU', 'Sigmoid',
  'SmoothL1Loss', 'SoftMarginLoss', 'Softmax', 'Softmax2d', 'Softmin', 'Softplus', 'Softshrink', 'Softsign', 'Tanh',
  'Tanhshrink', 'Threshold', 'TripletMarginLoss', 'Unfold', 'Upsample', 'UpsamplingBilinear2d',
  'UpsamplingNearest2d', 'ZeroPad1d', 'ZeroPad2d', 'ZeroPad3d',
]);
