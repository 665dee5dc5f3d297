import { describe, expect, it } from "vitest";
import { auditedPolicies, offPolicyEstimators, resolveCampaign, type CampaignInput } from "../../src/index.js";

const base: CampaignInput = {
  name: "t",
  prompts: "prompts.jsonl",
  providers: { openai: { type: "openai" } },
  policies: ["base", "clone", "odd"].map((name) => ({ name, provider: "openai", model: "gpt-4o-mini" })),
  judge: { provider: "openai", model: "gpt-4o-mini" },
  oracle: { type: "llm", provider: "openai", model: "gpt-4o" },
  labels: { policies: ["base"], share: 0.2 },
};

function problem(input: CampaignInput): { field: unknown; message: string } {
  try {
    resolveCampaign(input);
  } catch (error) {
    return { field: (error as { location?: { field?: string } }).location?.field, message: (error as Error).message };
  }
  throw new Error("expected the campaign to be rejected");
}

describe("audit and estimator settings", () => {
  it("audits the policies outside labels.policies and lists the off-policy estimators once each", () => {
    const campaign = resolveCampaign({
      ...base,
      audit: { probesPerPolicy: 50, deltaMax: 0.05, deltaMaxByPolicy: { odd: 0.1 } },
      logprobs: { provider: "openai", logging: "base" },
      estimate: { estimators: ["direct", "stacked-dr", "ips", "stacked-dr"] },
    }).config;
    expect(auditedPolicies(campaign)).toEqual(["clone", "odd"]);
    expect(offPolicyEstimators(campaign)).toEqual(["stacked-dr", "ips"]);
    expect(auditedPolicies(resolveCampaign(base).config)).toEqual([]);
    expect(offPolicyEstimators(resolveCampaign(base).config)).toEqual([]);
  });

  it("rejects audits that cannot run and estimators without log-probs, naming the field", () => {
    expect(problem({ ...base, oracle: undefined, labels: undefined, audit: { probesPerPolicy: 10 } })).toMatchObject({
      field: "audit",
      message: expect.stringMatching(/need oracle and labels/),
    });
    expect(problem({ ...base, labels: { share: 0.2 }, audit: { probesPerPolicy: 10 } })).toMatchObject({
      field: "audit",
      message: expect.stringMatching(/no policy to audit/),
    });
    expect(problem({ ...base, audit: { probesPerPolicy: 10, deltaMaxByPolicy: { base: 0.1 } } })).toMatchObject({
      field: "audit.deltaMaxByPolicy.base",
      message: expect.stringMatching(/'base' is not audited \(audited: clone, odd\)/),
    });
    expect(problem({ ...base, audit: { probesPerPolicy: 10, deltaMax: 0 } }).field).toBe("audit.deltaMax");
    expect(problem({ ...base, audit: { probesPerPolicy: 0 } }).field).toBe("audit.probesPerPolicy");
    expect(problem({ ...base, audit: { probesPerPolicy: 10, margin: 0.1 } as never }).message).toMatch(/margin/);
    expect(problem({ ...base, estimate: { estimators: ["direct", "dr"] as never } }).field).toBe("estimate.estimators.1");
    expect(problem({ ...base, estimate: { estimators: ["direct", "tmle"] } })).toMatchObject({
      field: "estimate.estimators.1",
      message: expect.stringMatching(/tmle needs the logprobs stage/),
    });
    expect(problem({ ...base, logprobs: { provider: "openai", logging: "base", targets: ["clone"] }, estimate: { estimators: ["snips"] } })).toMatchObject({
      field: "logprobs.targets",
      message: expect.stringMatching(/add 'base' to logprobs.targets/),
    });
    // Direct alone needs no log-probs.
    expect(() => resolveCampaign({ ...base, estimate: { estimators: ["direct"] } })).not.toThrow();
  });
});
