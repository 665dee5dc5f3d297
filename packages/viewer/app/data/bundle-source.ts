/**
 * Where the page's bundle comes from. `view-data.js` (a classic script that runs before the page) sets either
 * `globalThis.__CJE_VIEW__` (an exported site: the bundle itself) or `globalThis.__CJE_SERVER__ = true` (served by
 * `cje view`: the bundle is at `GET /api/view`, updates stream from `/api/live`). Neither: the page starts empty and
 * files can be dropped on it.
 */
import type { z } from "zod";
import { type ViewBundle, ViewBundleSchema } from "../../src/view-model.js";

/** How the page starts. */
export type BundleSource =
  | { readonly kind: "embedded"; readonly value: unknown }
  | { readonly kind: "server"; readonly token: string | null }
  | { readonly kind: "none" };

/** Validation issues shown at most (a broken 100k-row bundle would list one per row). */
const MAX_ISSUES = 8;

/** Reads what `view-data.js` left in the global scope and the page's `token` query parameter. */
export function bundleSource(): BundleSource {
  const scope = globalThis as { __CJE_VIEW__?: unknown; __CJE_SERVER__?: unknown };
  if (scope.__CJE_SERVER__ === true) return { kind: "server", token: new URLSearchParams(location.search).get("token") };
  if (scope.__CJE_VIEW__ !== undefined) return { kind: "embedded", value: scope.__CJE_VIEW__ };
  return { kind: "none" };
}

/** `value` as a bundle, or an error naming where it came from and what is wrong (the first few issues). */
export function parseBundle(value: unknown, origin: string): { ok: true; bundle: ViewBundle } | { ok: false; error: string } {
  const parsed = ViewBundleSchema.safeParse(value);
  if (parsed.success) return { ok: true, bundle: parsed.data };
  return { ok: false, error: `${origin} is not a valid view bundle:\n${describeIssues(parsed.error.issues)}` };
}

/** Zod issues as lines `path: message`, at most {@link MAX_ISSUES} of them. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const lines = issues.slice(0, MAX_ISSUES).map((issue) => `• ${issue.path.length > 0 ? issue.path.join(".") : "(root)"}: ${issue.message}`);
  if (issues.length > MAX_ISSUES) lines.push(`… and ${issues.length - MAX_ISSUES} more`);
  return lines.join("\n");
}

/** The server's bundle (`GET /api/view`, with the token in `x-cje-token` when there is one). */
export async function fetchServerBundle(token: string | null): Promise<ViewBundle> {
  let response: Response;
  try {
    response = await fetch("/api/view", { headers: token === null ? {} : { "x-cje-token": token } });
  } catch (error) {
    throw new Error(`cannot reach the cje view server (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!response.ok) {
    const hint = response.status === 401 || response.status === 403 ? ": open the address cje view printed, with its ?token=…" : "";
    throw new Error(`the cje view server answered ${response.status} ${response.statusText} for /api/view${hint}`);
  }
  const parsed = parseBundle(await response.json(), "/api/view");
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.bundle;
}
