/**
 * TensorFlow.js models in TypeScript / JavaScript: `tf.sequential` + `model.add(tf.layers.*)`, `tf.input` +
 * `layer.apply(...)`, `tf.layers.add` / `concatenate`, `tf.model({inputs, outputs})`. Like the Python reader it
 * is a small abstract interpreter (constants, arithmetic, template strings, functions with default
 * parameters, for/for-of loops) that never runs the code; it lives in javascript/. This file picks the models
 * it finds and builds each one on demand.
 */
import type { Shape } from '../shape';
import { textOf, type ParsedSource, type SyntaxNode } from './syntax';
import type { TfModule } from '../tfjs/loadTf';
import { LimitError, type Trace } from './trace';
import { cachedBuild, commentFor, commentInputs, exampleBatchOf, inputFromFrameworkShape, sampleOfBatchFirst, limitDiagnostic, locate, missingAtInput, type CommentInput } from './common';
import type { BuildOutcome, FoundModel, InputOrigin, ReaderLimits, SourceDiagnostic } from './types';
import { JsInterpreter } from './javascript/interpreter';
import type { ModuleFiles } from './moduleFiles';
import { isModel, isTensor, JsUnknown, Return, TfFunctional, TfLayer, TfSequential, Unsupported, type JsValue } from './javascript/values';
import { opaque } from './javascript/tfjs';

interface Candidate {
  key: string;
  name: string;
  origin: FoundModel['origin'];
  node: SyntaxNode;
  value: TfSequential | TfFunctional;
  run: number;
  example: number[] | null;
}

export function readJavaScript(parsed: ParsedSource, file: string, limits: ReaderLimits, diagnostics: SourceDiagnostic[], tf: TfModule, override: Shape | null = null, modules: ModuleFiles | null = null): { models: FoundModel[]; defaultModel: FoundModel | null } {
  const it = new JsInterpreter(parsed, file, limits, tf, override, modules);
  try {
    it.runProgram(parsed.root);
  } catch (e) {
    if (e instanceof LimitError) diagnostics.push(limitDiagnostic(e, file));
    else if (!(e instanceof Return)) throw e;
  }
  const candidates: Candidate[] = [];
  const byValue = new Map<object, Candidate>();
  for (const def of it.definitions) {
    if (it.requiredParams(def.fn) > 0 || /^(main|train|run|fit|predict|load|save|plot|show|test)/i.test(def.name)) continue;
    let v: JsValue;
    try {
      it.resetBudget();
      v = it.callFunction(def.fn, [], def.node);
    } catch (e) {
      if (e instanceof LimitError || e instanceof Unsupported) continue;
      throw e;
    }
    if (isModel(v)) {
      const c: Candidate = { key: `function:${def.name}`, name: def.name, origin: 'function', node: def.node, value: v, run: -1, example: null };
      candidates.push(c);
      byValue.set(v, c);
    }
  }
  for (const d of it.beginDiagnostics()) diagnostics.push(d);
  // The models the top level assigns, in order: the default when the code runs none.
  const assigned: Candidate[] = [];
  for (const a of it.assignments) {
    if (!isModel(a.value)) continue;
    const known = byValue.get(a.value);
    if (known) {
      assigned.push(known);
      continue;
    }
    // A model made by calling a factory function belongs to that function.
    const factory = candidates.find((c) => c.origin === 'function' && a.node.type !== 'function_declaration' && new RegExp(`\\b${c.name}\\s*\\(`).test(textOf(parsed, a.node)));
    if (factory) {
      byValue.set(a.value, factory);
      assigned.push(factory);
      continue;
    }
    const c: Candidate = { key: `variable:${a.name}`, name: a.name, origin: 'variable', node: a.node, value: a.value, run: -1, example: null };
    candidates.push(c);
    byValue.set(a.value, c);
    assigned.push(c);
  }
  it.runs.forEach((r, i) => {
    const c = typeof r.model === 'object' && r.model !== null ? byValue.get(r.model) : undefined;
    if (c) {
      c.run = i;
      if (r.dims) c.example = r.dims;
    }
  });
  candidates.sort((a, b) => a.node.startIndex - b.node.startIndex);
  const comments = commentInputs(parsed.text);
  const models: FoundModel[] = [];
  // A given input reads the file again at that size: nothing computed at one input is reused at another.
  const reread = (name: string, node: SyntaxNode, input: Shape): BuildOutcome => {
    const seen: SourceDiagnostic[] = [];
    const again = readJavaScript(parsed, file, limits, seen, tf, input, modules).models.find((m) => m.name === name);
    return again ? again.build() : missingAtInput(name, input, seen, file, node);
  };
  for (const c of candidates) {
    const comment = commentFor(comments, c.node);
    const build = cachedBuild((input) => (input === null || override !== null ? buildJs(it, c, input ?? override, comment, file) : reread(c.name, c.node, input)));
    const first = build();
    for (const d of first.kind === 'built' ? first.model.diagnostics : first.kind === 'failed' ? first.diagnostics : []) diagnostics.push({ ...d, model: c.name });
    if (first.kind === 'input-needed') diagnostics.push({ severity: 'info', code: 'input-needed', message: first.message, source: first.source, model: c.name });
    models.push({
      name: c.name,
      framework: 'tfjs',
      source: locate(c.node, file),
      origin: c.origin,
      isDefault: false,
      input: first.kind === 'built' ? first.model.spec.input : null,
      inputOrigin: first.kind === 'built' ? first.model.inputOrigin : null,
      build,
    });
  }
  let best = -1;
  candidates.forEach((c, i) => {
    if (c.run >= 0 && (best < 0 || c.run > candidates[best]!.run)) best = i;
  });
  // Else the model the top level assigns last (as the Python reader chooses), else the file's only model. Of
  // several factories the code never calls at the top level (tfjs-examples' mnist picks createConvModel or
  // createDenseModel by a choice in the page) the file chooses none: the CLI lists them, VS Code asks.
  const lastAssigned = assigned[assigned.length - 1];
  if (best < 0 && lastAssigned) best = candidates.indexOf(lastAssigned);
  if (best < 0 && candidates.length === 1) best = 0;
  const defaultModel = models[best] ?? null;
  if (defaultModel) defaultModel.isDefault = true;
  return { models, defaultModel };
}

function buildJs(it: JsInterpreter, c: Candidate, override: Shape | null, comment: CommentInput | null, file: string): BuildOutcome {
  it.resetBudget();
  const before = it.beginDiagnostics();
  try {
    let input: Shape | null = override;
    let origin: InputOrigin | null = override ? 'given' : null;
    const pick = (s: Shape | null, o: InputOrigin): void => {
      if (input === null && s !== null) {
        input = s;
        origin = o;
      }
    };
    let trace: Trace;
    let outputs: string[] | null = null;
    if (c.value instanceof TfFunctional) {
      pick(c.value.trace.input, 'code');
      trace = c.value.trace;
      outputs = c.value.outputs.map((o) => o.name);
    } else {
      const first = c.value.layers[0];
      if (first instanceof TfLayer) {
        const batch = first.config.get('batchInputShape');
        const shape = first.config.get('inputShape') ?? (Array.isArray(batch) ? batch.slice(1) : undefined);
        // inputShape: [1] (a vector), [steps, channels] or [H, W, C].
        if (Array.isArray(shape) && shape.length >= 1 && shape.length <= 3 && shape.every((d) => typeof d === 'number')) pick(shape as number[], 'code');
      }
    }
    pick(c.example ? sampleOfBatchFirst(c.example) : null, 'example');
    pick(comment ? inputFromFrameworkShape('tfjs', comment.dims) : null, 'comment');
    if (c.value instanceof TfSequential) {
      trace = it.newTrace(input);
      let x: JsValue = trace.inputTensor;
      for (const layer of c.value.layers) {
        if (layer instanceof TfLayer) x = it.applyLayer(layer, x);
        // Never skipped: the layers after one the reader cannot see are applied to an unknown tensor.
        else if (isTensor(x)) x = opaque(it, x, `a layer the reader could not evaluate${layer instanceof JsUnknown ? ` (${layer.reason})` : ''}`, c.node);
      }
    }
    const source = locate(c.node, file);
    const diagnostics = it.diagnostics;
    if (input === null) {
      return { kind: 'input-needed', model: c.name, framework: 'tfjs', message: `${c.name} does not state its input shape; give the first layer inputShape: [H, W, C] or start from tf.input({shape: [H, W, C]})`, source, diagnostics };
    }
    const { spec, calls, declared, sites } = trace!.toSpec(c.name, input, outputs, source);
    return { kind: 'built', model: { spec, calls, declaredSizes: declared, sites, inputOrigin: origin ?? 'given', exampleBatch: exampleBatchOf(c.example, comment), diagnostics } };
  } catch (e) {
    if (e instanceof LimitError) return { kind: 'failed', model: c.name, message: e.message, diagnostics: [...it.diagnostics] };
    const message = e instanceof Error ? `internal error: ${e.message}` : 'its code threw';
    return { kind: 'failed', model: c.name, message: `${c.name}: ${message}`, diagnostics: [...it.diagnostics] };
  } finally {
    it.diagnostics = before;
  }
}
