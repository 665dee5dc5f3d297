/** Anything with a case-insensitive `get(name)`, such as the `Headers` of a fetch `Response`. */
export interface HeaderReader {
  get(name: string): string | null | undefined;
}

/**
 * Reads how long the server asked us to wait, in milliseconds: `retry-after-ms` (OpenAI, Anthropic)
 * first, then `Retry-After` as delta-seconds or an HTTP date (RFC 9110 §10.2.3). Returns `undefined` when
 * no usable header is present.
 */
export function parseRetryAfter(headers: HeaderReader | undefined, nowMs: number = Date.now()): number | undefined {
  if (headers === undefined) return undefined;
  const ms = headers.get("retry-after-ms");
  if (ms != null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Number(ms);
  const value = headers.get("retry-after");
  if (value == null || value.trim() === "") return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
