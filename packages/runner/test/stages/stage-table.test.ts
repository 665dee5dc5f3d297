import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CjeInputError } from "@cjeval/core";
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/index.js";
import { resultsFor } from "../../src/stages/context.js";
import { GenerateValueSchema } from "../../src/stages/generate.js";
import { STAGE_NAMES, STAGES } from "../../src/stages/table.js";

describe("stage table", () => {
  it("lists the stages in the order a run goes through them", () => {
    expect(STAGE_NAMES).toEqual(["generate", "judge", "logprobs", "sample", "label", "estimate"]);
    expect(STAGES.map((stage) => stage.callsProviders)).toEqual([true, true, true, false, true, false]);
  });

  it("checks stored values against the stage's schema when they are read back", async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), "cje-table-")), "store.sqlite");
    const store = openSqliteStore(file);
    try {
      await store.registerUnits([
        { key: "good", stage: "generate", policy: "a", promptId: "q1" },
        { key: "bad", stage: "generate", policy: "a", promptId: "q2" },
      ]);
      for (const [key, value] of [
        ["good", { text: "hello" }],
        ["bad", { text: 42 }],
      ] as const) {
        await store.beginAttempt(key);
        await store.completeAttempt(key, { value });
      }
      expect(await resultsFor(store, "generate", new Map([["row", "good"]]), GenerateValueSchema)).toEqual(new Map([["row", { text: "hello" }]]));
      const read = resultsFor(store, "generate", new Map([["row", "bad"]]), GenerateValueSchema);
      await expect(read).rejects.toBeInstanceOf(CjeInputError);
      await expect(read).rejects.toThrow(/stored generate result of unit bad does not fit its stage's schema at text/);
    } finally {
      await store.close();
    }
  });
});
