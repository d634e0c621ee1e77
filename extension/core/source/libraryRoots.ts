/**
 * Where Python would find installed packages, for following a library's model code from a user file
 * (python/installedLibraries.ts): the directories the user gives, then PYTHONPATH, the active virtual or conda
 * environment, the project's .venv/venv/env and the system's site- and dist-packages. Only `stat` and directory
 * listing; bounded (MAX_ROOTS directories, a few python3.X versions per lib directory).
 */
import { readdirSync, statSync } from 'node:fs';
import * as os from 'node:os';
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
const MAX_LISTED = 64;

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
  for (const dir of versioned('/usr/local/lib', ['site-packages', 'dist-packages'])) add(dir);
  add('/usr/lib/python3/dist-packages');
  for (const dir of versioned('/usr/lib', ['site-packages', 'dist-packages'])) add(dir);
  const home = env.HOME ?? env.USERPROFILE ?? os.homedir();
  if (home) for (const dir of versioned(path.join(home, '.local', 'lib'), ['site-packages'])) add(dir);
  return out;
}

/** An environment prefix's site-packages: lib/python3.X/site-packages (POSIX), Lib/site-packages (Windows). */
function sitePackagesOf(prefix: string): string[] {
  return [...versioned(path.join(prefix, 'lib'), ['site-packages']), path.join(prefix, 'Lib', 'site-packages')];
}

/** `dir`/python3.X/`leaf` for each python3.X listed in `dir`, newest first. */
function versioned(dir: string, leaves: readonly string[]): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).slice(0, 4 * MAX_LISTED);
  } catch {
    return [];
  }
  const versions = names
    .filter((n) => /^python3\.\d+$/.test(n))
    .sort((a, b) => Number(b.slice(8)) - Number(a.slice(8)))
    .slice(0, 8);
  return versions.flatMap((v) => leaves.map((leaf) => path.join(dir, v, leaf)));
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

