/**
 * An initializer for analysis: every weight is a real tfjs tensor of the right shape that shares one tiny
 * buffer, so building VGG16 allocates no 138M floats (zero-filled arrays still get touched once the allocator
 * reuses memory, and RSS grows run after run in a long-lived extension host). The values are never read:
 * analysis only asks layers for shapes and weight counts. Used on the pure-JS CPU backend only; other
 * backends get plain zeros.
 */
import type { TfModule } from './loadTf';

type Initializer = ReturnType<TfModule['tfl']['initializers']['zeros']>;
type InitializerClass = new () => Initializer;

const created = new WeakMap<TfModule, Initializer | 'zeros'>();

export function shapeOnlyInitializer(tf: TfModule): Initializer | 'zeros' {
  const cached = created.get(tf);
  if (cached) return cached;
  const made = tf.backend === 'cpu' ? makeSharedBufferInitializer(tf) : 'zeros';
  created.set(tf, made);
  return made;
}

function makeSharedBufferInitializer(tf: TfModule): Initializer {
  const engine = tf.core.engine();
  // Kept for the life of the process: its buffer is what every shape-only weight points at.
  const anchor = tf.core.keep(tf.core.zeros([1]));
  // tfjs does not export its Initializer base class; the Zeros class (a subclass of it) stands in.
  const Zeros = tf.tfl.initializers.zeros().constructor as InitializerClass;
  class ShapeOnly extends Zeros {
    static className = 'ShapeOnly';
    override apply(shape: number[], dtype?: 'float32'): ReturnType<typeof tf.core.zeros> {
      // The backend counts references per buffer; each view adds one so disposing it never frees the anchor.
      engine.backend.incRef(anchor.dataId);
      return engine.makeTensorFromDataId(anchor.dataId, shape, dtype ?? 'float32');
    }
    override getConfig(): Record<string, never> {
      return {};
    }
  }
  return new ShapeOnly();
}
