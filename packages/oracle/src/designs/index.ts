/**
 * The designs by name: their recorded parameters ({@link DesignSpec}), a request from options to a
 * fixed spec ({@link prepareDesign}: strata, pilot variances and active priorities are computed
 * here, once) and a spec plus a budget to a plan ({@link planDesign}).
 */
import { CjeInputError } from "@cjeval/core";
import { z } from "zod";
import type { SamplingFrame } from "../frame.js";
import type { DesignPlan } from "../sample.js";
import { planActive, prepareActive, type ActiveSpec } from "./active.js";
import { planPerPolicy, type PerPolicySpec } from "./per-policy.js";
import { planPoisson, type PoissonSpec } from "./poisson.js";
import { planSimpleRandom, type SimpleRandomSpec } from "./simple-random.js";
import { planStratified, prepareStratified, type StratifiedSpec } from "./stratified.js";

/** Names of the designs. */
export const DESIGN_KINDS = ["simple-random", "stratified", "per-policy", "poisson", "active"] as const;

/** A design's name. */
export type DesignKind = (typeof DESIGN_KINDS)[number];

/** The fixed parameters of any design, as recorded next to a sample. */
export type DesignSpec = SimpleRandomSpec | StratifiedSpec | PerPolicySpec | PoissonSpec | ActiveSpec;

/** What a user asks for; an option that does not apply to the chosen design is refused. */
export interface DesignRequest {
  readonly kind: DesignKind;
  /** Stratified: `proportional` (default) or `neyman`; per-policy: `proportional` (default) or `equal`. */
  readonly allocation?: "proportional" | "neyman" | "equal";
  /** Stratified: number of judge-score strata. */
  readonly strata?: number;
  /** Active: number of judge-score bins. */
  readonly bins?: number;
  /** Active and Poisson: smallest inclusion probability. */
  readonly floor?: number;
  /** Poisson: numeric field with each row's size measure. */
  readonly sizeField?: string;
}

/** Zod schema of {@link DesignSpec} (reading recorded designs). */
export const DesignSpecSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("simple-random") }),
  z.object({
    kind: z.literal("stratified"),
    allocation: z.enum(["proportional", "neyman"]),
    cuts: z.array(z.number()),
    sigma: z.array(z.number().nonnegative()).optional(),
  }),
  z.object({ kind: z.literal("per-policy"), allocation: z.enum(["proportional", "equal"]) }),
  z.object({ kind: z.literal("poisson"), sizeField: z.string().optional(), floor: z.number().min(0).max(1) }),
  z.object({
    kind: z.literal("active"),
    range: z.tuple([z.number(), z.number()]),
    priority: z.array(z.number().nonnegative()).min(1),
    floor: z.number().min(0).max(1),
  }),
]);

/** The options each design takes, and for `allocation` the rules it accepts. */
const APPLICABLE: Readonly<Record<DesignKind, { readonly options: readonly (keyof DesignRequest)[]; readonly allocations?: readonly string[] }>> = {
  "simple-random": { options: [] },
  stratified: { options: ["allocation", "strata"], allocations: ["proportional", "neyman"] },
  "per-policy": { options: ["allocation"], allocations: ["proportional", "equal"] },
  poisson: { options: ["floor", "sizeField"] },
  active: { options: ["bins", "floor"] },
};

/**
 * Fixes a design's parameters for a frame (and a first budget, which sets the active design's default
 * floor). An option the design does not take, or an allocation rule it does not know, is a
 * `CjeInputError`.
 */
export function prepareDesign(frame: SamplingFrame, request: DesignRequest, budget: number): { spec: DesignSpec; warnings: string[] } {
  const applicable = APPLICABLE[request.kind];
  for (const [option, value] of Object.entries(request)) {
    if (option === "kind" || value === undefined) continue;
    if (!applicable.options.includes(option as keyof DesignRequest)) {
      throw new CjeInputError(`does not apply to the ${request.kind} design`, { field: option, value });
    }
  }
  if (request.allocation !== undefined && !(applicable.allocations ?? []).includes(request.allocation)) {
    throw new CjeInputError(`the ${request.kind} design allocates by ${(applicable.allocations ?? []).join(" or ")}`, {
      field: "allocation",
      value: request.allocation,
    });
  }
  switch (request.kind) {
    case "simple-random":
      return { spec: { kind: "simple-random" }, warnings: [] };
    case "stratified":
      return prepareStratified(frame, {
        allocation: request.allocation === "neyman" ? "neyman" : "proportional",
        ...(request.strata !== undefined ? { strata: request.strata } : {}),
      });
    case "per-policy":
      return { spec: { kind: "per-policy", allocation: request.allocation === "equal" ? "equal" : "proportional" }, warnings: [] };
    case "poisson":
      return {
        spec: { kind: "poisson", floor: request.floor ?? 0, ...(request.sizeField !== undefined ? { sizeField: request.sizeField } : {}) },
        warnings: [],
      };
    case "active":
      return prepareActive(frame, budget, {
        ...(request.bins !== undefined ? { bins: request.bins } : {}),
        ...(request.floor !== undefined ? { floor: request.floor } : {}),
      });
  }
}

/** Plans a prepared design for a budget. */
export function planDesign(frame: SamplingFrame, spec: DesignSpec, budget: number): DesignPlan {
  switch (spec.kind) {
    case "simple-random":
      return planSimpleRandom(frame, budget);
    case "stratified":
      return planStratified(frame, spec, budget);
    case "per-policy":
      return planPerPolicy(frame, spec, budget);
    case "poisson":
      return planPoisson(frame, spec, budget);
    case "active":
      return planActive(frame, spec, budget);
  }
}

/** One-line description of a spec, e.g. `stratified (neyman, 5 strata)`. */
export function describeDesign(spec: DesignSpec): string {
  switch (spec.kind) {
    case "simple-random":
      return "simple random sample";
    case "stratified":
      return `stratified by judge score (${spec.allocation} allocation, ${spec.cuts.length + 1} strata)`;
    case "per-policy":
      return `per-policy (${spec.allocation} allocation)`;
    case "poisson":
      return `Poisson (${spec.sizeField === undefined ? "equal sizes" : `size ∝ ${spec.sizeField}`}, floor ${spec.floor})`;
    case "active":
      return `active (${spec.priority.length} judge-score bins, floor π ≥ ${Number(spec.floor.toPrecision(3))})`;
  }
}
