/**
 * Activation functions, one row each: the tfjs name the engine's Activation layer takes, the Keras spellings
 * that mean it, and the PyTorch modules (nn.ReLU) and functions (F.relu) that are it. Every activation keeps
 * the shape and has no weights, so one tfjs lacks (hardswish) is analysed as linear: same shape, no weights.
 */
export interface ActivationRow {
  /** The tfjs activation identifier. */
  tfjs: string;
  /** Keras spellings other than the tfjs one (keras.activations.silu, 'hard_sigmoid'). */
  kerasAliases?: readonly string[];
  /** torch.nn modules that are this activation. */
  torchModules?: readonly string[];
  /** torch.nn.functional / torch functions that are this activation. */
  torchFunctions?: readonly string[];
}

export const ACTIVATIONS: readonly ActivationRow[] = [
  { tfjs: 'elu', torchModules: ['ELU'], torchFunctions: ['elu'] },
  { tfjs: 'hardSigmoid', kerasAliases: ['hard_sigmoid'], torchModules: ['Hardsigmoid'] },
  // Hardswish has no tfjs activation: linear has its shape. LocalResponseNorm is shape-preserving without
  // parameters, so it is analysed the same way, as are the other parameter-free activations tfjs lacks (RReLU's
  // slope is random, not learned).
  { tfjs: 'linear', kerasAliases: ['None'], torchModules: ['Hardswish', 'LocalResponseNorm', 'Hardtanh', 'CELU', 'Softsign', 'LogSigmoid', 'Tanhshrink', 'Softshrink', 'Hardshrink', 'RReLU', 'Threshold', 'Softmax2d'], torchFunctions: ['hardswish'] },
  { tfjs: 'relu', torchModules: ['ReLU'], torchFunctions: ['relu', 'relu_'] },
  { tfjs: 'relu6', torchModules: ['ReLU6'], torchFunctions: ['relu6'] },
  { tfjs: 'selu', torchModules: ['SELU'] },
  { tfjs: 'sigmoid', torchModules: ['Sigmoid'], torchFunctions: ['sigmoid'] },
  // log_softmax and softmin (softmax of −x) differ from softmax in values only.
  { tfjs: 'softmax', torchModules: ['Softmax', 'LogSoftmax', 'Softmin'], torchFunctions: ['softmax', 'log_softmax', 'softmin'] },
  { tfjs: 'softplus', torchModules: ['Softplus'] },
  { tfjs: 'softsign' },
  { tfjs: 'tanh', torchModules: ['Tanh'], torchFunctions: ['tanh'] },
  { tfjs: 'swish', kerasAliases: ['silu'], torchModules: ['SiLU'], torchFunctions: ['silu'] },
  { tfjs: 'mish', torchModules: ['Mish'], torchFunctions: ['mish'] },
  { tfjs: 'gelu', torchModules: ['GELU'], torchFunctions: ['gelu'] },
  { tfjs: 'gelu_new' },
];

/**
 * Elementwise torch functions and tensor methods (torch.exp(x), x.pow(2), torch.randn_like(x)) that keep the
 * input's shape and have no weights, analysed as a linear activation when their other arguments are numbers.
 */
export const TORCH_ELEMENTWISE: readonly string[] = [
  'exp', 'exp_', 'log', 'log1p', 'sqrt', 'rsqrt', 'abs', 'neg', 'square', 'pow', 'sin', 'cos', 'sign', 'reciprocal', 'erf',
  'clamp', 'clamp_', 'clip', 'softplus', 'selu', 'celu', 'hardsigmoid', 'hardtanh', 'relu6',
  'randn_like', 'rand_like', 'zeros_like', 'ones_like', 'empty_like', 'full_like',
];

const byKerasName = new Map<string, string>();
for (const row of ACTIVATIONS) for (const name of [row.tfjs, ...(row.kerasAliases ?? [])]) byKerasName.set(name, row.tfjs);

/** The tfjs activation a Keras/tfjs activation name means, or null when tfjs has none. */
export function tfjsActivation(name: string): string | null {
  return byKerasName.get(name) ?? null;
}

const byTorchFunction = new Map<string, string>();
for (const row of ACTIVATIONS) for (const fn of row.torchFunctions ?? []) byTorchFunction.set(fn, row.tfjs);

/** The tfjs activation of a PyTorch activation function (F.relu → relu), or undefined. */
export function torchFunctionActivation(fn: string): string | undefined {
  return byTorchFunction.get(fn);
}
