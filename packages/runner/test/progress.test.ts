import { describe, expect, it } from "vitest";
import { streamProgress } from "../src/index.js";

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  return { stream: { isTTY, columns: 100, write: (text: string) => chunks.push(text) }, chunks };
}

describe("progress", () => {
  it("writes plain lines every 10% and a summary off a terminal", () => {
    const { stream, chunks } = capture(false);
    const stage = streamProgress(stream).stage("judge", 20, 0);
    for (let i = 0; i < 20; i++) stage.advance(i !== 3);
    stage.finish();
    const lines = chunks.join("").trim().split("\n");
    expect(lines[0]).toBe("judge: 20 of 20 units to run");
    expect(lines.filter((l) => /^judge: \d+\/20/.test(l) && !l.endsWith("done"))).toHaveLength(9);
    expect(lines.at(-1)).toMatch(/^judge: 20\/20, 1 failed \(.*\/s\) done$/);
    expect(chunks.join("")).not.toContain("\r");
  });

  it("redraws one bar in place on a terminal and counts stored units", () => {
    const { stream, chunks } = capture(true);
    const stage = streamProgress(stream).stage("generate", 10, 4);
    for (let i = 0; i < 6; i++) stage.advance(true);
    stage.finish();
    const text = chunks.join("");
    expect(text.startsWith("\r[")).toBe(true);
    expect(text.endsWith("\n")).toBe(true);
    expect(text).toContain("100% generate: 10/10, 4 already stored");
    expect(text.split("\n")).toHaveLength(2);
  });
});
