/**
 * Minimum-variance convex combination: π = argmin πᵀΣπ subject to π ≥ 0, Σπ = 1, solved by the
 * active-set loop of method-ope §6.4 step 7 (used by SIMCal-W to mix weight candidates and by
 * stacked-DR to mix estimators), plus the sample covariance it is fed with.
 */

/** Options of {@link minVarianceSimplex}. */
export interface SimplexOptions {
  /** Active-set passes before falling back to uniform (SIMCal 20, stacking 50). */
  readonly maxPasses?: number;
  /** Components above −tolerance count as non-negative (SIMCal 1e−10, stacking 1e−12). */
  readonly tolerance?: number;
}

/**
 * Solves the simplex-constrained quadratic program for a K × K covariance `sigma` (row-major).
 * On the active set A, π_A ∝ Σ_A⁻¹·1 (uniform on A when Σ_A is singular or |1ᵀΣ_A⁻¹1| < 1e−10); if
 * every component is ≥ −tolerance the negatives are zeroed and π renormalised, otherwise the most
 * negative index leaves A. An empty set or no convergence gives uniform weights.
 */
export function minVarianceSimplex(sigma: Float64Array, K: number, options: SimplexOptions = {}): Float64Array {
  const maxPasses = options.maxPasses ?? 20;
  const tolerance = options.tolerance ?? 1e-10;
  let active = Array.from({ length: K }, (_, k) => k);
  for (let pass = 0; pass < maxPasses && active.length > 0; pass++) {
    const m = active.length;
    const sub = new Float64Array(m * m);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) sub[a * m + b] = sigma[active[a] * K + active[b]];
    const x = solve(sub, m, new Float64Array(m).fill(1));
    let pi: Float64Array;
    const denom = x === null ? 0 : x.reduce((s, v) => s + v, 0);
    if (x === null || Math.abs(denom) < 1e-10) pi = new Float64Array(m).fill(1 / m);
    else pi = x.map((v) => v / denom);
    let worst = 0;
    for (let a = 1; a < m; a++) if (pi[a] < pi[worst]) worst = a;
    if (pi[worst] >= -tolerance) {
      const out = new Float64Array(K);
      let sum = 0;
      for (let a = 0; a < m; a++) {
        const v = Math.max(pi[a], 0);
        out[active[a]] = v;
        sum += v;
      }
      if (!(sum > 0)) break;
      for (let k = 0; k < K; k++) out[k] /= sum;
      return out;
    }
    active = active.filter((_, a) => a !== worst);
  }
  return new Float64Array(K).fill(1 / K);
}

/**
 * Sample covariance (ddof 1) of the columns of an n × K row-major matrix, as a K × K row-major
 * matrix.
 */
export function columnCovariance(matrix: Float64Array, n: number, K: number): Float64Array {
  const means = new Float64Array(K);
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) means[k] += matrix[i * K + k];
  for (let k = 0; k < K; k++) means[k] /= n;
  const cov = new Float64Array(K * K);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < K; a++) {
      const da = matrix[i * K + a] - means[a];
      for (let b = a; b < K; b++) cov[a * K + b] += da * (matrix[i * K + b] - means[b]);
    }
  }
  for (let a = 0; a < K; a++) {
    for (let b = a; b < K; b++) {
      cov[a * K + b] /= n - 1;
      cov[b * K + a] = cov[a * K + b];
    }
  }
  return cov;
}

/** Adds `lambda · trace(Σ)/K` to the diagonal in place (a ridge relative to the covariance's scale). */
export function addRelativeRidge(sigma: Float64Array, K: number, lambda: number): Float64Array {
  let trace = 0;
  for (let k = 0; k < K; k++) trace += sigma[k * K + k];
  for (let k = 0; k < K; k++) sigma[k * K + k] += (lambda * trace) / K;
  return sigma;
}

/** Gaussian elimination with partial pivoting; null when the matrix is numerically singular. */
function solve(a: Float64Array, m: number, b: Float64Array): Float64Array | null {
  const A = Float64Array.from(a);
  const x = Float64Array.from(b);
  let scale = 0;
  for (let i = 0; i < m * m; i++) scale = Math.max(scale, Math.abs(A[i]));
  if (!(scale > 0)) return null;
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(A[r * m + c]) > Math.abs(A[p * m + c])) p = r;
    if (Math.abs(A[p * m + c]) <= 1e-14 * scale) return null;
    if (p !== c) {
      for (let k = 0; k < m; k++) [A[c * m + k], A[p * m + k]] = [A[p * m + k], A[c * m + k]];
      [x[c], x[p]] = [x[p], x[c]];
    }
    for (let r = c + 1; r < m; r++) {
      const f = A[r * m + c] / A[c * m + c];
      for (let k = c; k < m; k++) A[r * m + k] -= f * A[c * m + k];
      x[r] -= f * x[c];
    }
  }
  for (let r = m - 1; r >= 0; r--) {
    let s = x[r];
    for (let k = r + 1; k < m; k++) s -= A[r * m + k] * x[k];
    x[r] = s / A[r * m + r];
  }
  return x;
}
