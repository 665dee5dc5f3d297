/**
 * Output files, written safely. Every writer in the workspace goes through `writeFileAtomic` /
 * `writeJsonAtomic`; commands call `checkOutputPath` on their `--out` before any work starts.
 *
 * What a write does depends on what the path names:
 * - `-`: standard output (nothing is created).
 * - a regular file, or nothing yet: a temporary file next to the target is written, synced, then renamed
 *   over it, so a reader never sees a half-written file and a crash never destroys the previous one. An
 *   existing file keeps its permission bits (and, when the process may, its owner).
 * - a symbolic link: the link is followed (chains too) and its final target is replaced atomically as
 *   above; the link itself stays a link.
 * - a character device, FIFO or socket (`/dev/null`, `/dev/stdout`, a named pipe): written to in place.
 *   Such a node is never replaced by a regular file.
 * - a directory: an error naming the path.
 * Errors are `CjeInputError`s naming the path and what is wrong (`permission denied`, …), never a bare
 * `EACCES … .tmp`.
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, lstat, mkdir, open, readlink, rename, rm, stat } from "node:fs/promises";
import type { Stats } from "node:fs";
import path from "node:path";
import { CjeInputError } from "@cjeval/core";

/** The output path that means standard output. */
export const STDOUT_PATH = "-";

/** Symbolic links followed before a path is declared a loop (Linux's own limit). */
const MAX_SYMLINK_HOPS = 40;

type Target =
  | { readonly kind: "stdout" }
  | { readonly kind: "stream"; readonly path: string }
  | { readonly kind: "file"; readonly path: string; readonly existing: Stats | undefined };

function describeErrno(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EROFS":
      return "read-only file system";
    case "ENOSPC":
      return "no space left on device";
    case "ENOTDIR":
      return "a parent of it is not a directory";
    case "ELOOP":
      return "too many levels of symbolic links";
    case "EISDIR":
      return "it is a directory";
    default:
      return code !== undefined ? `${code}: ${(error as Error).message}` : String(error);
  }
}

function outputError(file: string, message: string): CjeInputError {
  return new CjeInputError(`cannot write the output: ${message}`, { file });
}

async function lstatOrUndefined(file: string): Promise<Stats | undefined> {
  try {
    return await lstat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * Resolves what writing `file` would write to, following symbolic links (also dangling ones: the link's
 * target is then created).
 */
async function resolveTarget(file: string): Promise<Target> {
  if (file === STDOUT_PATH) return { kind: "stdout" };
  let current = path.resolve(file);
  for (let hops = 0; ; hops++) {
    const info = await lstatOrUndefined(current);
    if (info === undefined) return { kind: "file", path: current, existing: undefined };
    if (info.isSymbolicLink()) {
      if (hops >= MAX_SYMLINK_HOPS) throw outputError(file, "too many levels of symbolic links");
      current = path.resolve(path.dirname(current), await readlink(current));
      continue;
    }
    if (info.isDirectory()) throw outputError(file, "it is a directory; give a file name");
    if (info.isFile()) return { kind: "file", path: current, existing: info };
    return { kind: "stream", path: current };
  }
}

/** The nearest existing ancestor folder of `dir` (the folder `mkdir -p` would create the rest in). */
async function nearestExisting(dir: string): Promise<{ path: string; info: Stats }> {
  for (let current = dir; ; current = path.dirname(current)) {
    try {
      return { path: current, info: await stat(current) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" || path.dirname(current) === current) throw error;
    }
  }
}

/**
 * Checks, before any work, that `file` can be written: not a directory; for a regular file (or a new one),
 * its folder — or the nearest existing ancestor, which the write would create the rest in — is a writable
 * directory; an existing device or FIFO is writable. `-` (standard output) always passes.
 *
 * @throws CjeInputError naming the path and the problem.
 */
export async function checkOutputPath(file: string): Promise<void> {
  let target: Target;
  try {
    target = await resolveTarget(file);
  } catch (error) {
    if (error instanceof CjeInputError) throw error;
    throw outputError(file, describeErrno(error));
  }
  if (target.kind === "stdout") return;
  if (target.kind === "stream") {
    try {
      await access(target.path, constants.W_OK);
    } catch (error) {
      throw outputError(file, describeErrno(error));
    }
    return;
  }
  const dir = path.dirname(target.path);
  let ancestor: { path: string; info: Stats };
  try {
    ancestor = await nearestExisting(dir);
  } catch (error) {
    throw outputError(file, `its folder ${dir}: ${describeErrno(error)}`);
  }
  if (!ancestor.info.isDirectory()) throw outputError(file, `${ancestor.path} is not a directory`);
  try {
    await access(ancestor.path, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw outputError(file, `folder ${ancestor.path}: ${describeErrno(error)}`);
  }
}

async function writeStdout(contents: string | Uint8Array): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    process.stdout.write(contents, (error) => (error ? reject(error) : resolve()));
  });
}

async function writeInPlace(target: string, contents: string | Uint8Array): Promise<void> {
  // "w" on a device or FIFO opens it write-only; O_TRUNC and O_CREAT do nothing to an existing node.
  const handle = await open(target, "w");
  try {
    await handle.writeFile(contents);
  } finally {
    await handle.close();
  }
}

async function replaceFile(target: string, existing: Stats | undefined, contents: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const handle = await open(temp, "wx", existing !== undefined ? existing.mode & 0o7777 : 0o666);
  try {
    await handle.writeFile(contents);
    if (existing !== undefined) {
      // open() applies the umask; the replaced file's bits (and owner, when allowed) are restored exactly.
      await handle.chmod(existing.mode & 0o7777);
      if (process.getuid?.() === 0) await handle.chown(existing.uid, existing.gid).catch(() => undefined);
    }
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Writes `contents` to `file`: atomically for a regular file (creating parent folders, keeping an existing
 * file's permissions), through symbolic links, in place for devices and FIFOs, to standard output for `-`
 * (see the module comment).
 *
 * @throws CjeInputError naming `file` when it is a directory or cannot be written.
 */
export async function writeFileAtomic(file: string, contents: string | Uint8Array): Promise<void> {
  try {
    const target = await resolveTarget(file);
    if (target.kind === "stdout") await writeStdout(contents);
    else if (target.kind === "stream") await writeInPlace(target.path, contents);
    else await replaceFile(target.path, target.existing, contents);
  } catch (error) {
    if (error instanceof CjeInputError) throw error;
    throw outputError(file, describeErrno(error));
  }
}

/** Writes `value` as pretty-printed JSON with `writeFileAtomic`. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}
