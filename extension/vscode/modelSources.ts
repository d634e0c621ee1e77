/**
 * Where models come from. The Quick Pick of "Show architecture" lists every registered provider's models;
 * the zoo is the first provider, "models in the active editor" and model files register theirs later.
 * No `vscode` here: panels and tests use the same sources.
 */
import type { Framework, ModelSpec, SourceLocation } from '../core/spec';
// The zoo's catalogue and spec builders are plain data and functions: listing it loads no TensorFlow.js.
import { ZOO } from '../core/zoo/index';

/** One model the user can open. */
export interface ModelSource {
  /** Stable and unique: the one-panel-per-model key, kept in the panel's state to revive it ("zoo:vgg16"). */
  id: string;
  label: string;
  /** Shown beside the label; the Quick Pick adds params and MACs once known. */
  description?: string;
  detail?: string;
  /** Input (H, W, C) the model opens with when no size is asked for. */
  defaultInput: readonly number[];
  /** The framework sizes are typed in (the default-size setting): PyTorch C,H,W; Keras (the default) H,W,C. */
  framework?: Framework;
  /**
   * False when `defaultInput` is only a placeholder for the input field (a PyTorch module whose file states no
   * input): the first run then calls `load()` without an input, so the source asks instead of guessing.
   */
  inputKnown?: boolean;
  /** Builds the model for `input` (H, W, C), or for its default input. May throw a UserError. */
  load(input?: readonly number[]): Promise<ModelSpec>;
  /** Where the model is written, for models read from code. */
  location?: SourceLocation;
}

/** A list of models that can grow: the zoo, the models in the active editor, model files. */
export interface ModelSourceProvider {
  /** Prefix of its sources' ids ("zoo"). */
  id: string;
  /** Heading of its group in the Quick Pick. */
  label: string;
  list(): Promise<ModelSource[]>;
  /** Finds a source by id again (to revive a panel after a reload); undefined when it is gone. */
  resolve?(id: string): Promise<ModelSource | undefined>;
}

/** The registered providers, in registration order. */
export class ModelSources {
  private readonly providers: ModelSourceProvider[] = [];

  register(provider: ModelSourceProvider): { dispose(): void } {
    this.providers.push(provider);
    return { dispose: () => void this.providers.splice(this.providers.indexOf(provider) >>> 0, 1) };
  }

  /** Every provider with its models; a provider that fails is reported through `onError` and skipped. */
  async list(onError: (provider: ModelSourceProvider, error: unknown) => void): Promise<{ provider: ModelSourceProvider; sources: ModelSource[] }[]> {
    const lists = await Promise.all(
      this.providers.map(async (provider) => {
        try {
          return { provider, sources: await provider.list() };
        } catch (error) {
          onError(provider, error);
          return { provider, sources: [] };
        }
      }),
    );
    return lists.filter((l) => l.sources.length > 0);
  }

  /** The source with `id`, asking the provider whose prefix it carries. */
  async resolve(id: string): Promise<ModelSource | undefined> {
    for (const provider of this.providers) {
      if (!id.startsWith(`${provider.id}:`)) continue;
      if (provider.resolve) return provider.resolve(id);
      return (await provider.list()).find((s) => s.id === id);
    }
    return undefined;
  }
}

/** The built-in zoo (LeNet-5 … ResNet-152, GoogLeNet). */
export function zooProvider(): ModelSourceProvider {
  const list = async (): Promise<ModelSource[]> => {
    return ZOO.map((entry) => ({
      id: `zoo:${entry.name}`,
      label: entry.title,
      defaultInput: entry.defaultInput,
      load: async (input) => entry.build(input ?? entry.defaultInput),
    }));
  };
  return { id: 'zoo', label: 'Model zoo', list };
}

/** A source for a spec someone already has (the editor's CodeLens): changing the input keeps the layers. */
export function specSource(spec: ModelSpec, id?: string): ModelSource {
  const where = spec.source ? `${spec.source.file}:${spec.source.line}` : undefined;
  return {
    id: id ?? `spec:${where ?? spec.name}`,
    label: spec.name,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    defaultInput: [...spec.input] as number[],
    ...(spec.framework === undefined ? {} : { framework: spec.framework }),
    load: async (input) => (input ? { ...spec, input: [...input] } : spec),
    ...(spec.source ? { location: spec.source } : {}),
  };
}
