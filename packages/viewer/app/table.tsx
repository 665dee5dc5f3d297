/** The page's data tables: one row of column headings over body rows, optionally in a horizontally scrolling box. */
import type { ComponentChildren } from "preact";

/**
 * A column heading: its text; or a heading cell's class and content (a plot column's axis, say); or `null` for
 * an empty corner cell, which heads nothing and so is a `<td>`.
 */
export type Heading = string | { readonly class: string; readonly content: ComponentChildren } | null;

/** What both tables take: `head` the column headings, `children` the body rows. */
interface TableProps {
  readonly className: string;
  readonly label?: string;
  readonly head: readonly Heading[];
  readonly children: ComponentChildren;
}

/** A table with `head` as its one heading row (`scope="col"`) and `children` as its body. */
export function Table({ className, label, head, children }: TableProps) {
  return (
    <table class={className} aria-label={label}>
      <thead>
        <tr>
          {head.map((h, i) => {
            if (h === null) return <td key={i} />;
            if (typeof h === "string")
              return (
                <th scope="col" key={i}>
                  {h}
                </th>
              );
            return (
              <th scope="col" key={i} class={h.class}>
                {h.content}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** A labelled {@link Table} in a box that scrolls sideways when the table is wider than the page. */
export function ScrollTable(props: TableProps & { readonly label: string }) {
  return (
    <div class="table-scroll">
      <Table {...props} />
    </div>
  );
}
