/**
 * The page: a header with the run picker, the navigation between views (links to URL hashes, so each view is
 * linkable and reachable by Tab), and the current view. Runs come from `view-data.js` (embedded or from the
 * `cje view` server, live) and from files dropped on the page.
 */
import { useEffect, useMemo, useReducer } from "preact/hooks";
import type { ViewRun } from "../../src/view-model.js";
import { type BundleSource, bundleSource, fetchServerBundle, parseBundle } from "../data/bundle-source.js";
import { type LiveStatus, subscribeLive } from "../data/live-updates.js";
import { initialRuns, runsReducer, type RunsState } from "../data/runs-state.js";
import { href, navigate, type Route, useRoute, VIEW_LABELS, VIEWS, type View } from "../route.js";
import { CalibrationView } from "./calibration-view.js";
import { CampaignView } from "./campaign-view.js";
import { CompareView } from "./compare-view.js";
import { DropView } from "./drop-view.js";
import { ResultsView } from "./results-view.js";
import { RowsView } from "./rows-view.js";

const LIVE_TEXT: Readonly<Record<LiveStatus, string>> = {
  connecting: "connecting…",
  live: "live",
  reconnecting: "reconnecting…",
  closed: "live updates stopped (reload to retry)",
};

function startState(source: BundleSource): RunsState {
  if (source.kind === "server") return initialRuns("loading");
  if (source.kind === "none") return initialRuns("ready");
  const parsed = parseBundle(source.value, "view-data.js");
  return parsed.ok ? runsReducer(initialRuns("ready"), { type: "loaded", runs: parsed.bundle.runs }) : { ...initialRuns("ready"), error: parsed.error };
}

/** The whole page. */
export function App() {
  const source = useMemo(bundleSource, []);
  const [state, dispatch] = useReducer(runsReducer, source, startState);
  const route = useRoute();

  useEffect(() => {
    if (source.kind !== "server") return;
    let closed = false;
    fetchServerBundle(source.token).then(
      (bundle) => !closed && dispatch({ type: "loaded", runs: bundle.runs }),
      (error: unknown) => !closed && dispatch({ type: "failed", error: error instanceof Error ? error.message : String(error) }),
    );
    const close = subscribeLive(source.token, {
      progress: (runId, campaign) => dispatch({ type: "progress", runId, campaign }),
      run: (run) => dispatch({ type: "run", run }),
      status: (status) => dispatch({ type: "live", status }),
      error: (error) => dispatch({ type: "liveError", error }),
    });
    return () => {
      closed = true;
      close();
    };
  }, [source]);

  const run = state.runs.find((r) => r.id === route.params.run) ?? state.runs[0] ?? null;
  const views = VIEWS.filter((v) => v !== "campaign" || state.runs.some((r) => r.campaign !== null));
  const view: View = run === null && route.view !== "drop" ? "drop" : route.view;
  const onDropped = (added: ViewRun): void => {
    dispatch({ type: "run", run: added });
    navigate("results", { run: added.id });
  };

  return (
    <>
      <button type="button" class="skip-link" onClick={() => document.getElementById("main")?.focus()}>
        Skip to content
      </button>
      <header class="top">
        <h1>CJE view</h1>
        {state.runs.length > 0 && <RunPicker runs={state.runs} current={run} route={route} />}
        {state.live !== null && (
          <span class={`live live-${state.live}`} role="status">
            <span aria-hidden="true">{state.live === "live" ? "● " : "○ "}</span>
            {LIVE_TEXT[state.live]}
          </span>
        )}
      </header>
      <nav class="views" aria-label="Views">
        <ul>
          {views.map((v) => (
            <li key={v}>
              <a href={href(v, { run: linkedRun(v, run, state.runs)?.id })} aria-current={v === view ? "page" : undefined} data-view={v}>
                {VIEW_LABELS[v]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {state.error !== null && (
          <div class="error" role="alert">
            <h2>The runs could not be loaded</h2>
            <pre>{state.error}</pre>
          </div>
        )}
        {state.liveError !== null && (
          <p class="error" role="alert">
            A live update was rejected: {state.liveError}
          </p>
        )}
        {state.phase === "loading" ? (
          <p role="status">Loading runs…</p>
        ) : (
          <>
            <h2>
              {VIEW_LABELS[view]}
              {run !== null && view !== "compare" && view !== "drop" && <span class="run-label"> · {run.label}</span>}
            </h2>
            {run === null && view === "drop" && state.error === null && <p>No runs yet: drop fresh-draw files below to analyse them in this page.</p>}
            <CurrentView
              view={view}
              run={run}
              state={state}
              route={route}
              onDropped={onDropped}
              runNumber={state.runs.filter((r) => r.kind === "dropped").length + 1}
            />
          </>
        )}
      </main>
    </>
  );
}

function CurrentView({
  view,
  run,
  state,
  route,
  onDropped,
  runNumber,
}: {
  view: View;
  run: ViewRun | null;
  state: RunsState;
  route: Route;
  onDropped: (run: ViewRun) => void;
  runNumber: number;
}) {
  if (view === "drop" || run === null) return <DropView onRun={onDropped} runNumber={runNumber} />;
  switch (view) {
    case "results":
      return <ResultsView run={run} />;
    case "calibration":
      return <CalibrationView key={run.id} run={run} />;
    case "rows":
      return <RowsView key={run.id} run={run} promptId={route.params.prompt ?? null} />;
    case "compare":
      return <CompareView runs={state.runs} a={route.params.a ?? null} b={route.params.b ?? null} />;
    case "campaign":
      return <CampaignView campaign={run.campaign} />;
  }
}

/** The run a view's link opens: none for Compare and Drop files, a campaign for Campaign, else the current run. */
function linkedRun(view: View, current: ViewRun | null, runs: readonly ViewRun[]): ViewRun | null {
  if (view === "compare" || view === "drop") return null;
  if (view === "campaign" && current?.campaign === null) return runs.find((r) => r.campaign !== null) ?? null;
  return current;
}

function RunPicker({ runs, current, route }: { runs: readonly ViewRun[]; current: ViewRun | null; route: Route }) {
  return (
    <label class="run-picker">
      Run{" "}
      <select
        value={current?.id ?? ""}
        onChange={(e) => navigate(route.view === "drop" || route.view === "compare" ? "results" : route.view, { run: e.currentTarget.value })}
      >
        {runs.map((r) => (
          <option key={r.id} value={r.id}>
            {r.label} ({r.kind.replace("_", " ")})
          </option>
        ))}
      </select>
    </label>
  );
}
