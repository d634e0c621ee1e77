/**
 * The one door to TensorFlow.js. Everything else imports `TfModule` types from here and receives the
 * loaded module, so the extension can activate without loading TensorFlow.js at all.
 *
 * `@tensorflow/tfjs-node` is optional (its install downloads libtensorflow, which fails offline): it is used
 * when present, otherwise the pure-JS CPU backend of `@tensorflow/tfjs`. Analysis only needs shapes, so
 * both give the same numbers; the backend is reported so users can tell which ran.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { BackendUnavailableError } from '../errors';

export type BackendPreference = 'auto' | 'node' | 'cpu';

export interface TfModule {
  core: typeof tfc;
  tfl: typeof tfl;
  /** "tensorflow" (tfjs-node) or "cpu" (pure JS). */
  backend: string;
}

let loaded: Promise<TfModule> | undefined;
let loadedPreference: BackendPreference | undefined;

/** Loads TensorFlow.js once per process; a different preference re-selects the backend. */
export function loadTensorFlow(preference: BackendPreference = 'auto'): Promise<TfModule> {
  if (loaded === undefined || loadedPreference !== preference) {
    loadedPreference = preference;
    loaded = selectBackend(preference);
    // A backend that is missing now may be installed later: do not cache the failure.
    loaded.catch(() => (loaded = undefined));
  }
  return loaded;
}

async function selectBackend(preference: BackendPreference): Promise<TfModule> {
  // PROD skips debug checks and silences the "install tfjs-node" banner, which would pollute CLI output.
  tfc.env().set('PROD', true);
  await import('@tensorflow/tfjs-backend-cpu');
  if (preference !== 'cpu' && tryLoadNodeBackend()) {
    await tfc.setBackend('tensorflow');
  } else if (preference === 'node') {
    throw new BackendUnavailableError(
      'the "node" TensorFlow.js backend was requested but @tensorflow/tfjs-node is not installed ' +
        '(npm install @tensorflow/tfjs-node needs internet access to fetch libtensorflow)',
    );
  } else {
    await tfc.setBackend('cpu');
  }
  await tfc.ready();
  return { core: tfc, tfl, backend: tfc.getBackend() };
}

/** True when tfjs-node loaded and registered its "tensorflow" backend. */
function tryLoadNodeBackend(): boolean {
  try {
    // esbuild keeps this package external (see scripts/build.mjs), so a missing install is a runtime miss.
    require('@tensorflow/tfjs-node');
    return tfc.findBackend('tensorflow') !== null;
  } catch {
    return false;
  }
}
