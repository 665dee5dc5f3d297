/** Rows: the prompts and responses behind the numbers, filtered, sorted and searched, and one prompt side by side across policies. */
import { useEffect, useMemo, useState } from "preact/hooks";
import type { ViewRun } from "../../src/view-model.js";
import { count } from "../format.js";
import { href, navigate } from "../route.js";
import { PromptPanel } from "../rows/prompt-panel.js";
import { queryRows, rowsByPrompt, type SortKey } from "../rows/row-query.js";
import { RowsTable } from "../rows/rows-table.js";
import { RunNotes } from "./run-notes.js";

/** Delay between the last keystroke and the search, in ms. */
const SEARCH_DELAY = 200;

/** The Rows view of `run`; `promptId` (from the URL) opens that prompt side by side. */
export function RowsView({ run, promptId }: { run: ViewRun; promptId: string | null }) {
  const rows = run.rows;
  const [policy, setPolicy] = useState<number | null>(null);
  const [labelledOnly, setLabelledOnly] = useState(false);
  const [typed, setTyped] = useState("");
  const [search, setSearch] = useState("");
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: "row", descending: false });
  useEffect(() => {
    const timer = setTimeout(() => setSearch(typed), SEARCH_DELAY);
    return () => clearTimeout(timer);
  }, [typed]);
  const order = useMemo(
    () => (rows === null ? [] : queryRows(rows, { policy, labelledOnly, search, sort: sort.key, descending: sort.descending })),
    [rows, policy, labelledOnly, search, sort],
  );
  const byPrompt = useMemo(() => (rows === null || promptId === null ? null : rowsByPrompt(rows)), [rows, promptId]);
  if (rows === null) {
    return (
      <>
        <RunNotes run={run} />
        <p>This run has no rows to show (a result file alone does not carry them).</p>
      </>
    );
  }
  const scales = run.result?.diagnostics.scales ?? null;
  const judge = scales?.judge ?? null;
  const oracle = scales?.oracle ?? null;
  const prompt = promptId === null ? -1 : rows.prompts.id.indexOf(promptId);
  const total = rows.judge.length;
  return (
    <>
      {promptId !== null && prompt < 0 && <p role="alert">No prompt with id {promptId} in this run.</p>}
      {prompt >= 0 && byPrompt !== null && (
        <PromptPanel rows={rows} prompt={prompt} indices={byPrompt[prompt]} judge={judge} oracle={oracle} closeHref={href("rows", { run: run.id })} />
      )}
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter rows">
        <label>
          Policy{" "}
          <select
            value={policy === null ? "" : String(policy)}
            onChange={(e) => setPolicy(e.currentTarget.value === "" ? null : Number(e.currentTarget.value))}
          >
            <option value="">all</option>
            {rows.policies.map((p, i) => (
              <option key={p} value={String(i)}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={labelledOnly} onChange={(e) => setLabelledOnly(e.currentTarget.checked)} /> labelled only
        </label>
        <label class="search">
          Search <input type="search" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} placeholder="prompt, id, policy or response" />
        </label>
      </form>
      <p class="row-count" aria-live="polite">
        Showing <strong>{count(order.length)}</strong> of {count(total)} rows. Enter or a click opens a row's prompt across policies.
      </p>
      <RowsTable
        rows={rows}
        order={order}
        judge={judge}
        oracle={oracle}
        sort={sort.key}
        descending={sort.descending}
        onSort={(key) => setSort((s) => ({ key, descending: s.key === key ? !s.descending : false }))}
        onOpen={(i) => navigate("rows", { run: run.id, prompt: rows.prompts.id[rows.prompt[i]] })}
      />
    </>
  );
}
