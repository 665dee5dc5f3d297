/**
 * Whether a server's bind address keeps it on this machine: the local servers of the workspace (the labelling
 * page of `@cjeval/oracle`, `cje view`) require an access token whenever it does not.
 */
import { isIP } from "node:net";

/** IPv4-mapped IPv6 addresses of 127.0.0.0/8 in their canonical (compressed, lower-case) form. */
const MAPPED_IPV4_LOOPBACK = /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/;

/**
 * Whether `host` is a loopback interface, so that only this machine can connect: `localhost`, an IPv4 address in
 * 127.0.0.0/8, or the IPv6 loopback `::1` — an IPv6 address in any spelling (`0:0:0:0:0:0:0:1`, with or without
 * brackets, IPv4-mapped `::ffff:127.0.0.1`). Case-insensitive. Anything else is not: other names (they resolve
 * through DNS), wildcards (`0.0.0.0`, `::`), other addresses, and text that is no address.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost") return true;
  const version = isIP(h);
  if (version === 4) return h.startsWith("127.");
  if (version !== 6) return false;
  let canonical: string;
  try {
    canonical = new URL(`http://[${h}]/`).hostname.slice(1, -1);
  } catch {
    return false; // an address with a zone index (fe80::1%eth0): never the loopback interface
  }
  return canonical === "::1" || MAPPED_IPV4_LOOPBACK.test(canonical);
}
