/** Running SQL on PostgreSQL: one small interface over pools, clients and transactions, and the shared statements. */
import type pg from "pg";
import { STORE_SQL, type StatementName } from "@cjeval/runner/store";

/** A query result, as far as the store reads it. */
export interface SqlResult<R> {
  readonly rows: R[];
  readonly rowCount: number | null;
}

/** Something that runs SQL: a pool, or a client (inside a transaction or not). */
export interface SqlRunner {
  /** Runs `text` with `$1`, `$2`, … bound to `values`; a `name` makes it a prepared statement of the connection. */
  query<R = Record<string, unknown>>(text: string, values?: readonly unknown[], name?: string): Promise<SqlResult<R>>;
}

/** The {@link SqlRunner} of a pool or client. */
export function sqlRunner(target: pg.Pool | pg.PoolClient | pg.Client): SqlRunner {
  return {
    query: <R>(text: string, values?: readonly unknown[], name?: string) =>
      target.query({ text, ...(values === undefined ? {} : { values: [...values] }), ...(name === undefined ? {} : { name }) }) as unknown as Promise<
        SqlResult<R>
      >,
  };
}

/** `?` placeholders numbered for PostgreSQL (`$1`, `$2`, …); the statements have no `?` in literals. */
export function positional(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

const POSITIONAL: Record<StatementName, string> = Object.fromEntries(Object.entries(STORE_SQL).map(([name, text]) => [name, positional(text)])) as Record<
  StatementName,
  string
>;

/** Runs one of the shared store statements (prepared once per connection). */
export function runStatement<R = Record<string, unknown>>(db: SqlRunner, name: StatementName, values: readonly unknown[]): Promise<SqlResult<R>> {
  return db.query<R>(POSITIONAL[name], values, `cje_${name}`);
}

/** Work gathered over the writes of a transaction, done once just before it commits. */
export type Finisher<T> = (tx: SqlRunner, items: T[]) => Promise<void>;

/** A transaction of the store: SQL, and items for finishers (several writes' work in one statement). */
export interface StoreTransaction extends SqlRunner {
  /** Hands `item` to `finisher`, which runs once before the commit with the items of every write. */
  collect<T>(finisher: Finisher<T>, item: T): void;
}

/** A transaction's rollback failed: its connection is unusable. */
export class BrokenConnectionError extends Error {}

/**
 * Runs `fn` in a transaction on `client`: `BEGIN`, `fn`, the collected finishers, `COMMIT` — or `ROLLBACK`
 * when any of it throws (a {@link BrokenConnectionError} when even that fails).
 */
export async function inTransaction<T>(client: SqlRunner, fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
  const collected = new Map<Finisher<never>, unknown[]>();
  const tx: StoreTransaction = {
    query: (text, values, name) => client.query(text, values, name),
    collect: (finisher, item) => {
      const items = collected.get(finisher as Finisher<never>) ?? [];
      items.push(item);
      collected.set(finisher as Finisher<never>, items);
    },
  };
  await client.query("BEGIN");
  try {
    const value = await fn(tx);
    for (const [finisher, items] of collected) await finisher(client, items as never[]);
    await client.query("COMMIT");
    return value;
  } catch (error) {
    try {
      await client.query("ROLLBACK");
    } catch (rollback) {
      throw new BrokenConnectionError(`rollback failed: ${(rollback as Error).message}`, { cause: error });
    }
    throw error;
  }
}
