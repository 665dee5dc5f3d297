import path from "node:path";
import { fileURLToPath } from "node:url";
import { CjeInputError } from "@cjeval/core";

/** The fixtures folder of this package. */
export const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "./fixtures");

/** A fixture file: `fixture("promptfoo", "basic.json")`. */
export const fixture = (...parts: string[]) => path.join(fixturesDir, ...parts);

/** The `CjeInputError` a promise rejects with (anything else fails the test). */
export async function inputError(promise: Promise<unknown>): Promise<CjeInputError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof CjeInputError)) throw new Error(`expected a CjeInputError, got ${String(error)}`);
  return error;
}
