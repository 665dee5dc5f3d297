import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 600_000,
    // Monte Carlo tests and set-up hooks (servers, small campaigns, Arena loads) take minutes on a busy 2-core machine.
    hookTimeout: 120_000,
  },
});
