/**
 * Finds the models in a Python file and builds their specs: runs the module's top level once (definitions,
 * constants, the example code in `if __name__ == "__main__":`), lists the model candidates (module classes
 * with no required arguments, factory functions, variables holding a model), then builds each on demand.
 */
import { isFullyKnown, type Shape } from '../shape';
import type { Framework, ModelOutput } from '../spec';
import { field, namedChildren, type ParsedSource, type SyntaxNode } from './syntax';
import type { TfModule } from '../tfjs/loadTf';
import type { ModuleFiles } from './moduleFiles';
import { LimitError, type Trace, type TensorRef } from './trace';
import { PythonInterpreter, type ModelRun } from './python/interpreter';
import { exampleDims } from './python/shapes';
import { leafModules } from './python/modelMethods';
import { setRegisteredModules } from './python/registeredModules';
import { freezingUnknown, kerasTrainable } from './python/freezing';
import { kerasSnake } from './naming';
import { hasReaderWeights, torchModule } from '../layerKnowledge/index';
import { isKerasLayerClass } from './python/kerasLayerSubclass';
import { layerBase } from './python/layerSubclass';
import { isImportedDefinition, isReexportedModel } from './python/reexportedModels';
import { isModelValue, isTensor, KerasFunctional, KerasSequential, LayerObj, PyClass, PyDict, PyFunc, PyObj, TorchContainer, type ModelValue, type Value } from './python/values';
import type { BuildOutcome, FoundModel, InputOrigin, ReaderLimits, SourceDiagnostic } from './types';
import { cachedBuild, commentFor, commentInputs, exampleBatchOf, inputFromFrameworkShape, sampleOfBatchFirst, limitDiagnostic, locate, missingAtInput, type CommentInput } from './common';
import { addParametersNotUsed } from './python/torchParameters';
import { addKerasModelsNotCalled } from './python/kerasModelsNotCalled';

interface Candidate {
  key: string;
  name: string;
  origin: FoundModel['origin'];
  node: SyntaxNode;
  /** What to build: a class or a function to call with no arguments, or a value made by the file. */
  make: PyClass | PyFunc | ModelValue;
  framework: Framework;
  example: number[] | null;
  /** The example call's arguments after the input (a Siamese net(a, b)'s b). */
  exampleRest?: ModelRun['rest'];
  /** Where the example code runs it. */
  exampleNode?: SyntaxNode;
  run: boolean;
  lastRun: number;
  used: boolean;
  /** The model value, made once (instantiation or factory call) and reused by every build. */
  value?: Value;
  /** A torch class's instance the example code ran, as the code left it (a head replaced, parameters frozen). */
  instance?: PyObj;
  /** Classes and functions its construction used (to find the models no other model uses). */
  uses?: (PyClass | PyFunc)[];
  /** Module-level names that hold it (`model = Net()`). */
  aliases?: string[];
}

export function readPython(
  parsed: ParsedSource,
  file: string,
  limits: ReaderLimits,
  diagnostics: SourceDiagnostic[],
  tf: TfModule,
  modules: ModuleFiles | null = null,
  inputs: ReadonlyMap<string, Shape> | null = null,
  only: string | null = null,
): { models: FoundModel[]; defaultModel: FoundModel | null } {
  const comments = commentInputs(parsed.text);
  const readAt = readsAtInput(parsed, file, limits, tf, modules, only);
  const shared = sharedInput(inputs);
  if (shared) {
    // Every model is to be built at one given input: when that read never asked for the input, it is the read
    // without one too (the same code, run the same way), so the file is read once, at that input.
    const once = readAt(shared);
    if (!once.it.dependsOnInput && once.candidates.length > 0 && once.candidates.every((c) => sameShape(inputs!.get(c.name), shared))) {
      return listReadAt(once, shared, readAt, comments, file, diagnostics);
    }
  }
  const first = discover(parsed, file, limits, tf, null, diagnostics, modules, only);
  const { it, candidates } = first;

  // ---- builds (eager, with the file's own input, so diagnostics and "used by" are known at read time)
  const models: FoundModel[] = [];
  for (const c of candidates) {
    const comment = commentFor(comments, c.node);
    // A given input reads the file again at that size: nothing computed at one input is reused at another.
    const build = cachedBuild((input) => (input === null ? buildCandidate(it, c, candidates, null, comment, file) : rebuild(readAt(input), c, input, comment, file)));
    // The other models of a read for one model are listed, not built (their messages are theirs).
    if (only !== null && c.name !== only) {
      models.push(foundModel(c, file, null, build));
      continue;
    }
    const outcome = build();
    const declared = outcome.kind === 'built' ? { input: outcome.model.spec.input, origin: outcome.model.inputOrigin } : null;
    models.push(foundModel(c, file, declared, build));
    // Without an input, sizes are unknown: messages about sizes the reader could not tell are not the code's fault.
    const diags = outcome.kind === 'built' ? outcome.model.diagnostics : outcome.kind === 'failed' ? outcome.diagnostics : (outcome.diagnostics ?? []).filter((d) => !/cannot tell|is unknown because/.test(d.message));
    for (const d of diags) diagnostics.push({ ...d, model: c.name });
    if (outcome.kind === 'input-needed') {
      diagnostics.push({ severity: 'info', code: 'input-needed', message: outcome.message, source: outcome.source, model: c.name });
    }
  }
  return { models, defaultModel: markDefault(first, comments, models) };
}

/**
 * The models of a file read once, at the input every one of them is given: each is built from that read (as a
 * build at that input always is), and the messages are those of the builds at that input. Another input,
 * or none, reads the file again.
 */
function listReadAt(read: ReadAtInput, input: Shape, readAt: (input: Shape | null) => ReadAtInput, comments: readonly CommentInput[], file: string, diagnostics: SourceDiagnostic[]): { models: FoundModel[]; defaultModel: FoundModel | null } {
  for (const d of read.diagnostics) diagnostics.push(d);
  const models: FoundModel[] = [];
  for (const c of read.candidates) {
    const comment = commentFor(comments, c.node);
    const statedAtInput = { value: null as StatedInput };
    const atInput = buildCandidate(read.it, c, read.candidates, input, comment, file, statedAtInput);
    const build = cachedBuild((asked) => (asked !== null && sameShape(asked, input) ? atInput : rebuild(readAt(asked), c, asked, comment, file)));
    // What a read without an input would list as the model's input: the one its code states.
    const stated = atInput.kind === 'built' ? statedAtInput.value : null;
    models.push(foundModel(c, file, stated, build));
    const diags = atInput.kind === 'built' ? atInput.model.diagnostics : atInput.kind === 'failed' ? atInput.diagnostics : (atInput.diagnostics ?? []);
    for (const d of diags) diagnostics.push({ ...d, model: c.name });
    if (atInput.kind === 'built' && stated === null) {
      // Said as a read without an input says it: the file does not state this model's input (it was given).
      diagnostics.push({ severity: 'info', code: 'input-needed', message: inputNeededMessage(c.name, atInput.model.spec.framework ?? c.framework), source: locate(c.node, file), model: c.name });
    }
  }
  return { models, defaultModel: markDefault(read, comments, models) };
}

function foundModel(c: Candidate, file: string, declared: { input: Shape; origin: InputOrigin } | null, build: (input?: Shape) => BuildOutcome): FoundModel {
  return { name: c.name, framework: c.framework, source: locate(c.node, file), origin: c.origin, ...(c.aliases ? { aliases: c.aliases } : {}), isDefault: false, input: declared?.input ?? null, inputOrigin: declared?.origin ?? null, build };
}

/** Marks and returns the default model (see chooseDefault); none for a library file. */
function markDefault(read: Discovery, comments: readonly CommentInput[], models: FoundModel[]): FoundModel | null {
  const chosen = chooseDefault(read, comments);
  if (!chosen) return null;
  const found = models[read.candidates.indexOf(chosen)]!;
  found.isDefault = true;
  return found;
}

/** The one input every model is given, when they are all given the same one. */
function sharedInput(inputs: ReadonlyMap<string, Shape> | null): Shape | null {
  const shapes = [...(inputs?.values() ?? [])];
  const first = shapes[0];
  return first && shapes.every((s) => sameShape(s, first)) ? first : null;
}

function sameShape(a: Shape | undefined | null, b: Shape): boolean {
  return a !== undefined && a !== null && a.length === b.length && a.every((d, i) => d === b[i]);
}

interface Discovery {
  it: PythonInterpreter;
  candidates: Candidate[];
  byKey: Map<string, Candidate>;
  keyOf: (v: Value) => string | null;
}

/** Runs the module's top level (at `override` when given) and lists the model candidates. */
function discover(parsed: ParsedSource, file: string, limits: ReaderLimits, tf: TfModule, override: Shape | null, diagnostics: SourceDiagnostic[], modules: ModuleFiles | null, only: string | null): Discovery {
  const it = new PythonInterpreter(parsed, file, limits, tf, override, modules);
  const origins = new WeakMap<object, string>();
  try {
    it.runModule(parsed.root);
  } catch (error) {
    if (error instanceof LimitError) diagnostics.push(limitDiagnostic(error, file));
    else throw error;
  }

  // ---- candidates
  const candidates: Candidate[] = [];
  const byKey = new Map<string, Candidate>();
  const add = (c: Candidate): void => {
    if (byKey.has(c.key)) return;
    byKey.set(c.key, c);
    candidates.push(c);
  };
  // Model classes whose constructor needs arguments: listed only when the file's code builds them.
  const needsArguments: { name: string; node: SyntaxNode; params: string[] }[] = [];
  for (const def of it.state.definitions) {
    if (isImportedDefinition(def.node) && !isReexportedModel(it, def.name)) continue;
    // A Keras Layer subclass is a layer of models, not a model: Keras cannot summarise one on its own; nor is a
    // subclass of a torch.nn layer (timm's Conv2dSame(nn.Conv2d)), which takes that layer's arguments.
    if (def.value instanceof PyClass && def.value.kind !== 'plain' && !isKerasLayerClass(def.value) && layerBase(def.value) === null) {
      const init = it.lookupClassAttr(def.value, '__init__');
      const required = init instanceof PyFunc ? init.params.slice(1).filter((p) => p.kind === 'normal' && p.default === undefined) : [];
      if (required.length === 0) {
        add({ key: `class:${def.name}`, name: def.name, origin: 'class', node: def.node, make: def.value, framework: def.value.kind === 'torch' ? 'pytorch' : 'keras', example: null, run: false, lastRun: -1, used: false });
      } else needsArguments.push({ name: def.name, node: def.node, params: required.map((p) => p.name) });
    } else if (def.value instanceof PyFunc) {
      const fn = def.value;
      if (fn.params.some((p) => p.kind === 'normal' && p.default === undefined)) continue;
      if (/^(main|train|test|evaluate|run|fit|predict|load|save|plot|show)/i.test(fn.name)) continue;
      // A read for one model (cnn-inspect --model) runs no other factory, as Python's import does not: timm's
      // resnet.py declares 200 of them. Those that say they make a model are still listed.
      if (only !== null && def.name !== only) {
        if (declaresModel(it, def, it.state.definitions)) add({ key: `function:${def.name}`, name: def.name, origin: 'function', node: def.node, make: fn, framework: frameworkOfSource(it), example: null, run: false, lastRun: -1, used: false });
        continue;
      }
      // Call it once to see whether it returns a model (the caps keep this cheap); builds reuse the result.
      let result: Value = null;
      const uses: (PyClass | PyFunc)[] = [];
      try {
        it.resetBudget();
        it.onUse = (what) => uses.push(what);
        result = it.callFunction(fn, [], new Map(), def.node, undefined);
      } catch (error) {
        if (!(error instanceof LimitError)) throw error;
      } finally {
        it.onUse = null;
      }
      if (isModelValue(result)) {
        add({ key: `function:${def.name}`, name: def.name, origin: 'function', node: def.node, make: fn, framework: frameworkOf(result), example: null, run: false, lastRun: -1, used: false, value: result, uses });
      } else if (declaresModel(it, def, it.state.definitions)) {
        // A factory the file declares as a model (timm's @register_model, Keras's @keras_export, `return Model(…)`)
        // is listed even when the reader cannot follow it: building it says why.
        add({ key: `function:${def.name}`, name: def.name, origin: 'function', node: def.node, make: fn, framework: frameworkOfSource(it), example: null, run: false, lastRun: -1, used: false, uses });
      }
    }
  }
  for (const d of it.beginDiagnostics()) diagnostics.push(d);
  // main(), test(), demo(): the file's example code even when nothing calls them.
  if (it.state.runs.length === 0) runExampleFunctions(it);

  // Which candidate a value made by the example code belongs to.
  const factoryResults = it.state.factoryResults;
  const keyOf = (v: Value): string | null => {
    if (typeof v !== 'object' || v === null) return null;
    const o = origins.get(v);
    if (o) return o;
    const f = factoryResults.get(v);
    if (f && byKey.has(`function:${f}`)) return `function:${f}`;
    if (v instanceof PyObj && byKey.has(`class:${v.cls.name}`) && it.state.noArgInstances.has(v)) return `class:${v.cls.name}`;
    return null;
  };
  for (const a of it.state.assignments) {
    const v = a.value;
    const key = keyOf(v);
    if (key && byKey.has(key)) {
      const c = byKey.get(key)!;
      if (a.name !== c.name && !(c.aliases ?? []).includes(a.name)) c.aliases = [...(c.aliases ?? []), a.name];
      continue;
    }
    // `model = …` again with another model (a notebook's second model, a tutorial's model with augmentation):
    // a candidate of its own, model#2, so the example code that runs it is not credited to the first one.
    let k = `variable:${a.name}`;
    let name = a.name;
    for (let n = 2; byKey.has(k); n++) {
      k = `variable:${a.name}#${n}`;
      name = `${a.name}#${n}`;
    }
    origins.set(v as object, k);
    add({ key: k, name, origin: 'variable', node: a.node, make: v as ModelValue, framework: frameworkOf(v), example: null, run: false, lastRun: -1, used: false });
  }
  it.state.runs.forEach((run, i) => {
    let key = keyOf(run.model);
    if (!key && run.model instanceof PyObj && run.model.cls.kind !== 'plain') {
      // A model the example code builds with arguments (`net = VGG('VGG11')`) is a candidate of its own,
      // named after its class, built as the example built it.
      const name = run.model.cls.name;
      key = `example:${name}`;
      if (!byKey.has(key)) {
        const taken = candidates.some((c) => c.name === name);
        origins.set(run.model, key);
        add({ key, name: taken ? `${name}#2` : name, origin: 'variable', node: run.node, make: run.model, framework: frameworkOf(run.model), example: null, run: false, lastRun: -1, used: false });
      }
    }
    const c = key ? byKey.get(key) : undefined;
    if (!c) return;
    c.run = true;
    c.lastRun = i;
    // The instance the example code ran is the model, as the code left it (`model.fc = nn.Linear(512, 2)`,
    // `param.requires_grad = False`), not a fresh one of its class.
    if (c.origin === 'class' && run.model instanceof PyObj && run.model.cls.kind === 'torch') c.instance = run.model;
    if (run.dims && run.dims.length >= 2) {
      c.example = run.dims;
      c.exampleRest = run.rest;
      c.exampleNode = run.node;
    }
  });

  for (const c of candidates) {
    for (const what of c.uses ?? []) for (const other of candidates) if (other !== c && other.make === what) other.used = true;
  }
  // A model file of classes that all take arguments (pytorch/examples' super_resolution Net(upscale_factor)):
  // say why nothing is listed, instead of "no model found".
  if (candidates.length === 0) {
    for (const n of needsArguments) {
      diagnostics.push({ severity: 'info', code: 'input-needed', message: `${n.name} needs constructor arguments (${n.params.join(', ')}) and the file's own code builds none, so it is not listed; build one in the file (\`model = ${n.name}(...)\`) to inspect it`, source: locate(n.node, file) });
    }
  }
  return { it, candidates, byKey, keyOf };
}

/**
 * The default is what the file's own code chooses: the model its example code runs, else the one its top level
 * assigns last, else the one a `# cnn-inspect: input=…` comment is written for. A library file (torchvision's
 * resnet.py, Keras Applications) chooses none: the CLI lists its models and VS Code asks.
 */
function chooseDefault({ it, candidates, byKey, keyOf }: Discovery, comments: readonly CommentInput[]): Candidate | undefined {
  const ran = candidates.filter((c) => c.run).sort((a, b) => b.lastRun - a.lastRun);
  // A tutorial that runs its own model class and then, to show the pieces, an nn.Sequential it assembles from
  // loose layers (PyTorch's "Build the Neural Network": model(X), later seq_modules(input_image)) is about the
  // model it defines: a run of a model the file's own classes or factories make beats a run of a bare container.
  let chosen = ran.find((c) => madeByFileCode(it, c)) ?? ran[0];
  if (!chosen) {
    const assigned = it.state.assignments.map((a) => byKey.get(keyOf(a.value) ?? `variable:${a.name}`)).filter((c): c is Candidate => c !== undefined);
    chosen = assigned[assigned.length - 1];
  }
  if (!chosen) {
    const near = (c: Candidate): boolean => comments.some((m) => m.line >= c.node.startRow - 1 && m.line <= c.node.endRow);
    const stated = candidates.filter((c) => !c.used && !c.node.hasError && near(c));
    chosen = stated.length === 1 ? stated[0] : undefined;
    if (!chosen && comments.some((m) => m.fileWide)) {
      // A file-wide comment states the input of the file's model: the one no other model uses.
      const unused = candidates.filter((c) => !c.used && !c.node.hasError);
      chosen = unused.length === 1 ? unused[0] : undefined;
    }
  }
  return chosen;
}

/** The candidate is a model of a class or factory function the file defines (not an nn.Sequential of loose layers or a library model). */
function madeByFileCode(it: PythonInterpreter, c: Candidate): boolean {
  if (c.origin === 'class' || c.origin === 'function') return true;
  const own = new Set(it.state.definitions.filter((d) => !isImportedDefinition(d.node)).map((d) => d.value));
  const model = c.instance ?? c.make;
  return model instanceof PyObj && own.has(model.cls);
}

/** Example functions (main(), test(), demo()) are run once, as the file's example; what they print or train is not flagged. */
const EXAMPLE_FUNCTION = /^(main|test|demo|example)(_\w+)?$/;

function runExampleFunctions(it: PythonInterpreter): void {
  for (const def of it.state.definitions) {
    if (!(def.value instanceof PyFunc) || !EXAMPLE_FUNCTION.test(def.name)) continue;
    if (def.value.params.some((p) => p.kind === 'normal' && p.default === undefined)) continue;
    const kept = it.beginDiagnostics();
    try {
      it.resetBudget();
      it.callFunction(def.value, [], new Map(), def.node, undefined);
    } catch (error) {
      if (!(error instanceof LimitError)) throw error;
    } finally {
      it.beginDiagnostics();
      it.diagnostics = kept;
    }
  }
}

/**
 * The file read again with a given model input (or none), once per input for all of its models (a read calls
 * every factory, so reading per model would build every model once per model). The last few inputs are kept.
 */
function readsAtInput(parsed: ParsedSource, file: string, limits: ReaderLimits, tf: TfModule, modules: ModuleFiles | null, only: string | null): (input: Shape | null) => ReadAtInput {
  const reads = new Map<string, ReadAtInput>();
  return (input) => {
    const key = input === null ? 'none' : input.join('x');
    let read = reads.get(key);
    if (!read) {
      const diagnostics: SourceDiagnostic[] = [];
      read = { ...discover(parsed, file, limits, tf, input, diagnostics, modules, only), diagnostics };
      reads.set(key, read);
      if (reads.size > 2) reads.delete(reads.keys().next().value as string);
    }
    return read;
  };
}

type ReadAtInput = Discovery & { diagnostics: readonly SourceDiagnostic[] };

/** Builds the candidate `key` from the file read at `input`; when the read made no such model, says why if the read did. */
function rebuild(read: ReadAtInput, first: Candidate, input: Shape | null, comment: CommentInput | null, file: string): BuildOutcome {
  const c = read.byKey.get(first.key);
  if (!c) return missingAtInput(first.key.replace(/^\w+:/, ''), input, read.diagnostics, file, first.node);
  return buildCandidate(read.it, c, read.candidates, input, comment, file);
}

const MODEL_DECORATOR = /^@(\w+\.)*(register_model|keras_export|register_notrace_module|handle_legacy_interface)\b/;
const MAKES_MODEL = /(^|[^\w.])(\w+\.)*(Model|Functional|Sequential)\s*\(/m;

/**
 * Whether a public top-level function says it makes a model: a model decorator, a Model(…)/Sequential(…) call,
 * or a return of another top-level function that makes one (keras-applications' ResNet101 → ResNet(…)).
 */
function declaresModel(it: PythonInterpreter, def: { node: SyntaxNode; decorators?: string[] }, all: readonly { name: string; node: SyntaxNode; value: unknown }[], depth = 0): boolean {
  if (def.decorators?.some((d) => MODEL_DECORATOR.test(d) && !/keras_export\(\s*\[?\s*["'][^"']*(preprocess|decode)/.test(d))) return true;
  const text = it.text(def.node);
  if (depth === 0 && /^_/.test(it.text(field(def.node, 'name') ?? def.node))) return false;
  if (MAKES_MODEL.test(text)) return true;
  if (depth > 0) return false;
  for (const m of text.matchAll(/\breturn\s+(\w+)\s*\(/g)) {
    const callee = all.find((d) => d.name === m[1] && d.value instanceof PyFunc && d.node !== def.node);
    if (callee && declaresModel(it, callee, all, depth + 1)) return true;
  }
  return false;
}

/** A factory the reader could not follow: its framework from the file's imports. */
function frameworkOfSource(it: PythonInterpreter): Framework {
  return /^\s*(import torch|from torch)\b/m.test(it.source.text) ? 'pytorch' : 'keras';
}

function frameworkOf(v: Value): Framework {
  if (v instanceof PyObj) return v.cls.kind === 'torch' ? 'pytorch' : 'keras';
  if (v instanceof TorchContainer) return 'pytorch';
  return 'keras';
}

/** The input the file itself states for a model (code, example, comment), whatever input it is built at. */
type StatedInput = { input: Shape; origin: InputOrigin } | null;

function buildCandidate(
  it: PythonInterpreter,
  c: Candidate,
  all: readonly Candidate[],
  override: Shape | null,
  comment: CommentInput | null,
  file: string,
  stated: { value: StatedInput } = { value: null },
): BuildOutcome {
  it.resetBudget();
  const before = it.beginDiagnostics();
  const previousOnUse = it.onUse;
  it.onUse = (what) => {
    for (const other of all) if (other !== c && other.make === what) other.used = true;
  };
  let diagnostics: SourceDiagnostic[] = [];
  try {
    let value: Value;
    if (c.value !== undefined) value = c.value;
    else if (c.make instanceof PyClass) {
      // The constructor runs again for its messages; the model is the instance the code ran, if it ran one.
      value = it.callValue(c.make, [], new Map(), c.node);
      if (c.instance) value = c.instance;
    }
    else if (c.make instanceof PyFunc) value = it.callFunction(c.make, [], new Map(), c.node, undefined);
    else value = c.make;
    c.value = value;
    if (value instanceof PyObj && !(it.lookupClassAttr(value.cls, value.cls.kind === 'keras' ? 'call' : 'forward') instanceof PyFunc)) {
      const what = value.cls.kind === 'keras' ? 'call()' : 'forward()';
      return { kind: 'failed', model: c.name, message: `${c.name} has no ${what} the reader can read${c.node.hasError ? ' (the class has a syntax error)' : ''}`, diagnostics: it.diagnostics };
    }
    if (!isModelValue(value)) {
      diagnostics = it.diagnostics;
      return { kind: 'failed', model: c.name, message: `${c.name} did not produce a model the reader can follow`, diagnostics };
    }
    // Input: given > stated in code > example input in the file > cnn-inspect comment.
    let input: Shape | null = null;
    let origin: InputOrigin | null = null;
    const fw = frameworkOf(value);
    const pick = (shape: Shape | null, o: InputOrigin): void => {
      if (stated.value === null && shape !== null && o !== 'given') stated.value = { input: shape, origin: o };
      if (input === null && shape !== null) {
        input = shape;
        origin = o;
      }
    };
    if (override) pick(override, 'given');
    let trace: Trace;
    let outputs: string[] | null = null;
    let named: ModelOutput[] | undefined;
    if (value instanceof KerasFunctional) {
      pick(value.trace.input, 'code');
      trace = value.trace;
      outputs = value.outputs.map((o) => o.name);
    } else if (value instanceof KerasSequential) {
      pick(sequentialStatedInput(value), 'code');
    } else {
      it.assignPaths(value);
      if (value instanceof PyObj && value.cls.kind === 'keras') pick(firstSubmodelInput(it, value), 'code');
    }
    pick(c.example ? exampleInput(fw, c.example, value) : null, 'example');
    pick(comment ? inputFromFrameworkShape(fw, comment.dims) : null, 'comment');
    const exampleBatch = batchOfVectorExample(fw, c.example, value) ?? exampleBatchOf(c.example, comment);
    if (!(value instanceof KerasFunctional)) {
      trace = it.newTrace(fw, input);
      trace.batch = exampleBatch;
      if (fw === 'pytorch') setRegisteredModules(trace, leafModules(value));
      const rest = fw === 'pytorch' ? forwardRest(it, value, c, trace, file) : { args: [], kwargs: new Map<string, Value>() };
      const out = it.callValue(value, [trace.inputTensor, ...rest.args], rest.kwargs, c.node);
      outputs = collectTensors(out).filter((t) => t.trace === trace).map((t) => t.name);
      named = namedOutputs(out, trace);
      if (outputs.length === 0 && !(value instanceof KerasSequential)) {
        // The forward pass lost its tensor on the way (code the reader cannot follow): the report is incomplete
        // from there, never a complete one that silently ends early.
        trace.emit({ name: 'output', sourceType: 'forward() result', source: locate(c.node, file) }, { parts: [{ type: 'unsupported: a result forward() returns that the reader could not follow', args: {} }] }, [trace.inputTensor]);
      }
      if (fw === 'pytorch') addModulesNotCalled(it, value, trace);
      if (fw === 'pytorch') addParametersNotUsed(it, value, trace);
      if (fw === 'keras' && value instanceof PyObj && value.cls.kind === 'keras') addKerasModelsNotCalled(it, value, trace, c.node);
      if (outputs.length === 0 || value instanceof KerasSequential) outputs = null;
    }
    diagnostics = it.diagnostics;
    const source = locate(c.node, file);
    if (input === null) return { kind: 'input-needed', model: c.name, framework: fw, message: inputNeededMessage(c.name, fw), source, diagnostics };
    // keras.Input(shape=(None, None, 1)): a fully convolutional model takes any size, so the code states none to read.
    if (origin === 'code' && !isFullyKnown(input)) return { kind: 'input-needed', model: c.name, framework: fw, message: openInputMessage(c.name), source, diagnostics };
    const inputShape = input as Shape;
    // Vectors (features), sequences (steps, channels), images (H, W, C) and volumes (D, H, W, C).
    if (inputShape.length < 1 || inputShape.length > 4) {
      return { kind: 'failed', model: c.name, message: `${c.name}: input ${inputShape.join('×')} is not a vector, sequence, image or volume input`, diagnostics };
    }
    const made = trace!.toSpec(c.name, inputShape, outputs, source);
    const { calls, declared, sites } = made;
    const undecidedFreezing = freezingUnknown(it.state);
    // Keras counts with the trainable flags as the code leaves them (a base frozen after it was applied, the
    // model analysed frozen): each layer by its Keras layer's flag and the models around it.
    const topFrozen = (value instanceof KerasFunctional || value instanceof KerasSequential) && !value.trainable;
    const layers = fw === 'pytorch' ? made.spec.layers : made.spec.layers.map((l) => {
      const trains = topFrozen ? false : kerasTrainable(trace!, l.name);
      if (trains === null || trains === (l.args.trainable !== false)) return l;
      const { trainable: _was, ...args } = l.args;
      return { ...l, args: trains ? args : { ...args, trainable: false } };
    });
    const spec = { ...made.spec, layers, ...(named ? { outputs: named } : {}), ...(undecidedFreezing ? { trainableUnknown: undecidedFreezing } : {}) };
    return { kind: 'built', model: { spec, calls, declaredSizes: declared, sites, inputOrigin: origin ?? 'given', exampleBatch, diagnostics } };
  } catch (error) {
    if (error instanceof LimitError) {
      return { kind: 'failed', model: c.name, message: error.message, diagnostics: [...it.diagnostics, limitDiagnostic(error, file)] };
    }
    // Signals escaping a model's code (a raise) or a bug of the reader: the model fails, nothing throws.
    const message = error instanceof Error ? `internal error: ${error.message}` : 'its code raised an exception';
    return { kind: 'failed', model: c.name, message: `${c.name}: ${message}`, diagnostics: [...it.diagnostics] };
  } finally {
    it.onUse = previousOnUse;
    it.diagnostics = before;
  }
}

/**
 * The input a Keras Sequential states: keras.Input / build(), else its first layer's input_shape= (or
 * batch_input_shape=), else that of a model it starts with: keras.Sequential([base_model, …]) and the TensorFlow
 * image-classification tutorial's Sequential([data_augmentation, …]) whose RandomFlip has input_shape=.
 */
function sequentialStatedInput(seq: KerasSequential, depth = 0): Shape | null {
  if (seq.inputShape) return seq.inputShape;
  const first = seq.layers[0];
  if (first instanceof LayerObj) {
    const batch = first.args.keywords.get('batch_input_shape');
    const shape = first.args.keywords.get('input_shape') ?? batch;
    if (!Array.isArray(shape)) return null;
    const dims = shape.map((d) => (typeof d === 'number' ? d : null));
    const stated = batch !== undefined && !first.args.keywords.has('input_shape') ? dims.slice(1) : dims;
    return stated.every((d) => d !== null) ? stated : null;
  }
  if (first instanceof KerasFunctional) return first.trace.input;
  return first instanceof KerasSequential && depth < 8 ? sequentialStatedInput(first, depth + 1) : null;
}

/**
 * A subclassed Keras model whose call() first hands its input to a nested model that states its input
 * (`self.encoder = keras.Sequential([layers.Input(shape=(28, 28, 1)), …])`, `encoded = self.encoder(x)`: the
 * TensorFlow autoencoder tutorial): the model's input is that one, as Keras builds it. Null otherwise.
 */
function firstSubmodelInput(it: PythonInterpreter, model: PyObj): Shape | null {
  const call = it.lookupClassAttr(model.cls, 'call');
  const x = call instanceof PyFunc ? call.params[1]?.name : undefined;
  const body = call instanceof PyFunc ? field(call.node, 'body') : null;
  if (!x || !body) return null;
  let first: SyntaxNode | null = null;
  const visit = (n: SyntaxNode): void => {
    if (first) return;
    if (n.type === 'call' && namedChildren(field(n, 'arguments') ?? n).some((a) => a.type === 'identifier' && it.text(a) === x)) {
      first = n;
      return;
    }
    for (const child of namedChildren(n)) visit(child);
  };
  visit(body);
  const callee = first ? /^self\.(\w+)$/.exec(it.text(field(first, 'function')!)) : null;
  const nested = callee ? model.attrs.get(callee[1]!) : undefined;
  const stated = nested instanceof KerasSequential ? nested.inputShape : nested instanceof KerasFunctional ? nested.trace.input : null;
  return stated && isFullyKnown(stated) ? stated : null;
}

function openInputMessage(name: string): string {
  // The sizes are not printed: one the reader could not evaluate (`*x.shape[2:]`) may stand for several.
  return `${name}: its code leaves sizes of its input open (None in keras.Input(shape=…), or not evaluated), so it reads inputs of any size`;
}

function inputNeededMessage(name: string, fw: Framework): string {
  const hint =
    fw === 'pytorch'
      ? 'add an example such as `model(torch.randn(1, 3, 224, 224))` or a comment `# cnn-inspect: input=(1, 3, 224, 224)`'
      : 'give the first layer input_shape=(H, W, C) or start from keras.Input(shape=(H, W, C))';
  return `${name} does not state its input shape; ${hint}`;
}

/** The input an example the file feeds its model gives: Keras's are batch first whatever their rank; PyTorch's see exampleIsImage. */
function exampleInput(fw: Framework, dims: readonly number[], model: Value): Shape | null {
  if (fw !== 'pytorch') return sampleOfBatchFirst(dims);
  return exampleIsImage(fw, dims, model) ? inputFromFrameworkShape(fw, dims) : sampleOfBatch(dims, model);
}

/**
 * A 3-D example tensor is an unbatched image (C, H, W) only for a model that starts with an image layer: a
 * Conv2d takes (C, H, W) as one image, but Flatten and Linear take dim 0 as the batch, so for them
 * torch.rand(1, 28, 28) is one 28×28 sample, not an image with channels. Batch-first 4-D examples are images.
 */
function exampleIsImage(fw: Framework, dims: readonly number[], model: Value): boolean {
  if (fw !== 'pytorch' || dims.length !== 3) return true;
  const first = leafModules(model)[0];
  return first !== undefined && /^(Lazy)?(Conv2d|ConvTranspose2d|BatchNorm2d|MaxPool2d|AvgPool2d|ZeroPad2d|ReflectionPad2d|ReplicationPad2d|ConstantPad2d|CircularPad2d|InstanceNorm2d|PixelUnshuffle)$/.test(first.cls);
}

/** The batch of a 2-D example (N, features), or of a 3-D one that is a batch of samples (see sampleOfBatch). */
function batchOfVectorExample(fw: Framework, dims: readonly number[] | null, model: Value): number | null {
  if (!dims || !Number.isInteger(dims[0]) || dims[0]! <= 0) return null;
  if (dims.length === 2 || (dims.length === 3 && !exampleIsImage(fw, dims, model) && sampleOfBatch(dims, model) !== null)) return dims[0]!;
  return null;
}

/**
 * One sample of a 3-D batch-first example that is not an image, e.g. torch.rand(1, 28, 28) fed to a model that
 * starts with Flatten or Linear: PyTorch reads dim 0 as the batch and the sample as (28, 28), which the engine
 * keeps in PyTorch's order (Flatten gives 784 either way; Linear reads the last dim as PyTorch does; the 1-D
 * layers read (C, L), as torch1d.ts translates them). Any other first layer is not read from it: the input stays
 * unknown, never guessed.
 */
function sampleOfBatch(dims: readonly number[], model: Value): Shape | null {
  const first = leafModules(model)[0];
  if (first === undefined || !/^(Flatten|Linear|LazyLinear|Conv1d|ConvTranspose1d|MaxPool1d|AvgPool1d|AdaptiveAvgPool1d|AdaptiveMaxPool1d|BatchNorm1d|(Lazy)?InstanceNorm1d|(Constant|Zero|Reflection|Replication|Circular)Pad1d|GLU|RMSNorm)$/.test(first.cls)) return null;
  const sample = dims.slice(1);
  return sample.every((d) => Number.isInteger(d) && d > 0) ? sample : null;
}

/**
 * PyTorch's model.parameters() counts every registered module, called or not (GoogLeNet's aux heads in eval
 * mode): each leaf forward() never called is added as a "not called" layer with its parameters as written.
 */
/**
 * What forward() gets beside the input. The example call's other arguments: a tensor of the input's sizes is the
 * input again (a Siamese net(a, b): each branch's shapes and MACs are the input's), any other tensor an input the
 * engine does not have (its own sizes), so what is computed from it is unknown, said at the example call; other
 * values (flags, None) as the code gives them. Without an example, an input forward() needs and nothing gives
 * is unknown the same way, never dropped in silence.
 */
function forwardRest(it: PythonInterpreter, model: Value, c: Candidate, trace: Trace, file: string): { args: Value[]; kwargs: Map<string, Value> } {
  const unknownInput = (what: string, why: string, at: SyntaxNode): TensorRef =>
    trace.emit({ name: what, sourceType: 'forward() input', source: locate(at, file) }, { parts: [{ type: `unsupported: ${why}`, args: {} }] }, [trace.inputTensor]);
  const asInput = (v: Value, what: string): Value => {
    if (!isTensor(v)) return v;
    const dims = exampleDims(v);
    if (dims && c.example && dims.join() === c.example.join()) return trace.inputTensor;
    const sizes = dims ? ` of sizes (${dims.join(', ')})` : '';
    return unknownInput(what, `forward()'s input ${what}${sizes} is a second input; models with inputs of different sizes are not analysed yet`, c.exampleNode ?? c.node);
  };
  if (c.exampleRest && c.example) {
    return {
      args: c.exampleRest.args.map((v, i) => asInput(v, `argument ${i + 2}`)),
      kwargs: new Map([...c.exampleRest.kwargs].map(([k, v]) => [k, asInput(v, k)])),
    };
  }
  const forward = model instanceof PyObj && model.cls.kind === 'torch' ? it.lookupClassAttr(model.cls, 'forward') : undefined;
  if (!(forward instanceof PyFunc)) return { args: [], kwargs: new Map() };
  const needed = forward.params.filter((p) => p.kind === 'normal' && p.default === undefined).slice(2);
  return { args: needed.map((p) => unknownInput(p.name, `forward() takes ${p.name} beside the input and no example call gives it; models with several inputs are not analysed yet`, forward.node)), kwargs: new Map() };
}

function addModulesNotCalled(it: PythonInterpreter, model: Value, trace: Trace): void {
  for (const layer of leafModules(model)) {
    if (layer.framework !== 'pytorch' || layer.uses.has(trace)) continue;
    // A float PyTorch refuses when it makes the module (nn.Linear(10.0, 3)) stops the model's constructor.
    const refused = layer.refused !== null && !layer.refused.atForward;
    if (refused) it.report('error', 'invalid', layer.refused!.message, layer.source);
    const translate = refused ? undefined : torchModule(layer.cls);
    const translated = translate ? translate(layer.args, []) : null;
    const known = translated !== null && !('unsupported' in translated);
    const weighted = known && translated.parts.some((p) => hasReaderWeights(p.type));
    // What its constructor fixes (InstanceNorm2d(3, affine=True): 6); else a module without weights has none to count.
    const params = !known ? undefined : (translated.params ?? (weighted ? undefined : 0));
    const type = known ? (translated.parts.at(-1)?.type ?? layer.cls) : layer.cls;
    trace.notCalled({ name: layer.path ?? kerasSnake(layer.cls), sourceType: `nn.${layer.cls}`, source: layer.source }, type, params);
    if (params === undefined && !refused) {
      const why = layer.refused === null ? '' : ` (${layer.refused.message})`;
      it.report('warning', 'unknown', `nn.${layer.cls} is registered but forward() never calls it; its parameters are not known${why}, so the total is at least what is shown`, layer.source);
    }
  }
}

/** A forward() that returns a dict of this model's tensors ({"out": …, "aux": …}): its outputs by key, as PyTorch names them. */
function namedOutputs(v: Value, trace: Trace): ModelOutput[] | undefined {
  if (!(v instanceof PyDict) || v.map.size === 0) return undefined;
  const entries = [...v.map];
  if (!entries.every(([, t]) => isTensor(t) && t.trace === trace)) return undefined;
  return entries.map(([k, t]) => ({ name: String(k), layer: (t as TensorRef).name }));
}

function collectTensors(v: Value): TensorRef[] {
  if (typeof v === 'object' && v !== null && (v as TensorRef).kind === 'tensor') return [v as TensorRef];
  if (typeof v === 'object' && v !== null && 'items' in v && Array.isArray((v as { items: Value[] }).items)) {
    return (v as { items: Value[] }).items.flatMap(collectTensors);
  }
  // A forward() that returns a dict of outputs (torchvision's segmentation models: {"out": …, "aux": …}).
  if (v instanceof PyDict) return [...v.map.values()].flatMap(collectTensors);
  return [];
}
