// Runs `cje <args>` in this process and reports wall time and peak RSS on stderr as JSON.
import { main } from "../dist/index.js";

const started = performance.now();
const code = await main(["node", "cje", ...process.argv.slice(2)]);
const wallMs = performance.now() - started;
process.stderr.write(`${JSON.stringify({ code, wallMs, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
process.exitCode = code;
