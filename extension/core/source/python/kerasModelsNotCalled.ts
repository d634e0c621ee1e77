/**
 * Keras counts every layer a model tracks, called or not: count_params() and summary()'s total of a Model
 * subclass that holds a teacher beside the student its call() runs (keras.io's knowledge distillation) include
 * the teacher's weights. So a built Keras model the subclass holds (an attribute, or inside a list, a dict or a
 * layer of the file's) that call() never applied is listed as not called, with its weights. A model is built when
 * its input is known (a keras.Input, a Sequential's input_shape, model.build()); its weights are then what tfjs
 * builds for its layers. A plain layer that is never called is never built and holds no weights, as in Keras.
 */
import type { Shape } from '../../shape';
import type { LayerSpec } from '../../spec';
import { layerOutcome } from '../../tfjs/layerOutcome';
import type { SyntaxNode } from '../syntax';
import type { Trace } from '../trace';
import { appliedIn } from './functionalLayers';
import type { PythonInterpreter } from './interpreter';
import { applyKerasSequential } from './keras';
import { isTensor, KerasFunctional, KerasSequential, PyDict, PyList, PyObj, PyTuple, type Value } from './values';

interface Weights {
  trainable: number;
  nonTrainable: number;
}

/** Adds, to the trace of `model` (a Keras Model or Layer subclass), the built models it holds that call() never applied. */
export function addKerasModelsNotCalled(it: PythonInterpreter, model: PyObj, trace: Trace, node: SyntaxNode): void {
  const seen = new Set<Value>();
  const visit = (v: Value, path: string): void => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (v instanceof KerasFunctional || v instanceof KerasSequential) {
      if (wasApplied(v, trace)) return;
      const weights = v instanceof KerasFunctional ? functionalWeights(it, v) : sequentialWeights(it, v, node);
      if (weights === 'unbuilt') return;
      const frozen = !v.trainable;
      const trainable = weights === null ? undefined : frozen ? 0 : weights.trainable;
      const nonTrainable = weights === null ? 0 : frozen ? weights.trainable + weights.nonTrainable : weights.nonTrainable;
      const type = v instanceof KerasFunctional ? 'Functional' : 'Sequential';
      trace.notCalled({ name: path, sourceType: type, source: v.source }, type, trainable, nonTrainable);
      if (weights === null) {
        it.report('warning', 'unknown', `${path}: a ${type} model the model holds but call() never runs; Keras counts its weights, which the reader cannot tell, so the total is at least what is shown`, v.source);
      }
      return;
    }
    const child = (key: string): string => (path === '' ? key : `${path}.${key}`);
    if (v instanceof PyObj && v.cls.kind === 'keras') for (const [k, c] of v.attrs) visit(c, child(k));
    else if (v instanceof PyList || v instanceof PyTuple) v.items.forEach((c, i) => visit(c, `${path}[${i}]`));
    else if (v instanceof PyDict) for (const [k, c] of v.map) visit(c, `${path}[${JSON.stringify(k)}]`);
  };
  visit(model, '');
}

/** Whether call() applied `m` in this trace (any of its layers ran there). */
function wasApplied(m: KerasFunctional | KerasSequential, trace: Trace): boolean {
  if (appliedIn(trace).has(m)) return true;
  return m instanceof KerasSequential && m.layers.some((l) => typeof l === 'object' && l !== null && 'uses' in l && (l as { uses: WeakMap<Trace, unknown> }).uses.has(trace));
}

/** A functional model's weights, from its own graph; null when a layer's shape or weights are unknown. */
function functionalWeights(it: PythonInterpreter, m: KerasFunctional): Weights | null {
  const input = m.trace.input;
  if (input === null) return null;
  const { spec } = m.trace.toSpec(m.name ?? 'model', input, m.outputs.map((o) => o.name), null);
  return specWeights(it, m.trace, spec.layers);
}

/** A Sequential's weights: its layers run on the input it states, in a trace of their own; 'unbuilt' when it states none. */
function sequentialWeights(it: PythonInterpreter, m: KerasSequential, node: SyntaxNode): Weights | null | 'unbuilt' {
  if (m.inputShape === null) return 'unbuilt';
  const own = it.newTrace('keras', m.inputShape);
  // Running it here is the reader's way to count it, not code the file runs: what it says is not the model's.
  const kept = it.beginDiagnostics();
  try {
    const out = applyKerasSequential(it, m, [own.inputTensor], node);
    if (!isTensor(out)) return null;
  } finally {
    it.beginDiagnostics();
    it.diagnostics = kept;
  }
  return specWeights(it, own, own.toSpec('model', m.inputShape, null, null).spec.layers);
}

function specWeights(it: PythonInterpreter, trace: Trace, layers: readonly LayerSpec[]): Weights | null {
  let trainable = 0;
  let nonTrainable = 0;
  for (const l of layers) {
    if (l.sharesWeightsWith !== undefined) continue;
    if (l.notCalled) {
      if (l.declaredParams === undefined) return null;
      trainable += l.declaredParams;
      nonTrainable += l.declaredNonTrainableParams ?? 0;
      continue;
    }
    const inputs = l.inputs.map((n) => trace.shapeOf(n));
    if (!inputs.every((s): s is Shape => s !== null)) return null;
    const outcome = layerOutcome(it.tf, l, inputs);
    if ('error' in outcome) return null;
    // As the analysis counts a layer (analyze.ts): tfjs already splits a layer made with trainable false.
    const owned = l.declaredParams ?? outcome.built.trainableParams;
    if (l.frozen) nonTrainable += owned;
    else trainable += owned;
    nonTrainable += outcome.built.nonTrainableParams;
  }
  return { trainable, nonTrainable };
}
