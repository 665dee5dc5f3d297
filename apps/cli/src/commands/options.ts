import { InvalidArgumentError } from "commander";
import type { Scale } from "@cjeval/core";

/** Parses `LO,HI` into a scale. */
export function parseScale(text: string): Scale {
  const parts = text.split(",").map((p) => Number(p.trim()));
  if (parts.length !== 2 || !parts.every(Number.isFinite) || !(parts[1] > parts[0])) {
    throw new InvalidArgumentError(`expected LO,HI with LO < HI (e.g. 0,100), got '${text}'`);
  }
  return { min: parts[0], max: parts[1] };
}

/** Parses a non-negative integer. */
export function parseCount(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative integer, got '${text}'`);
  return n;
}

/** Parses a comma-separated list. */
export function parseList(text: string, previous: string[] = []): string[] {
  return [...previous, ...text.split(",").map((s) => s.trim()).filter((s) => s.length > 0)];
}
