import { expect } from "vitest";

/**
 * Expects `a` and `b` to be the same JSON-like value, numbers within `tol` (NaN only equal to NaN), and
 * names the first path that differs (`at`, e.g. `result.policies[2].ci[0]`).
 */
export function expectDeepClose(a: unknown, b: unknown, tol: number, at = "result"): void {
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isNaN(a) || Number.isNaN(b)) expect(Number.isNaN(a) && Number.isNaN(b), at).toBe(true);
    else expect(Math.abs(a - b), `${at}: ${a} vs ${b}`).toBeLessThanOrEqual(tol);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    expect(a.length, at).toBe(b.length);
    a.forEach((x, i) => expectDeepClose(x, b[i], tol, `${at}[${i}]`));
    return;
  }
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    expect(Object.keys(a).sort(), at).toEqual(Object.keys(b).sort());
    for (const k of Object.keys(a)) expectDeepClose((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], tol, `${at}.${k}`);
    return;
  }
  expect(a, at).toEqual(b);
}
