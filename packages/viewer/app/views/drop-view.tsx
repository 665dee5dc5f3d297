/**
 * Drop files: fresh-draw files (and optionally a calibration file) dropped on the page or chosen with the file
 * pickers are analysed here, in the browser, exactly as `cje analyze` would analyse them; nothing is uploaded.
 */
import { useRef, useState } from "preact/hooks";
import type { ViewRun } from "../../src/view-model.js";
import { analyseFiles } from "../drop/analyse-files.js";
import { fileReading } from "../drop/file-policy.js";
import { count } from "../format.js";

/** The drop view; `onRun` receives each analysed run; `runNumber` numbers it. */
export function DropView({ onRun, runNumber }: { onRun: (run: ViewRun) => void; runNumber: number }) {
  const [draws, setDraws] = useState<File[]>([]);
  const [calibration, setCalibration] = useState<File | null>(null);
  const [status, setStatus] = useState<{ kind: "idle" | "busy" | "done" | "error"; text: string }>({ kind: "idle", text: "" });
  const [over, setOver] = useState(false);
  const picker = useRef<HTMLInputElement>(null);

  const addFiles = (list: FileList | null): void => {
    if (list === null) return;
    const byName = new Map(draws.map((f) => [f.name, f]));
    for (const f of Array.from(list)) byName.set(f.name, f);
    setDraws([...byName.values()]);
    setStatus({ kind: "idle", text: "" });
  };

  const analyse = async (): Promise<void> => {
    setStatus({ kind: "busy", text: `Analysing ${draws.length} file${draws.length === 1 ? "" : "s"} in this page…` });
    // Let the status paint before the analysis takes the thread.
    await new Promise((resolve) => setTimeout(resolve, 20));
    try {
      const run = await analyseFiles(draws, calibration, `dropped-${runNumber}`);
      const n = run.rows?.judge.length ?? 0;
      setStatus({ kind: "done", text: `Analysed ${count(n)} rows of ${run.result?.policies.length ?? 0} policies.` });
      onRun(run);
    } catch (error) {
      setStatus({ kind: "error", text: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <>
      <p>
        Analyse fresh draws without a server: files are read and analysed in this page, as <code>cje analyze</code> would, and nothing is uploaded.
      </p>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: a drag-and-drop target; the file pickers inside it are the keyboard path. */}
      <div
        class={`dropzone${over ? " over" : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          addFiles(e.dataTransfer?.files ?? null);
        }}
      >
        <p>
          <strong>Drop fresh-draw files here</strong> — JSONL files named <code>&lt;policy&gt;_responses.jsonl</code> (or <code>&lt;policy&gt;.jsonl</code>),
          one file whose rows name their <code>policy</code>, or CSV with <code>prompt_id</code>, <code>judge_score</code> and optionally <code>policy</code>,{" "}
          <code>oracle_label</code>, <code>prompt</code>, <code>response</code> — or pick them:
        </p>
        <p>
          <label for="draw-files">Fresh-draw files</label>{" "}
          <input id="draw-files" ref={picker} type="file" multiple accept=".jsonl,.csv,.json,.ndjson" onChange={(e) => addFiles(e.currentTarget.files)} />
        </p>
        <p>
          <label for="calibration-file">Calibration labels (optional)</label>{" "}
          <input id="calibration-file" type="file" accept=".jsonl,.csv,.json,.ndjson" onChange={(e) => setCalibration(e.currentTarget.files?.[0] ?? null)} />
        </p>
      </div>
      {draws.length > 0 && (
        <ul class="file-list" aria-label="Chosen files">
          {draws.map((f) => {
            return (
              <li key={f.name}>
                <code>{f.name}</code> → {fileReading(f.name)}{" "}
                <button type="button" class="link" onClick={() => setDraws(draws.filter((d) => d !== f))} aria-label={`Remove ${f.name}`}>
                  remove
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <p>
        <button type="button" class="primary" disabled={draws.length === 0 || status.kind === "busy"} onClick={analyse}>
          Analyse in this page
        </button>{" "}
        {draws.length > 0 && (
          <button
            type="button"
            onClick={() => {
              setDraws([]);
              if (picker.current !== null) picker.current.value = "";
            }}
          >
            Clear
          </button>
        )}
      </p>
      <div class={`drop-status status-${status.kind}`} role={status.kind === "error" ? "alert" : "status"}>
        {status.kind === "error" ? <pre>{status.text}</pre> : status.text}
      </div>
    </>
  );
}
