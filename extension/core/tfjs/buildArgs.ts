/** Argument fix-ups the tfjs factories (layerKnowledge/kinds.ts) share before handing arguments to tfjs. */

export const given = (v: unknown): boolean => v !== undefined && v !== null;

/** Drops an argument tfjs does not know, once it is known to change nothing. */
export function without(args: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = args;
  return rest;
}

/**
 * The arguments of a 1-D layer, which tfjs builds only channels-last and (global pooling) without keepdims:
 * anything else throws, so the layer is reported unsupported instead of built with a different shape.
 */
export function channelsLast1d(a: Record<string, unknown>): Record<string, unknown> {
  if (given(a.dataFormat) && a.dataFormat !== 'channelsLast') throw new Error(`data_format=${String(a.dataFormat)} is not supported for 1-D layers`);
  if (a.keepDims === true || a.keepdims === true) throw new Error('keepdims=True is not supported for 1-D global pooling');
  return without(without(a, 'keepDims'), 'keepdims');
}
