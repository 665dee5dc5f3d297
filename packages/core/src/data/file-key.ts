/**
 * A file name as a comparable key without `node:path` (so this runs in browsers too): relative
 * names are taken against the working directory when the runtime has one (Node), separators are
 * unified, and `.` / `..` segments and repeated separators are resolved, as `path.resolve` does.
 */

interface ProcessLike {
  cwd?: () => string;
}

/** `file` made absolute (when the runtime has a working directory) and normalized. */
export function fileKey(file: string): string {
  const unified = file.replaceAll("\\", "/");
  const absolute = /^(?:[A-Za-z]:)?\//.test(unified);
  const cwd = (globalThis as { process?: ProcessLike }).process?.cwd?.();
  const full = absolute || cwd === undefined ? unified : `${cwd.replaceAll("\\", "/")}/${unified}`;
  const rooted = /^(?:[A-Za-z]:)?\//.exec(full)?.[0] ?? "";
  const out: string[] = [];
  for (const segment of full.slice(rooted.length).split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else if (segment !== ".." || rooted === "") out.push(segment);
  }
  return rooted + out.join("/");
}
