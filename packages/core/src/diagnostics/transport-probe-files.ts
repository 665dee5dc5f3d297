/** Reading transport probes from JSONL files (Node only: `@cjeval/core/node`). */
import { DrawCollector } from "../data/collect-draws.js";
import { DropLog } from "../data/drop-log.js";
import type { EvaluationData } from "../data/evaluation-data.js";
import { readJsonl } from "../data/jsonl.js";
import { finishProbes, type TransportProbes } from "./transport-probes.js";

/**
 * Reads one probe file per policy (`{ policy: path }`) on the scales of `data`. Every row must carry
 * an `oracle_label`; a row naming another policy, an empty file, or a value off the evaluation
 * data's scales is a `CjeInputError` naming file, line, field and value.
 */
export async function loadTransportProbes(files: Readonly<Record<string, string>>, data: EvaluationData): Promise<TransportProbes> {
  const draws = new DrawCollector(new DropLog("error"));
  for (const [policy, file] of Object.entries(files)) {
    const reader = draws.open(file, { layout: "per-policy", policy });
    await readJsonl(file, (value, line) => reader.add(value, line));
    reader.finish();
  }
  return finishProbes(draws, data);
}
