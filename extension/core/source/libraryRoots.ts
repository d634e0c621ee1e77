/**
 * Where Python would find installed packages, for following a library's model code from a user file
 * (python/installedLibraries.ts): the directories the user gives, then PYTHONPATH, the active virtual or conda
 * environment, the project's .venv/venv/env, the user's and then the system's site- and dist-packages. Only
 * `stat`, never a listing; bounded (MAX_ROOTS directories, python3.6–3.25 per lib directory).
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';

/** Where installed libraries may be: the caller's directories first, then what the environment names. */
export interface LibrarySearch {
  /** Directories given by the user (`--python-path`, the `cnnInspector.pythonPaths` setting). */
  pythonPaths?: readonly string[];
  /**
   * The environment to discover site-packages from (CNN_INSPECT_PYTHONPATH, PYTHONPATH, VIRTUAL_ENV, CONDA_PREFIX,
   * HOME) and, when given, the project's .venv/venv/env and the system's directories too. Undefined: only
   * `pythonPaths` are searched (a read that must not depend on the machine, as the corpus score's).
   */
  environment?: Readonly<Record<string, string | undefined>>;
}

const MAX_ROOTS = 32;

/** The variables the search reads: all a caller needs to pass on (the editor's worker gets only these). */
export const LIBRARY_ENVIRONMENT = ['CNN_INSPECT_PYTHONPATH', 'PYTHONPATH', 'VIRTUAL_ENV', 'CONDA_PREFIX', 'HOME', 'USERPROFILE'] as const;

/** `env` narrowed to LIBRARY_ENVIRONMENT. */
export function libraryEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of LIBRARY_ENVIRONMENT) if (typeof env[key] === 'string') out[key] = env[key]!;
  return out;
}

/** The search directories, in order, each an existing directory, at most MAX_ROOTS. */
export function librarySearchRoots(search: LibrarySearch, projectDir: string): string[] {
  const out: string[] = [];
  const add = (dir: string | undefined): void => {
    if (!dir || out.length >= MAX_ROOTS) return;
    const resolved = path.resolve(dir);
    if (!out.includes(resolved) && isDirectory(resolved)) out.push(resolved);
  };
  for (const dir of search.pythonPaths ?? []) add(dir);
  const env = search.environment;
  if (!env) return out;
  for (const variable of ['CNN_INSPECT_PYTHONPATH', 'PYTHONPATH']) for (const dir of (env[variable] ?? '').split(path.delimiter)) add(dir || undefined);
  for (const prefix of [env.VIRTUAL_ENV, env.CONDA_PREFIX, ...['.venv', 'venv', 'env'].map((d) => path.join(projectDir, d))]) {
    if (prefix) for (const dir of sitePackagesOf(prefix)) add(dir);
  }
  // Python's order: the user's site-packages before the system's.
  const home = env.HOME ?? env.USERPROFILE;
  if (home) for (const dir of versioned(path.join(home, '.local', 'lib'), ['site-packages'])) add(dir);
  for (const dir of versioned('/usr/local/lib', ['site-packages', 'dist-packages'])) add(dir);
  add('/usr/lib/python3/dist-packages');
  for (const lib of ['/usr/lib', '/usr/lib64']) for (const dir of versioned(lib, ['site-packages', 'dist-packages'])) add(dir);
  return out;
}

/** An environment prefix's site-packages: lib/python3.X/site-packages (POSIX), Lib/site-packages (Windows). */
function sitePackagesOf(prefix: string): string[] {
  return [...versioned(path.join(prefix, 'lib'), ['site-packages']), path.join(prefix, 'Lib', 'site-packages')];
}

/** Python 3 minor versions looked for, newest first: `stat` of each, never a listing of a large lib directory. */
const PYTHON_VERSIONS = Array.from({ length: 20 }, (_, i) => `python3.${25 - i}`);

/** `dir`/python3.X/`leaf` for each python3.X directory in `dir`, newest first. */
function versioned(dir: string, leaves: readonly string[]): string[] {
  return PYTHON_VERSIONS.filter((v) => isDirectory(path.join(dir, v))).flatMap((v) => leaves.map((leaf) => path.join(dir, v, leaf)));
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

