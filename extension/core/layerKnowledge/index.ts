/**
 * Look-ups over the table of layer knowledge (kinds.ts), built once: by engine type, by Keras, tfjs and
 * PyTorch name. Each name belongs to one kind; the indexes are derived, never edited by hand.
 */
import type { TorchTranslator } from '../source/torch2d';
import { identity } from '../source/torch2d';
import type { LayerKind } from './kind';
import { KINDS, TORCH_NO_LAYER_MODULES } from './kinds';

export type { LayerKind } from './kind';
export { KINDS } from './kinds';

/** A Keras class (or alias): the engine type and the constructor's positional argument names (snake_case). */
export interface KerasClass {
  type: string;
  positional: readonly string[];
}

const byType = new Map<string, LayerKind>();
const kerasClasses = new Map<string, KerasClass>();
const kerasFunctions = new Map<string, string>();
const tfjsFactories = new Map<string, string>();
const torchModules = new Map<string, TorchTranslator>();
const torchFunctions = new Map<string, TorchTranslator>();

for (const kind of KINDS) {
  byType.set(kind.type, kind);
  for (const name of kind.keras?.names ?? []) kerasClasses.set(name, { type: kind.type, positional: kind.keras?.positional ?? [] });
  for (const [name, positional] of Object.entries(kind.keras?.classes ?? {})) kerasClasses.set(name, { type: kind.type, positional });
  for (const [alias, cls] of Object.entries(kind.keras?.aliases ?? {})) kerasClasses.set(alias, { type: kind.type, positional: kind.keras?.classes?.[cls] ?? kind.keras?.positional ?? [] });
  for (const fn of kind.keras?.functions ?? []) kerasFunctions.set(fn, kind.type);
  for (const name of kind.tfjs ?? []) tfjsFactories.set(name, kind.type);
  for (const [name, translate] of Object.entries(kind.torch?.modules ?? {})) torchModules.set(name, translate);
  for (const [name, translate] of Object.entries(kind.torch?.functions ?? {})) torchFunctions.set(name, translate);
}
for (const name of TORCH_NO_LAYER_MODULES) torchModules.set(name, identity);

/** The table's entry for an engine type, or undefined for a type the engine cannot build. */
export const layerKind = (type: string): LayerKind | undefined => byType.get(type);
/** A Keras class name (Conv2D, Convolution2D) → its kind's type and positional argument names. */
export const kerasClass = (name: string): KerasClass | undefined => kerasClasses.get(name);
/**
 * The class a Keras spelling is (Convolution2D, MaxPool2D and GlobalAvgPool3D are Conv2D, MaxPooling2D and
 * GlobalAveragePooling3D), which names its layers (max_pooling2d) as Keras does; any other name is itself.
 */
export function kerasClassOf(name: string): string {
  const info = kerasClasses.get(name);
  const keras = info ? byType.get(info.type)?.keras : undefined;
  if (!keras) return name;
  if (keras.aliases?.[name]) return keras.aliases[name]!;
  return keras.names.includes(name) && keras.names.includes(info!.type) ? info!.type : name;
}

/** keras.layers.add(...) style functions → class. */
export const kerasMergeFunction = (name: string): string | undefined => kerasFunctions.get(name);
/** tf.layers.* factory name (conv2d, add) → Keras class. */
export const tfjsFactoryClass = (name: string): string | undefined => tfjsFactories.get(name);
/** The translator of a torch.nn module class (Conv2d), or undefined when the engine has none. */
export const torchModule = (name: string): TorchTranslator | undefined => torchModules.get(name);
/** The translator of a torch.nn.functional / torch function applied to a tensor (F.max_pool2d), or undefined. */
export const torchFunction = (name: string): TorchTranslator | undefined => torchFunctions.get(name);

/** The names a star import brings: `from keras.layers import *` (classes and merge functions), `from torch.nn import *`. */
export const kerasClassNames = (): string[] => [...kerasClasses.keys()];
export const kerasMergeFunctionNames = (): string[] => [...kerasFunctions.keys()];
export const torchModuleNames = (): string[] => [...torchModules.keys()];

/** Takes several inputs, as a list. */
export const isMerge = (type: string): boolean => byType.get(type)?.merge === true;
/** The readers count the layer's own weights (shared on reuse, counted as written when never called). */
export const hasReaderWeights = (type: string): boolean => byType.get(type)?.readerWeights === true;
