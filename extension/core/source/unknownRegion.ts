/**
 * The one rule both interpreters (python/, javascript/) follow where code may or may not run: an `if` whose
 * condition is unknown, a loop over something the reader cannot enumerate, a `while` whose condition is
 * unknown. No branch is guessed: the tensors the region reads or assigns go through one "unknown" layer (so
 * every layer after it is still listed, with unknown shapes, and the model is incomplete), the names it
 * assigns hold that layer's tensor or become unknown, and a `return` inside makes the result unknown. The
 * diagnostics are worded once, here, so a Keras, PyTorch and tfjs user reads the same sentence.
 */
import { UNKNOWN_LAYER, type TensorRef } from './trace';
import type { SourceLocation } from '../spec';

/** The located reasons both interpreters give, in the same words. */
export const UNKNOWN_WORDING = {
  branch: (condition: string, reason: string): string => `cannot tell whether this branch runs: \`${condition}\` ${reason}`,
  loopAgain: (condition: string): string => `cannot tell whether this loop runs again: \`${condition}\` is unknown; the rest of the loop was not read`,
  iterates: (iterable: string): string => `cannot tell what \`${iterable}\` iterates over; the loop body was not read`,
  raises: (statement: string): string => `the code raises here (\`${statement}\`); what it was building is unknown`,
};

/** What an interpreter tells the rule about its values and scope. */
export interface RegionHost<V> {
  /** The value a name holds in scope, or undefined when it is not bound. */
  lookup(name: string): { value: V } | undefined;
  isTensor(v: V | undefined): v is V & TensorRef;
  /** The interpreter's unknown value, carrying the reason. */
  unknown(why: string): V;
  bind(name: string, value: V): void;
  /** The unknown layer's name in the trace (a PyTorch module path is prefixed with its scope). */
  layerName(base: string): string;
}

/** What the region may touch: names it reads and names it assigns. */
export interface RegionNames {
  read: ReadonlySet<string>;
  assigned: ReadonlySet<string>;
}

/**
 * Applies the rule to a region; returns the value that stands for it (the unknown layer's output when some
 * tensor depends on it, else an unknown value), for a `return` inside to give as the function's result.
 * `sourceType` names the layer as the user wrote the construct ("if x.shape[-1] != filters").
 */
export function markRegionUnknown<V>(host: RegionHost<V>, names: RegionNames, sourceType: string, source: SourceLocation, why: string): V {
  const tensors: TensorRef[] = [];
  for (const name of new Set([...names.read, ...names.assigned])) {
    const v = host.lookup(name)?.value;
    if (host.isTensor(v) && !tensors.includes(v)) tensors.push(v);
  }
  const trace = tensors[0]?.trace;
  const inputs = tensors.filter((t) => t.trace === trace);
  let out: V = host.unknown(why);
  if (trace && inputs.length > 0) {
    out = trace.emit(
      { name: host.layerName(trace.uniqueName(`unknown_${source.line}`)), sourceType, source },
      { parts: [{ type: UNKNOWN_LAYER, args: { reason: why }, merge: inputs.length > 1 }] },
      inputs,
    ) as V;
  }
  for (const name of names.assigned) {
    const current = host.lookup(name);
    // A name bound to a tensor, or bound for the first time here, is taken to hold the region's tensor.
    host.bind(name, host.isTensor(out) && (current === undefined || host.isTensor(current.value)) ? out : host.unknown(why));
  }
  return out;
}
