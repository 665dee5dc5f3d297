/**
 * `@cjeval/importers`: existing eval runs — promptfoo results, LangSmith runs with their feedback (or the
 * experiment CSV), Inspect AI eval logs, plain CSV — as fresh-draw rows that `cje analyze` calibrates, with oracle labels joined from a CSV; and the
 * located file readers they are built on (JSON, YAML and text files whose errors name the line). Loads no
 * database driver.
 *
 * @packageDocumentation
 */
export { importRuns, IMPORT_FORMATS, type ImportFormat, type ImportRequest } from "./import-runs.js";
export { freshDrawRecord, writeImportedRows, type ImportedRow, type ImportResult, type SkippedRecord } from "./imported-rows.js";
export { importPromptfoo, type PromptfooImportOptions } from "./promptfoo/import.js";
export { MODEL_GRADED_ASSERTIONS, ROW_SCORE } from "./promptfoo/score.js";
export { importLangSmith, type LangSmithImportOptions } from "./langsmith/import.js";
export { importInspect, type InspectImportOptions } from "./inspect/import.js";
export { inspectValueToFloat } from "./inspect/score-value.js";
export { assignDrawIndices } from "./draws.js";
export { importPlainCsv, PLAIN_CSV_COLUMNS } from "./plain-csv.js";
export { readOracleLabels, ORACLE_LABEL_COLUMNS, type OracleLabelRow } from "./oracle-labels.js";
export { joinOracleLabels } from "./join-labels.js";
export { readStructuredFile, readTextFile, type StructuredDocument } from "./input/structured-file.js";
export type { JsonPath } from "./input/json-locate.js";
