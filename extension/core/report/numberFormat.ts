/** Number formatting shared by the CLI, the reports and the webviews. Pure functions, no locale surprises. */

/**
 * 138357544 → "138,357,544" (always comma-grouped, whatever the machine's locale). Exact at every size: a
 * bigint or a decimal string prints every digit, and a double past 1e21 prints its digits, never "1e+21".
 */
export function formatExact(n: number | bigint | string): string {
  if (typeof n !== 'number') {
    const text = n.toString();
    const negative = text.startsWith('-');
    return (negative ? '-' : '') + text.replace(/^-/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n) && Math.abs(n) >= 1e21) return formatExact(BigInt(n));
  const sign = n < 0 ? '-' : '';
  const [int, frac] = Math.abs(n).toString().split('.');
  const grouped = (int ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return sign + grouped + (frac ? `.${frac}` : '');
}

const SI = [
  { value: 1e12, suffix: 'T' },
  { value: 1e9, suffix: 'G' },
  { value: 1e6, suffix: 'M' },
  { value: 1e3, suffix: 'K' },
];

/** 15470264320 → "15.47G"; below 1,000 the number itself. */
export function formatSI(n: number, digits = 2): string {
  const abs = Math.abs(n);
  for (const { value, suffix } of SI) {
    if (abs >= value) return `${(n / value).toFixed(digits).replace(/\.?0+$/, '')}${suffix}`;
  }
  return String(n);
}

/** Bytes in binary units: 25690112 → "24.5 MiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** 9.6774 → "9.68×". */
export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}×`;
}

/** Share as a percentage with one decimal: 0.1234 → "12.3%". */
export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

const SIGNIFICANT_PREFIXES = [
  { value: 1e12, symbol: 'T' },
  { value: 1e9, symbol: 'G' },
  { value: 1e6, symbol: 'M' },
  { value: 1e3, symbol: 'k' },
] as const;

/** Three significant digits with an SI prefix: "138 M", "15.5 G", "1.23 k", "512". `unit` follows the prefix. */
export function formatSignificant(n: number, unit = ''): string {
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  for (const { value, symbol } of SIGNIFICANT_PREFIXES) {
    // Round first so 999,950 prints as "1.00 M", not "1000 k".
    if (Number(abs.toPrecision(3)) >= value) return `${sign}${sig3(abs / value)} ${symbol}${unit}`;
  }
  // Below 1000 whole numbers print as they are ("512"), fractions with three significant digits.
  const plain = Number.isInteger(abs) ? String(abs) : sig3(abs);
  return `${sign}${plain}${unit === '' ? '' : ` ${unit}`}`;
}

/** Three significant digits, trailing zeros kept ("1.00", "15.5", "138"). */
function sig3(x: number): string {
  if (x === 0) return '0';
  return x >= 99.95 ? x.toFixed(0) : x >= 9.995 ? x.toFixed(1) : x.toFixed(2);
}
