/**
 * Power and minimum detectable difference of a two-sided z-test of θ_A − θ_B = 0 with standard
 * error `seComparison` (method-direct §2.14). For two independently evaluated policies the
 * comparison SE is √2 × the single-policy SE (conservative for paired designs on shared prompts).
 */
import { CjeInputError } from "../errors/input-error.js";
import { normalCdf, normalQuantile, normalSf } from "../numeric/distributions.js";

/** Comparison SE of two independent policies with equal single-policy SE `seLevel`: √2·seLevel. */
export function comparisonSe(seLevel: number): number {
  return Math.SQRT2 * seLevel;
}

/** Minimum detectable difference at `power`: (z(1 − α/2) + z(power))·seComparison. */
export function minimumDetectableDifference(seComparison: number, power = 0.8, alpha = 0.05): number {
  checkLevels(power, alpha);
  return (normalQuantile(1 - alpha / 2) + normalQuantile(power)) * seComparison;
}

/**
 * Exact two-sided power to detect a true difference `delta`:
 * Φ̄(z(1 − α/2) − δ/se) + Φ(−z(1 − α/2) − δ/se). Equals α at δ = 0 and is symmetric in δ.
 */
export function powerToDetect(delta: number, seComparison: number, alpha = 0.05): number {
  checkLevels(0.5, alpha);
  if (!(seComparison > 0)) {
    throw new CjeInputError("the comparison SE is zero: power is undefined for a degenerate (zero-variance) plan", { value: seComparison });
  }
  const z = normalQuantile(1 - alpha / 2);
  const shift = delta / seComparison;
  return normalSf(z - shift) + normalCdf(-z - shift);
}

function checkLevels(power: number, alpha: number): void {
  if (!(power > 0 && power < 1)) throw new CjeInputError("power must lie in (0, 1)", { field: "power", value: power });
  if (!(alpha > 0 && alpha < 1)) throw new CjeInputError("alpha must lie in (0, 1)", { field: "alpha", value: alpha });
}
