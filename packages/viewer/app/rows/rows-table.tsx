/**
 * The rows as a virtualised table: only the rows in view (plus a margin) are in the DOM, between two spacer rows
 * that keep the scroll height of the whole list. Rows have one fixed height (long text is cut with an ellipsis;
 * the prompt view shows it whole). Keyboard: Tab reaches the table's current row; ↑/↓, Page Up/Down, Home/End
 * move it; Enter opens its prompt side by side. Column headers are sort buttons.
 */
import type { Scale } from "@cjeval/core";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { ViewRows } from "../../src/view-model.js";
import { decimalsFor, num, onScale, signed, spanOf } from "../format.js";
import type { SortKey } from "./row-query.js";
import { visibleWindow } from "./visible-window.js";

/** Height of a body row in px (the stylesheet sets the same). */
const ROW_HEIGHT = 36;
/** Height of the header row in px (the stylesheet sets the same). */
const HEADER_HEIGHT = 40;

const COLUMNS: readonly { key: SortKey; label: string; numeric: boolean }[] = [
  { key: "row", label: "#", numeric: true },
  { key: "prompt", label: "Prompt", numeric: false },
  { key: "policy", label: "Policy", numeric: false },
  { key: "response", label: "Response", numeric: false },
  { key: "judge", label: "Judge", numeric: true },
  { key: "calibrated", label: "Calibrated", numeric: true },
  { key: "oracle", label: "Oracle", numeric: true },
  { key: "residual", label: "Residual", numeric: true },
];

/** What the table shows and how it reports the user's choices. */
export interface RowsTableProps {
  readonly rows: ViewRows;
  /** Row indices in display order. */
  readonly order: readonly number[];
  readonly judge: Scale | null;
  readonly oracle: Scale | null;
  readonly sort: SortKey;
  readonly descending: boolean;
  readonly onSort: (key: SortKey) => void;
  /** Opens the prompt of row `index` side by side. */
  readonly onOpen: (index: number) => void;
}

/** The virtualised rows table. */
export function RowsTable({ rows, order, judge, oracle, sort, descending, onSort, onOpen }: RowsTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  const [active, setActive] = useState(0);
  /** The position to focus once it is rendered (after a key moved the current row). */
  const pendingFocus = useRef<number | null>(null);
  const frame = useRef(0);

  useLayoutEffect(() => {
    const el = scroller.current!;
    const measure = (): void => setView({ top: el.scrollTop, height: el.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    // A new filter or order: back to the top.
    setActive(0);
    if (scroller.current !== null) scroller.current.scrollTop = 0;
  }, [order]);

  // Before paint, so that the next key already goes to the row it moved to.
  useLayoutEffect(() => {
    const pos = pendingFocus.current;
    if (pos === null) return;
    pendingFocus.current = null;
    scroller.current?.querySelector<HTMLElement>(`tr[data-pos="${pos}"]`)?.focus({ preventScroll: true });
  });

  const onScroll = (): void => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => {
      const el = scroller.current;
      if (el !== null) setView({ top: el.scrollTop, height: el.clientHeight });
    });
  };

  const moveTo = (pos: number): void => {
    const target = Math.max(0, Math.min(order.length - 1, pos));
    const el = scroller.current!;
    const rowTop = HEADER_HEIGHT + target * ROW_HEIGHT;
    if (rowTop < el.scrollTop + HEADER_HEIGHT) el.scrollTop = rowTop - HEADER_HEIGHT;
    else if (rowTop + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = rowTop + ROW_HEIGHT - el.clientHeight;
    setView({ top: el.scrollTop, height: el.clientHeight });
    pendingFocus.current = target;
    setActive(target);
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const step: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (event.key in step) moveTo(active + step[event.key]);
    else if (event.key === "Home") moveTo(0);
    else if (event.key === "End") moveTo(order.length - 1);
    else if (event.key === "Enter" && order[active] !== undefined) onOpen(order[active]);
    else return;
    event.preventDefault();
  };

  const { start, end } = visibleWindow(view.top - HEADER_HEIGHT, view.height, ROW_HEIGHT, order.length);
  const jd = decimalsFor(judge);
  const od = decimalsFor(oracle ?? judge);
  // The row Tab reaches: the current one when rendered, else the first rendered one.
  const current = active >= start && active < end ? active : start;
  return (
    <div class="rows-scroll" ref={scroller} onScroll={onScroll}>
      <table class="rows-table" aria-rowcount={order.length + 1} aria-label="Rows">
        <colgroup>
          <col class="c-row" />
          <col class="c-prompt" />
          <col class="c-policy" />
          <col class="c-response" />
          <col class="c-num" />
          <col class="c-num" />
          <col class="c-num" />
          <col class="c-num" />
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {COLUMNS.map((c) => (
              <th
                key={c.key}
                scope="col"
                class={c.numeric ? "num" : undefined}
                aria-sort={sort === c.key ? (descending ? "descending" : "ascending") : undefined}
              >
                <button type="button" class="sort" onClick={() => onSort(c.key)}>
                  {c.label}
                  <span aria-hidden="true" class="sort-sign">
                    {sort === c.key ? (descending ? " ▼" : " ▲") : " ↕"}
                  </span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody onKeyDown={onKeyDown}>
          {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: an empty spacer row (no tabindex, no content) that keeps the scroll height; hidden so screen readers do not count it. */}
          {start > 0 && <tr class="spacer" aria-hidden="true" style={{ height: `${start * ROW_HEIGHT}px` }} />}
          {order.slice(start, end).map((i, k) => {
            const pos = start + k;
            const p = rows.prompt[i];
            return (
              <tr
                key={i}
                data-pos={pos}
                data-row={i}
                aria-rowindex={pos + 2}
                tabIndex={pos === current ? 0 : -1}
                class={pos === current ? "current" : undefined}
                onFocus={() => setActive(pos)}
                onClick={() => {
                  setActive(pos);
                  onOpen(i);
                }}
              >
                <td class="num">{i + 1}</td>
                <td title={rows.prompts.text[p] ?? undefined}>
                  <span class="prompt-id">{rows.prompts.id[p]}</span> {rows.prompts.text[p]}
                </td>
                <td>{rows.policies[rows.policy[i]]}</td>
                <td title={rows.response[i] ?? undefined}>{rows.response[i] ?? "–"}</td>
                <td class="num">{num(onScale(rows.judge[i], judge), jd)}</td>
                <td class="num">{num(rows.calibrated[i] === null ? null : onScale(rows.calibrated[i]!, oracle), od)}</td>
                <td class="num">{num(rows.oracle[i] === null ? null : onScale(rows.oracle[i]!, oracle), od)}</td>
                <td class="num">{signed(rows.residual[i] === null ? null : spanOf(rows.residual[i]!, oracle), od)}</td>
              </tr>
            );
          })}
          {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: as above, the spacer after the rendered rows. */}
          {end < order.length && <tr class="spacer" aria-hidden="true" style={{ height: `${(order.length - end) * ROW_HEIGHT}px` }} />}
        </tbody>
      </table>
    </div>
  );
}
