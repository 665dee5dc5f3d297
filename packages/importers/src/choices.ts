/** Errors that name what was asked for and list what exists, with a case-insensitive near miss. */
import { CjeInputError } from "@cjeval/core";

/** "'a', 'b', 'c'" (sorted, quoted), or "none" for an empty list. */
export function quotedList(values: Iterable<string>): string {
  const list = [...new Set(values)].sort();
  return list.length === 0 ? "none" : list.map((v) => `'${v}'`).join(", ");
}

/** The one of `existing` equal to `wanted` up to case, when it is not `wanted` itself. */
export function nearMiss(wanted: string, existing: Iterable<string>): string | undefined {
  const lower = wanted.toLowerCase();
  for (const name of existing) if (name !== wanted && name.toLowerCase() === lower) return name;
  return undefined;
}

/**
 * The error for a name (`--score-key`, `--score-from`, …) that matches nothing: "no <what> 'x' (did you
 * mean 'X'?); <what>s present: 'a', 'b'".
 */
export function unknownChoice(what: string, wanted: string, existing: Iterable<string>, field: string, file?: string): CjeInputError {
  const all = [...existing];
  const near = nearMiss(wanted, all);
  return new CjeInputError(`no ${what} '${wanted}'${near === undefined ? "" : ` (did you mean '${near}'?)`}; present: ${quotedList(all)}`, {
    ...(file === undefined ? {} : { file }),
    field,
    value: wanted,
  });
}
