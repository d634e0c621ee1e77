/**
 * Keras Applications' ConvNeXt LayerScale (keras/src/applications/convnext.py): x · gamma, gamma of
 * (projection_dim,), trainable (its build()). A .keras file names it by its module; a legacy .h5 file writes
 * no module, only the class name and get_config() — so there it is taken only when the config is exactly that
 * class's (name, trainable, dtype, init_values, projection_dim) and the input tensor the file states has
 * projection_dim channels (gamma then multiplies each channel, keeping the shape). A user's LayerScale may
 * be anything: any other shape of config is not read.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const APPLICATIONS_MODULE = /^keras(\.src)?\.applications\.convnext$/;
const CONFIG_KEYS = ['dtype', 'init_values', 'name', 'projection_dim', 'trainable'];

/** The LayerScale's projection_dim when the layer is Keras Applications' LayerScale, else null. */
export function applicationsLayerScaleDim(layer: JsonObject, config: JsonObject): number | null {
  if (layer.class_name !== 'LayerScale') return null;
  const dim = config.projection_dim;
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim <= 0) return null;
  const channels = statedInboundChannels(layer);
  if (channels !== null && channels !== dim) return null;
  if (typeof layer.module === 'string') return APPLICATIONS_MODULE.test(layer.module) ? dim : null;
  // A legacy .h5 config: no module, so the class is told by its exact config and its stated input.
  if (layer.module !== undefined || layer.registered_name !== undefined) return null;
  const keys = Object.keys(config).sort();
  const exact = keys.length === CONFIG_KEYS.length && keys.every((k, i) => k === CONFIG_KEYS[i]);
  return exact && channels === dim ? dim : null;
}

/** The last size of the first inbound tensor as a Keras 3 config states it, else null. */
function statedInboundChannels(layer: JsonObject): number | null {
  const nodes = layer.inbound_nodes;
  const node = Array.isArray(nodes) ? nodes[0] : undefined;
  const args = typeof node === 'object' && node !== null && !Array.isArray(node) ? node.args : undefined;
  const arg = Array.isArray(args) ? args[0] : undefined;
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg) || arg.class_name !== '__keras_tensor__') return null;
  const shape = typeof arg.config === 'object' && arg.config !== null && !Array.isArray(arg.config) ? arg.config.shape : undefined;
  const last = Array.isArray(shape) ? shape[shape.length - 1] : undefined;
  return typeof last === 'number' ? last : null;
}
