/**
 * The commands of `cje`: name, usage and one-line summary (what `cje --help` lists), and how to load each. A command's
 * module is imported only when that command runs (or its own `--help` is asked for), so `cje --version` and
 * `cje --help` load no command at all — not core, the model SDKs, SQLite or the browser tooling.
 * `test/command-table.test.ts` checks that every entry matches the command its module registers.
 */
import type { Command } from "commander";

/** Registers one command on the program. */
export type Register = (program: Command) => void;

/** One command of the table. */
export interface CommandEntry {
  /** Usage after the command name, as commander derives it from the command's options and arguments. */
  readonly usage: string;
  /** The command's description. */
  readonly summary: string;
  /** Imports the command's module and returns its register function. */
  readonly load: () => Promise<Register>;
}

/** Every command, in the order `cje --help` lists them. */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  analyze: {
    usage: "[options] <inputs...>",
    summary: "Calibrate judge scores to oracle labels and estimate each policy's value with honest 95% intervals.",
    load: async () => (await import("./commands/analyze.js")).registerAnalyzeCommand,
  },
  audit: {
    usage: "[options]",
    summary: "Check on held-out oracle probes whether the judge → oracle calibration transports to each policy (PASS / FAIL / INCONCLUSIVE).",
    load: async () => (await import("./commands/audit.js")).registerAuditCommand,
  },
  plan: {
    usage: "[options] [pilot...]",
    summary:
      "Plan how many prompts to judge and how many oracle labels to buy: from a pilot (judge scores + some oracle labels), or before any label from how well the judge tracks the oracle (--r2 / --correlation).",
    load: async () => (await import("./commands/plan.js")).registerPlanCommand,
  },
  validate: {
    usage: "[options] <inputs...>",
    summary: "Check input files without estimating; exits 0 only when `cje analyze` with the same options can run.",
    load: async () => (await import("./commands/validate.js")).registerValidateCommand,
  },
  demo: {
    usage: "[options]",
    summary: "Run CJE on a built-in simulated world with known truth: naive judge means vs calibrated estimates vs truth.",
    load: async () => (await import("./commands/demo.js")).registerDemoCommand,
  },
  judge: {
    usage: "[options]",
    summary: "Score each row's response with an LLM judge (rubric 0-100 by default).",
    load: async () => (await import("./commands/judge.js")).registerJudgeCommand,
  },
  logprobs: {
    usage: "[options]",
    summary: "Teacher-forced log-probabilities of each row's response under a policy (OpenAI-compatible servers: vLLM, Together, ...).",
    load: async () => (await import("./commands/logprobs.js")).registerLogprobsCommand,
  },
  sample: {
    usage: "[options] <inputs...>",
    summary: "Choose which fresh draws to send for oracle labels, by a probability design with known inclusion probabilities.",
    load: async () => (await import("./commands/sample.js")).registerSampleCommand,
  },
  label: {
    usage: "[options] <file>",
    summary: "Label a to-label file in the browser (one item at a time, keyboard shortcuts), or with an LLM oracle (--oracle); every label saved at once.",
    load: async () => (await import("./commands/label.js")).registerLabelCommand,
  },
  "import-labels": {
    usage: "[options] <to-label> <inputs...>",
    summary: "Write oracle labels and their inclusion probabilities back into the fresh-draw files (validated first).",
    load: async () => (await import("./commands/import-labels.js")).registerImportLabelsCommand,
  },
  init: {
    usage: "[options] [dir]",
    summary: "Write a commented starter campaign (cje.config.ts, or cje.config.yaml) and example prompts.",
    load: async () => (await import("./commands/init.js")).registerInitCommand,
  },
  run: {
    usage: "[options] [campaign]",
    summary: "Run (or resume) an evaluation campaign: generate → judge → log-probs → sample → label → estimate → report.",
    load: async () => (await import("./commands/run.js")).registerRunCommand,
  },
  report: {
    usage: "[options] [campaign]",
    summary: "Write a campaign's self-contained HTML report and its analysis JSON (one per estimator) from its store.",
    load: async () => (await import("./commands/report.js")).registerReportCommand,
  },
  view: {
    usage: "[options] [paths...]",
    summary: "Look at results, calibration, rows and live campaigns in the browser: serves a local page (or, with --export, writes a static one to share).",
    load: async () => (await import("./commands/view.js")).registerViewCommand,
  },
  import: {
    usage: "[options] <format> <files...>",
    summary:
      "Turn existing eval runs (promptfoo results, LangSmith runs + feedback or the experiment CSV, Inspect AI logs, CSV) into fresh draws that `cje analyze` calibrates.",
    load: async () => (await import("./commands/import.js")).registerImportCommand,
  },
  worker: {
    usage: "[options] [campaign]",
    summary: "Make a distributed campaign's queued calls (cje run --store postgres://…) and store their results, until stopped (Ctrl-C or SIGTERM).",
    load: async () => (await import("./commands/worker.js")).registerWorkerCommand,
  },
  status: {
    usage: "[options] [campaign]",
    summary:
      "Where a campaign stands, from any machine that reaches its store: per-stage progress, throughput, errors and cost, the process running it and, for a PostgreSQL store, its queue and workers.",
    load: async () => (await import("./commands/status.js")).registerStatusCommand,
  },
};
