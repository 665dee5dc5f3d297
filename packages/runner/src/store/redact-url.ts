/**
 * Database URLs in messages: never with their credentials. The redaction itself lives in
 * `@cjeval/provider-utils` (one implementation for URLs, snapshots, reports and logs); these are its
 * names in the store contract.
 */
import { redactUrl, withoutUrlCredentials } from "@cjeval/provider-utils";

export { redactUrl };

/** `message` with every occurrence of `url`'s password replaced by `***` (and every URL in it redacted). */
export function withoutPassword(message: string, url: string): string {
  return withoutUrlCredentials(message, url);
}
