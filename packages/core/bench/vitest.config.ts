import { defineConfig } from "vitest/config";

/**
 * Monte Carlo benchmarks and tables (`*.bench.ts`, `*.mc.ts`), not part of `npm test`:
 * `npx vitest run --config bench/vitest.config.ts [file]`.
 */
export default defineConfig({
  test: {
    root: new URL("..", import.meta.url).pathname,
    include: ["bench/**/*.bench.ts", "bench/**/*.mc.ts"],
    testTimeout: 3_600_000,
  },
});
