import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    // The AI SDK major the suites expect (vitest.ai5.config.ts runs them again on 5).
    env: { CJE_AI_MAJOR: "6" },
  },
});
