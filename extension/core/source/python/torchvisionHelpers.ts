/**
 * Stand-ins for the torchvision helpers its model files shape models with, written from torchvision 0.28's
 * sources (torchvision/ops/misc.py ConvNormActivation, torchvision/models/_utils.py _make_divisible and
 * _ovewrite_named_param): the
 * reader does not follow imports, so it evaluates these as torchvision defines them.
 */
import type { SyntaxNode } from '../syntax';
import type { PythonInterpreter } from './interpreter';
import { Extern, numeric, PyDict, pyNumber, TorchContainer, Unknown, type Value } from './values';
import { makeWeights } from './weightsEnum';

const CONV_NORM_ACTIVATION = /(^|\.)ops\.misc\.Conv2dNormActivation$/;
const MAKE_DIVISIBLE = /(^|\.)_utils\._make_divisible$/;
const OVERWRITE_NAMED_PARAM = /(^|\.)_utils\._ovewrite_named_param$/;

/** The helper's result, or undefined when `path` is not one of them. */
export function callTorchvisionHelper(it: PythonInterpreter, path: string, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value | undefined {
  if (MAKE_DIVISIBLE.test(path)) return makeDivisible(args[0] ?? kwargs.get('v'), args[1] ?? kwargs.get('divisor'), args[2] ?? kwargs.get('min_value') ?? null);
  if (CONV_NORM_ACTIVATION.test(path)) return convNormActivation(it, args, kwargs, node);
  const weights = makeWeights(path, args, kwargs, node);
  if (weights !== undefined) return weights;
  if (OVERWRITE_NAMED_PARAM.test(path)) return overwriteNamedParam(args[0] ?? kwargs.get('kwargs'), args[1] ?? kwargs.get('param'), args[2] ?? kwargs.get('new_value'));
  return undefined;
}

/** _make_divisible(v, divisor, min_value=None): v rounded to a multiple of divisor, never 10% below v. */
function makeDivisible(value: Value | undefined, divisorValue: Value | undefined, minValue: Value): Value {
  const v = numeric(value);
  const divisor = numeric(divisorValue);
  const given = minValue === null ? divisor : numeric(minValue);
  if (!v || !divisor || divisor.value <= 0 || !given) return new Unknown('_make_divisible of values the reader could not evaluate');
  // int(v + divisor / 2) // divisor * divisor: an int unless the divisor is a float; max() keeps min_value's type when it wins.
  const rounded = Math.floor(Math.trunc(v.value + divisor.value / 2) / divisor.value) * divisor.value;
  const low = given.value > rounded ? given : { value: rounded, float: divisor.float };
  const next = low.value < 0.9 * v.value ? { value: low.value + divisor.value, float: low.float || divisor.float } : low;
  return pyNumber(next.value, next.float);
}

/**
 * _ovewrite_named_param(kwargs, param, new_value): sets kwargs[param] when absent; torchvision raises a
 * ValueError when it is present with another value, so that case is unknown rather than either value.
 */
function overwriteNamedParam(dict: Value | undefined, param: Value | undefined, value: Value | undefined): Value {
  if (!(dict instanceof PyDict) || dict.tainted || typeof param !== 'string' || value === undefined) return new Unknown('_ovewrite_named_param of values the reader could not evaluate');
  if (!dict.map.has(param)) dict.map.set(param, value);
  else if (dict.map.get(param) !== value) dict.tainted = true;
  return null;
}

const PARAMS = ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'groups', 'norm_layer', 'activation_layer', 'dilation', 'inplace', 'bias', 'conv_layer'];

/** Conv2dNormActivation(...): nn.Sequential(conv, norm, activation), the children named 0, 1, 2. */
function convNormActivation(it: PythonInterpreter, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
  const a = new Map<string, Value>();
  PARAMS.forEach((p, i) => {
    if (kwargs.has(p)) a.set(p, kwargs.get(p)!);
    else if (i < args.length) a.set(p, args[i]!);
  });
  const kernel = a.get('kernel_size') ?? 3;
  const dilation = a.get('dilation') ?? 1;
  let padding = a.has('padding') ? a.get('padding')! : null;
  if (padding === null) {
    if (typeof kernel !== 'number' || typeof dilation !== 'number') return new Unknown('Conv2dNormActivation with a tuple kernel size');
    padding = Math.floor((kernel - 1) / 2) * dilation;
  }
  const norm = a.has('norm_layer') ? a.get('norm_layer')! : new Extern('torch.nn.BatchNorm2d');
  const activation = a.has('activation_layer') ? a.get('activation_layer')! : new Extern('torch.nn.ReLU');
  const bias = a.has('bias') && a.get('bias') !== null ? a.get('bias')! : norm === null;
  const conv = a.get('conv_layer') ?? new Extern('torch.nn.Conv2d');
  const out = a.get('out_channels') ?? new Unknown('out_channels');
  const children = new Map<string, Value>();
  children.set('0', it.callValue(conv, [a.get('in_channels') ?? new Unknown('in_channels'), out, kernel, a.get('stride') ?? 1, padding], new Map([['dilation', dilation], ['groups', a.get('groups') ?? 1], ['bias', bias]]), node));
  if (norm !== null) children.set('1', it.callValue(norm, [out], new Map(), node));
  if (activation !== null) {
    const inplace = a.has('inplace') ? a.get('inplace')! : true;
    children.set(String(children.size), it.callValue(activation, [], inplace === null ? new Map() : new Map([['inplace', inplace]]), node));
  }
  return new TorchContainer('Sequential', children, it.loc(node));
}
