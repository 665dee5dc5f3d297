/**
 * Oracles: whatever produces the expensive labels (a stronger LLM with its own rubric, an expert, a
 * KPI lookup). An oracle sees only the prompt and the response — never the policy or the judge
 * score — so its labels stay blind.
 */
import type { Scale } from "@cjeval/core";
import type { ToLabelRow } from "../to-label.js";

/** What an oracle is asked to label. */
export interface OracleItem {
  readonly itemId: string;
  readonly prompt: string;
  readonly response: string;
}

/** An oracle's label, on the oracle's {@link Oracle.scale}. */
export interface OracleLabel {
  readonly label: number;
  /** The oracle's raw output, when it has one. */
  readonly raw?: string;
}

/** A labeller. */
export interface Oracle {
  readonly id: string;
  /** Scale of its labels. */
  readonly scale: Scale;
  label(item: OracleItem, signal?: AbortSignal): Promise<OracleLabel>;
}

/** Outcome of {@link labelPending}. */
export interface LabellingOutcome {
  readonly labelled: number;
  readonly failed: readonly { readonly itemId: string; readonly error: string }[];
}

/** How one item of {@link labelPending} ended: its saved label, or why it got none. */
export type ItemOutcome = { readonly label: number } | { readonly error: string };

/** Options of {@link labelPending}. */
export interface LabelPendingOptions {
  /** Oracle calls in flight at once (default 4). */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  /** Called once per item, after its label is saved or once it has failed (for progress output). */
  readonly onSettled?: (itemId: string, outcome: ItemOutcome) => void;
}

/**
 * Asks `oracle` for every row whose `oracle_label` is still null, with at most `concurrency` calls in
 * flight, and hands each label to `save` as soon as it arrives (so an interrupted run loses nothing
 * and a re-run only asks for what is missing). A failed item is reported, never given a label.
 */
export async function labelPending(
  rows: readonly ToLabelRow[],
  oracle: Oracle,
  save: (itemId: string, label: number) => Promise<void>,
  options: LabelPendingOptions = {},
): Promise<LabellingOutcome> {
  const queue = rows.filter((r) => r.oracle_label === null);
  const failed: { itemId: string; error: string }[] = [];
  let labelled = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < queue.length) {
      const row = queue[next++];
      let outcome: ItemOutcome;
      try {
        if (row.prompt === null || row.response === null) throw new Error("the row has no prompt or response text to show the oracle");
        const { label } = await oracle.label({ itemId: row.item_id, prompt: row.prompt, response: row.response }, options.signal);
        if (!(label >= oracle.scale.min && label <= oracle.scale.max)) throw new Error(`label ${label} is outside the oracle's scale`);
        await save(row.item_id, label);
        labelled++;
        outcome = { label };
      } catch (error) {
        if (options.signal?.aborted === true) throw error;
        outcome = { error: error instanceof Error ? error.message : String(error) };
        failed.push({ itemId: row.item_id, error: outcome.error });
      }
      options.onSettled?.(row.item_id, outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, queue.length)) }, worker));
  return { labelled, failed };
}
