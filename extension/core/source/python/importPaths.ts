/** Where an imported name lives, spelled one way for every import style (tensorflow.keras, keras.src, ...). */

const ALIASES = [
  ['tensorflow.python.keras', 'keras'],
  ['tensorflow.keras', 'keras'],
  ['tf_keras', 'keras'],
  ['keras.src', 'keras'],
  // keras.src.layers.layer.Layer and keras.src.models.model.Model, where Keras 3 defines them.
  ['keras.layers.layer.Layer', 'keras.layers.Layer'],
  ['keras.models.model.Model', 'keras.Model'],
  ['keras.models.', 'keras.'],
  ['keras.layers.experimental.preprocessing', 'keras.layers'],
  ['keras.layers.core', 'keras.layers'],
  ['keras.layers.convolutional', 'keras.layers'],
  ['keras.layers.pooling', 'keras.layers'],
  ['keras.layers.normalization', 'keras.layers'],
  ['keras.layers.merge', 'keras.layers'],
  ['keras.engine.', 'keras.'],
  ['keras.engine.training.', 'keras.'],
  ['torch.nn.modules.', 'torch.nn.'],
] as const;

/** Every attribute of an import (torch.nn.Conv2d) asks again: the answers are kept. */
const canonical = new Map<string, string>();

/** tensorflow.keras.layers.Conv2D → keras.layers.Conv2D; keras.models.Sequential → keras.Sequential. */
export function canonicalPath(path: string): string {
  const known = canonical.get(path);
  if (known !== undefined) return known;
  let p = path;
  for (const [from, to] of ALIASES) {
    if (p === from || p.startsWith(from.endsWith('.') ? from : `${from}.`)) p = to + p.slice(from.length);
  }
  p = p.replace(/^torch\.nn\.(conv|linear|batchnorm|pooling|activation|dropout|flatten|container|padding|module|upsampling)\./, 'torch.nn.');
  // Bounded: paths come from the code read, and a crafted file could spell millions of them.
  if (canonical.size > 10_000) canonical.clear();
  canonical.set(path, p);
  return p;
}

/** canonicalPath(`${path}.${name}`) by its two parts: `nn.Conv2d` in a loop asks without joining the strings again. */
const attributes = new Map<string, Map<string, string>>();

export function canonicalAttribute(path: string, name: string): string {
  let ofPath = attributes.get(path);
  if (ofPath === undefined) {
    // Bounded like `canonical`: paths come from the code read.
    if (attributes.size > 10_000) attributes.clear();
    attributes.set(path, (ofPath = new Map()));
  }
  let known = ofPath.get(name);
  if (known === undefined) {
    known = canonicalPath(`${path}.${name}`);
    if (ofPath.size > 1_000) ofPath.clear();
    ofPath.set(name, known);
  }
  return known;
}
