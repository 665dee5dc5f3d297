/**
 * All-or-nothing writes of several files (the fresh-draw files `importLabels` rewrites): every new content
 * is first staged in a temporary file next to its target and flushed to disk; only when all are staged are
 * they renamed over their targets. A failure while staging (a full disk, a size limit, a read-only folder)
 * removes the staged files and changes nothing. A failure while renaming — which only metadata operations
 * can cause — puts the files already replaced back to their previous bytes before the error is reported.
 */
import { randomBytes } from "node:crypto";
import { open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { CjeInputError } from "@cjeval/core";

/** One file to replace: its new contents and the contents it was computed from. */
export interface FileReplacement {
  readonly file: string;
  readonly contents: string;
  /** What the file held when `contents` was computed: a file changed since then is refused, nothing written. */
  readonly previous: string;
}

/**
 * Replaces every file of `replacements` or none. Files are staged and committed in path order. Throws a
 * `CjeInputError` naming the file that failed and saying that no file was changed.
 */
export async function replaceFilesTogether(replacements: readonly FileReplacement[]): Promise<void> {
  const ordered = [...replacements].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const staged: string[] = [];
  const discard = async () => {
    await Promise.all(staged.map((temp) => rm(temp, { force: true })));
  };
  for (const r of ordered) {
    try {
      await stage(r.file, r.contents, (temp) => staged.push(temp)); // registered before it is written
      if ((await readFile(r.file, "utf8")) !== r.previous) {
        throw Object.assign(new Error("the file changed while the labels were being joined; run the import again"), { code: "ECHANGED" });
      }
    } catch (error) {
      await discard();
      throw failure(r.file, error, "no file was changed");
    }
  }
  const committed: FileReplacement[] = [];
  for (const [i, r] of ordered.entries()) {
    try {
      await rename(staged[i], r.file);
      committed.push(r);
    } catch (error) {
      await discard();
      const restored = await restore(committed);
      throw failure(
        r.file,
        error,
        restored ? "no file was changed (the files already replaced were restored)" : "restoring the files already replaced failed too",
      );
    }
  }
  await Promise.all(ordered.map((r) => syncFolder(path.dirname(path.resolve(r.file)))));
}

/** Writes `contents` to a new temporary file next to `file`, flushed; returns its path. */
async function stage(file: string, contents: string, created: (temp: string) => void): Promise<string> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  created(temp);
  const handle = await open(temp, "wx");
  try {
    await handle.writeFile(contents);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temp;
}

/** Puts back the previous contents of files already replaced; whether all were restored. */
async function restore(committed: readonly FileReplacement[]): Promise<boolean> {
  let ok = true;
  for (const r of committed) {
    try {
      const temp = await stage(r.file, r.previous, () => {});
      await rename(temp, r.file);
    } catch {
      ok = false;
    }
  }
  return ok;
}

async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not every platform can open or flush a folder; the renames are done either way.
  }
}

function failure(file: string, error: unknown, outcome: string): CjeInputError {
  const e = error as NodeJS.ErrnoException;
  const reason = e.code === "ECHANGED" ? e.message : `${e.code ?? "error"}: ${e.message ?? String(error)}`;
  return new CjeInputError(`cannot write the labels (${reason}); ${outcome}`, { file });
}
