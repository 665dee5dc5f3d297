/**
 * A to-label file as a label store: every label set is written to disk before `set` resolves, by an
 * atomic rewrite of the whole file (a reader, or a crash, never sees a half-written file). Writes are
 * serialized; labels set while a write is waiting share the next write. The file itself is the state,
 * so labelling resumes wherever it stopped.
 */
import { CjeInputError } from "@cjeval/core";
import { writeFileAtomic } from "@cjeval/provider-utils";
import { formatJsonl, readToLabel, type ToLabelRow } from "./to-label.js";

/** Labelling progress. */
export interface LabelProgress {
  readonly labelled: number;
  readonly total: number;
}

/** The labels of one to-label file. */
export class LabelStore {
  private readonly index: Map<string, number>;
  private chain: Promise<void> = Promise.resolve();
  private queued: Promise<void> | null = null;

  private constructor(
    readonly file: string,
    private readonly data: ToLabelRow[],
  ) {
    this.index = new Map(data.map((row, i) => [row.item_id, i]));
  }

  /** Opens (and validates) a to-label file. */
  static async open(file: string): Promise<LabelStore> {
    return new LabelStore(file, (await readToLabel(file)).rows);
  }

  /** The rows, in labelling order. */
  get rows(): readonly ToLabelRow[] {
    return this.data;
  }

  /** How many rows carry a label. */
  progress(): LabelProgress {
    return { labelled: this.data.filter((r) => r.oracle_label !== null).length, total: this.data.length };
  }

  /** Sets (or, with null, clears) an item's label; resolves once the file on disk holds it. */
  set(itemId: string, label: number | null): Promise<void> {
    const i = this.index.get(itemId);
    if (i === undefined) return Promise.reject(new CjeInputError("unknown item", { file: this.file, field: "item_id", value: itemId }));
    this.data[i] = { ...this.data[i], oracle_label: label };
    return this.persist();
  }

  private persist(): Promise<void> {
    if (this.queued !== null) return this.queued;
    const write = this.chain.then(() => {
      this.queued = null;
      return writeFileAtomic(this.file, formatJsonl(this.data));
    });
    this.queued = write;
    this.chain = write.catch(() => undefined);
    return write;
  }
}
