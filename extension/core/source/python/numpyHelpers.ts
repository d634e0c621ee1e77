/**
 * The few NumPy functions model code uses to compute hyper-parameters (ConvNeXt's stochastic-depth schedule,
 * `np.linspace(0.0, drop_path_rate, sum(depths))`), evaluated as NumPy does; the array is read as a list.
 */
import { numeric, pyFloat, PyList, Unknown, type Value } from './values';

/** The result, or undefined when `path` is not one of them. */
export function callNumpy(path: string, args: Value[], kwargs: Map<string, Value>, maxSize: number): Value | undefined {
  if (path !== 'numpy.linspace') return undefined;
  const get = (key: string, position: number, fallback?: Value): Value | undefined => (kwargs.has(key) ? kwargs.get(key) : (args[position] ?? fallback));
  const start = numeric(get('start', 0))?.value;
  const stop = numeric(get('stop', 1))?.value;
  const num = get('num', 2, 50);
  const endpoint = get('endpoint', 3, true);
  if (start === undefined || stop === undefined || typeof num !== 'number' || !Number.isInteger(num) || num < 0 || typeof endpoint !== 'boolean') {
    return new Unknown('numpy.linspace with arguments the reader could not evaluate');
  }
  if (num > maxSize) return new Unknown(`numpy.linspace of ${num} values, past the size limit`);
  // numpy/_core/function_base.py: y = arange(num) * step + start, the last value set to stop with endpoint.
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : NaN;
  const values: number[] = [];
  for (let i = 0; i < num; i++) values.push(div > 0 ? i * step + start : start);
  if (endpoint && num > 1) values[num - 1] = stop;
  // float64 values, which Python reads as floats: 0.0 is no int.
  return new PyList(values.map(pyFloat));
}
