/** What replaces a secret in redacted text. */
export const REDACTED = "[REDACTED]";

const SECRET_PATTERNS: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{16,}/g, // OpenAI and Anthropic (sk-ant-...) key shapes
  /\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /("?(?:x-api-key|api[_-]?key|authorization)"?\s*[:=]\s*"?)[^\s",}]{8,}/gi,
];

/**
 * Removes secrets from `text`: every occurrence of each given secret (at least 4 characters), then
 * anything shaped like an API key or a bearer/authorization value.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  out = out.replace(SECRET_PATTERNS[0], REDACTED);
  out = out.replace(SECRET_PATTERNS[1], `$1 ${REDACTED}`);
  return out.replace(SECRET_PATTERNS[2], `$1${REDACTED}`);
}
