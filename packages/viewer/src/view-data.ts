/**
 * `view-data.js`, the classic script the page loads before the app: in an export it carries the bundle
 * (`globalThis.__CJE_VIEW__`), from the server it only says that the data is served (`globalThis.__CJE_SERVER__`).
 */
import type { ViewBundle } from "./view-model.js";

/** Path of the script, next to `index.html`. */
export const VIEW_DATA_FILE = "view-data.js";

/** What the server answers for `/view-data.js`: no data, the page fetches it from `/api/view`. */
export const SERVED_VIEW_DATA = "globalThis.__CJE_SERVER__ = true;\n";

/**
 * The script that hands `bundle` to the page: `globalThis.__CJE_VIEW__ = <bundle JSON>;`. Every `<` is
 * written `\u003c` (no `</script>` or `<!--` can appear, should the script ever be inlined) and U+2028/U+2029
 * as escapes (line terminators in older JavaScript parsers); inside JSON strings these escapes read back
 * as the same characters.
 */
export function viewDataScript(bundle: ViewBundle): string {
  const json = JSON.stringify(bundle).replace(/[<\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `globalThis.__CJE_VIEW__ = ${json};\n`;
}
