/**
 * tfjs-layers keeps every tensor and weight name it has handed out in a module-level Map (`nameMap` in
 * tfjs-layers/src/common.ts, behind getUniqueTensorName) so that names stay unique: "conv1/kernel",
 * "conv1/kernel_1", … It never forgets one, so each analysis left ~59 KB behind for ResNet-50 (issue 7:
 * heap 22 → 65 MB over 1,000 analyses). The Map is not exported; it is found once, by watching which Map
 * is asked for a probe name while a named input is created, and cleared when no analysis is running and
 * no variable is alive, the only time no name handed out can still be in use.
 */
import type { TfModule } from './loadTf';

let registry: Map<unknown, unknown> | null | undefined;
let active = 0;

/** The tensor-name Map of tfjs-layers, or null when this tfjs version does not have one to find. */
export function tensorNameRegistry(tf: TfModule): Map<unknown, unknown> | null {
  if (registry !== undefined) return registry;
  const probe = `cnnInspectorNameProbe${process.pid}`;
  const has = Map.prototype.has;
  let found: Map<unknown, unknown> | null = null;
  // Synchronous and restored at once: only getUniqueTensorName asks a Map about the probe name.
  Map.prototype.has = function (this: Map<unknown, unknown>, key: unknown): boolean {
    if (key === probe && found === null) found = this;
    return has.call(this, key);
  };
  try {
    tf.tfl.input({ shape: [1], name: probe });
  } finally {
    Map.prototype.has = has;
  }
  const candidate = found as Map<unknown, unknown> | null;
  registry = candidate !== null && candidate.has(probe) ? candidate : null;
  return registry;
}

/** Marks an analysis as running: names are not released under it. Returns the matching `end`. */
export function beginBuild(tf: TfModule): () => void {
  tensorNameRegistry(tf);
  active++;
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    active--;
    releaseTensorNames(tf);
  };
}

/** Forgets every name handed out, when nothing that holds one can still be alive. */
export function releaseTensorNames(tf: TfModule): void {
  if (active > 0 || !registry) return;
  if (Object.keys(tf.core.engine().state.registeredVariables).length > 0) return;
  registry.clear();
}

/** Sizes of the registries an analysis could grow: for the leak test and the bench. */
export function registrySizes(tf: TfModule): { tensorNames: number; variables: number; tensors: number } {
  return {
    tensorNames: tensorNameRegistry(tf)?.size ?? -1,
    variables: Object.keys(tf.core.engine().state.registeredVariables).length,
    tensors: tf.core.memory().numTensors,
  };
}
