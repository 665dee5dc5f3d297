import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * The same suites on AI SDK 5: `ai` resolves to the `ai-v5` devDependency (an npm alias of ai@5) and
 * `@ai-sdk/openai-compatible` to its AI SDK 5 line (`@ai-sdk/openai-compatible-v1`).
 */
const resolveFrom = (specifier: string): string => fileURLToPath(import.meta.resolve(specifier));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^ai$/, replacement: resolveFrom("ai-v5") },
      { find: /^@ai-sdk\/openai-compatible$/, replacement: resolveFrom("@ai-sdk/openai-compatible-v1") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    name: "ai@5",
    env: { CJE_AI_MAJOR: "5" },
  },
});
