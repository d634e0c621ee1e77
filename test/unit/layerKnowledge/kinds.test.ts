/**
 * The table of layer knowledge (extension/core/layerKnowledge/kinds.ts) holds together: every name belongs to
 * one kind, every kind a translator produces is one the engine can build, and the facts the readers depend on
 * (which kinds merge, which carry weights) are where they were before the table. PyTorch signatures and
 * parameter counts below are from torch 2.13 (`sum(p.numel() for p in m.parameters())`).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hasReaderWeights, isMerge, kerasClass, KINDS, layerKind, torchFunction, torchModule, torchModuleNames } from '../../../extension/core/layerKnowledge/index';
import { ACTIVATIONS } from '../../../extension/core/layerKnowledge/activations';
import { TORCH_NO_LAYER_MODULES } from '../../../extension/core/layerKnowledge/kinds';
import type { Args, Plain } from '../../../extension/core/source/layerArgs';
import { translateKeras } from '../../../extension/core/source/layers';
import type { TensorRef } from '../../../extension/core/source/trace';

const args = (...positional: Plain[]): Args => ({ positional, keywords: new Map() });
/** A tensor of PyTorch shape (N, *torchSample), held as the engine holds it (channels-last from rank 3). */
function tensor(...torchSample: number[]): TensorRef {
  const shape = torchSample.length >= 3 ? [...torchSample.slice(1), torchSample[0]!] : torchSample;
  return { kind: 'tensor', trace: null as never, name: 'x', shape, rank: shape.length, channels: shape.at(-1) ?? null };
}

describe('every name belongs to one kind', () => {
  const spellings: [string, (k: (typeof KINDS)[number]) => readonly string[]][] = [
    ['engine type', (k) => [k.type]],
    ['Keras class', (k) => [...(k.keras?.names ?? []), ...Object.keys(k.keras?.classes ?? {})]],
    ['Keras function', (k) => k.keras?.functions ?? []],
    ['tfjs factory', (k) => k.tfjs ?? []],
    ['PyTorch module', (k) => [...Object.keys(k.torch?.modules ?? {})]],
    ['PyTorch function', (k) => [...Object.keys(k.torch?.functions ?? {})]],
  ];
  for (const [what, names] of spellings) {
    it(`no ${what} is declared by two kinds`, () => {
      const all = KINDS.flatMap(names);
      const twice = all.filter((n, i) => all.indexOf(n) !== i);
      assert.deepEqual(twice, []);
    });
  }
  it('no PyTorch module is both a layer and a no-layer module', () => {
    const layered = KINDS.flatMap((k) => Object.keys(k.torch?.modules ?? {}));
    assert.deepEqual(TORCH_NO_LAYER_MODULES.filter((m) => layered.includes(m)), []);
  });
  it('every Keras alias resolves to its kind with the kind’s positional names', () => {
    assert.equal(kerasClass('Convolution2D')?.type, 'Conv2D');
    assert.deepEqual(kerasClass('AvgPool2D'), { type: 'AveragePooling2D', positional: ['pool_size', 'strides', 'padding', 'data_format'] });
    assert.equal(kerasClass('Convolution3D')?.type, 'Conv3D');
    assert.deepEqual(kerasClass('GlobalAvgPool3D'), { type: 'GlobalPooling3D', positional: ['data_format', 'keepdims'] });
  });
});

describe('every kind a translator produces can be built', () => {
  // One call per PyTorch module, with arguments as its docs write them (torch 2.13), on a typical input.
  const calls: Record<string, [Args, TensorRef]> = {
    Conv2d: [args(3, 8, 3, 1, 1), tensor(3, 8, 8)],
    LazyConv2d: [args(8, 3), tensor(3, 8, 8)],
    ConvTranspose2d: [args(8, 4, 2, 2), tensor(8, 4, 4)],
    Linear: [args(10, 4), tensor(10)],
    LazyLinear: [args(4), tensor(10)],
    Conv1d: [args(3, 8, 3), tensor(3, 16)],
    Conv3d: [args(3, 8, 3), tensor(3, 4, 8, 8)],
    MaxPool1d: [args(2), tensor(3, 16)],
    AvgPool1d: [args(2), tensor(3, 16)],
    MaxPool2d: [args(3, 2, 1), tensor(3, 8, 8)],
    AvgPool2d: [args(2, 2, 0, true), tensor(3, 9, 9)],
    AdaptiveAvgPool2d: [args(1), tensor(3, 8, 8)],
    AdaptiveMaxPool2d: [args([16, 16]), tensor(3, 8, 8)],
    MaxPool3d: [args(2), tensor(3, 4, 8, 8)],
    AvgPool3d: [args(2), tensor(3, 4, 8, 8)],
    AdaptiveAvgPool3d: [args(1), tensor(3, 4, 8, 8)],
    AdaptiveMaxPool3d: [args(1), tensor(3, 4, 8, 8)],
    BatchNorm1d: [args(3), tensor(3, 16)],
    BatchNorm2d: [args(3), tensor(3, 8, 8)],
    BatchNorm3d: [args(3), tensor(3, 4, 8, 8)],
    LazyBatchNorm2d: [args(), tensor(3, 8, 8)],
    LayerNorm: [args(8), tensor(3, 8, 8)],
    LeakyReLU: [args(0.2), tensor(3, 8, 8)],
    Dropout: [args(0.5), tensor(10)],
    Dropout2d: [args(0.5), tensor(3, 8, 8)],
    AlphaDropout: [args(0.5), tensor(10)],
    Flatten: [args(), tensor(3, 8, 8)],
    ZeroPad2d: [args([1, 2, 3, 4]), tensor(3, 8, 8)],
    Upsample: [args(null, 1.5), tensor(3, 8, 8)],
    UpsamplingNearest2d: [args(null, 2), tensor(3, 8, 8)],
    ReflectionPad2d: [args(2), tensor(3, 8, 8)],
    ReplicationPad2d: [args([1, 1, 2, 2]), tensor(3, 8, 8)],
    ConstantPad2d: [args(1, 0.5), tensor(3, 8, 8)],
    InstanceNorm2d: [args(3, 1e-5, 0.1, true), tensor(3, 8, 8)],
    PixelShuffle: [args(2), tensor(8, 4, 4)],
    GroupNorm: [args(2, 8), tensor(8, 4, 4)],
    SyncBatchNorm: [args(8), tensor(8, 4, 4)],
    PReLU: [args(8), tensor(8, 4, 4)],
    UpsamplingBilinear2d: [args(null, 2), tensor(3, 8, 8)],
    ChannelShuffle: [args(2), tensor(8, 4, 4)],
    LPPool2d: [args(2, 3), tensor(3, 17, 17)],
    Dropout1d: [args(0.5), tensor(3, 16)],
    Dropout3d: [args(0.5), tensor(3, 4, 8, 8)],
    FeatureAlphaDropout: [args(0.5), tensor(3, 8, 8)],
    PixelUnshuffle: [args(2), tensor(3, 8, 8)],
    AdaptiveAvgPool1d: [args(4), tensor(3, 16)],
    AdaptiveMaxPool1d: [args(1), tensor(3, 16)],
    ConvTranspose1d: [args(3, 8, 4, 2, 1), tensor(3, 16)],
    LazyConvTranspose2d: [args(4, 2, 2), tensor(3, 8, 8)],
    InstanceNorm1d: [args(3), tensor(3, 16)],
    LazyInstanceNorm1d: [args(), tensor(3, 16)],
    LazyInstanceNorm2d: [args(), tensor(3, 8, 8)],
    InstanceNorm3d: [args(3), tensor(3, 4, 8, 8)],
    CircularPad2d: [args(1), tensor(3, 8, 8)],
    Unflatten: [args(1, [2, 8]), tensor(16)],
    GLU: [args(1), tensor(4, 8, 8)],
    RMSNorm: [args(8), tensor(3, 8, 8)],
    Embedding: [args(100, 16), tensor(20)],
  };
  for (const m of ['ConstantPad1d', 'ZeroPad1d', 'ReflectionPad1d', 'ReplicationPad1d', 'CircularPad1d']) calls[m] = [args(2), tensor(3, 16)];
  for (const m of ['ConstantPad3d', 'ZeroPad3d', 'ReflectionPad3d', 'ReplicationPad3d', 'CircularPad3d']) calls[m] = [args(1), tensor(3, 4, 8, 8)];
  for (const row of ACTIVATIONS) for (const m of row.torchModules ?? []) calls[m] = [args(), tensor(3, 8, 8)];
  for (const m of TORCH_NO_LAYER_MODULES) calls[m] = [args(), tensor(3, 8, 8)];

  it('every PyTorch module of the table has a call here', () => {
    assert.deepEqual(torchModuleNames().filter((m) => !(m in calls)).sort(), []);
  });
  for (const [module, [a, x]] of Object.entries(calls)) {
    it(`nn.${module} translates to kinds the engine builds`, () => {
      const translated = torchModule(module)!(a, [x]);
      assert.ok(!('unsupported' in translated), 'unsupported' in translated ? translated.unsupported : '');
      for (const part of translated.parts) assert.ok(layerKind(part.type), `${module} → ${part.type}`);
    });
  }
  it('every kind has a tfjs factory and a unique type', () => {
    const types = KINDS.map((k) => k.type);
    assert.equal(new Set(types).size, types.length);
    for (const k of KINDS) assert.equal(typeof k.build, 'function', k.type);
  });
});

describe('facts the readers depend on', () => {
  it('the seven Keras merges, and only they and the engine\'s Divide (PyTorch tensor / tensor), take a list', () => {
    assert.deepEqual(KINDS.filter((k) => k.merge && k.keras).map((k) => k.type).sort(), ['Add', 'Average', 'Concatenate', 'Maximum', 'Minimum', 'Multiply', 'Subtract']);
    assert.deepEqual(KINDS.filter((k) => k.merge && !k.keras).map((k) => k.type), ['Divide']);
    assert.equal(isMerge('Dense'), false);
  });
  it('the 1×1 savings look through normalisation, activations and dropout only', () => {
    assert.deepEqual(KINDS.filter((k) => k.lookThrough).map((k) => k.type).sort(), ['Activation', 'BatchNormalization', 'Dropout', 'ELU', 'LRN', 'LeakyReLU', 'PReLU', 'ReLU', 'SpatialDropout2D']);
  });
  it('a kind the readers count weights of has initializers to make them shape-only', () => {
    for (const k of KINDS.filter((kind) => kind.readerWeights)) assert.ok((k.initializers ?? []).length > 0, k.type);
  });
  it('Conv1D keeps its kernel and bias (built shape-only) and its weights are shared when the module is reused', () => {
    assert.deepEqual(layerKind('Conv1D')?.initializers, ['kernelInitializer', 'biasInitializer']);
    assert.equal(hasReaderWeights('Conv1D'), true);
    assert.equal(hasReaderWeights('Conv2D'), true);
  });
  it('nn.Linear(400, 120) has 48,120 parameters on a flat input and acts on the last dim of a (C, H, W) one', () => {
    const flat = torchModule('Linear')!(args(400, 120), [tensor(400)]);
    assert.ok(!('unsupported' in flat) && flat.params === 48120);
    const image = torchModule('Linear')!(args(8, 4), [tensor(3, 5, 8)]);
    assert.ok(!('unsupported' in image));
    // One layer (one row, as torchinfo shows) that brings PyTorch's last dim, the engine's axis 1 of (H, W, C), to the end inside itself.
    assert.deepEqual(image.parts.map((p) => [p.type, p.args.sequence, p.args.swapAxis]), [['Dense', 'lastDim', 1]]);
  });
  it('nn.LayerNorm(8) has 16 parameters and normalises the last PyTorch dim', () => {
    const t = torchModule('LayerNorm')!(args(8), [tensor(3, 5, 8)]);
    assert.ok(!('unsupported' in t));
    assert.equal(t.params, 16);
    assert.deepEqual(t.parts.map((p) => p.type), ['LayerNormalization']);
  });
  it('torch.relu6 stays relu6 though it is also elementwise; torch.exp keeps the shape only with number arguments', () => {
    const relu6 = torchFunction('relu6')!(args(), [tensor(3, 8, 8)]);
    assert.ok(!('unsupported' in relu6));
    assert.deepEqual(relu6.parts.map((p) => p.args), [{ activation: 'relu6' }]);
    assert.ok(!('unsupported' in torchFunction('pow')!(args(2), [tensor(3, 8, 8)])));
    assert.ok('unsupported' in torchFunction('pow')!(args({ ref: 'y' }), [tensor(3, 8, 8)]));
  });
  it('F.max_pool2d reads ceil_mode at its own position (4, not the module’s 5)', () => {
    const t = torchFunction('max_pool2d')!(args(2, 2, 0, 1, true), [tensor(3, 9, 9)]);
    assert.ok(!('unsupported' in t));
    assert.deepEqual(t.parts.map((p) => p.suffix ?? p.type), ['ceil', 'MaxPooling2D']);
  });
});

describe('Keras fix-ups named by their kind', () => {
  const kw = (entries: [string, Plain][], positional: Plain[] = []): Args => ({ positional, keywords: new Map(entries) });
  const image = tensor(8, 4, 4);
  it('LeakyReLU(negative_slope=0.2) is tfjs alpha 0.2 (Keras 3 renamed alpha)', () => {
    assert.deepEqual(translateKeras('LeakyReLU', kw([['negative_slope', 0.2]]), [image], 'keras'), { parts: [{ type: 'LeakyReLU', args: { alpha: 0.2 }, merge: false }] });
  });
  it('ReLU(max_value=None) has no maxValue; UpSampling2D(2) is size (2, 2)', () => {
    assert.deepEqual(translateKeras('ReLU', kw([['max_value', null]]), [image], 'keras'), { parts: [{ type: 'ReLU', args: {}, merge: false }] });
    assert.deepEqual(translateKeras('UpSampling2D', kw([], [2]), [image], 'keras'), { parts: [{ type: 'UpSampling2D', args: { size: [2, 2] }, merge: false }] });
  });
  it('GlobalAvgPool2D(keepdims=True) on 8 channels is (1, 1, 8); unknown channels are unsupported, never (8)', () => {
    const t = translateKeras('GlobalAvgPool2D', kw([['keepdims', true]]), [image], 'keras');
    assert.ok(!('unsupported' in t));
    assert.deepEqual(t.parts.map((p) => [p.type, p.args]), [['GlobalAveragePooling2D', {}], ['Reshape', { targetShape: [1, 1, 8] }]]);
    const unknown = { ...image, shape: null, rank: null, channels: null };
    assert.deepEqual(translateKeras('GlobalAvgPool2D', kw([['keepdims', true]]), [unknown], 'keras'), { unsupported: 'GlobalAvgPool2D(keepdims=True) on a tensor whose shape is unknown' });
  });
  it('Normalization with a mean and no variance is refused (Keras raises)', () => {
    assert.deepEqual(translateKeras('Normalization', kw([['mean', 1]]), [image], 'keras'), { unsupported: 'Normalization with only one of mean and variance (Keras raises)' });
    const stated = translateKeras('Normalization', kw([['mean', 1], ['variance', 2]]), [image], 'keras');
    assert.ok(!('unsupported' in stated) && stated.parts[0]!.args.statedStatistics === true);
  });
});
