/** The built page of the viewer (`dist/app/index.html` of this package), which the server serves and an export copies. */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/**
 * The page's file. Resolved from this module's own location: `../dist/app/` is the package's `dist/app/`
 * whether this module runs from `dist/` (installed) or from `src/` (the package's own tests).
 */
export const APP_PAGE_FILE = fileURLToPath(new URL("../dist/app/index.html", import.meta.url));

/** The page's bytes; a clear error when the package was not built. */
export async function readAppPage(): Promise<Buffer> {
  try {
    return await readFile(APP_PAGE_FILE);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === "ENOENT"
        ? `the viewer's page is missing (${APP_PAGE_FILE}): @cjeval/viewer was not built (npm run build) or its install is incomplete`
        : `cannot read the viewer's page ${APP_PAGE_FILE} (${code ?? String(error)})`,
    );
  }
}
