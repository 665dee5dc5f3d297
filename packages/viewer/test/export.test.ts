import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runInNewContext } from "node:vm";
import { evaluationDataFromRecords } from "@cjeval/core";
import { beforeAll, describe, expect, it } from "vitest";
import { buildRun, type ViewBundle, ViewBundleSchema } from "../src/index.js";
import { APP_PAGE_FILE, EXPORT_MARKER, exportView, viewBundle, viewDataScript } from "../src/node.js";

const tempDir = () => mkdtemp(path.join(tmpdir(), "cje-view-export-"));

/** Evaluates a `view-data.js` as the page's classic script would, and returns what it set. */
function evaluate(script: string): { __CJE_VIEW__?: unknown; __CJE_SERVER__?: unknown } {
  const context: { __CJE_VIEW__?: unknown; __CJE_SERVER__?: unknown } = {};
  runInNewContext(script, context);
  return context;
}

let bundle: ViewBundle;
beforeAll(() => {
  const records = Array.from({ length: 40 }, (_, i) => ({
    prompt_id: `p${i}`,
    // Text a script must not let through raw: a closing script tag, an HTML comment, the JavaScript line terminators.
    prompt: `prompt ${i} </script><script>alert(1)</script> <!-- \u2028 \u2029`,
    judge_score: (i % 10) / 10,
    ...(i % 2 === 0 ? { oracle_label: (i % 10) / 10 } : {}),
  }));
  const run = buildRun({ id: "small", label: "small", kind: "fresh_draws", source: "small/" }, evaluationDataFromRecords({ a: records, b: records }));
  bundle = viewBundle([run]);
});

describe("viewDataScript", () => {
  it("sets globalThis.__CJE_VIEW__ to the bundle, with no closing tag, comment opener or raw line terminator in its text", () => {
    const script = viewDataScript(bundle);
    expect(script).not.toMatch(/<\/script|<!--|[\u2028\u2029]/i);
    expect(evaluate(script).__CJE_VIEW__).toEqual(JSON.parse(JSON.stringify(bundle)));
  });
});

describe("exportView", () => {
  it("writes the page and its data next to it, into a new folder, and over its own earlier export", async () => {
    const dir = path.join(await tempDir(), "site");
    const written = await exportView(dir, bundle);
    expect(written).toEqual({ dir, page: path.join(dir, "index.html"), data: path.join(dir, "view-data.js") });
    expect((await readdir(dir)).sort()).toEqual([EXPORT_MARKER, "index.html", "view-data.js"]);
    expect((await readFile(written.page)).equals(await readFile(APP_PAGE_FILE))).toBe(true);
    const data = evaluate(await readFile(written.data, "utf8"));
    expect(ViewBundleSchema.parse(data.__CJE_VIEW__)).toEqual(ViewBundleSchema.parse(bundle));
    expect(data.__CJE_SERVER__).toBeUndefined();

    const again = viewBundle([]);
    await exportView(dir, again);
    expect(evaluate(await readFile(written.data, "utf8")).__CJE_VIEW__).toEqual(again);
  });

  it("writes into an empty folder", async () => {
    const dir = await tempDir();
    await exportView(dir, bundle);
    expect((await readdir(dir)).sort()).toEqual([EXPORT_MARKER, "index.html", "view-data.js"]);
  });

  it("refuses a folder holding anything but an earlier export, and a file, writing nothing", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, "index.html"), "my own page");
    await expect(exportView(dir, bundle)).rejects.toThrow(/is not empty and holds no earlier cje view export .*nothing was written/);
    expect(await readdir(dir)).toEqual(["index.html"]);
    expect(await readFile(path.join(dir, "index.html"), "utf8")).toBe("my own page");

    const fake = await tempDir();
    await writeFile(path.join(fake, EXPORT_MARKER), "not a marker");
    await mkdir(path.join(fake, "photos"));
    await expect(exportView(fake, bundle)).rejects.toThrow(/holds no earlier cje view export/);
    expect((await readdir(fake)).sort()).toEqual([EXPORT_MARKER, "photos"]);

    const file = path.join(dir, "index.html");
    await expect(exportView(file, bundle)).rejects.toThrow(/index\.html: the export folder is a file/);
  });
});
