import { expect } from "vitest";

/** What the scenario reads of a campaign store (`CampaignStore` of `@cjeval/runner`). */
export interface StoreReadings {
  usage(): Promise<unknown[]>;
  stageActivity(
    since: Date,
  ): Promise<Array<{ readonly firstCompletedAt: string | null; readonly lastCompletedAt: string | null; readonly completedSince: number }>>;
  errorSummary(): Promise<unknown[]>;
}

/**
 * What both stores report after the shared scenario of their tests — judge-0 completed (10 + 2 tokens),
 * judge-1 failed with `server_error`, judge-2 begun and never finished — as usage, activity and errors.
 * `judge-2`'s open attempt is in flight, or counted as interrupted once a store reopened for writing closed it.
 */
export async function expectUsageActivityAndErrors(store: StoreReadings, judge2: { interrupted: number; inFlight: number }): Promise<void> {
  expect(await store.usage()).toEqual([{ stage: "judge", provider: "openai", model: "m", calls: 1, cachedCalls: 0, inputTokens: 10, outputTokens: 2 }]);
  const [judge, ...others] = await store.stageActivity(new Date(Date.now() - 60_000));
  expect(judge).toEqual({
    stage: "judge",
    firstCompletedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    lastCompletedAt: judge.firstCompletedAt,
    completedSince: 1,
    attempts: 3,
    failedAttempts: 1,
    ...judge2,
  });
  expect(others.every((a) => a.completedSince === 0 && a.lastCompletedAt === null)).toBe(true);
  // A result stored before the window does not count as recent.
  expect((await store.stageActivity(new Date(Date.now() + 1000)))[0].completedSince).toBe(0);
  expect(await store.errorSummary()).toEqual([{ stage: "judge", code: "server_error", units: 1, example: "HTTP 500" }]);
}
