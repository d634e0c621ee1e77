/**
 * Two layers tfjs-layers lacks for PyTorch's `torch.stack(tensors, dim)` and `x.sum(dim)` over a dim no pooling
 * layer covers (timm's SKNet: branch outputs stacked into (N, paths, C, H, W), summed over the paths). The
 * reader works out the framework's sizes and gives `targetShape`, the engine layout of the result (torchAxes.ts),
 * so each call is one layer of exactly that shape (batch axis 0 not included):
 *   Stack {targetShape}              several inputs of one shape, stacked: targetShape holds count × their elements
 *   AxisReduce {axes, mode, targetShape}   sum / mean / max / min over engine `axes` (≥ 1), then laid out as targetShape
 */
import type { TfModule } from '../loadTf';
import { singleShape, type BatchShape } from './layerBase';

const MODES = ['sum', 'mean', 'max', 'min'] as const;
type Mode = (typeof MODES)[number];

function targetShapeOf(v: unknown): number[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0)) throw new Error(`targetShape must be positive integers, got ${JSON.stringify(v)}`);
  return v as number[];
}

const elements = (shape: readonly (number | null)[]): number | null => (shape.some((d) => d === null) ? null : (shape as number[]).reduce((a, b) => a * b, 1));

export function defineStackAndReduce(tf: TfModule) {
  const { core } = tf;
  type Tensor = ReturnType<typeof core.zeros>;
  const Layer = tf.tfl.layers.Layer;

  class Stack extends Layer {
    static className = 'Stack';
    readonly targetShape: number[];
    constructor(args: Record<string, unknown>) {
      super({ name: args.name as string | undefined });
      this.targetShape = targetShapeOf(args.targetShape);
    }
    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as BatchShape[];
      const one = shapes[0]!.slice(1);
      if (shapes.some((s) => s.slice(1).join() !== one.join())) throw new Error(`Stack: inputs of different shapes (${shapes.map((s) => `[${s.slice(1).join(', ')}]`).join(', ')})`);
      const each = elements(one);
      if (each === null || each * shapes.length !== elements(this.targetShape)) throw new Error(`Stack: ${shapes.length} inputs of [${one.join(', ')}] do not make [${this.targetShape.join(', ')}]`);
      return [shapes[0]![0] ?? null, ...this.targetShape];
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      const xs = Array.isArray(inputs) ? inputs : [inputs];
      return core.reshape(core.stack(xs, -1), [xs[0]!.shape[0]!, ...this.targetShape]);
    }
    override getConfig() {
      return { targetShape: this.targetShape, ...super.getConfig() };
    }
  }

  class AxisReduce extends Layer {
    static className = 'AxisReduce';
    readonly axes: number[];
    readonly mode: Mode;
    readonly targetShape: number[];
    constructor(args: Record<string, unknown>) {
      super({ name: args.name as string | undefined });
      const axes = args.axes;
      if (!Array.isArray(axes) || axes.length === 0 || !axes.every((a) => typeof a === 'number' && Number.isInteger(a) && a >= 1)) throw new Error(`axes must be non-batch axes, got ${JSON.stringify(axes)}`);
      if (!MODES.includes(args.mode as Mode)) throw new Error(`mode must be one of ${MODES.join(', ')}, got ${JSON.stringify(args.mode)}`);
      this.axes = axes as number[];
      this.mode = args.mode as Mode;
      this.targetShape = targetShapeOf(args.targetShape);
    }
    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      const shape = [...singleShape(inputShape)];
      for (const a of this.axes) {
        if (a >= shape.length) throw new Error(`AxisReduce: axis ${a} is not a non-batch axis of a rank-${shape.length} input`);
        shape[a] = 1;
      }
      if (elements(shape.slice(1)) !== elements(this.targetShape)) throw new Error(`AxisReduce: [${shape.slice(1).join(', ')}] reduced does not make [${this.targetShape.join(', ')}]`);
      return [shape[0] ?? null, ...this.targetShape];
    }
    override call(inputs: Tensor | Tensor[]): Tensor {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      return core.reshape(core[this.mode](x, this.axes, true), [x.shape[0]!, ...this.targetShape]);
    }
    override getConfig() {
      return { axes: this.axes, mode: this.mode, targetShape: this.targetShape, ...super.getConfig() };
    }
  }

  core.serialization.registerClass(Stack);
  core.serialization.registerClass(AxisReduce);
  return { Stack, AxisReduce };
}
