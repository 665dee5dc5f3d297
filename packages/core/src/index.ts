/**
 * `@cjeval/core`: Causal Judge Evaluation in TypeScript.
 *
 * Calibrate an LLM judge's scores to a small oracle-labelled slice (AutoCal-R), estimate each
 * policy's oracle-scale value with intervals that include calibration uncertainty, and refuse to
 * overclaim when the data cannot support a claim.
 *
 * @packageDocumentation
 */
export const VERSION = "0.1.0";
