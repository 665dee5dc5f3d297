/**
 * Importance weights from teacher-forced sequence log-probs (method-ope §5): log-ratios
 * ℓ_i = lp'_i − lp0_i, raw ratios exp(ℓ), and Hájek (self-normalised, mean-one) weights computed
 * stably by subtracting the largest log-ratio.
 */

/** Largest ℓ whose exponential is finite (ln of the largest double). */
const MAX_LOG_RATIO = 709.78;

/** Log-ratios `target[rows[j]] − base[rows[j]]` for the given rows. */
export function logRatios(target: Float64Array, base: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let j = 0; j < rows.length; j++) out[j] = target[rows[j]] - base[rows[j]];
  return out;
}

/** Unnormalised ratios exp(min(ℓ, 709.78)), non-finite results set to 0: Horvitz–Thompson weights. */
export function rawWeights(logRatio: Float64Array): Float64Array {
  const out = new Float64Array(logRatio.length);
  for (let i = 0; i < out.length; i++) {
    const w = Math.exp(Math.min(logRatio[i], MAX_LOG_RATIO));
    out[i] = Number.isFinite(w) ? w : 0;
  }
  return out;
}

/** Hájek weights n·e_i/Σe with e_i = exp(ℓ_i − max ℓ): mean exactly one, no overflow. All zero when no ℓ is finite. */
export function hajekWeights(logRatio: Float64Array): Float64Array {
  const n = logRatio.length;
  const out = new Float64Array(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (Number.isFinite(logRatio[i]) && logRatio[i] > max) max = logRatio[i];
  if (max === -Infinity) return out;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Number.isFinite(logRatio[i]) ? Math.exp(logRatio[i] - max) : 0;
    out[i] = e;
    sum += e;
  }
  if (!(sum > 0)) return out.fill(0);
  const scale = n / sum;
  for (let i = 0; i < n; i++) out[i] *= scale;
  return out;
}

/**
 * Clips weights at `clip` and rescales them once to mean one (method-ope §5; values may exceed the
 * clip again after rescaling, as in the reference). Returns a new array.
 */
export function clipWeights(weights: Float64Array, clip: number): Float64Array {
  const out = Float64Array.from(weights);
  let any = false;
  for (let i = 0; i < out.length; i++) {
    if (out[i] > clip) {
      out[i] = clip;
      any = true;
    }
  }
  return any ? meanOne(out) : out;
}

/** Divides `values` by their mean in place (left unchanged when the mean is not positive). */
export function meanOne(values: Float64Array): Float64Array {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const mean = sum / values.length;
  if (mean > 0) for (let i = 0; i < values.length; i++) values[i] /= mean;
  return values;
}
