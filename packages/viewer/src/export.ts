/**
 * `cje view --export DIR`: a static copy of the viewer for sharing — the page and its data next to it —
 * that opens from `file://` and from any static host. It writes into an empty or new folder, or over an
 * earlier export (known by its marker file), and never into a folder holding anything else.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { CjeInputError } from "@cjeval/core";
import { writeFileAtomic } from "@cjeval/provider-utils";
import { readAppPage } from "./app-page.js";
import { VIEW_DATA_FILE, viewDataScript } from "./view-data.js";
import { VIEW_SCHEMA_VERSION, type ViewBundle } from "./view-model.js";

/** The marker file of an export: a folder holding it may be written over by the next export. */
export const EXPORT_MARKER = ".cje-view-export";
/** The page of an export. */
export const EXPORT_PAGE = "index.html";

/** The files of an export, by absolute path. */
export interface ExportedView {
  readonly dir: string;
  /** The page to open (`file://` or a static host). */
  readonly page: string;
  /** The bundle, as `view-data.js`. */
  readonly data: string;
}

/**
 * Writes `bundle` and the page into `dir` (created when missing): `index.html`, `view-data.js` and the marker.
 * Each file is written atomically. A `dir` that is a file, or a folder with anything in it but an earlier
 * export, is refused with a `CjeInputError` naming it.
 */
export async function exportView(dir: string, bundle: ViewBundle): Promise<ExportedView> {
  await checkExportDir(dir);
  const page = await readAppPage();
  const out = path.resolve(dir);
  const files = { page: path.join(out, EXPORT_PAGE), data: path.join(out, VIEW_DATA_FILE) };
  // The marker first: an export stopped half-way is still known as one and can be written over.
  await writeFileAtomic(path.join(out, EXPORT_MARKER), `${JSON.stringify({ schema_version: VIEW_SCHEMA_VERSION, generated_at: bundle.generated_at })}\n`);
  await writeFileAtomic(files.data, viewDataScript(bundle));
  await writeFileAtomic(files.page, page);
  return { dir: out, ...files };
}

/** Refuses a `dir` that an export must not write into (see {@link exportView}). */
async function checkExportDir(dir: string): Promise<void> {
  let entries: string[];
  try {
    if (!(await stat(dir)).isDirectory()) throw new CjeInputError("the export folder is a file: name a new or empty folder", { file: dir });
    entries = await readdir(dir);
  } catch (error) {
    if (error instanceof CjeInputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return;
    throw new CjeInputError(`cannot read the export folder (${code ?? String(error)})`, { file: dir });
  }
  if (entries.length === 0) return;
  if (!entries.includes(EXPORT_MARKER) || !(await isMarker(path.join(dir, EXPORT_MARKER)))) {
    throw new CjeInputError(
      `the export folder is not empty and holds no earlier cje view export (${EXPORT_MARKER}): nothing was written; name a new or empty folder`,
      { file: dir },
    );
  }
}

async function isMarker(file: string): Promise<boolean> {
  try {
    const marker = JSON.parse(await readFile(file, "utf8")) as { schema_version?: unknown };
    return typeof marker.schema_version === "string" && marker.schema_version.startsWith("cje-ts.view/");
  } catch {
    return false;
  }
}
