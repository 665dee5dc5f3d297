import { execFileSync } from "node:child_process";
import { createReadStream } from "node:fs";
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, readlink, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CjeInputError } from "@cjeval/core";
import { checkOutputPath, writeFileAtomic, writeJsonAtomic } from "../src/atomic-write.js";

const temp = (): Promise<string> => mkdtemp(path.join(tmpdir(), "cje-atomic-"));

describe("writeFileAtomic", () => {
  it("writes a new file and leaves no temporary file behind", async () => {
    const dir = await temp();
    const file = path.join(dir, "sub", "out.json");
    await writeJsonAtomic(file, { a: 1 });
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ a: 1 });
    expect(await readdir(path.dirname(file))).toEqual(["out.json"]);
  });

  it("writes into a character device instead of replacing it (/dev/null stays a device)", async () => {
    await writeFileAtomic("/dev/null", "discarded\n");
    const info = await stat("/dev/null");
    expect(info.isCharacterDevice()).toBe(true);
  });

  it("writes into a FIFO: a reader on the other end receives the bytes and the FIFO stays a FIFO", async () => {
    const dir = await temp();
    const fifo = path.join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    const received = new Promise<string>((resolve, reject) => {
      let text = "";
      createReadStream(fifo, "utf8")
        .on("data", (chunk) => (text += chunk))
        .on("end", () => resolve(text))
        .on("error", reject);
    });
    await writeJsonAtomic(fifo, { through: "pipe" });
    expect(JSON.parse(await received)).toEqual({ through: "pipe" });
    expect((await lstat(fifo)).isFIFO()).toBe(true);
    expect(await readdir(dir)).toEqual(["pipe"]);
  });

  it("follows a symbolic link: the target is replaced, the link is kept", async () => {
    const dir = await temp();
    const real = path.join(dir, "real.json");
    const link = path.join(dir, "link.json");
    await writeFile(real, "old\n");
    await symlink("real.json", link);
    await writeFileAtomic(link, "new\n");
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe("real.json");
    expect(await readFile(real, "utf8")).toBe("new\n");
  });

  it("creates the target of a dangling symbolic link", async () => {
    const dir = await temp();
    const link = path.join(dir, "link.json");
    await symlink("made.json", link);
    await writeFileAtomic(link, "x\n");
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(path.join(dir, "made.json"), "utf8")).toBe("x\n");
  });

  it("keeps the permission bits of the file it replaces", async () => {
    const dir = await temp();
    const file = path.join(dir, "ro.json");
    await writeFile(file, "old\n");
    await chmod(file, 0o440);
    // As root a read-only file is still writable, so the attack was that the mode got reset to 0644.
    if (process.getuid?.() === 0) {
      await writeFileAtomic(file, "new\n");
      expect(await readFile(file, "utf8")).toBe("new\n");
    } else {
      await writeFileAtomic(file, "new\n"); // the folder is writable, so the rename succeeds
    }
    expect((await stat(file)).mode & 0o777).toBe(0o440);
    const exec = path.join(dir, "run.sh");
    await writeFile(exec, "#!/bin/sh\n");
    await chmod(exec, 0o750);
    await writeFileAtomic(exec, "#!/bin/sh\necho hi\n");
    expect((await stat(exec)).mode & 0o777).toBe(0o750);
  });

  it("refuses a directory with an error naming the path", async () => {
    const dir = await temp();
    await mkdir(path.join(dir, "d"));
    const error = await writeFileAtomic(path.join(dir, "d"), "x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CjeInputError);
    expect((error as Error).message).toContain(path.join(dir, "d"));
    expect((error as Error).message).toContain("directory");
  });

  it("names the output path, not its temporary file, when the folder is not writable", async () => {
    const dir = await temp();
    const locked = path.join(dir, "locked");
    await mkdir(locked);
    await chmod(locked, 0o500);
    const file = path.join(locked, "out.json");
    if (process.getuid?.() !== 0) {
      const error = await writeFileAtomic(file, "x").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CjeInputError);
      expect((error as Error).message).toContain(file);
      expect((error as Error).message).toContain("permission denied");
      expect((error as Error).message).not.toContain(".tmp");
    }
    // A file beneath a regular file can never be written, root or not.
    await writeFile(path.join(dir, "plain"), "");
    const error = await writeFileAtomic(path.join(dir, "plain", "out.json"), "x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CjeInputError);
    expect((error as Error).message).toContain(path.join(dir, "plain", "out.json"));
    expect((error as Error).message).not.toContain(".tmp");
  });
});

describe("checkOutputPath", () => {
  it("accepts -, a device, a FIFO, a new file in a new subfolder of a writable folder and an existing file", async () => {
    const dir = await temp();
    execFileSync("mkfifo", [path.join(dir, "pipe")]);
    await writeFile(path.join(dir, "exists.json"), "");
    for (const ok of ["-", "/dev/null", path.join(dir, "pipe"), path.join(dir, "new", "deeper", "r.json"), path.join(dir, "exists.json")]) {
      await expect(checkOutputPath(ok)).resolves.toBeUndefined();
    }
  });

  it("rejects a directory, a path under a file and (unless root) an unwritable folder, naming the path", async () => {
    const dir = await temp();
    await writeFile(path.join(dir, "plain"), "");
    await expect(checkOutputPath(dir)).rejects.toThrow(new RegExp(`${dir}.*directory`));
    await expect(checkOutputPath(path.join(dir, "plain", "x.json"))).rejects.toThrow(/plain.*not a directory/);
    if (process.getuid?.() !== 0) {
      const locked = path.join(dir, "locked");
      await mkdir(locked);
      await chmod(locked, 0o500);
      await expect(checkOutputPath(path.join(locked, "x.json"))).rejects.toThrow(/permission denied/);
    }
  });
});
