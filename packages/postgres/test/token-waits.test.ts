import { describe, expect, it } from "vitest";
import { tokenWaits } from "../src/rate-buckets.js";

describe("shared token bucket waits", () => {
  it("lets the tokens a bucket holds go at once and spaces the rest one refill interval apart", () => {
    // 600 requests per minute: a token every 100 ms.
    expect(tokenWaits(1, 3, 600)).toEqual([0, 100, 200]);
    expect(tokenWaits(2.5, 4, 600)).toEqual([0, 0, 50, 150]);
    // A bucket in debt (calls of other processes reserved ahead): the first token comes after the debt.
    expect(tokenWaits(-1.5, 2, 600)).toEqual([250, 350]);
  });
});
