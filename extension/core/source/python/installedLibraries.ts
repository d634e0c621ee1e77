/**
 * Model-building code of installed libraries, followed from a user file: `models.resnet18(weights=...)`,
 * `torchvision.models.resnet50()`, `from torchvision.models import resnet18`, `keras.applications.MobileNetV2(...)`
 * (tf.keras too), `timm.create_model('resnet50')`. The library's own source is found where Python would find the
 * installed package (site-packages: explicit directories, PYTHONPATH, the active virtual or conda environment,
 * the project's .venv/venv/env, the system's dist-packages) and read as the file's own code is: parsed, never
 * run, within the import bounds. Only the model code is followed (torchvision.models, keras.applications, timm);
 * torchvision's package `__init__.py` (datasets, io, C-extension loaders) and the framework APIs (torch, keras
 * layers) are not: they stay what the reader models itself. Finding the directories is `stat` and directory
 * listing only, bounded.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import type { SyntaxNode } from '../syntax';
import type { PythonInterpreter } from './interpreter';
import { loadModule } from './imports';
import { resolveIn } from './moduleResolution';
import { Extern, PyModule, Unknown, type Value } from './values';

/** The library a followed path belongs to, and the module its model code lives in. */
const FOLLOWED = /^(torchvision\.models|keras\.applications(?!\.imagenet_utils\b)|timm)(\.|$)/;

/** The distribution a followed path is installed as (for messages). */
function distribution(pathName: string): string {
  return pathName.split('.')[0]!;
}

/**
 * A call of a library's model builder (`torchvision.models.resnet18`, `keras.applications.MobileNetV2`,
 * `timm.create_model`), read from the installed library's source; undefined when `path` is not one, or when no
 * installed copy is found (the caller then says so: `notFoundReason`).
 */
export function callInstalledLibrary(it: PythonInterpreter, pathName: string, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value | undefined {
  if (!it.modules || !FOLLOWED.test(pathName)) return undefined;
  // torchvision.models.get_model('resnet18', weights=...): the builder of that name, given the rest.
  const byName = pathName === 'torchvision.models.get_model' && typeof (args[0] ?? kwargs.get('name')) === 'string' ? (args[0] ?? kwargs.get('name')) as string : null;
  if (byName !== null) {
    if (!/^\w+$/.test(byName)) return undefined;
    const rest = new Map(kwargs);
    rest.delete('name');
    return callInstalledLibrary(it, `torchvision.models.${byName}`, args.slice(args[0] === byName ? 1 : 0), rest, node);
  }
  const target = pathName === 'timm.create_model' ? timmModel(it, args, kwargs, node) : installedValue(it, pathName, node);
  if (target === undefined) return undefined;
  if (target instanceof Unknown) {
    it.report('warning', 'unknown', `${pathName}() could not be read from the installed library: ${target.reason}`, node);
    return target;
  }
  if (pathName === 'timm.create_model') {
    const rest = new Map(kwargs);
    for (const k of ['pretrained', 'pretrained_cfg', 'pretrained_cfg_overlay', 'checkpoint_path', 'cache_dir', 'scriptable', 'exportable', 'no_jit']) rest.delete(k);
    return it.callValue(target, [], rest, node);
  }
  // `weights=torchvision.models.ResNet50_Weights.DEFAULT`: the user file names the enum as a library path; the
  // builder's `ResNet50_Weights.verify(weights)` needs the installed class's member.
  const own = (v: Value): Value => (v instanceof Extern && FOLLOWED.test(v.path) ? (installedValue(it, v.path, node) ?? v) : v);
  return it.callValue(target, args.map(own), new Map([...kwargs].map(([k, v]) => [k, own(v)])), node);
}

/** Why a followed path was not read: where the installed library was looked for, and how to point at it. */
export function notFoundReason(it: PythonInterpreter, pathName: string): string | null {
  if (!it.modules || !FOLLOWED.test(pathName)) return null;
  const roots = it.modules.libraryRoots;
  const where = roots.length === 0 ? 'no site-packages directory was given or found' : `looked in ${roots.join(', ')}`;
  return `no installed ${distribution(pathName)} was found (${where}); point at its site-packages with --python-path DIR, CNN_INSPECT_PYTHONPATH or the cnnInspector.pythonPaths setting`;
}

/** The value `pathName` names in the installed library: the longest prefix that is a module, then attributes. */
function installedValue(it: PythonInterpreter, pathName: string, node: SyntaxNode): Value | undefined {
  const parts = pathName.split('.');
  for (let k = parts.length - 1; k >= 2; k--) {
    const dotted = parts.slice(0, k).join('.');
    if (!FOLLOWED.test(dotted)) break;
    const location = resolveIn(it.modules!, it.modules!.libraryRoots, dotted);
    if (!location) continue;
    let value: Value = asModule(loadModule(it, location, node), dotted);
    for (const name of parts.slice(k)) value = it.getAttr(value, name, node);
    return value;
  }
  return undefined;
}

function asModule(module: PyModule | string, name: string): Value {
  return module instanceof PyModule ? module : new Unknown(`module ${name} could not be read: ${module}`);
}

/**
 * timm.create_model('resnet50'): timm finds the builder in a registry its model files fill as they are imported;
 * the reader reads only the file that defines it (timm/models/<family>.py, found by the name's stem: resnet50 →
 * resnet.py, efficientnet_b0 → efficientnet.py) and calls the builder with the model kwargs.
 */
function timmModel(it: PythonInterpreter, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value | undefined {
  const name = args[0] ?? kwargs.get('model_name');
  if (typeof name !== 'string') return new Unknown('timm.create_model of a model name the reader could not evaluate');
  const bare = name.replace(/^timm\//, '').split('.')[0]!;
  if (!/^\w+$/.test(bare)) return new Unknown(`timm.create_model(${JSON.stringify(name)}): not a model name`);
  const models = resolveIn(it.modules!, it.modules!.libraryRoots, 'timm.models');
  if (!models?.packageDir) return undefined;
  for (const stem of [...stems(bare), ...definingFiles(it, models.packageDir, bare)]) {
    const location = resolveIn(it.modules!, [path.dirname(path.dirname(models.packageDir))], `timm.models.${stem}`);
    if (!location?.file || location.packageDir) continue;
    const module = loadModule(it, location, node);
    if (!(module instanceof PyModule)) return new Unknown(`module timm.models.${stem} could not be read: ${module}`);
    const fn = module.scope.vars.get(bare);
    if (fn !== undefined) return fn;
  }
  return new Unknown(`no timm model file defines ${bare}`);
}

/**
 * The model files of timm/models whose text defines `def name(` (vit_small_patch16_224 is in
 * vision_transformer.py): a directory listing and the files' text, never parsed; at most 200 files looked at.
 */
function definingFiles(it: PythonInterpreter, dir: string, name: string): string[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.py') && !f.startsWith('_')).sort().slice(0, 200);
  } catch {
    return [];
  }
  const def = new RegExp(`^def ${name}\\(`, 'm');
  return files.filter((f) => def.test(it.modules!.peekText(path.join(dir, f)) ?? '')).map((f) => f.slice(0, -3)).slice(0, 1);
}

/** resnet50d → resnet50d, resnet; efficientnet_b0 → efficientnet_b0, efficientnet; vit_base_patch16_224 → …, vit. */
function stems(name: string): string[] {
  const out: string[] = [];
  const parts = name.split('_');
  for (let i = parts.length; i >= 1; i--) {
    const s = parts.slice(0, i).join('_');
    for (const c of [s, s.replace(/\d+[a-z]*$/, '')]) if (c && !out.includes(c)) out.push(c);
  }
  return out.slice(0, 6);
}
