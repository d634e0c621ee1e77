/**
 * A Keras model config (the JSON Keras writes in a .keras file's config.json, an .h5 file's `model_config`
 * attribute, or a TensorFlow.js model.json's `modelTopology`) turned into the engine's spec. Keras 3 configs
 * (inbound nodes as `__keras_tensor__` arguments) and Keras 2 / tfjs configs (inbound nodes as
 * [layer, node, tensor] lists) are both read; layer arguments go through the same translation as Keras code
 * (source/layers.ts), so a model gives the same answer from its code and from its files. Nothing in the
 * config is ever imported or called: a class name is a string looked up in a table.
 */
import { USER_LAYER } from '../tfjs/userLayer';
import type { Shape } from '../shape';
import { INPUT, type BlockRef, type Framework, type LayerSpec, type ModelSpec } from '../spec';
import { translateKeras, type Plain } from '../source/layers';
import { kerasClass } from '../layerKnowledge/index';
import type { TensorRef } from '../source/trace';
import type { FileDiagnostic } from './diagnostics';
import { OPAQUE_LAMBDA } from '../tfjs/statedShapeLayer';
import { ModelFileError } from './diagnostics';
import { scalarOperation } from './kerasScalarOperations';
import { applicationsLayerScaleDim } from './kerasLayerScale';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface KerasConfigOptions {
  /** Model name when the config has none (the file name). */
  fallbackName: string;
  framework: Framework;
  /** H, W, C to use instead of the config's input (required when the config leaves H or W open). */
  input?: Shape;
}

export interface KerasConfigResult {
  spec: ModelSpec;
  diagnostics: FileDiagnostic[];
}

interface TensorInfo {
  /** Engine layer whose output this is. */
  name: string;
  rank: number | null;
  channels: number | null;
}

const MODEL_CLASSES = new Set(['Functional', 'Model', 'Sequential']);
/** Sequential or Functional: a model whose config lists its layers (a subclassed model's does not). */
export const isKerasModelClass = (className: string): boolean => MODEL_CLASSES.has(className);

/** The model config inside whatever wraps it (tfjs `modelTopology` may hold `model_config`). */
export function unwrapModelConfig(root: unknown, file: string): JsonObject {
  let config = root;
  if (isObject(config) && isObject(config.model_config)) config = config.model_config;
  if (!isObject(config) || typeof config.class_name !== 'string') {
    throw new ModelFileError(`${file}: the model config has no class_name; it is not a Keras model config`);
  }
  return config;
}

export function specFromKerasConfig(root: unknown, file: string, options: KerasConfigOptions): KerasConfigResult {
  const model = unwrapModelConfig(root, file);
  const className = model.class_name as string;
  if (!MODEL_CLASSES.has(className)) throw new ModelFileError(`${file}: the model is a ${className}, not a Sequential or Functional Keras model`);
  const reader = new ConfigReader(file, options);
  const config = isObject(model.config) ? model.config : {};
  const name = typeof config.name === 'string' ? config.name : options.fallbackName;
  // Keras 2 wrote a Sequential's config as the bare list of layers.
  const layers = Array.isArray(model.config) ? model.config : Array.isArray(config.layers) ? config.layers : [];
  if (className === 'Sequential' || !layers.some((l) => isObject(l) && Array.isArray(l.inbound_nodes) && l.inbound_nodes.length > 0)) {
    reader.sequential(layers);
  } else {
    reader.functional(layers, config);
  }
  const input = reader.input();
  return { spec: { name, framework: options.framework, input, layers: reader.layers }, diagnostics: reader.diagnostics };
}

/** What a nested model's reader shares with the outer one: the engine layers, their names and the messages. */
interface Shared {
  layers: LayerSpec[];
  diagnostics: FileDiagnostic[];
  used: Set<string>;
}

class ConfigReader {
  readonly layers: LayerSpec[];
  readonly diagnostics: FileDiagnostic[];
  /** Keras layer name → its output, in this model's own scope (a nested model may reuse outer names). */
  private readonly tensors = new Map<string, TensorInfo>();
  private readonly used: Set<string>;
  private statedInput: (number | null)[] | null = null;
  private inputName: string | null = null;

  /** `nestedInput`: for a model used as a layer, the outer tensor its input layer stands for. */
  constructor(
    private readonly file: string,
    private readonly options: KerasConfigOptions,
    shared?: Shared,
    private readonly nestedInput?: TensorInfo,
    /** The nested model's layers form a block named after it. */
    private readonly block: BlockRef | null = null,
  ) {
    this.layers = shared?.layers ?? [];
    this.diagnostics = shared?.diagnostics ?? [];
    this.used = shared?.used ?? new Set<string>([INPUT]);
  }

  /** Reads a model config used as a layer; returns its output, or null when the output cannot be told. */
  private nested(model: JsonObject, name: string, input: TensorInfo): TensorInfo | null {
    const reader = new ConfigReader(this.file, this.options, { layers: this.layers, diagnostics: this.diagnostics, used: this.used }, input, { name, type: 'model' });
    const config = isObject(model.config) ? model.config : {};
    const layers = Array.isArray(model.config) ? model.config : Array.isArray(config.layers) ? config.layers : [];
    if (model.class_name === 'Sequential' || !layers.some((l) => isObject(l) && Array.isArray(l.inbound_nodes) && l.inbound_nodes.length > 0)) {
      return reader.sequential(layers);
    }
    reader.functional(layers, config);
    const outputs = config.output_layers;
    const first = Array.isArray(outputs) && Array.isArray(outputs[0]) ? outputs[0] : outputs;
    const outName = Array.isArray(first) && typeof first[0] === 'string' ? first[0] : null;
    if (Array.isArray(outputs) && Array.isArray(outputs[0]) && outputs.length > 1) {
      this.diagnostics.push({ severity: 'error', layer: name, message: 'a nested model with several outputs is not read yet; shapes after it are unknown' });
      return null;
    }
    return outName === null ? null : (reader.tensors.get(outName) ?? null);
  }

  input(): Shape {
    if (this.options.input) return this.options.input;
    const s = this.statedInput;
    if (s === null) throw new ModelFileError(`${this.file}: the model config states no input shape; pass --input H,W,C`);
    // (None, D, H, W, C) volumes too: Keras' Conv3D / 3-D pooling are engine layers, as in Keras code.
    // (None, features) vectors too (an MLP, token ids for an Embedding), as the code readers read them.
    if (s.length < 1 || s.length > 4) throw new ModelFileError(`${this.file}: the model's input is ${JSON.stringify([null, ...s])}; CNN Inspector analyses models with one (None, features) vector, (None, steps, channels) sequence, (None, H, W, C) image or (None, D, H, W, C) volume input`);
    if (s.some((d) => d === null)) throw new ModelFileError(`${this.file}: the model's input (None, ${s.map((d) => d ?? 'None').join(', ')}) leaves sizes open; pass --input H,W,C`);
    return s;
  }

  private setInput(name: string, batchShape: unknown): void {
    if (this.nestedInput) {
      // A nested model's input is the tensor the outer model passes it.
      this.tensors.set(name, this.nestedInput);
      return;
    }
    if (this.inputName !== null && this.inputName !== name) {
      throw new ModelFileError(`${this.file}: the model has several inputs (${this.inputName}, ${name}); CNN Inspector analyses models with one image input`);
    }
    this.inputName = name;
    if (Array.isArray(batchShape)) this.statedInput = batchShape.slice(1).map((d) => (typeof d === 'number' ? d : null));
    const rank = this.statedInput?.length ?? null;
    const channels = this.statedInput?.[this.statedInput.length - 1] ?? null;
    this.tensors.set(name, { name: INPUT, rank, channels });
  }

  /** A Sequential: each layer reads the previous one; the input comes from an InputLayer or the first layer's stated shape. */
  sequential(layers: readonly Json[]): TensorInfo | null {
    let previous: TensorInfo | null = null;
    const names = new Set<string>();
    for (const [i, layer] of layers.entries()) {
      if (!isObject(layer)) {
        // Keras cannot deserialize it either; the layers after it read an unknown input.
        this.diagnostics.push({ severity: 'error', message: `layer ${i} of the config is ${layer === null ? 'null' : Array.isArray(layer) ? 'a list' : typeof layer}, not a layer config` });
        continue;
      }
      const config = isObject(layer.config) ? layer.config : {};
      const name = typeof config.name === 'string' ? config.name : `layer_${i}`;
      // Keras 3.15 refuses to load it: "All layers added to a Sequential model should have unique names".
      if (names.has(name)) this.diagnostics.push({ severity: 'error', layer: name, message: `a second layer named ${JSON.stringify(name)}: Keras refuses a Sequential whose layers' names are not unique` });
      names.add(name);
      if (layer.class_name === 'InputLayer') {
        this.setInput(name, config.batch_shape ?? config.batch_input_shape);
        previous = this.tensors.get(name)!;
        continue;
      }
      if (previous === null) {
        const stated = config.batch_input_shape ?? config.batch_shape ?? (isObject(layer.build_config) ? layer.build_config.input_shape : undefined) ?? nestedInputShape(layer);
        this.setInput('input', stated);
        previous = this.tensors.get('input')!;
      }
      previous = this.addLayer(layer, name, [previous]) ?? { name, rank: null, channels: null };
    }
    return previous;
  }

  functional(layers: readonly Json[], config: JsonObject): void {
    // Each call of each layer (a shared layer has one inbound node per call), read once its inputs are read: the
    // second call of `conv` in conv(conv(x)) reads the first's output, and the layer after it reads the second's.
    this.callable = new Set([...layers.entries()].filter(([, l]) => isObject(l)).map(([i, l]) => layerName(l as JsonObject, i)));
    for (const [i, layer] of layers.entries()) {
      if (!isObject(layer)) {
        // Keras cannot deserialize it either; the layers after it read an unknown input.
        this.diagnostics.push({ severity: 'error', message: `layer ${i} of the config is ${layer === null ? 'null' : Array.isArray(layer) ? 'a list' : typeof layer}, not a layer config` });
        continue;
      }
      const layerConfig = isObject(layer.config) ? layer.config : {};
      const name = layerName(layer, i);
      if (layer.class_name === 'InputLayer') {
        this.setInput(name, layerConfig.batch_shape ?? layerConfig.batch_input_shape);
        for (const call of this.released(name)) this.whenReady(call);
        continue;
      }
      const nodes = Array.isArray(layer.inbound_nodes) ? layer.inbound_nodes : [];
      nodes.forEach((node, call) => this.whenReady({ layer, name, call, inputs: inboundRefs(node) }));
    }
    // Calls still waiting read outputs made only after them: a cycle, which Keras cannot build, or a call the config
    // never makes. Each is cut at one call, said so, and what reads it is read on from there (unknown).
    for (let stuck = this.nextWaiting(); stuck !== undefined; stuck = this.nextWaiting()) {
      const key = tensorKey(stuck);
      const missing = stuck.inputs.filter((ref) => !this.tensors.has(tensorKey(ref))).map(tensorKey);
      this.diagnostics.push({ severity: 'error', layer: key, message: `reads ${missing.join(', ')}, which the config makes only from this call's own output (a cycle) or never; shapes from here are unknown` });
      this.layers.push({ name: this.uniqueName(key), type: `${String(stuck.layer.class_name)} (unread)`, args: {}, inputs: [], source: null, block: this.block });
      if (stuck.call === 0) this.firstCallLayers.set(stuck.name, [this.layers.at(-1)!]);
      this.unknown(key);
      for (const call of this.released(key)) this.whenReady(call);
    }
    // Keras 3 writes one output as [name, 0, 0], several as a list of those; each must be a layer read above.
    const outputs = Array.isArray(config.output_layers) ? (Array.isArray(config.output_layers[0]) ? config.output_layers : [config.output_layers]) : [];
    for (const o of outputs) {
      const name = Array.isArray(o) ? o[0] : undefined;
      if (typeof name === 'string' && !this.tensors.has(name)) {
        this.diagnostics.push({ severity: 'error', message: `the config's output ${JSON.stringify(name)} is not a layer it defines; the model's output is unknown` });
      }
    }
    if (Array.isArray(config.output_layers) && Array.isArray(config.output_layers[0]) && config.output_layers.length > 1) {
      this.diagnostics.push({ severity: 'info', message: `the model has ${config.output_layers.length} outputs; every layer is reported` });
    }
  }

  /** Names of the layers the functional config defines: a call reading one that is not read yet waits for it. */
  private callable = new Set<string>();
  /** The engine layers each layer's first call made: a later call shares their weights. */
  private readonly firstCallLayers = new Map<string, LayerSpec[]>();

  /** Calls waiting for a call's output, by that output's key. */
  private readonly waiting = new Map<string, LayerCall[]>();

  /** Reads the call now if its inputs are read, else when the first missing one is; then whatever waited for it. */
  private whenReady(first: LayerCall): void {
    const queue = [first];
    for (let item = queue.pop(); item !== undefined; item = queue.pop()) {
      const missing = item.inputs.find((ref) => this.callable.has(ref.name) && !this.tensors.has(tensorKey(ref)));
      if (missing) {
        const key = tensorKey(missing);
        const list = this.waiting.get(key);
        if (list) list.push(item);
        else this.waiting.set(key, [item]);
        continue;
      }
      this.addCall(item.layer, item.name, item.call, item.inputs);
      queue.push(...this.released(tensorKey(item)));
    }
  }

  /** Takes one call still waiting, if any. */
  private nextWaiting(): LayerCall | undefined {
    for (const [key, calls] of this.waiting) {
      const call = calls.shift();
      if (calls.length === 0) this.waiting.delete(key);
      if (call && !this.tensors.has(tensorKey(call))) return call;
    }
    return undefined;
  }

  /** The calls that waited for this output, once it is read (last first, as the queue pops them). */
  private released(key: string): LayerCall[] {
    const calls = this.waiting.get(key);
    if (!calls || !this.tensors.has(key)) return [];
    this.waiting.delete(key);
    return calls.reverse();
  }

  /**
   * One call of a layer. A later call (Keras `conv(conv(x))`) makes the same engine layers again on its own input;
   * they share the first call's weights, so count_params() counts them once, and the MACs are per call.
   */
  private addCall(layer: JsonObject, name: string, call: number, refs: readonly CallOutput[]): void {
    const inputs = refs.map((ref) => this.tensors.get(tensorKey(ref)) ?? { name: `missing:${tensorKey(ref)}`, rank: null, channels: null });
    if (inputs.length === 0) {
      this.diagnostics.push({ severity: 'error', layer: name, message: 'the config names no input for this layer' });
      return;
    }
    const before = this.layers.length;
    if (call === 0) {
      this.addLayer(layer, name, inputs);
      this.firstCallLayers.set(name, this.layers.slice(before));
      return;
    }
    // Named as the source readers name a later call (conv#2): its rows, its output's key and its diagnostics.
    this.addLayer(layer, tensorKey({ name, call }), inputs);
    const made = this.layers.slice(before);
    const firstMade = this.firstCallLayers.get(name) ?? [];
    if (made.length !== firstMade.length || made.some((l, i) => l.type !== firstMade[i]!.type)) {
      for (const l of made) l.type = `${l.type} (unread call)`;
      // A first call that could not be read has said so; its weights, and so this call's, are unknown.
      if (firstMade.some((l) => l.type.endsWith('(unread)'))) return;
      this.diagnostics.push({ severity: 'error', layer: name, message: `call ${call + 1} of this layer does not read like its first, so whether it shares that call's weights is unknown; shapes after it are unknown` });
      return;
    }
    made.forEach((l, i) => {
      l.sharesWeightsWith = firstMade[i]!.name;
    });
  }

  /** Translates one Keras layer into engine layers; returns its output, or null when it could not be read. */
  private addLayer(layer: JsonObject, name: string, inputs: TensorInfo[]): TensorInfo | null {
    const className = String(layer.class_name);
    const config = isObject(layer.config) ? layer.config : {};
    const inputNames = inputs.map((t) => t.name);
    // An input that never resolved (a missing layer) is not a name the engine can refer to.
    if (inputNames.some((n) => n.startsWith('missing:'))) {
      this.diagnostics.push({ severity: 'error', layer: name, message: `reads ${inputNames.filter((n) => n.startsWith('missing:')).map((n) => n.slice(8)).join(', ')}, which the config does not define` });
      // Kept as a layer with no inputs, so it is listed and everything after it is unknown.
      this.layers.push({ name: this.uniqueName(name), type: `${className} (unread)`, args: {}, inputs: [], source: null });
      return this.unknown(name);
    }
    const add = (type: string, args: Record<string, unknown>, engineName = name, from = inputNames): string => {
      const unique = this.uniqueName(engineName);
      this.layers.push({ name: unique, type, args, inputs: from, source: null, block: this.block });
      return unique;
    };
    if (className === 'Lambda') return this.lambda(config, name, inputs, add);
    if (className === 'Normalization') {
      // Keras 3 writes axis as a list ([3]) or -1; only the channel axis of an image is taken.
      const axis = Array.isArray(config.axis) && config.axis.length === 1 ? config.axis[0] : config.axis;
      // After a layer whose shape only the engine knows (EfficientNet's Rescaling), the rank is the one Keras 3
      // states for the inbound tensor ({"class_name": "__keras_tensor__", "config": {"shape": [null, H, W, C]}}).
      const rank = inputs[0]?.rank ?? statedInboundRank(layer);
      if (!(axis === -1 || (rank !== null && axis === rank))) {
        add(`${className}(axis=${JSON.stringify(config.axis)})`, {});
        return this.unknown(name);
      }
      add('Normalization', { statedStatistics: config.mean !== null && config.mean !== undefined });
      const result = { name: this.layers.at(-1)!.name, rank, channels: inputs[0]?.channels ?? null };
      this.tensors.set(name, result);
      return result;
    }
    if (MODEL_CLASSES.has(className)) {
      // A model used as a layer (a pretrained base inside a Sequential): its layers are read in place.
      if (inputs.length !== 1) {
        add(`${className} (nested model)`, {});
        this.diagnostics.push({ severity: 'error', layer: name, message: 'a nested model with several inputs is not read yet; shapes after it are unknown' });
        return this.unknown(name);
      }
      const output = this.nested(layer, name, inputs[0]!);
      if (output === null) {
        add(`${className} (nested model)`, {}, name, inputNames);
        return this.unknown(name);
      }
      this.tensors.set(name, output);
      return output;
    }
    const layerScaleDim = applicationsLayerScaleDim(layer, config);
    if (layerScaleDim !== null) {
      // Keras Applications' ConvNeXt LayerScale (kerasLayerScale.ts): x · gamma, gamma of (projection_dim,), trainable.
      add(USER_LAYER, { outputShape: 'input', weights: [{ name: 'gamma', shape: [layerScaleDim], trainable: true }], macs: 0 });
      this.layers.at(-1)!.frameworkType = 'LayerScale';
      const result = { name: this.layers.at(-1)!.name, rank: inputs[0]?.rank ?? null, channels: inputs[0]?.channels ?? null };
      this.tensors.set(name, result);
      return result;
    }
    const withConstant = scalarOperation(className, layer.inbound_nodes);
    if (withConstant?.kind === 'keeps-shape') {
      // x + 3.0: the input's shape, no weights (kerasScalarOperations.ts).
      add(USER_LAYER, { outputShape: 'input', weights: [], macs: 0 });
      this.layers.at(-1)!.frameworkType = className;
      const result = { name: this.layers.at(-1)!.name, rank: inputs[0]?.rank ?? null, channels: inputs[0]?.channels ?? null };
      this.tensors.set(name, result);
      return result;
    }
    if (withConstant?.kind === 'unread-constant') {
      // Refused by the engine with the reason, so the layer and what reads it are unknown.
      add(USER_LAYER, { reason: withConstant.message });
      this.layers.at(-1)!.frameworkType = className;
      return this.unknown(name);
    }
    if ((className === 'GlobalAveragePooling2D' || className === 'GlobalMaxPooling2D') && config.keepdims === true && (config.data_format ?? 'channels_last') === 'channels_last') {
      // keepdims=True (MobileNet's head, MobileNetV3's squeeze-excite): the engine's (1, 1, C) pooling, which needs
      // no channel count from the reader (the engine knows it).
      add(className, { keepDims: true });
      const result = { name: this.layers.at(-1)!.name, rank: 3, channels: inputs[0]?.channels ?? null };
      this.tensors.set(name, result);
      return result;
    }
    const info = kerasClass(className);
    if (!info) {
      // Unknown to the engine (or a class the file invents, such as a module function): reported, never resolved.
      add(className, {});
      if (typeof layer.module === 'string' && !layer.module.startsWith('keras')) {
        this.diagnostics.push({ severity: 'warning', layer: name, message: `the config names ${layer.module}.${className} as this layer's class; it is not imported (nothing from the file runs)` });
      }
      return this.unknown(name);
    }
    const keywords = new Map<string, Plain>();
    for (const [k, v] of Object.entries(config)) keywords.set(k, toPlain(v));
    // Grouped convolutions (groups > 1) go to the engine's grouped Conv2D, which checks the channels divide.
    const translatedClass = className;
    // Keras 2 wrote BatchNormalization's axis as a list ([3]); tfjs takes one axis.
    const axis = keywords.get('axis');
    if (Array.isArray(axis) && axis.length === 1) keywords.set('axis', axis[0]!);
    const refs = inputs.map((t) => ({ kind: 'tensor', trace: null, name: t.name, rank: t.rank, channels: t.channels }) as unknown as TensorRef);
    const translated = translateKeras(translatedClass, { positional: [], keywords }, refs, 'keras');
    if ('unsupported' in translated) {
      // Not the class itself, which the engine may know and would build without its arguments.
      add(`${className} (unread)`, {});
      this.diagnostics.push({ severity: 'error', layer: name, message: `${translated.unsupported}; shapes after it are unknown` });
      return this.unknown(name);
    }
    let last = inputNames;
    let out = name;
    for (const [i, part] of translated.parts.entries()) {
      const partName = part.suffix ? `${name}/${part.suffix}` : name;
      out = add(part.type, part.args, partName, part.merge || i === 0 ? inputNames : last);
      // The class Keras names the layer by where the engine builds another kind (Conv1DTranspose, GroupNormalization).
      if (part.frameworkType) this.layers.at(-1)!.frameworkType = part.frameworkType;
      last = [out];
    }
    const result = { name: out, rank: null, channels: null }; // shapes come from the engine
    this.tensors.set(name, result);
    return result;
  }

  /** Lambda carries marshalled Python: never run. Its stated output_shape is used when the file gives one. */
  private lambda(config: JsonObject, name: string, inputs: TensorInfo[], add: (type: string, args: Record<string, unknown>) => string): TensorInfo {
    const stated = config.output_shape;
    const shape = Array.isArray(stated) && stated.every((d) => typeof d === 'number' && d > 0) ? (stated as number[]) : null;
    // Keras also accepts a full (None, ...) shape; the batch axis is dropped.
    const outputShape = shape ?? (Array.isArray(stated) && stated[0] === null && stated.slice(1).every((d) => typeof d === 'number' && d > 0) ? (stated.slice(1) as number[]) : null);
    const engineName = add(OPAQUE_LAMBDA, outputShape ? { outputShape } : {});
    this.diagnostics.push({
      severity: outputShape ? 'warning' : 'error',
      layer: name,
      message: outputShape
        ? `a Lambda layer's Python code is not executed; its output shape ${JSON.stringify([null, ...outputShape])} is the one the file states (output_shape)`
        : 'a Lambda layer\'s Python code is not executed and the file states no output_shape, so its output and the shapes after it are unknown',
    });
    const result = { name: engineName, rank: outputShape?.length ?? null, channels: outputShape?.[outputShape.length - 1] ?? null };
    this.tensors.set(name, result);
    void inputs;
    return result;
  }

  /** A layer that was listed but not understood: what reads it is unknown too. */
  private unknown(name: string): TensorInfo {
    const engineName = this.layers[this.layers.length - 1]?.name ?? name;
    const result = { name: engineName, rank: null, channels: null };
    this.tensors.set(name, result);
    return result;
  }

  private uniqueName(name: string): string {
    let candidate = name;
    for (let i = 1; this.used.has(candidate); i++) candidate = `${name}_${i}`;
    this.used.add(candidate);
    return candidate;
  }
}

/** The input shape of a model used as the first layer of a Sequential (its own InputLayer's). */
function nestedInputShape(layer: JsonObject): Json | undefined {
  if (!MODEL_CLASSES.has(String(layer.class_name)) || !isObject(layer.config) || !Array.isArray(layer.config.layers)) return undefined;
  const first = layer.config.layers.find((l) => isObject(l) && l.class_name === 'InputLayer');
  if (!isObject(first) || !isObject(first.config)) return undefined;
  return first.config.batch_shape ?? first.config.batch_input_shape;
}

/** A functional config's name for its i-th layer: the layer's own, its config's, or Keras' positional default. */
function layerName(layer: JsonObject, i: number): string {
  const config = isObject(layer.config) ? layer.config : {};
  return typeof layer.name === 'string' ? layer.name : typeof config.name === 'string' ? config.name : `layer_${i}`;
}

/** A tensor an inbound node reads: the output of call `call` (Keras' node index) of layer `name`. */
interface CallOutput {
  name: string;
  call: number;
}

/** One call of a layer in a functional config, waiting for its inputs. */
interface LayerCall extends CallOutput {
  layer: JsonObject;
  inputs: CallOutput[];
}

/** The key of a call's output: the layer's name for its first call, `conv#2` for its second (as the source readers name it). */
const tensorKey = (ref: CallOutput): string => (ref.call === 0 ? ref.name : `${ref.name}#${ref.call + 1}`);

/** keras_history / Keras 2's [name, node_index, tensor_index, kwargs]: the node index picks the call. */
function callOutput(entry: readonly Json[]): CallOutput | null {
  if (typeof entry[0] !== 'string') return null;
  return { name: entry[0], call: typeof entry[1] === 'number' && Number.isInteger(entry[1]) && entry[1] >= 0 ? entry[1] : 0 };
}

/** The calls a node reads: Keras 3 `{args: [__keras_tensor__...]}` or Keras 2 `[[name, node, tensor, kwargs], ...]`. */
function inboundRefs(node: Json | undefined): CallOutput[] {
  const refs: CallOutput[] = [];
  if (isObject(node)) {
    const visit = (v: Json | undefined): void => {
      if (Array.isArray(v)) v.forEach(visit);
      else if (isObject(v) && v.class_name === '__keras_tensor__' && isObject(v.config) && Array.isArray(v.config.keras_history)) {
        const ref = callOutput(v.config.keras_history);
        if (ref) refs.push(ref);
      }
    };
    visit(node.args);
  } else if (Array.isArray(node)) {
    for (const entry of node) {
      const ref = Array.isArray(entry) ? callOutput(entry) : null;
      if (ref) refs.push(ref);
    }
  }
  return refs;
}

/** Config values as the translator's plain data; nested objects (initializers, dtype policies) are opaque. */
function toPlain(v: Json): Plain {
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(toPlain);
  return { unknown: 'an object in the config' };
}

/** The rank (without the batch) of a layer's first inbound tensor as a Keras 3 config states it, else null. */
function statedInboundRank(layer: { inbound_nodes?: unknown }): number | null {
  const nodes = layer.inbound_nodes;
  const node = Array.isArray(nodes) ? (nodes[0] as { args?: unknown } | undefined) : undefined;
  const arg = Array.isArray(node?.args) ? (node!.args[0] as { class_name?: unknown; config?: { shape?: unknown } } | undefined) : undefined;
  const shape = arg?.class_name === '__keras_tensor__' ? arg.config?.shape : undefined;
  return Array.isArray(shape) && shape.length >= 2 ? shape.length - 1 : null;
}
