/**
 * F.affine_grid(theta, size) and F.grid_sample(input, grid) (spatial transformer networks): shapes only, no
 * weights. affine_grid gives (N, H, W, 2) for a (N, 2, 3) theta and size (N, C, H, W), (N, D, H, W, 3) for a
 * (N, 3, 4) theta and a 5-D size; grid_sample gives (N, C, H_g, W_g) for an (N, C, H, W) input and an
 * (N, H_g, W_g, 2) grid (and the 5-D case alike). Both tensors are inputs of the result, so the branch that
 * computed the grid is the model's. Sizes PyTorch refuses, or that the reader cannot read, are unknown.
 */
import type { SyntaxNode } from '../syntax';
import type { TensorRef } from '../trace';
import { OPAQUE_LAMBDA } from '../../tfjs/statedShapeLayer';
import { engineAxisOfTorchDim } from '../torchAxes';
import type { PythonInterpreter } from './interpreter';
import { BatchDim, isSeq, isTensor, type Value } from './values';

/** A tensor's sizes in PyTorch's order without the batch; null when any is unknown. */
function torchSizes(t: TensorRef): number[] | null {
  const shape = t.shape;
  if (shape === null || shape.some((d) => d === null)) return null;
  const rank = shape.length;
  return Array.from({ length: rank }, (_, i) => shape[engineAxisOfTorchDim(i + 1, rank)!] as number);
}

/** An engine shape (no batch) from sizes in PyTorch's order. */
function engineShape(sizes: number[]): number[] {
  const out = new Array<number>(sizes.length);
  sizes.forEach((d, i) => (out[engineAxisOfTorchDim(i + 1, sizes.length)!] = d));
  return out;
}

function stated(it: PythonInterpreter, fn: string, inputs: TensorRef[], sizes: number[], node: SyntaxNode): TensorRef {
  return inputs[0]!.trace.emit({ name: it.scopedName(fn), sourceType: fn, source: it.loc(node) }, { parts: [{ type: OPAQUE_LAMBDA, args: { outputShape: engineShape(sizes) } }] }, inputs);
}

export function affineGrid(it: PythonInterpreter, theta: TensorRef, rest: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
  const size = rest[0] ?? kwargs.get('size');
  const t = torchSizes(theta);
  const items = size !== undefined && isSeq(size) ? size.items : null;
  if (t === null || items === null) return it.opaque(theta, 'affine_grid() of a theta or size the reader could not evaluate', node);
  // The grid's batch is the size's first item: the model's batch only when it is the input's own x.size(0).
  if (!(items[0] instanceof BatchDim) || items.slice(1).some((d) => typeof d !== 'number' || !Number.isInteger(d) || d <= 0)) {
    return it.opaque(theta, 'affine_grid() to a size whose batch or sizes the reader cannot tell', node);
  }
  const spatial = items.slice(2) as number[];
  const want = spatial.length === 2 ? [2, 3] : spatial.length === 3 ? [3, 4] : null;
  if (want === null || t.length !== 2 || t[0] !== want[0] || t[1] !== want[1]) {
    return it.opaque(theta, `PyTorch raises ValueError: affine_grid() of a theta of sizes (${t.join(', ')}) for a ${items.length}-D size`, node);
  }
  return stated(it, 'affine_grid', [theta], [...spatial, spatial.length], node);
}

export function gridSample(it: PythonInterpreter, input: TensorRef, rest: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
  const grid = rest[0] ?? kwargs.get('grid');
  if (grid === undefined || !isTensor(grid) || grid.trace !== input.trace) return it.opaque(input, 'grid_sample() of a grid the reader does not know', node);
  const x = torchSizes(input);
  const g = torchSizes(grid);
  if (x === null || g === null) return it.opaque(input, 'grid_sample() of a tensor whose shape is unknown', node, [grid]);
  const spatial = x.length - 1;
  if ((spatial !== 2 && spatial !== 3) || g.length !== x.length || g[g.length - 1] !== spatial) {
    return it.opaque(input, `PyTorch raises RuntimeError: grid_sample() of an input of sizes (${x.join(', ')}) with a grid of sizes (${g.join(', ')})`, node, [grid]);
  }
  return stated(it, 'grid_sample', [input, grid], [x[0]!, ...g.slice(0, spatial)], node);
}
