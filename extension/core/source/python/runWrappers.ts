/**
 * PyTorch helpers that only run a module or function on inputs: `nn.parallel.data_parallel(self.main, input,
 * gpu_ids)` (old DCGAN code), `torch.utils.checkpoint.checkpoint(fn, *args)` and `checkpoint_sequential(seq,
 * segments, input)` (memory-efficient DenseNets), torch.compile / DataParallel. Each returns what the call
 * itself returns, so the shapes are those of `module(input)`; which devices or how much memory it uses does not
 * change them.
 */
import type { SyntaxNode } from '../syntax';
import type { PythonInterpreter } from './interpreter';
import { isModuleLike, Unknown, type Value } from './values';

const DATA_PARALLEL = new Set(['torch.nn.parallel.data_parallel', 'torch.nn.parallel.data_parallel.data_parallel']);
const CHECKPOINT = new Set(['torch.utils.checkpoint.checkpoint']);
const CHECKPOINT_SEQUENTIAL = new Set(['torch.utils.checkpoint.checkpoint_sequential']);

/**
 * torch.nn.utils.spectral_norm(module) (SNGAN-style discriminators) returns the module itself: its weight becomes
 * weight_orig, a parameter of the same size, and u / v are buffers, so its class, shapes and parameter count are
 * unchanged (torch 2.13). weight_norm adds weight_g and the parametrizations API renames the class: not read here.
 */
const SPECTRAL_NORM = new Set(['torch.nn.utils.spectral_norm', 'torch.nn.utils.spectral_norm.spectral_norm']);

/**
 * torch.compile(model) and nn.DataParallel(model) / DistributedDataParallel(model) (training scripts wrap the
 * model before running it): the same module runs, with the same parameters and shapes; its rows keep the
 * module's own names (PyTorch's named_modules() prefixes them with `_orig_mod.` / `module.`).
 */
const SAME_MODULE = new Set(['torch.compile', 'torch.nn.DataParallel', 'torch.nn.parallel.DataParallel', 'torch.nn.parallel.data_parallel.DataParallel', 'torch.nn.parallel.DistributedDataParallel', 'torch.nn.parallel.distributed.DistributedDataParallel']);

/** The value of the wrapped call, or undefined when `path` is not one of these helpers. */
export function callRunWrapper(it: PythonInterpreter, path: string, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value | undefined {
  if (SAME_MODULE.has(path)) {
    const module = args[0] ?? kwargs.get('model') ?? kwargs.get('module') ?? null;
    return isModuleLike(module) ? module : new Unknown(`${path}() of a value the reader cannot tell is a module`);
  }
  if (SPECTRAL_NORM.has(path)) {
    const module = args[0] ?? kwargs.get('module') ?? null;
    const name = args[1] ?? kwargs.get('name') ?? 'weight';
    return isModuleLike(module) && name === 'weight' ? module : new Unknown('spectral_norm() of a value the reader cannot tell is a module with a weight');
  }
  if (DATA_PARALLEL.has(path)) {
    // data_parallel(module, inputs, device_ids=None, output_device=None, dim=0, module_kwargs=None)
    const module = args[0] ?? kwargs.get('module') ?? null;
    const inputs = args[1] ?? kwargs.get('inputs') ?? null;
    if (module === null || inputs === null) return new Unknown('data_parallel()');
    return it.callValue(module, [inputs], new Map(), node);
  }
  if (CHECKPOINT.has(path)) {
    // checkpoint(function, *args, use_reentrant=None, context_fn=..., determinism_check=..., debug=..., **kwargs)
    const fn = args[0] ?? null;
    if (fn === null) return new Unknown('checkpoint()');
    const rest = new Map([...kwargs].filter(([k]) => !['use_reentrant', 'context_fn', 'determinism_check', 'debug', 'preserve_rng_state'].includes(k)));
    return it.callValue(fn, args.slice(1), rest, node);
  }
  if (CHECKPOINT_SEQUENTIAL.has(path)) {
    // checkpoint_sequential(functions, segments, input, use_reentrant=None, **kwargs): runs functions(input).
    const fn = args[0] ?? kwargs.get('functions') ?? null;
    const input = args[2] ?? kwargs.get('input') ?? null;
    if (fn === null || input === null) return new Unknown('checkpoint_sequential()');
    return it.callValue(fn, [input], new Map(), node);
  }
  return undefined;
}
