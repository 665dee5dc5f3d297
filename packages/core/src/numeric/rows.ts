/**
 * Row selections on typed columns: the rows of a fold (or of any code) or outside it, and a column
 * restricted to given rows. Cross-fitting builds these for every fold of every fit, so they are
 * plain loops into typed arrays.
 */

/** The rows i (ascending) with `codes[i] === code`. */
export function rowsWith(codes: ArrayLike<number>, code: number): Int32Array {
  return selectRows(codes, code, true);
}

/** The rows i (ascending) with `codes[i] !== code`. */
export function rowsWithout(codes: ArrayLike<number>, code: number): Int32Array {
  return selectRows(codes, code, false);
}

function selectRows(codes: ArrayLike<number>, code: number, equal: boolean): Int32Array {
  let size = 0;
  for (let i = 0; i < codes.length; i++) if ((codes[i] === code) === equal) size++;
  const rows = new Int32Array(size);
  for (let i = 0, at = 0; i < codes.length; i++) if ((codes[i] === code) === equal) rows[at++] = i;
  return rows;
}

/** `values[rows[j]]` for every j. */
export function gatherRows(values: ArrayLike<number>, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length);
  for (let j = 0; j < rows.length; j++) out[j] = values[rows[j]];
  return out;
}

/** `codes[rows[j]]` for every j, for integer columns (folds, clusters). */
export function gatherCodes(codes: Int32Array, rows: ArrayLike<number>): Int32Array {
  const out = new Int32Array(rows.length);
  for (let j = 0; j < rows.length; j++) out[j] = codes[rows[j]];
  return out;
}
