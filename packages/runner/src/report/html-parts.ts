/** Small HTML pieces the report's sections share: tables, intervals, flag badges, audit states. */
import { FLAG_REASONS, type PolicyFlag, type TransportRecord } from "@cjeval/core";
import { transportClass, transportSummary } from "./audit-text.js";
import { escapeHtml, fmt } from "./svg.js";

/** A table; cells are HTML (escape text first), header cells are text; `numeric` columns align as numbers. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], numeric: readonly number[] = []): string {
  const head = `<tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((cell, c) => `<td${numeric.includes(c) ? ' class="num"' : ""}>${cell}</td>`).join("")}</tr>`).join("");
  return `<table>${head}${body}</table>`;
}

/** `[lo, hi]`. */
export function interval(ci: readonly (number | null)[]): string {
  return `[${fmt(ci[0])}, ${fmt(ci[1])}]`;
}

/** Flags as badges whose tooltip gives the reason (`—` for none). */
export function flagBadges(flags: readonly string[]): string {
  return flags.length === 0
    ? "—"
    : flags.map((f) => `<span class="flag" title="${escapeHtml(FLAG_REASONS[f as PolicyFlag] ?? f)}">${escapeHtml(f)}</span>`).join("");
}

/** A policy's transport-audit state, coloured by status. */
export function auditBadge(record: TransportRecord | undefined): string {
  return `<span class="${transportClass(record)}">${escapeHtml(transportSummary(record))}</span>`;
}
