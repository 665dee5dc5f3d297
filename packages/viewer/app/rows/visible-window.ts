/** The slice of a fixed-row-height list that a scrolled viewport shows, plus a margin of rows above and below. */

/** Rows rendered beyond each edge of the viewport, so a scroll step never shows a gap. */
const OVERSCAN = 8;

/** First (inclusive) and last (exclusive) positions to render. */
export interface VisibleWindow {
  readonly start: number;
  readonly end: number;
}

/** The positions a viewport `height` px tall, scrolled `scrollTop` px into `total` rows of `rowHeight` px, shows. */
export function visibleWindow(scrollTop: number, height: number, rowHeight: number, total: number): VisibleWindow {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const start = Math.max(0, first - OVERSCAN);
  const end = Math.min(total, first + Math.ceil(height / rowHeight) + OVERSCAN);
  return { start, end: Math.max(start, end) };
}
