/**
 * Running an oracle over a to-label file: its labels are mapped onto the file's label grid and each
 * one is saved in the file as soon as it arrives, so an interrupted run resumes where it stopped and
 * an item already labelled is never sent to the oracle again.
 */
import type { LabelStore } from "../label-store.js";
import { type LabelScale, scaleValues } from "../label-page/scale.js";
import { labelPending, type LabellingOutcome, type Oracle } from "./oracle.js";

/**
 * Wraps `oracle` so its labels lie on `scale`: mapped linearly from the oracle's own scale (e.g. an
 * LLM oracle's 0–1) and rounded to the nearest grid value, so they look like the labels a person
 * gives on the labelling page for the same file. A label outside the oracle's own scale is an error
 * rather than being clamped onto the grid.
 */
export function onLabelGrid(oracle: Oracle, scale: LabelScale): Oracle {
  const values = scaleValues(scale);
  const from = oracle.scale;
  return {
    id: oracle.id,
    scale: { min: scale.min, max: scale.max },
    async label(item, signal) {
      const result = await oracle.label(item, signal);
      if (!(result.label >= from.min && result.label <= from.max)) {
        throw new Error(`label ${result.label} is outside the oracle's scale ${from.min}–${from.max}`);
      }
      const position = ((result.label - from.min) / (from.max - from.min)) * (values.length - 1);
      return { ...result, label: values[Math.round(position)] };
    },
  };
}

/** One settled item of {@link labelWithOracle}. */
export interface OracleProgress {
  readonly itemId: string;
  /** The label saved in the file (on the file's scale), or null when the item failed. */
  readonly label: number | null;
  /** Why the item failed (it stays unlabelled). */
  readonly error?: string;
  /** Items settled so far in this run. */
  readonly done: number;
  /** Items that were unlabelled when the run started. */
  readonly pending: number;
}

/** Options of {@link labelWithOracle}. */
export interface LabelWithOracleOptions {
  /** The to-label file's label grid; the oracle's labels are mapped onto it with {@link onLabelGrid}. */
  readonly scale: LabelScale;
  /** Oracle calls in flight at once (default 4). */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  /** Called after each item is saved or has failed. */
  readonly onProgress?: (progress: OracleProgress) => void;
}

/** What {@link labelWithOracle} did. */
export interface OracleRunSummary extends LabellingOutcome {
  /** Rows in the file. */
  readonly total: number;
  /** Rows that were unlabelled when the run started (each was sent to the oracle once). */
  readonly pending: number;
}

/**
 * Labels every unlabelled row of `store` with `oracle`, its labels mapped onto `options.scale`, saving
 * each label to the file before the next progress report. A failed item stays unlabelled and is
 * listed in the summary with its error, so a re-run asks the oracle only for it.
 */
export async function labelWithOracle(store: LabelStore, oracle: Oracle, options: LabelWithOracleOptions): Promise<OracleRunSummary> {
  const { total, labelled: before } = store.progress();
  const pending = total - before;
  let done = 0;
  const outcome = await labelPending(store.rows, onLabelGrid(oracle, options.scale), (itemId, label) => store.set(itemId, label), {
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    onSettled: (itemId, result) => {
      done++;
      options.onProgress?.({ itemId, ...("label" in result ? { label: result.label } : { label: null, error: result.error }), done, pending });
    },
  });
  return { ...outcome, total, pending };
}
