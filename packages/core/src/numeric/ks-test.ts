/**
 * The two-sample Kolmogorov–Smirnov test, for informational balance checks (e.g. do the labelled draws'
 * judge scores look like the unlabelled ones?). The p-value is the asymptotic Kolmogorov one,
 * P(K > √(nm/(n+m))·D); with discrete scores (ties) it is conservative. The reference uses scipy's
 * exact small-sample distribution; the asymptotic form is within a few hundredths of it from about 30
 * observations a side, which is enough for a check that only says "shift detected" or "not rejected".
 */

/** Outcome of {@link ksTwoSample}. */
export interface KsTest {
  /** D = sup |F_a − F_b| over the pooled values. */
  readonly statistic: number;
  /** Asymptotic two-sided p-value. */
  readonly pValue: number;
}

/** Survival function of the Kolmogorov distribution, P(K > λ). */
export function kolmogorovSf(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 1.18) {
    // The theta-function form converges fast for small λ, where the alternating series does not.
    const c = (Math.PI * Math.PI) / (8 * lambda * lambda);
    let sum = 0;
    for (let k = 1; k <= 20; k++) sum += Math.exp(-(2 * k - 1) * (2 * k - 1) * c);
    return 1 - (Math.sqrt(2 * Math.PI) / lambda) * sum;
  }
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += k % 2 === 1 ? term : -term;
    if (term < 1e-17) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** Two-sample Kolmogorov–Smirnov test of `a` against `b` (both non-empty). */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): KsTest {
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  const n = x.length;
  const m = y.length;
  if (n === 0 || m === 0) throw new RangeError("the Kolmogorov–Smirnov test needs two non-empty samples");
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    // Step past every copy of the smallest remaining value in both samples, then compare the ECDFs.
    const v = Math.min(x[i], y[j]);
    while (i < n && x[i] === v) i++;
    while (j < m && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  return { statistic: d, pValue: kolmogorovSf(Math.sqrt((n * m) / (n + m)) * d) };
}
