import { createHash } from "node:crypto";

/** JSON with object keys sorted at every level and `undefined` members dropped: equal requests, equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) return item;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(item).sort()) sorted[key] = (item as Record<string, unknown>)[key];
    return sorted;
  });
}

/**
 * Cache key of a request: the SHA-256 (hex) of its {@link canonicalJson}. Pass everything that changes the
 * answer (provider, endpoint, model, full body) and nothing secret: the API key is never part of a key.
 */
export function requestKey(request: unknown): string {
  return createHash("sha256").update(canonicalJson(request)).digest("hex");
}
