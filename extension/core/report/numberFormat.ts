/** Number formatting shared by the CLI, the reports and the webviews. Pure functions, no locale surprises. */

/** 138357544 → "138,357,544" (always comma-grouped, whatever the machine's locale). */
export function formatExact(n: number): string {
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
