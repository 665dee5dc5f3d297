/** The page's runs and how they change: loaded, replaced by a live `run` event, updated by `progress`, added by a drop. */
import type { CampaignProgress, ViewRun } from "../../src/view-model.js";
import type { LiveStatus } from "./live-updates.js";

/** What the page holds. */
export interface RunsState {
  /** `loading` until the server's bundle arrives. */
  readonly phase: "loading" | "ready";
  readonly runs: readonly ViewRun[];
  /** Why the bundle could not be shown (invalid, unreachable server). */
  readonly error: string | null;
  /** The event stream, when served by `cje view`. */
  readonly live: LiveStatus | null;
  /** The last rejected live event, if any. */
  readonly liveError: string | null;
}

/** A change of {@link RunsState}. */
export type RunsAction =
  | { readonly type: "loaded"; readonly runs: readonly ViewRun[] }
  | { readonly type: "failed"; readonly error: string }
  | { readonly type: "run"; readonly run: ViewRun }
  | { readonly type: "progress"; readonly runId: string; readonly campaign: CampaignProgress }
  | { readonly type: "live"; readonly status: LiveStatus }
  | { readonly type: "liveError"; readonly error: string };

/** The state before anything is loaded. */
export function initialRuns(phase: RunsState["phase"]): RunsState {
  return { phase, runs: [], error: null, live: null, liveError: null };
}

/** Applies `action` to `state`. A `run` replaces the run with its id, or is appended (a new source, a dropped file). */
export function runsReducer(state: RunsState, action: RunsAction): RunsState {
  switch (action.type) {
    case "loaded":
      return { ...state, phase: "ready", runs: action.runs, error: null };
    case "failed":
      return { ...state, phase: "ready", error: action.error };
    case "run": {
      const at = state.runs.findIndex((r) => r.id === action.run.id);
      const runs = at < 0 ? [...state.runs, action.run] : state.runs.map((r, i) => (i === at ? action.run : r));
      return { ...state, runs };
    }
    case "progress":
      return { ...state, runs: state.runs.map((r) => (r.id === action.runId ? { ...r, campaign: action.campaign } : r)) };
    case "live":
      return { ...state, live: action.status };
    case "liveError":
      return { ...state, liveError: action.error };
  }
}
