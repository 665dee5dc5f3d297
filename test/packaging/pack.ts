/**
 * What the packaging tests share: every workspace packed as a registry would serve it, a tiny npm registry on
 * 127.0.0.1 that serves those tarballs under the `@cjeval` scope (every other package comes from the usual registry,
 * or npm's cache), and fresh temporary projects that install from it. So the tarballs are installed exactly as users
 * install the published packages — by name, with their declared dependency ranges, globally or not.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The shared Arena sample (`../shared` next to the repo, or `CJE_SHARED_DIR`). */
export const arenaDir = path.join(process.env.CJE_SHARED_DIR ?? path.resolve(repoRoot, "../shared"), "data", "arena_sample");

/** A packed workspace. */
export interface Packed {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  readonly tarball: string;
  readonly manifest: Record<string, unknown>;
  readonly private: boolean;
}

/** Every workspace folder (packages/*, apps/*). */
export function workspaceDirs(): string[] {
  return ["packages", "apps"].flatMap((group) =>
    readdirSync(path.join(repoRoot, group), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => path.join(repoRoot, group, e.name)),
  );
}

/** Packs every workspace (built beforehand) into `out`; private ones too, for tests that need them. */
export async function packAll(out: string): Promise<Packed[]> {
  const packed: Packed[] = [];
  for (const dir of workspaceDirs()) {
    const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as Record<string, unknown>;
    const { stdout } = await run("npm", ["pack", "--pack-destination", out, "--silent", "--ignore-scripts"], { cwd: dir });
    const file = stdout.trim().split("\n").pop() as string;
    packed.push({
      name: manifest.name as string,
      version: manifest.version as string,
      dir,
      tarball: path.join(out, file),
      manifest,
      private: manifest.private === true,
    });
  }
  return packed;
}

/** A registry serving the packed `@cjeval` packages. */
export interface LocalRegistry {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts a registry on 127.0.0.1 serving `packages` (packuments and tarballs, nothing else). */
export async function startRegistry(packages: readonly Packed[]): Promise<LocalRegistry> {
  const byName = new Map(packages.map((p) => [p.name, p]));
  let url = "";
  const server: Server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname).slice(1);
    const tarballOf = [...byName.values()].find((p) => pathname === `tarballs/${path.basename(p.tarball)}`);
    if (tarballOf !== undefined) {
      res.writeHead(200, { "content-type": "application/octet-stream" }).end(readFileSync(tarballOf.tarball));
      return;
    }
    const pkg = byName.get(pathname);
    if (pkg === undefined) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
      return;
    }
    const bytes = readFileSync(pkg.tarball);
    const version = {
      ...pkg.manifest,
      _id: `${pkg.name}@${pkg.version}`,
      dist: {
        tarball: `${url}/tarballs/${path.basename(pkg.tarball)}`,
        shasum: createHash("sha1").update(bytes).digest("hex"),
        integrity: `sha512-${createHash("sha512").update(bytes).digest("base64")}`,
      },
    };
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ _id: pkg.name, name: pkg.name, "dist-tags": { latest: pkg.version }, versions: { [pkg.version]: version } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("registry did not bind");
  url = `http://127.0.0.1:${address.port}`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** npm arguments that take `@cjeval/*` from `registry` (and nothing else from it). */
export function registryArgs(registry: LocalRegistry, cache: string): string[] {
  return [`--@cjeval:registry=${registry.url}/`, `--cache=${cache}`, "--prefer-offline", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"];
}

/**
 * The repository lockfile's version of every third-party package a workspace depends on, as npm `overrides`: a fresh
 * project then installs what CI tested, from npm's cache.
 */
export function lockedOverrides(): Record<string, string> {
  const lock = JSON.parse(readFileSync(path.join(repoRoot, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string }> };
  const out: Record<string, string> = {};
  for (const dir of workspaceDirs()) {
    const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      const version = lock.packages[`node_modules/${name}`]?.version;
      if (!name.startsWith("@cjeval/") && version !== undefined) out[name] = version;
    }
  }
  return out;
}

/** A fresh project folder with a package.json (ESM unless `type` says otherwise) pinning {@link lockedOverrides}. */
export function freshProject(label: string, type: "module" | "commonjs" = "module"): string {
  const dir = mkdtempSync(path.join(tmpdir(), `cje-pkg-${label}-`));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: `consumer-${label}`, private: true, type, overrides: lockedOverrides() }, null, 2));
  return dir;
}

/**
 * Gives the better-sqlite3 installed under `nodeModules` the native addon the workspace built for the same version
 * and Node (installs here run with --ignore-scripts: compiling SQLite takes minutes on CI's two cores).
 */
export function reuseSqliteAddon(nodeModules: string): void {
  const from = path.join(repoRoot, "node_modules", "better-sqlite3");
  const to = path.join(nodeModules, "better-sqlite3");
  const version = (dir: string) => (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;
  if (version(from) !== version(to)) throw new Error(`better-sqlite3 ${version(to)} installed, the workspace built ${version(from)}`);
  mkdirSync(path.join(to, "build", "Release"), { recursive: true });
  copyFileSync(path.join(from, "build", "Release", "better_sqlite3.node"), path.join(to, "build", "Release", "better_sqlite3.node"));
}

/** Runs a command, failing with its output when it exits non-zero. */
export async function sh(cmd: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<string> {
  try {
    const { stdout } = await run(cmd, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      maxBuffer: 64 * 1024 * 1024,
      timeout: options.timeoutMs ?? 300_000,
    });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(" ")} failed in ${options.cwd}:\n${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
  }
}

/** npm's cache to use: the user's (warm after `npm ci`), so installs need no network for third-party packages. */
export async function npmCache(): Promise<string> {
  return (await run("npm", ["config", "get", "cache"])).stdout.trim();
}

/** Installs `specs` (`@cjeval/core`, `typescript@6.0.3` …) into `dir` through `registry`. */
export async function install(dir: string, specs: readonly string[], registry: LocalRegistry, extra: readonly string[] = []): Promise<void> {
  await sh("npm", ["install", ...registryArgs(registry, await npmCache()), ...extra, ...specs], { cwd: dir });
}

/** Writes `files` (relative path → text) under `dir`. */
export function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
}
