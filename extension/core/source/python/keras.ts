/** Keras / TensorFlow: Input, Sequential, functional Model, layers and tf.* functions on tensors. */
import type { SyntaxNode } from '../syntax';
import { type TensorRef, tensorRef, UNKNOWN_LAYER } from '../trace';
import { kerasMergeFunction } from '../../layerKnowledge/index';
import type { SourceCall } from '../types';
import type { PythonInterpreter } from './interpreter';
import { Unsupported } from './scope';
import { isSeq, isTensor, KerasFunctional, KerasSequential, LayerObj, PyDict, PyFloat, PyList, PyTuple, Unknown, type Value } from './values';
import { floatText, shapeDims, strOrNull, toArgs } from './conversions';
import { floatArgument } from './floatArguments';
import { exampleDims, exampleTensor, shapeTuple } from './shapes';
import { RULES, squeezeTensor } from './squeeze';
import { recordNestedLayer } from './freezing';
import { insideKerasLayerCall } from './kerasLayerSubclass';
import { markSeveralInputs, recordApplication, recordInputName } from './functionalLayers';

/** TensorFlow / Keras functions and classes called from Python; undefined when `path` is not one of them. */
export function callKerasExtern(it: PythonInterpreter, path: string, owner: string, last: string, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value | undefined {
  // keras.ops.nn.relu is keras.ops.relu (DeepLabV3+'s convolution_block returns ops.nn.relu(x)).
  if (['tensorflow.nn', 'tensorflow.math', 'keras.activations', 'keras.ops', 'keras.ops.nn', 'keras.backend'].includes(owner)) {
    const t = args[0] ?? null;
    if (isTensor(t)) {
      const act = TF_ACTIVATIONS[last];
      if (act) {
        return t.trace.emit(
          { name: it.scopedName(t.trace.autoName(last)), sourceType: path.replace(/^tensorflow\./, 'tf.'), source: it.loc(node) },
          { parts: [{ type: 'Activation', args: { activation: act } }],  },
          [t],
        );
      }
    }
  }
  // keras.ops.exp(x), tf.math.sqrt(x), tf.square(x), ops.clip(x, 0.0, 1.0), ops.maximum(x, eps): elementwise,
  // the tensor's shape and no weights (a VAE's sampling layer, a siamese distance). Any other argument must be a
  // number: with a tensor there it broadcasts, which is not read here.
  // TensorFlow's own functions take a Keras layer's traced tensors only (Keras 3 refuses them on a KerasTensor).
  if (ELEMENTWISE_OWNERS.includes(owner) && (owner === 'keras.ops' || insideKerasLayerCall()) && ELEMENTWISE[last] !== undefined && isTensor(args[0] ?? null)) {
    const rest = [...args.slice(1), ...[...kwargs].filter(([k]) => k !== 'name').map(([, v]) => v)];
    if (rest.length === ELEMENTWISE[last] && rest.every((v) => typeof v === 'number' || v instanceof PyFloat)) {
      const t = args[0] as TensorRef;
      return t.trace.emit(
        { name: it.scopedName(t.trace.autoName(last)), sourceType: path.replace(/^tensorflow\./, 'tf.'), source: it.loc(node) },
        { parts: [{ type: 'Activation', args: { activation: 'linear' } }] },
        [t],
      );
    }
  }
  // tf.nn.depth_to_space(x, r) / keras.ops.depth_to_space(x, r): (H, W, C·r²) → (H·r, W·r, C), PyTorch's PixelShuffle in
  // channels-last order (the sub-pixel super-resolution examples); the same sizes whatever the channel order.
  if ((path === 'tensorflow.nn.depth_to_space' || path === 'keras.ops.depth_to_space' || path === 'keras.ops.nn.depth_to_space') && isTensor(args[0] ?? null)) {
    const r = args[1] ?? kwargs.get('block_size');
    const x = args[0] as TensorRef;
    const format = args[2] ?? kwargs.get('data_format');
    const sourceType = path.replace(/^tensorflow\./, 'tf.');
    const meta = { name: it.scopedName(x.trace.autoName('depth_to_space')), sourceType, source: it.loc(node) };
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 1 || (format !== undefined && format !== null && format !== 'channels_last' && format !== 'NHWC')) {
      return x.trace.emit(meta, { parts: [{ type: `unsupported: ${sourceType} with a block size or data format the reader could not evaluate`, args: {} }] }, [x]);
    }
    return x.trace.emit(meta, { parts: [{ type: 'PixelShuffle', args: { upscaleFactor: r } }] }, [x]);
  }
  const squeeze = KERAS_SQUEEZE[path];
  if (squeeze && isTensor(args[0] ?? null)) {
    const [op, rules, defaultAxis] = squeeze;
    const axis = args[1] ?? kwargs.get('axis') ?? defaultAxis;
    return squeezeTensor(it, op, args[0] as TensorRef, axis, node, RULES[rules], path.replace(/^tensorflow\./, 'tf.'));
  }
  if ((last === 'int_shape' && owner === 'keras.backend') || path === 'keras.ops.shape') {
    const t = args[0] ?? null;
    return isTensor(t) ? shapeTuple(t) : new Unknown(`${last} of a value that is not a tensor`);
  }
  if (path === 'tensorflow.concat' || path === 'keras.ops.concatenate' || path === 'tensorflow.add' || path === 'keras.ops.add') {
    const list = path.endsWith('add') ? new PyList([args[0] ?? null, args[1] ?? null]) : (args[0] ?? null);
    const tensors = isSeq(list) ? list.items.filter(isTensor) : [];
    if (tensors.length >= 2 && tensors.every((t) => t.trace === tensors[0]!.trace)) {
      const layer = new LayerObj('keras', path.endsWith('add') ? 'Add' : 'Concatenate', toArgs([], new Map(path.endsWith('add') ? [] : [['axis', kwargs.get('axis') ?? args[1] ?? -1]])), it.loc(node), null);
      return it.applyLayer(layer, [new PyList(tensors)], new Map());
    }
  }
  // tf.identity(x): x itself (involution's `stride_layer = AveragePooling2D(…) if stride > 1 else tf.identity`).
  if (path === 'tensorflow.identity' && isTensor(args[0] ?? null)) return args[0]!;
  // ---- Keras
  // keras.models.clone_model(student): the same architecture with fresh weights (knowledge distillation's
  // student trained from scratch), so the same model to read.
  if ((path === 'keras.models.clone_model' || path === 'keras.clone_model') && (args[0] instanceof KerasSequential || args[0] instanceof KerasFunctional)) return args[0];
  if (path === 'keras.Input' || path === 'keras.layers.Input') return kerasInput(it, args, kwargs, node);
  if (path === 'keras.Sequential') return kerasSequential(it, args, kwargs, node);
  // keras.src.models.Functional (what Keras Applications build) is keras.Model(inputs, outputs).
  if (path === 'keras.Model' || path === 'keras.Functional' || path === 'keras.functional.Functional') return kerasFunctionalModel(it, args, kwargs, node);
  if (owner === 'keras.layers') {
    if (last === 'InputLayer') return kerasInput(it, [], new Map([['shape', kwargs.get('input_shape') ?? kwargs.get('shape') ?? null], ['name', kwargs.get('name') ?? null]]), node);
    const mergeClass = kerasMergeFunction(last);
    if (mergeClass !== undefined) {
      const layer = new LayerObj('keras', mergeClass, toArgs([], kwargs), it.loc(node), strOrNull(kwargs.get('name')));
      return it.applyLayer(layer, args.slice(0, 1), new Map());
    }
    if (/^[A-Z]/.test(last)) {
      const name = kwargs.get('name');
      return new LayerObj('keras', last, toArgs(args, kwargs), it.loc(node), typeof name === 'string' ? name : null, floatArgument('keras', last, args, kwargs));
    }
  }
  // np.random.normal(loc, scale, size) / uniform(low, high, size): a dummy array of `size`.
  if ((path === 'numpy.random.normal' || path === 'numpy.random.uniform') && (kwargs.has('size') || args.length >= 3)) {
    return exampleTensor(it, shapeDims(kwargs.get('size') ?? args[2]!) ?? [], 'keras');
  }
  if (['tensorflow.zeros', 'tensorflow.ones', 'tensorflow.random.normal', 'tensorflow.random.uniform', 'numpy.zeros', 'numpy.ones', 'numpy.random.rand', 'numpy.random.randn'].includes(path)) {
    const dims = shapeDims(args.length === 1 ? args[0]! : new PyTuple(args));
    return exampleTensor(it, dims ?? [], 'keras');
  }
  return undefined;
}

/**
 * squeeze / expand_dims by path: the op, whose wording and rules (squeeze.ts), and the axis when none is given
 * (undefined: squeeze every size-1 dim; expand_dims needs one). tf.keras.backend's are tf's own functions.
 */
const KERAS_SQUEEZE: Record<string, [op: 'squeeze' | 'unsqueeze', rules: keyof typeof RULES, defaultAxis: Value | undefined]> = {
  'keras.ops.squeeze': ['squeeze', 'keras', undefined],
  'keras.ops.expand_dims': ['unsqueeze', 'keras', undefined],
  'tensorflow.squeeze': ['squeeze', 'tf', undefined],
  'tensorflow.expand_dims': ['unsqueeze', 'tf', undefined],
  'keras.backend.squeeze': ['squeeze', 'tf', undefined],
  'keras.backend.expand_dims': ['unsqueeze', 'tf', -1],
};

function kerasInput(it: PythonInterpreter, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
  const shapeValue = kwargs.get('shape') ?? args[0] ?? null;
  const batchShape = kwargs.get('batch_shape') ?? kwargs.get('batch_input_shape');
  let dims: (number | null)[] | null = null;
  const raw = batchShape ?? shapeValue;
  // keras.Input(shape=(8.0, 8, 3)) fails in Keras 3.15 (scripts/reference/float_arguments.py); the size stays unknown here.
  const float = isSeq(raw) ? raw.items.find((d): d is PyFloat => d instanceof PyFloat) : undefined;
  if (float) it.report('error', 'invalid', `Cannot convert '${it.str(raw) ?? '…'}' to a shape. Found invalid dimension '${floatText(float.value)}' of type '<class 'float'>'.`, node);
  if (isSeq(raw)) dims = raw.items.map((d) => (typeof d === 'number' ? d : null));
  if (dims && batchShape) dims = dims.slice(1);
  const given = it.givenInput();
  // shape=(None, *x_train.shape[2:]) with the data unknown: not even the rank is known. The model reads inputs
  // of any size (a given input is used whatever its rank); read without one, it is an open input.
  if (!dims && raw instanceof Unknown) return it.newTrace('keras', given ?? [null]).inputTensor;
  if (!dims) throw new Unsupported(`could not evaluate the input shape ${it.text(node)}`);
  if (dims.length < 1 || dims.length > 4) {
    it.report('info', 'unsupported', `input shape (${dims.join(', ')}) is not a vector, sequence, image or volume input; only those are analysed`, node);
  }
  // A read at another input size replaces the input's shape (of the same rank): the code is read again at that size.
  if (given && given.length !== dims.length) {
    throw new Unsupported(`the given input (${given.join(', ')}) has ${given.length} dimensions, this input ${dims.length}: (${dims.join(', ')})`);
  }
  const shape = given ?? dims;
  const trace = it.newTrace('keras', shape);
  recordInputName(trace, kwargs.get('name') ?? null);
  return trace.inputTensor;
}

function kerasSequential(it: PythonInterpreter, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
  const layersValue = kwargs.get('layers') ?? args[0] ?? null;
  const items = layersValue === null ? [] : it.iterate(layersValue) ?? [new Unknown('layers')];
  const seq = new KerasSequential([], strOrNull(kwargs.get('name') ?? args[1] ?? null), it.loc(node));
  for (const item of items) {
    if (seq.layers.length === 0 && seq.inputShape === null && isTensor(item)) {
      seq.inputShape = item.trace.input;
      continue;
    }
    seq.layers.push(item);
  }
  return seq;
}

/** keras.Model(inputs, outputs): the functional model over the layers between them. */
export function kerasFunctionalModel(it: PythonInterpreter, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
  const inputs = kwargs.get('inputs') ?? args[0] ?? null;
  const outputs = kwargs.get('outputs') ?? args[1] ?? null;
  const ins = isTensor(inputs) ? [inputs] : isSeq(inputs) ? inputs.items : inputs instanceof PyDict ? [...inputs.map.values()] : [];
  const outs = isTensor(outputs) ? [outputs] : isSeq(outputs) ? outputs.items : outputs instanceof PyDict ? [...outputs.map.values()] : [];
  const inTensors = ins.filter(isTensor);
  const outTensors = outs.filter(isTensor);
  if (inTensors.length > 0 && outTensors.length === 0) {
    // keras.Model(base.input, base.layers[-2].output): the model is the file's, its outputs are not known. It stays
    // the model (the one the example code runs), unknown from its input on, never replaced by another of the file.
    const x = inTensors[0]!;
    const unknown = x.trace.emit(
      { name: it.scopedName(x.trace.autoName('outputs')), sourceType: 'keras.Model outputs', source: it.loc(node) },
      { parts: [{ type: 'unsupported: keras.Model outputs the reader could not follow', args: {} }] },
      [x],
    );
    return new KerasFunctional(x.trace, [unknown], strOrNull(kwargs.get('name') ?? null), it.loc(node));
  }
  if (inTensors.length === 0 || outTensors.length === 0) {
    throw new Unsupported('keras.Model(...) whose inputs/outputs the reader could not follow');
  }
  const trace = inTensors[0]!.trace;
  const model = new KerasFunctional(trace, outTensors.filter((t) => t.trace === trace), strOrNull(kwargs.get('name') ?? null), it.loc(node));
  if (inTensors.length > 1) {
    it.report('info', 'unsupported', 'models with several inputs are not analysed; the first input is used', node);
    markSeveralInputs(model);
  }
  return model;
}

export function applyKerasSequential(it: PythonInterpreter, seq: KerasSequential, args: Value[], node: SyntaxNode): Value {
  const x = args[0] ?? null;
  const example = exampleDims(x);
  if (example) it.state.runs.push({ model: seq, dims: example, node });
  if (!isTensor(x)) return new Unknown('model applied to a value the reader could not follow');
  const from = x.trace.layers.length;
  const run = (): Value => {
    let y: Value = x;
    for (const layer of seq.layers) y = it.callValue(layer, [y], new Map(), node);
    const after = seq.unknownAfter;
    if (after === null || !isTensor(y)) return y;
    // The model as the code left it is unknown past its known layers: one located unknown layer, never those alone.
    it.report('warning', 'unknown', after.reason, after.node);
    return y.trace.emit({ name: 'unknown', sourceType: 'Sequential', source: it.loc(after.node) }, { parts: [{ type: UNKNOWN_LAYER, args: { reason: after.reason } }] }, [y]);
  };
  const y = seq.name ? x.trace.withBlock({ name: seq.name, type: 'model' }, run) : run();
  recordApplication(x.trace, from, seq);
  return y;
}

export function applyKerasFunctional(it: PythonInterpreter, model: KerasFunctional, args: Value[], node: SyntaxNode): Value {
  const x = args[0] ?? null;
  const example = exampleDims(x);
  if (example) it.state.runs.push({ model, dims: example, node });
  if (!isTensor(x)) return new Unknown('model applied to a value the reader could not follow');
  // Re-emit the nested model's layers into this trace, renamed under the model's name.
  const prefix = model.name ?? 'model';
  const { spec, calls } = model.trace.toSpec(prefix, model.trace.input ?? [1, 1, 1], model.outputs.map((o) => o.name), null);
  const callOf = new Map<string, SourceCall>();
  for (const c of calls) for (const l of c.layers) if (!callOf.has(l)) callOf.set(l, c);
  const from = x.trace.layers.length;
  const map = new Map<string, string>([['input', x.name]]);
  let last: TensorRef = x;
  x.trace.withBlock({ name: prefix, type: 'model' }, () => {
    for (const l of spec.layers) {
      const call = callOf.get(l.name);
      const out = x.trace.emit(
        { name: `${prefix}/${l.name}`, sourceType: call?.sourceType ?? l.type, source: l.source ?? it.loc(node) },
        { parts: [{ type: l.type, args: model.trainable ? { ...l.args } : { ...l.args, trainable: false }, merge: l.inputs.length > 1 }] },
        l.inputs.map((i) => ({ ...x, name: map.get(i) ?? x.name })),
      );
      map.set(l.name, out.name);
      recordNestedLayer(x.trace, out.name, model.trace, l.name, model);
      last = out;
    }
  });
  recordApplication(x.trace, from, model);
  const outName = map.get(model.outputs[0]!.name);
  return outName ? tensorRef(x.trace, outName, x.trace.shapeOf(outName)) : last;
}

// Not keras.backend: Keras 3's has no exp or square (K.square(x) fails there).
const ELEMENTWISE_OWNERS = ['tensorflow', 'tensorflow.math', 'keras.ops'];
/** Elementwise functions of one tensor → how many number arguments follow it (clip's min and max). */
const ELEMENTWISE: Record<string, number> = {
  exp: 0, expm1: 0, log: 0, log1p: 0, sqrt: 0, rsqrt: 0, square: 0, abs: 0, negative: 0, sign: 0, reciprocal: 0,
  sin: 0, cos: 0, erf: 0, round: 0, floor: 0, ceil: 0, clip: 2, clip_by_value: 2, maximum: 1, minimum: 1,
  // tf.pow(x, 2) / ops.power(x, 2) with a number exponent (Zero-DCE's light-enhancement curves).
  pow: 1, power: 1,
};

const TF_ACTIVATIONS: Record<string, string> = {
  relu: 'relu',
  relu6: 'relu6',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  swish: 'swish',
  silu: 'swish',
  gelu: 'gelu',
  elu: 'elu',
  selu: 'selu',
  softmax: 'softmax',
  softplus: 'softplus',
  leaky_relu: 'linear',
  // tf.nn.l2_normalize(x, axis=-1) (metric-learning embeddings): the same shape, no weights.
  l2_normalize: 'linear',
  normalize: 'linear',
  hard_swish: 'linear',
  hard_sigmoid: 'hardSigmoid',
  mish: 'mish',
};
