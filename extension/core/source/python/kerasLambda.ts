/**
 * keras.layers.Lambda(function, output_shape=None, mask=None, arguments=None): a layer whose call() is the
 * function, called as `function(inputs, **arguments)`. The reader follows the function on the symbolic inputs
 * (elementwise arithmetic, indexing a list of inputs, functions it knows) for the output shape only, and lists
 * the Lambda as one row, as Keras does; a function it cannot follow leaves the Lambda's shape unknown with
 * the reason, never the stated output_shape taken on trust.
 */
import type { SyntaxNode } from '../syntax';
import type { Trace } from '../trace';
import type { PythonInterpreter } from './interpreter';
import { Builtin, isSeq, isTensor, PyDict, Unknown, type Value } from './values';
import { readLeafCall } from './kerasLayerSubclass';

/** The Lambda layer, or undefined when `path` is not keras.layers.Lambda. */
export function kerasLambda(it: PythonInterpreter, path: string, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value | undefined {
  if (path !== 'keras.layers.Lambda') return undefined;
  const fn = kwargs.get('function') ?? args[0];
  const outputShape = kwargs.get('output_shape') ?? args[1] ?? null;
  const extra = kwargs.get('arguments') ?? args[3] ?? null;
  const nameValue = kwargs.get('name');
  const source = it.loc(node);
  const uses = new Map<Trace, { first: string; count: number }>();
  let problem: string | null = null;
  if (fn === undefined || fn instanceof Unknown) problem = 'Lambda: a function the reader could not evaluate';
  else if (extra !== null && !(extra instanceof PyDict && !extra.tainted)) problem = 'Lambda: arguments=… the reader could not evaluate';
  const fnKwargs = new Map<string, Value>(extra instanceof PyDict ? [...extra.map].map(([k, v]) => [String(k), v]) : []);
  const lambda = new Builtin('Lambda', ([x], callKwargs, callNode) => {
    const inputs = isTensor(x ?? null) ? [x as never] : isSeq(x ?? null) ? (x as { items: Value[] }).items.filter(isTensor) : [];
    if (inputs.length === 0) return new Unknown('Lambda applied to a value the reader could not follow');
    return readLeafCall(it, { className: 'Lambda', source, name: typeof nameValue === 'string' ? nameValue : null, weights: [], problem, uses }, inputs, () => {
      if (problem) return new Unknown(problem);
      const out = it.callValue(fn!, [x ?? null], new Map([...fnKwargs, ...callKwargs]), callNode);
      return statedShapeAgrees(out, outputShape) ? out : new Unknown('output_shape disagrees with what the function gives');
    });
  });
  return lambda;
}

/** Keras uses a stated output_shape for the symbolic shape: a function that gives another shape is not followed. */
function statedShapeAgrees(out: Value, stated: Value): boolean {
  if (stated === null || !isTensor(out) || out.shape === null) return true;
  // A function computing the shape (output_shape=lambda s: ...) is not checked here.
  if (!isSeq(stated)) return true;
  const dims = stated.items.map((d) => (typeof d === 'number' ? d : null));
  return dims.length === out.shape.length && dims.every((d, i) => d === null || d === out.shape![i]);
}
