import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    // Set-up hooks start servers and run small campaigns; on a busy 2-core machine they need more than 10 s.
    hookTimeout: 120_000,
  },
});
