import type { DraftDraw } from "./draw-record.js";
import { CjeInputError } from "../errors/input-error.js";
import { MISSING_DRAW_IDX } from "./fields.js";

const INITIAL_PROMPTS = 1024;

/**
 * The draws of one policy grouped by prompt key (see `PromptRegistry`): rejects a repeated explicit
 * `(prompt_id, draw_idx)` as soon as it is added, and afterwards gives every draw without
 * `draw_idx` the smallest non-negative integer not used by any other draw of that prompt
 * (explicit indices are reserved first; missing ones are filled in reading order, so explicit 1
 * then missing gives [1, 0]).
 *
 * A prompt's first draw is found through a typed array of positions in the shared draw list; only
 * prompts with several draws get an entry in a map.
 */
export class DrawIndex {
  /** Position + 1 in `draws` of each prompt's first draw (0: none yet), indexed by prompt key. */
  private first = new Int32Array(INITIAL_PROMPTS);
  /** Every draw of prompts that have more than one, in reading order. */
  private readonly groups = new Map<number, DraftDraw[]>();
  private missing = 0;

  /** @param draws The list the collector appends every draw to (positions refer to it). */
  constructor(private readonly draws: readonly DraftDraw[]) {}

  /**
   * Adds the draw stored at `position` of the draw list, for prompt `key`. A duplicate explicit
   * `draw_idx` for the same prompt is a `CjeInputError` naming both rows.
   */
  add(draw: DraftDraw, key: number, position: number): void {
    if (draw.drawIdx === MISSING_DRAW_IDX) this.missing++;
    if (key >= this.first.length) this.grow(key);
    const slot = this.first[key];
    if (slot === 0) {
      this.first[key] = position + 1;
      return;
    }
    const group = this.groups.get(key);
    if (group === undefined) {
      const known = this.draws[slot - 1];
      checkDistinct(known, draw);
      this.groups.set(key, [known, draw]);
    } else {
      for (const other of group) checkDistinct(other, draw);
      group.push(draw);
    }
  }

  /**
   * Assigns every missing `draw_idx` (call once, after the last {@link DrawIndex.add}).
   *
   * @returns the prompts with several draws of which at least one had no `draw_idx` (each group in
   *   reading order): rows that share a `(policy, prompt_id)` key and were told apart only by the
   *   assigned index.
   */
  assignMissing(): DraftDraw[][] {
    const repeated: DraftDraw[][] = [];
    if (this.missing === 0) return repeated;
    for (let key = 0; key < this.first.length; key++) {
      const slot = this.first[key];
      if (slot === 0 || this.groups.has(key)) continue;
      const draw = this.draws[slot - 1] as DraftDraw;
      if (draw.drawIdx === MISSING_DRAW_IDX) draw.drawIdx = 0;
    }
    for (const group of this.groups.values()) {
      const used = new Set<number>();
      for (const draw of group) if (draw.drawIdx !== MISSING_DRAW_IDX) used.add(draw.drawIdx);
      let next = 0;
      let assigned = false;
      for (const draw of group) {
        if (draw.drawIdx !== MISSING_DRAW_IDX) continue;
        while (used.has(next)) next++;
        draw.drawIdx = next++;
        assigned = true;
      }
      if (assigned) repeated.push(group);
    }
    this.missing = 0;
    return repeated;
  }

  private grow(key: number): void {
    let size = this.first.length * 2;
    while (size <= key) size *= 2;
    const grown = new Int32Array(size);
    grown.set(this.first);
    this.first = grown;
  }
}

function checkDistinct(first: DraftDraw, second: DraftDraw): void {
  if (second.drawIdx === MISSING_DRAW_IDX || first.drawIdx !== second.drawIdx) return;
  throw new CjeInputError(
    `duplicate draw: policy '${second.policy}', prompt_id ${JSON.stringify(second.promptId)} already has ` +
      `draw_idx ${second.drawIdx} at ${first.source.file}:${first.source.line}; give each draw of a prompt ` +
      "a distinct draw_idx, or omit draw_idx to auto-assign",
    { file: second.source.file, line: second.source.line, field: "draw_idx", value: second.drawIdx },
  );
}
