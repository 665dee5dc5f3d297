import { defineConfig } from "vitest/config";

/** The Monte Carlo benchmark tables (not part of `npm test`). */
export default defineConfig({
  test: { include: ["bench/**/*.bench.ts"], testTimeout: 3_600_000 },
});
