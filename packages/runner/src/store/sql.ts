/**
 * The campaign store's statements, written once for both backends: `?` placeholders (the PostgreSQL store
 * numbers them), sums over `CASE` rather than over booleans, `ON CONFLICT` upserts, and registration order
 * through `rowid` (SQLite's implicit row id; the PostgreSQL schema has an identity column of that name).
 */

/** Every statement the stores run on the `meta`, `units` and `response_cache` tables. */
export const STORE_SQL = {
  getMeta: "SELECT value FROM meta WHERE key = ?",
  setMeta: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  deleteMeta: "DELETE FROM meta WHERE key = ?",
  insertUnit: "INSERT INTO units (key, stage, policy, prompt_id, descriptor, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
  unitsOfStage: "SELECT key, stage, policy, prompt_id, status, error, error_code, retryable FROM units WHERE stage = ?",
  /** An attempt still open when a new one begins was cut short (its process died): it counts as interrupted. */
  beginAttempt:
    "UPDATE units SET attempts = attempts + 1, interrupted_attempts = interrupted_attempts + in_flight, in_flight = 1, updated_at = ? WHERE key = ? AND status <> 'done'",
  unitStatus: "SELECT status FROM units WHERE key = ?",
  markDone:
    "UPDATE units SET status = 'done', value = ?, provider = ?, model = ?, input_tokens = ?, output_tokens = ?, cached = ?, in_flight = 0, error = NULL, error_code = NULL, retryable = NULL, updated_at = ?, completed_at = ? WHERE key = ? AND in_flight = 1 AND status <> 'done'",
  /** A stored result is never replaced by a failure (another worker may have completed the unit). */
  markFailed:
    "UPDATE units SET status = 'failed', failed_attempts = failed_attempts + 1, in_flight = 0, error = ?, error_code = ?, retryable = ?, updated_at = ? WHERE key = ? AND status <> 'done'",
  interruptOpenAttempts: "UPDATE units SET interrupted_attempts = interrupted_attempts + 1, in_flight = 0 WHERE in_flight = 1",
  resultsOfStage: "SELECT key, policy, prompt_id, value FROM units WHERE stage = ? AND status = 'done' ORDER BY rowid",
  failuresOfStage: "SELECT key, stage, policy, prompt_id, error, error_code, retryable FROM units WHERE status = 'failed' AND stage = ? ORDER BY rowid",
  allFailures: "SELECT key, stage, policy, prompt_id, error, error_code, retryable FROM units WHERE status = 'failed' ORDER BY rowid",
  stageCounts:
    "SELECT stage, SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END) AS done, SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed, SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS pending FROM units GROUP BY stage ORDER BY MIN(rowid)",
  usage:
    "SELECT stage, provider, model, SUM(CASE WHEN cached = 0 THEN 1 ELSE 0 END) AS calls, SUM(CASE WHEN cached = 1 THEN 1 ELSE 0 END) AS cached_calls, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens FROM units WHERE status = 'done' AND provider IS NOT NULL GROUP BY stage, provider, model ORDER BY MIN(rowid)",
  /** Completion times are ISO-8601 UTC text, so `>=` on them is a time comparison in both backends. */
  stageActivity:
    "SELECT stage, MIN(completed_at) AS first_completed, MAX(completed_at) AS last_completed, SUM(CASE WHEN completed_at >= ? THEN 1 ELSE 0 END) AS recent, SUM(attempts) AS attempts, SUM(failed_attempts) AS failed_attempts, SUM(interrupted_attempts) AS interrupted, SUM(in_flight) AS in_flight FROM units GROUP BY stage ORDER BY MIN(rowid)",
  errorSummary:
    "SELECT stage, error_code, COUNT(*) AS units, MIN(error) AS example FROM units WHERE status = 'failed' GROUP BY stage, error_code ORDER BY MIN(rowid)",
  attemptSummary: "SELECT SUM(attempts) AS attempts, SUM(failed_attempts) AS failed, SUM(interrupted_attempts) AS interrupted FROM units",
  cacheGet: "SELECT value FROM response_cache WHERE key = ?",
  cacheSet: "INSERT INTO response_cache (key, value, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
} as const;

/** Names of {@link STORE_SQL}'s statements. */
export type StatementName = keyof typeof STORE_SQL;
