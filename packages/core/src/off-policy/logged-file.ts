/** Reading logged data from a JSONL file (Node only: `@cjeval/core/node`). */
import { readJsonl } from "../data/jsonl.js";
import { LoggedCollector, type LoggedData, type LoggedLoadOptions } from "./logged.js";

/** Loads and validates a logged-data JSONL file (streamed). */
export async function loadLoggedData(file: string, options: LoggedLoadOptions = {}): Promise<LoggedData> {
  const collector = new LoggedCollector(file, options);
  await readJsonl(file, (value, line) => collector.add(value, line));
  return collector.finish();
}
