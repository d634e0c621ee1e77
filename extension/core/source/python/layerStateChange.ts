/**
 * A torch.nn layer's parameter set after construction: `conv.bias = None`, or `self.bias = None` in a subclass
 * of the layer (timm's GroupNorm1NoBias, LayerNorm2dNoBias). PyTorch then has no bias — parameters() skips it
 * and the forward adds none — which is what `bias=False` builds, so the layer is read as built so. Anything else
 * set on a parameter or setting (a new weight, a stride) changes what the constructor made: the layer is
 * unknown where it is called, never counted as written.
 */
import { TORCH_PARAMETER_SLOTS } from '../../layerKnowledge/torchParameterNames';
import type { LayerObj, Value } from './values';

/** Attributes of a torch.nn layer that change neither its parameters nor its output's shape. */
const UNCHANGING_ATTRIBUTES = new Set(['inplace', 'training', 'requires_grad', 'momentum', 'eps', 'negative_slope', 'p', 'approximate', 'track_running_stats', '_is_hf_initialized', 'is_init', 'initialized']);

/** Applies `layer.<name> = value` (set as `text`) to the layer; false when the name is not the layer's own state. */
export function setLayerState(layer: LayerObj, name: string, value: Value, text: string, subclass: boolean): boolean {
  if (UNCHANGING_ATTRIBUTES.has(name)) return !subclass;
  const slots = TORCH_PARAMETER_SLOTS[layer.cls];
  if (name === 'bias' && value === null && slots?.flags?.bias !== undefined) {
    layer.args.keywords.set('bias', false);
    return true;
  }
  // A subclass's own attributes (self.drop = …, self.num_groups = …) are its own, not the layer's, unless they
  // are the layer's parameters.
  if (subclass && !slots?.names.includes(name)) return false;
  layer.changed ??= `${text}: the module is changed after it was made, which the reader does not follow`;
  return true;
}
