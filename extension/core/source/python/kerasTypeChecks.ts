/**
 * isinstance(v, <a Keras class>) for the values Keras code meets when it walks a model's layers
 * (`if not isinstance(layer, layers.BatchNormalization): layer.trainable = True`, the keras.io fine-tuning guides).
 * Keras 3's public layer classes do not derive from one another except through the bases below
 * (keras/src/layers/...: LSTM, GRU and SimpleRNN are RNNs, SpatialDropout2D a Dropout, TimeDistributed a Wrapper;
 * Bidirectional is a Layer, not a Wrapper), so two different known classes answer False; anything else is unknown.
 */
import { kerasClass, kerasClassOf } from '../../layerKnowledge/index';
import { isInputLayerItem } from './functionalLayers';
import { KerasFunctional, KerasSequential, LayerObj, type Value } from './values';

type Answer = boolean | null;

const KERAS_CLASS = /^(?:tensorflow\.|tf\.)?keras\.(?:src\.)?(?:(layers|models)\.)?(?:[a-z_][\w]*\.)*([A-Z]\w*)$/;

/**
 * Keras' public classes that others derive from, with those (Keras 3.15's keras.layers, by their MROs): anything
 * else is its own class only.
 */
const KERAS_BASES: Record<string, RegExp> = {
  RNN: /^(LSTM|GRU|SimpleRNN|ConvLSTM[123]D)$/,
  Attention: /^AdditiveAttention$/,
  Wrapper: /^(TimeDistributed|SpectralNormalization)$/,
  Dropout: /^(Dropout|SpatialDropout[123]D)$/,
  Embedding: /^(Embedding|ReversibleEmbedding)$/,
  JaxLayer: /^(JaxLayer|FlaxLayer)$/,
};

/** The answer when `path` names a Keras class and `v` is a Keras layer or model; undefined otherwise. */
export function kerasInstance(v: Value, path: string): Answer | undefined {
  const m = KERAS_CLASS.exec(path);
  if (!m) return undefined;
  const target = m[2]!;
  const isModel = v instanceof KerasFunctional || v instanceof KerasSequential;
  const own = v instanceof LayerObj && v.framework === 'keras' ? v.cls : isInputLayerItem(v) ? 'InputLayer' : isModel ? null : undefined;
  // Other values: the general rules (plain data is no framework class's instance, the rest unknown).
  if (own === undefined) return undefined;
  if (target === 'Layer' || target === 'Operation') return true;
  if (target === 'Model') return isModel;
  if (target === 'Sequential') return v instanceof KerasSequential;
  if (own === null) return kerasClass(target) || KERAS_BASES[target] ? false : null;
  if (KERAS_BASES[target]) return KERAS_BASES[target]!.test(kerasClassOf(own));
  if (own === 'InputLayer' || target === 'InputLayer') return own === target;
  if (!kerasClass(own) || !kerasClass(target)) return null;
  return kerasClassOf(own) === kerasClassOf(target);
}
