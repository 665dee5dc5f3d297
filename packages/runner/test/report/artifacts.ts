import path from "node:path";
import { fileURLToPath } from "node:url";

/** Where the report tests save their screenshots. */
export const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../test-artifacts");
