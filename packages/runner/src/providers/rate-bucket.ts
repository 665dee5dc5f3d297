/**
 * Which shared rate bucket a provider takes its tokens from (`@cjeval/postgres` keeps the buckets): one per
 * provider key, the hash of the provider type, endpoint and API key (the key itself is never stored or
 * shown), or, for a provider written in code, of the campaign and provider name. Campaigns and processes
 * using one key share its bucket.
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "@cjeval/provider-utils";
import type { ProviderConfig } from "../config/schema.js";
import { apiKeyOf } from "./factory.js";

/** A provider key's bucket: its identity (a hash) and a label for people (the provider and its host; never the key). */
export interface RateBucketIdentity {
  readonly bucket: string;
  readonly label: string;
}

/**
 * The bucket of provider `name`: HTTP providers by type, endpoint and API key (read from the environment as
 * the adapter reads it), AI SDK providers given by module by module, factory, options and key, providers
 * written in code (models, or whole providers) by `scope` (the campaign's schema) and name.
 */
export function rateBucketOf(name: string, config: ProviderConfig, scope: string): RateBucketIdentity {
  if (config.type === "custom") return { bucket: digest(["custom", scope, name]), label: `${name}: custom provider of ${scope}` };
  if (config.type === "ai-sdk") {
    if (config.module === undefined) return { bucket: digest(["ai-sdk", scope, name]), label: `${name}: AI SDK models of ${scope}` };
    const key = config.apiKeyEnv === undefined ? "" : (process.env[config.apiKeyEnv] ?? "");
    return {
      bucket: digest(["ai-sdk", config.module, config.factory ?? "", canonicalJson(config.options ?? {}), key]),
      label: `${name}: ai-sdk ${config.module}`,
    };
  }
  const endpoint = config.baseURL?.replace(/\/+$/, "") ?? "";
  return {
    bucket: digest([config.type, endpoint, apiKeyOf(name, config) ?? ""]),
    label: `${name}: ${config.type} ${endpoint === "" ? "default endpoint" : hostOf(endpoint)}`,
  };
}

function digest(parts: readonly string[]): string {
  return createHash("sha256")
    .update(JSON.stringify(["cje rate bucket", ...parts]))
    .digest("hex")
    .slice(0, 32);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "custom endpoint";
  }
}
