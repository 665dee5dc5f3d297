import { defineConfig } from "vitest/config";

/** Monte Carlo benchmarks (`*.mc.ts`): run with `npx vitest run --config bench/vitest.config.ts [file]`. */
export default defineConfig({
  test: {
    root: new URL("..", import.meta.url).pathname,
    include: ["bench/**/*.mc.ts"],
    testTimeout: 3_600_000,
  },
});
