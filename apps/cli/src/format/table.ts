import { terminalLine } from "@cjeval/provider-utils";

/**
 * Renders rows as a left-aligned plain-text table with a header rule. Cells may hold names from files,
 * stores and servers: each is one terminal line, without control characters or escape sequences.
 */
export function renderTable(header: readonly string[], cellRows: readonly (readonly string[])[]): string {
  const rows = cellRows.map((r) => r.map(terminalLine));
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c])))
      .join("  ")
      .trimEnd();
  return `${[line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n")}\n`;
}

/** Formats a number with 3 decimals, or "n/a". */
export function fmt(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "n/a" : x.toFixed(digits);
}

/** Formats an interval as [lo, hi]. */
export function fmtInterval(ci: readonly (number | null)[], digits = 3): string {
  return `[${fmt(ci[0], digits)}, ${fmt(ci[1], digits)}]`;
}
