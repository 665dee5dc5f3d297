import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-write.js";
import type { ResponseCache } from "./cache.js";

/**
 * A {@link ResponseCache} on disk: one JSON file per key under `folder/<first two hex digits>/<key>.json`,
 * written atomically (temp file + rename), so concurrent writers and crashes never leave a torn entry.
 * An unreadable or corrupt entry counts as a miss and is overwritten by the next `set`.
 */
export class FileCache implements ResponseCache {
  constructor(readonly folder: string) {}

  private pathOf(key: string): string {
    if (!/^[0-9a-f]{8,}$/.test(key)) throw new RangeError(`cache key must be lowercase hex, got ${JSON.stringify(key)}`);
    return join(this.folder, key.slice(0, 2), `${key}.json`);
  }

  async get(key: string): Promise<unknown> {
    let text: string;
    try {
      text = await readFile(this.pathOf(key), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: unknown): Promise<void> {
    await writeFileAtomic(this.pathOf(key), JSON.stringify(value));
  }
}
