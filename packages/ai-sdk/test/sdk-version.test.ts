import * as ai from "ai";
import { describe, expect, it } from "vitest";

/** The major of the `ai` the suites run on: 6 exports `ToolLoopAgent`, 5 still exports `convertToCoreMessages`. */
const major = "ToolLoopAgent" in ai ? 6 : "convertToCoreMessages" in ai ? 5 : undefined;

describe("AI SDK under test", () => {
  it("is the major this run is for (vitest.config.ts: 6, vitest.ai5.config.ts: 5)", () => {
    expect(major).toBe(Number(process.env.CJE_AI_MAJOR ?? "6"));
  });
});
