import { defineConfig } from "vitest/config";

// The packaging tests (test/packaging): every workspace packed, served from a local registry and installed into fresh
// projects — strict TypeScript consumers, CommonJS and ESM, README quickstarts, the CLI installed globally, core
// bundled for a browser. Run by the root `npm test` (posttest) after the packages' own tests; needs a build.
export default defineConfig({
  test: {
    include: ["test/packaging/**/*.test.ts"],
    globalSetup: ["test/packaging/global-setup.ts"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
