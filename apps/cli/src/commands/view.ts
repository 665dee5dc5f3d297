import { redactSecrets, terminalLine } from "@cjeval/provider-utils";
import { exportView, loadViewBundle, MIN_TOKEN_LENGTH, startViewer } from "@cjeval/viewer/node";
import type { Command } from "commander";
import { parseIntegerIn } from "./options.js";
import { openStore } from "./store.js";

interface ViewFlags {
  readonly host: string;
  readonly port: number;
  readonly token?: string;
  readonly open: boolean;
  readonly export?: string;
}

/** The options of the server, which `--export` does not take. */
const SERVE_OPTIONS = [
  ["host", "--host"],
  ["port", "--port"],
  ["token", "--token"],
  ["open", "--no-open"],
] as const;

/** `label (kind)` of each run, for the terminal. */
function describeRuns(runs: readonly { readonly label: string; readonly kind: string }[]): string {
  return runs.map((r) => `${terminalLine(r.label)} (${r.kind.replace("_", " ")})`).join(", ");
}

/**
 * Registers `cje view`: serves the viewer on 127.0.0.1 and opens it in the browser until Ctrl+C, or, with
 * `--export DIR`, writes a static copy to share. Campaigns on PostgreSQL are opened with `@cjeval/postgres`.
 */
export function registerViewCommand(program: Command): void {
  const command = program
    .command("view")
    .description("Look at results, calibration, rows and live campaigns in the browser: serves a local page (or, with --export, writes a static one to share).")
    .argument("[paths...]", "campaign folders, result JSON files and fresh-draw folders (default: the campaigns under .cje/)")
    .option("--host <address>", "interface to listen on (any but loopback requires the access token in the printed URL)", "127.0.0.1")
    .option("--port <n>", "port (0: any free port)", parseIntegerIn(0, 65_535), 0)
    .option("--token <token>", `access token of the data (at least ${MIN_TOKEN_LENGTH} characters; default: a random one beyond loopback, none on it)`)
    .option("--no-open", "print the URL without opening the browser")
    .option("--export <dir>", "write a static copy (index.html + view-data.js) that opens from file:// or any static host, instead of serving")
    .action(async (paths: string[], flags: ViewFlags) => {
      if (flags.export !== undefined) {
        const stray = SERVE_OPTIONS.find(([name]) => command.getOptionValueSource(name) === "cli");
        if (stray !== undefined) command.error(`${stray[1]} does not apply with --export`, { code: "cje.option_not_with_export" });
        const bundle = await loadViewBundle(paths, { openStore });
        const written = await exportView(flags.export, bundle);
        process.stdout.write(
          `Exported ${describeRuns(bundle.runs)} to ${terminalLine(written.dir)}.\n` +
            `Open ${terminalLine(written.page)} in a browser, or put the folder on any static host.\n`,
        );
        return;
      }
      const viewer = await startViewer({
        paths,
        host: flags.host,
        port: flags.port,
        ...(flags.token === undefined ? {} : { token: flags.token }),
        openStore,
        onError: (error) => process.stderr.write(`cje view: cannot read a campaign: ${terminalLine(redactSecrets(error.message))}\n`),
      });
      process.stdout.write(`Showing ${describeRuns(viewer.runs)}.\nOpen ${viewer.url} (Ctrl+C to stop)\n`);
      if (viewer.token !== null) {
        process.stderr.write(`Listening on ${terminalLine(flags.host)}: the data needs the token in that URL; share it only with the people it is for.\n`);
      }
      if (flags.open) await openBrowser(viewer.url);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await viewer.close();
      process.stdout.write("Stopped.\n");
    });
}

/** Opens `url` in the default browser; when none can be started, says so (the URL is printed already). */
async function openBrowser(url: string): Promise<void> {
  const cannot = (error: unknown) =>
    process.stderr.write(`cje view: could not open a browser (${terminalLine(error instanceof Error ? error.message : String(error))}): open the URL above\n`);
  try {
    const { default: open } = await import("open");
    (await open(url)).once("error", cannot);
  } catch (error) {
    cannot(error);
  }
}
