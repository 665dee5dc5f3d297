/**
 * Transport probes: held-out, oracle-labelled rows of a policy, in the fresh-draw format. They are
 * read with the ingestion code (same validation and messages, file:line:field:value) on the
 * evaluation data's judge and oracle scales, but they are never added to the evaluation draws nor
 * to the calibration fit: they only feed the transport audit.
 */
import { assembleEvaluationData } from "../data/assemble.js";
import { DrawCollector } from "../data/collect-draws.js";
import { DropLog } from "../data/drop-log.js";
import { CjeInputError } from "../errors/input-error.js";
import type { EvaluationData } from "../data/evaluation-data.js";
import { IN_MEMORY_LABEL } from "../data/from-records.js";
import type { FreshDraw } from "../data/types.js";
import { dict } from "../data/dictionary.js";

/** Probe rows per policy (internal units; every row carries an oracle label). */
export type TransportProbes = Readonly<Record<string, readonly FreshDraw[]>>;

/**
 * In-memory counterpart of `loadTransportProbes` (`@cjeval/core/node`): `{ policy: rows }`, rows located as
 * `in-memory[probe:<policy>]:<index + 1>`.
 */
export function transportProbesFromRecords(records: Readonly<Record<string, readonly Record<string, unknown>[]>>, data: EvaluationData): TransportProbes {
  const draws = new DrawCollector(new DropLog("error"));
  for (const [policy, rows] of Object.entries(records)) {
    const label = `${IN_MEMORY_LABEL}[probe:${policy}]`;
    if (!Array.isArray(rows)) throw new CjeInputError("expected an array of probe rows", { file: label, value: rows });
    const reader = draws.open(label, { layout: "per-policy", policy });
    rows.forEach((row, index) => reader.add(row, index + 1));
    reader.finish();
  }
  return finishProbes(draws, data);
}

/** The probes collected in `draws`, on the scales of `data` (shared with the file reader). */
export function finishProbes(draws: DrawCollector, data: EvaluationData): TransportProbes {
  // The evaluation data's scales are imposed on the probes (so a probe label means what a
  // calibration label means); a value off them is reported as outside the declared scale.
  const loaded = assembleEvaluationData(
    draws,
    null,
    new DropLog("error"),
    { judgeScale: data.judgeScale.scale, ...(data.oracleScale !== null ? { oracleScale: data.oracleScale.scale } : {}) },
    [],
  );
  const out: Record<string, FreshDraw[]> = dict();
  for (const row of loaded.draws) {
    if (row.oracleLabel === null) {
      throw new CjeInputError("missing: a transport probe needs an oracle label", {
        file: row.source.file,
        line: row.source.line,
        field: "oracle_label",
      });
    }
    (out[row.policy] ??= []).push(row);
  }
  return out;
}
