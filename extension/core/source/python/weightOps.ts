/**
 * A tensor multiplied by a layer's own weight matrix inside a user layer's call() (the Keras guide's
 * `ops.matmul(inputs, self.w) + self.b`): the output's last axis becomes the weight's columns. The step is
 * read for its shape only (the layer's row holds the weight), so it is a shape-only engine layer.
 */
import type { SyntaxNode } from '../syntax';
import { USER_LAYER } from '../../tfjs/userLayer';
import type { PythonInterpreter } from './interpreter';
import { isTensor, KerasWeight, type Value } from './values';

const MATMUL = new Set(['keras.ops.matmul', 'tensorflow.matmul', 'tensorflow.linalg.matmul', 'keras.backend.dot']);

/** The product, or undefined when this is not a matmul of a tensor by a weight matrix. */
export function matmulByWeight(it: PythonInterpreter, path: string, args: Value[], node: SyntaxNode): Value | undefined {
  const [x, w] = args;
  if (!MATMUL.has(path) || x === undefined || !isTensor(x) || !(w instanceof KerasWeight)) return undefined;
  if (w.shape === null || w.shape.length !== 2 || x.shape === null || x.channels !== w.shape[0]) {
    return it.opaque(x, `${path.split('.').pop()} of a tensor by a weight whose shape does not fit it`, node);
  }
  const outputShape = [...x.shape.slice(0, -1), w.shape[1]!];
  return x.trace.emit(
    { name: it.scopedName(x.trace.autoName('matmul')), sourceType: 'matmul', source: it.loc(node) },
    // Each output value is a dot product over the weight's rows: output positions × rows multiply-adds.
    { parts: [{ type: USER_LAYER, args: { outputShape, weights: [], macs: elementsOf(outputShape) * w.shape[0]! } }] },
    [x],
  );
}

function elementsOf(shape: readonly (number | null)[]): number {
  return shape.reduce<number>((n, d) => n * (d ?? Number.NaN), 1);
}
