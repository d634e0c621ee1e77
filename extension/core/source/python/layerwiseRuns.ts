/**
 * A model run layer by layer: `for layer in net: X = layer(X)` (Dive into Deep Learning prints each layer's
 * output shape this way, on `X = torch.rand(size=(1, 1, 28, 28))`). The loop feeds X to the container's first
 * module, as net(X) would, so the example code runs net at X's size.
 */
import type { SyntaxNode } from '../syntax';
import type { PythonInterpreter } from './interpreter';
import { exampleDims } from './shapes';
import { inheritsExtern, PyObj, TorchContainer, type Value } from './values';

type Run = PythonInterpreter['state']['runs'][number];

interface LayerwiseLoop {
  container: TorchContainer | PyObj;
  first: Value;
}

const open = new WeakMap<PythonInterpreter, LayerwiseLoop[]>();

/** An nn.Sequential (or subclass) a top-level loop iterates over; null for anything else. */
function sequentialOf(v: Value): TorchContainer | PyObj | null {
  if (v instanceof TorchContainer) return v.kind === 'Sequential' ? v : null;
  if (v instanceof PyObj && inheritsExtern(v.cls, /^torch\.nn\.Sequential$/)) return v;
  return null;
}

/** Runs `loop` with `iterable`'s first module watched when it is an nn.Sequential iterated at the top level. */
export function withLayerwiseLoop<T>(it: PythonInterpreter, iterable: Value, items: readonly Value[], topLevel: boolean, loop: () => T): T {
  const container = topLevel ? sequentialOf(iterable) : null;
  if (container === null || items.length === 0) return loop();
  const stack = open.get(it) ?? [];
  open.set(it, stack);
  stack.push({ container, first: items[0]! });
  try {
    return loop();
  } finally {
    stack.pop();
  }
}

/** For every call: the watched first module fed the file's example tensor is a run of its container (else null). */
export function layerwiseRun(it: PythonInterpreter, callee: Value, args: readonly Value[], node: SyntaxNode): Run | null {
  const stack = open.get(it);
  if (!stack || stack.length === 0) return null;
  const loop = stack.find((l) => l.first === callee);
  if (!loop) return null;
  const dims = exampleDims(args[0]);
  return dims ? { model: loop.container, dims, node } : null;
}
