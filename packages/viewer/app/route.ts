/**
 * The page's location in its URL hash, `#/<view>?run=<id>&…`, so every view is linkable and the browser's back
 * button works. Parameters: `run` (the run shown), `prompt` (Rows: the prompt shown side by side), `a` and `b`
 * (Compare: the runs before and after).
 */
import { useEffect, useState } from "preact/hooks";

/** The views, in the order of the navigation. */
export const VIEWS = ["results", "calibration", "rows", "compare", "campaign", "drop"] as const;
/** One view. */
export type View = (typeof VIEWS)[number];

/** Navigation labels of the views. */
export const VIEW_LABELS: Readonly<Record<View, string>> = {
  results: "Results",
  calibration: "Calibration",
  rows: "Rows",
  compare: "Compare",
  campaign: "Campaign",
  drop: "Drop files",
};

/** A parsed location. */
export interface Route {
  readonly view: View;
  readonly params: Readonly<Record<string, string>>;
}

/** Parses a location hash; anything unknown is the Results view. */
function parseHash(hash: string): Route {
  const [path, query = ""] = hash.replace(/^#\/?/, "").split("?", 2);
  const view = (VIEWS as readonly string[]).includes(path) ? (path as View) : "results";
  return { view, params: Object.fromEntries(new URLSearchParams(query)) };
}

/** The hash of `view` with `params` (empty values left out). */
export function href(view: View, params: Readonly<Record<string, string | null | undefined>> = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined && value !== "") query.set(key, value);
  const text = query.toString();
  return `#/${view}${text === "" ? "" : `?${text}`}`;
}

/** Goes to `view` with `params` (a new history entry). */
export function navigate(view: View, params: Readonly<Record<string, string | null | undefined>> = {}): void {
  location.hash = href(view, params);
}

/** The current route, updated on every hash change. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const update = (): void => setRoute(parseHash(location.hash));
    addEventListener("hashchange", update);
    return () => removeEventListener("hashchange", update);
  }, []);
  return route;
}
