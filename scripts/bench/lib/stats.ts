/** Latency samples of one kind of request, in milliseconds. */
export type Samples = number[];

/** The q-quantile (0..1) of `samples`, by nearest rank. */
export function quantile(samples: Samples, q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** The median of a few round results. */
export function median(values: number[]): number {
  return quantile(values, 0.5);
}

/** Rounds to `digits` decimals for printing. */
export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
