import { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS } from "@cjeval/provider-utils";
import { Command, CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { addProviderOptions, type ProviderFlags, providerFromFlags } from "../../src/commands/provider-run.js";

function parse(args: string[]): ProviderFlags {
  const command = addProviderOptions(new Command("x").exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} }), ["openai", "anthropic"]);
  command.parse(args, { from: "user" });
  return command.opts<ProviderFlags>();
}

describe("provider flags", () => {
  it("default to the named constants and name the default timeout in the help", () => {
    const flags = parse(["--in", "a", "--out", "b", "--provider", "openai", "--model", "m"]);
    expect(flags.concurrency).toBe(DEFAULT_CONCURRENCY);
    expect(flags.timeoutMs).toBeUndefined();
    const help = addProviderOptions(new Command("x"), ["openai"]).helpInformation();
    expect(help).toContain(`(default ${DEFAULT_TIMEOUT_MS})`);
    expect(help).toContain(`(default: ${DEFAULT_CONCURRENCY})`);
  });

  it("accept only the providers the factory builds", () => {
    expect(() => parse(["--in", "a", "--out", "b", "--provider", "cohere", "--model", "m"])).toThrow(CommanderError);
  });

  it("build the provider through the runner's factory", async () => {
    const openai = await providerFromFlags({ provider: "openai", concurrency: 2, baseUrl: "http://127.0.0.1:9/v1" });
    expect(openai).toMatchObject({ type: "openai", id: "openai" });
    expect(openai.usage.totals().requests).toBe(0);
    const anthropic = await providerFromFlags({ provider: "anthropic", concurrency: 2, baseUrl: "http://127.0.0.1:9" });
    expect(anthropic.type).toBe("anthropic");
    await expect(providerFromFlags({ provider: "cohere" as never, concurrency: 1 })).rejects.toThrow(/unknown provider; use openai or anthropic/);
  });
});
