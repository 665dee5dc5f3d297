#!/usr/bin/env node
import { main } from "./program.js";

// A reader that stops early (`cje analyze … | head`) closes the pipe: that is its choice, not an error, so the
// CLI stops quietly with its exit code so far instead of crashing with an EPIPE stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await main(process.argv);
