/**
 * Several targets in the synthetic off-policy world of `ope-world.ts`: the logged rows of a seed
 * depend only on the logger (the target enters through its log-probs and the fresh draws, which
 * consume the same random numbers whatever the target), so one sample per target with the same seed
 * shares its logged rows and labels, and the targets' log-probs can be put side by side.
 */
import { simulateOpeWorld, trueValue, type OpeWorldOptions, type WorldPolicySpec } from "./ope-world.js";

/** One sample with every target of `targets` (name → spec) in `target_policy_logprobs`, their fresh draws and true values. */
export function simulateOpeTargets(
  options: Omit<OpeWorldOptions, "target">,
  targets: Readonly<Record<string, WorldPolicySpec>>,
): { logged: Record<string, unknown>[]; fresh: Record<string, unknown>[]; truth: Record<string, number> } {
  const names = Object.keys(targets);
  const worlds = names.map((name) => simulateOpeWorld({ ...options, target: targets[name] }));
  const logged = worlds[0].logged.map((row, i) => ({
    ...row,
    target_policy_logprobs: Object.fromEntries(names.map((name, k) => [name, (worlds[k].logged[i].target_policy_logprobs as Record<string, number>).target])),
  }));
  const fresh = worlds.flatMap((w, k) => w.fresh.map((f) => ({ ...f, policy: names[k] })));
  return { logged, fresh, truth: Object.fromEntries(names.map((name) => [name, trueValue(targets[name])])) };
}
