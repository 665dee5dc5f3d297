/**
 * Who may talk to the viewer's server: requests addressed to the host it is bound to (a guard against DNS
 * rebinding) and, off loopback, only API requests carrying its access token.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { networkInterfaces } from "node:os";
import { CjeInputError } from "@cjeval/core";
import { isLoopbackHost } from "@cjeval/provider-utils";

/** Bytes of a generated access token (256 bits, base64url). */
const TOKEN_BYTES = 32;
/** Shortest access token a user may choose. */
export const MIN_TOKEN_LENGTH = 16;

/** Whether `host` binds every interface. */
export function isWildcardHost(host: string): boolean {
  const h = bare(host);
  return h === "0.0.0.0" || h === "::" || h === "0:0:0:0:0:0:0:0";
}

/**
 * The access token: `given` (checked: at least {@link MIN_TOKEN_LENGTH} characters), else a random one when
 * `host` is not loopback, else none.
 */
export function accessToken(host: string, given: string | undefined): string | null {
  if (given !== undefined) {
    if (given.length < MIN_TOKEN_LENGTH) {
      throw new CjeInputError(`an access token needs at least ${MIN_TOKEN_LENGTH} characters (leave it out for a random one)`, { field: "token" });
    }
    return given;
  }
  return isLoopbackHost(host) ? null : randomBytes(TOKEN_BYTES).toString("base64url");
}

/** Whether `given` is `token`, compared in constant time. */
export function sameToken(given: string | null | undefined, token: string): boolean {
  if (given === null || given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The `Host` headers a server bound to `host`:`port` answers: its own address and `localhost`, with the port.
 * `null` (any) for a wildcard bind, which can be reached under any of the machine's names and is guarded by
 * its token instead.
 */
export function allowedHosts(host: string, port: number): ReadonlySet<string> | null {
  if (isWildcardHost(host)) return null;
  return new Set([`${urlHost(host)}:${port}`, `localhost:${port}`]);
}

/** `host` as it is written in a URL (IPv6 in brackets). */
export function urlHost(host: string): string {
  const h = bare(host);
  return h.includes(":") ? `[${h}]` : h;
}

/** An address others can reach a wildcard bind at (the first external IPv4), else 127.0.0.1. */
export function reachableAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  }
  return "127.0.0.1";
}

function bare(host: string): string {
  return host.replace(/^\[|\]$/g, "");
}
