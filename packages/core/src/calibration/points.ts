/**
 * Evaluation points for a calibrator: the judge scores (and covariates) at which predictions are
 * needed, prepared once and reused by every refit.
 *
 * Without covariates a calibrator is a function of the score alone, so the points are the sorted
 * distinct scores and each row maps to one of them: predicting 1,000,000 rows whose judge scores
 * take 21 values costs 21 evaluations per refit.
 */
export class CalibrationPoints {
  /** Judge score of each distinct point (ascending when there are no covariates). */
  readonly scores: Float64Array;
  /** Covariate columns of each distinct point (absent for score-only points). */
  readonly covariates: readonly Float64Array[] | undefined;
  /** For every input row, the index of its point. */
  readonly rowToPoint: Int32Array;
  /** True when `scores` is ascending and covariates are absent (allows merge-walk prediction). */
  readonly sorted: boolean;

  private constructor(scores: Float64Array, covariates: readonly Float64Array[] | undefined, rowToPoint: Int32Array) {
    this.scores = scores;
    this.covariates = covariates;
    this.rowToPoint = rowToPoint;
    this.sorted = covariates === undefined;
  }

  /** Number of distinct points. */
  get size(): number {
    return this.scores.length;
  }

  /**
   * Prepares points for `scores` (one per row) and optional covariate columns (each of length
   * `scores.length`). Rows with identical scores share a point when there are no covariates.
   */
  static of(scores: ArrayLike<number>, covariates?: readonly ArrayLike<number>[]): CalibrationPoints {
    const n = scores.length;
    if (covariates !== undefined && covariates.length > 0) {
      for (const column of covariates) {
        if (column.length !== n) throw new RangeError(`covariate column has ${column.length} rows, scores have ${n}`);
      }
      const rowToPoint = new Int32Array(n);
      for (let i = 0; i < n; i++) rowToPoint[i] = i;
      return new CalibrationPoints(
        Float64Array.from(scores),
        covariates.map((c) => Float64Array.from(c)),
        rowToPoint,
      );
    }
    // Distinct values by a native typed-array sort, then each row's point by binary search.
    const sorted = Float64Array.from(scores).sort();
    const distinct: number[] = [];
    for (let r = 0; r < n; r++) {
      if (Number.isNaN(sorted[r])) throw new RangeError("calibration points: a score is NaN");
      if (r === 0 || sorted[r] !== sorted[r - 1]) distinct.push(sorted[r]);
    }
    const rowToPoint = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = scores[i];
      let lo = 0;
      let hi = distinct.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (distinct[mid] < v) lo = mid + 1;
        else hi = mid;
      }
      rowToPoint[i] = lo;
    }
    return new CalibrationPoints(Float64Array.from(distinct), undefined, rowToPoint);
  }

  /**
   * Rebuilds points from their fields (e.g. after a structured clone to a worker thread, which
   * keeps the data but not the class).
   */
  static restore(data: { scores: Float64Array; covariates: readonly Float64Array[] | undefined; rowToPoint: Int32Array }): CalibrationPoints {
    return new CalibrationPoints(data.scores, data.covariates, data.rowToPoint);
  }

  /** Expands per-point values to per-row values. */
  expand(pointValues: Float64Array, out: Float64Array = new Float64Array(this.rowToPoint.length)): Float64Array {
    const map = this.rowToPoint;
    for (let i = 0; i < map.length; i++) out[i] = pointValues[map[i]];
    return out;
  }
}
