/**
 * Readable LangSmith policy names. An experiment's project is named `<prefix>-<8 hex>` by the SDKs
 * (`evaluate(..., experiment_prefix=...)`); the random tail is dropped when the names stay distinct. Runs
 * that carry only a session UUID are named after their file (one session per file), never the UUID.
 */
import path from "node:path";
import { CjeInputError } from "@cjeval/core";
import { recordError, type LocatedRecord } from "../input/records.js";

const RANDOM_TAIL = /-[0-9a-f]{6,8}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The value at a dotted path of a run (`metadata.x` also finds `extra.metadata.x`). */
export function pathValue(run: Record<string, unknown>, dotted: string): unknown {
  const walk = (keys: string[]): unknown => {
    let value: unknown = run;
    for (const key of keys) value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
    return value;
  };
  const keys = dotted.split(".");
  const direct = walk(keys);
  return direct === undefined && keys[0] === "metadata" ? walk(["extra", ...keys]) : direct;
}

/** A file's name without folder and extension. */
export function fileStem(file: string): string {
  return path.basename(file).replace(/\.[^.]+$/, "");
}

/** Drops the SDK's random `-<hex>` tail from experiment names when that keeps them distinct. */
export function readableExperimentNames(names: readonly string[]): Map<string, string> {
  const distinct = [...new Set(names)];
  const short = distinct.map((n) => (RANDOM_TAIL.test(n) ? n.replace(RANDOM_TAIL, "") : n));
  const clash = new Set(short).size !== distinct.length || short.some((s) => s === "");
  return new Map(distinct.map((n, i) => [n, clash ? n : short[i]]));
}

/** How to name the policies of runs. */
export interface RunPolicyOptions {
  readonly policy?: string;
  readonly policyFrom?: string;
}

/** Names the policy of every run; `notes` records how. */
export function runPolicies(runs: readonly LocatedRecord[], options: RunPolicyOptions, notes: string[]): Map<LocatedRecord, string> {
  const names = new Map<LocatedRecord, string>();
  if (options.policy !== undefined) {
    for (const run of runs) names.set(run, options.policy);
    return names;
  }
  if (options.policyFrom !== undefined) {
    for (const run of runs) {
      const value = pathValue(run.value, options.policyFrom);
      if ((typeof value !== "string" && typeof value !== "number") || value === "") {
        throw recordError(run, `the run has no '${options.policyFrom}' to name its policy`, options.policyFrom, value ?? null);
      }
      names.set(run, String(value));
    }
    return names;
  }
  const experiment = (run: LocatedRecord) =>
    [run.value.session_name, run.value.project_name, run.value.experiment_name].find((v): v is string => typeof v === "string" && v !== "" && !UUID.test(v));
  const readable = readableExperimentNames(runs.map(experiment).filter((n): n is string => n !== undefined));
  const sessionsByFile = new Map<string, Set<string>>();
  for (const run of runs) {
    if (experiment(run) !== undefined) continue;
    const session = run.value.session_id ?? run.value.project_id;
    if (typeof session !== "string" || session === "") {
      throw recordError(
        run,
        "the run names no experiment (session_name, project_name or session_id): give --policy or --policy-from",
        "session_id",
        session ?? null,
      );
    }
    const set = sessionsByFile.get(run.file) ?? new Set<string>();
    set.add(session);
    sessionsByFile.set(run.file, set);
  }
  for (const [file, sessions] of sessionsByFile) {
    if (sessions.size > 1) {
      throw new CjeInputError(
        `the runs name ${sessions.size} experiments only by session UUID (${[...sessions].slice(0, 3).join(", ")}…): give --policy-from (e.g. extra.metadata.model) or one file per experiment, named for it`,
        { file, field: "session_id" },
      );
    }
    notes.push(`runs of ${path.basename(file)} name their experiment only by session UUID: policy '${fileStem(file)}' (the file's name)`);
  }
  for (const run of runs) {
    const name = experiment(run);
    names.set(run, name === undefined ? fileStem(run.file) : (readable.get(name) as string));
  }
  const renamed = [...readable].filter(([a, b]) => a !== b);
  if (renamed.length > 0) notes.push(`experiment names without their random tail: ${renamed.map(([a, b]) => `'${a}' → '${b}'`).join(", ")}`);
  return names;
}
