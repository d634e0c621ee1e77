/**
 * One 1-D call as one layer (../../sequenceLayout.ts): holds the tfjs layer that computes it (Conv1D on (L, C),
 * a Conv2DTranspose with a (1, k) kernel on (1, L, C), …) and changes the layout inside computeOutputShape and
 * call, so the row's shapes are the framework's ((C, L) for PyTorch, (steps, C) for Keras). The inner layer's
 * weights are this layer's own (the same variables: tfjs counts and disposes them once), with their real
 * shapes. `lengthPadding` pads the length before the inner layer (PyTorch's Conv1d(padding=p) where tfjs'
 * 'same' is not PyTorch's length, a pooling's padding and ceil_mode), with zeros or (`paddingValue: 'min'`) −∞.
 */
import type { TfModule } from '../loadTf';
import { innerShape, isSequenceLayout, outerShape, type LengthPadding, type SequenceLayout } from '../../sequenceLayout';
import { positiveInt, singleShape, type BatchShape } from './layerBase';

export function defineSequenceLayer(tf: TfModule) {
  const { core } = tf;
  type Tensor = ReturnType<typeof core.zeros>;
  type Inner = InstanceType<TfModule['tfl']['layers']['Layer']>;

  class SequenceLayer extends tf.tfl.layers.Layer {
    static className = 'SequenceLayer';
    readonly sequence: SequenceLayout;
    readonly lengthPadding: LengthPadding | null;
    /** 'min': the padding is −∞ (a max pooling's, never chosen); else zeros. */
    readonly paddingValue: 'zeros' | 'min';
    /** 'lastDim': the axis (without the batch) exchanged with the last. */
    readonly swapAxis: number | null;

    constructor(
      args: Record<string, unknown>,
      readonly inner: Inner,
    ) {
      super({ name: args.name as string | undefined });
      // The framework's reason to refuse the call, found by the reader (Keras' checks on the 1-D arguments).
      if (typeof args.reject === 'string') throw new Error(args.reject);
      if (!isSequenceLayout(args.sequence)) throw new Error(`sequence must be one of channelsFirst, asImage, channelsFirstAsImage, got ${JSON.stringify(args.sequence)}`);
      this.sequence = args.sequence;
      const pad = args.lengthPadding;
      if (pad !== undefined && pad !== null) {
        if (!Array.isArray(pad) || pad.length !== 2 || !pad.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)) {
          throw new Error(`lengthPadding must be 2 non-negative integers, got ${JSON.stringify(pad)}`);
        }
        this.lengthPadding = [pad[0], pad[1]];
      } else this.lengthPadding = null;
      if (args.paddingValue !== undefined && args.paddingValue !== 'min' && args.paddingValue !== 'zeros') throw new Error(`paddingValue must be 'zeros' or 'min', got ${JSON.stringify(args.paddingValue)}`);
      this.paddingValue = args.paddingValue === 'min' ? 'min' : 'zeros';
      this.swapAxis = this.sequence === 'lastDim' ? positiveInt((args.swapAxis as number) + 1, 'swapAxis + 1') - 1 : null;
    }

    private innerBatchShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      const s = singleShape(inputShape);
      const inner = s.length === 3 || this.sequence === 'lastDim' ? innerShape(this.sequence, s.slice(1), this.lengthPadding, this.swapAxis) : null;
      if (inner === null) {
        const expected = this.sequence === 'lastDim' ? `an axis ${this.swapAxis} after the batch` : `a (batch, ${this.sequence === 'asImage' ? 'steps, channels' : 'channels, length'}) input`;
        throw new Error(`expected ${expected}, got rank ${s.length}`);
      }
      return [s[0] ?? null, ...inner];
    }

    override build(inputShape: BatchShape | BatchShape[]): void {
      this.inner.build(this.innerBatchShape(inputShape) as never);
      this.inner.built = true;
      // The same variables: counted, saved and disposed as this layer's.
      this.trainableWeights = this.inner.trainableWeights;
      this.nonTrainableWeights = this.inner.nonTrainableWeights;
      this.built = true;
    }

    override computeOutputShape(inputShape: BatchShape | BatchShape[]): BatchShape {
      const inner = singleShape(this.inner.computeOutputShape(this.innerBatchShape(inputShape) as never) as BatchShape);
      const outer = outerShape(this.sequence, inner.slice(1), this.swapAxis);
      if (outer === null) throw new Error(`the inner ${this.inner.getClassName()} gave (${inner.join(', ')}), not a sequence`);
      return [inner[0] ?? null, ...outer];
    }

    override call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor {
      return core.tidy(() => {
        let x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
        if (this.sequence === 'lastDim') {
          // The swap is its own inverse: the same permutation there and back.
          const perm = Array.from({ length: x.rank }, (_, i) => i);
          const [a, b] = [this.swapAxis! + 1, x.rank - 1];
          [perm[a], perm[b]] = [perm[b]!, perm[a]!];
          const y = this.inner.call(core.transpose(x, perm) as never, kwargs as never) as Tensor | Tensor[];
          return core.transpose(Array.isArray(y) ? y[0]! : y, perm);
        }
        const channelsFirst = this.sequence !== 'asImage';
        if (channelsFirst) x = core.transpose(x, [0, 2, 1]);
        if (this.lengthPadding) x = core.pad(x, [[0, 0], [...this.lengthPadding], [0, 0]], this.paddingValue === 'min' ? -Infinity : 0);
        if (this.sequence !== 'channelsFirst') x = core.expandDims(x, 1);
        let y = this.inner.call(x as never, kwargs as never) as Tensor;
        if (Array.isArray(y)) y = y[0] as Tensor;
        if (this.sequence !== 'channelsFirst') y = core.squeeze(y, [1]);
        return channelsFirst ? core.transpose(y, [0, 2, 1]) : y;
      });
    }

    override getConfig() {
      return {
        ...this.inner.getConfig(),
        sequence: this.sequence,
        ...(this.lengthPadding ? { lengthPadding: [...this.lengthPadding], paddingValue: this.paddingValue } : {}),
        ...(this.swapAxis !== null ? { swapAxis: this.swapAxis } : {}),
        ...super.getConfig(),
      };
    }
  }
  core.serialization.registerClass(SequenceLayer);
  return SequenceLayer;
}
