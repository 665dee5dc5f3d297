/**
 * The one place secrets are taken out of text and URLs before anything is stored, reported, logged or
 * shown: API keys given to an adapter, key- and bearer-shaped values, and the credentials a URL can carry
 * (its user name and password, and query parameters named like a key, token, secret or password).
 */

/** What replaces a secret in redacted text. */
export const REDACTED = "[REDACTED]";

/** What replaces a secret inside a URL (kept free of characters a URL would percent-encode). */
export const REDACTED_IN_URL = "***";

const SECRET_PATTERNS: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{16,}/g, // OpenAI and Anthropic (sk-ant-...) key shapes
  /\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /("?(?:x-api-key|api[_-]?key|authorization)"?\s*[:=]\s*"?)[^\s",}&]{8,}/gi,
];

/** A URL (any scheme with `//`) inside text, up to white space, a quote or an angle bracket. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;

/**
 * Whether a query parameter's name marks its value as a secret: names containing key, token, secret,
 * password/passwd/pwd, auth (auth, authorization, oauth), signature/sig, credential or session
 * (`api_key`, `apikey`, `access_token`, `X-Amz-Signature`, `client_secret`, …).
 */
export function isSecretParamName(name: string): boolean {
  const n = name.toLowerCase();
  return /key|token|secret|passw|pwd|auth|signature|credential|session/.test(n) || n === "sig";
}

/**
 * `url` without its credentials: the password, the user name of an HTTP(S)/WS(S) URL (where a user name
 * is often a token itself; a database URL's role is kept, as a name for people), and the values of query parameters named like secrets ({@link isSecretParamName}) are replaced by `***`.
 * A URL with nothing to redact, and text that is not a URL (a file path), are returned unchanged.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  let changed = false;
  if (parsed.username !== "" && /^(?:https?|wss?):$/.test(parsed.protocol)) {
    parsed.username = REDACTED_IN_URL;
    changed = true;
  }
  if (parsed.password !== "") {
    parsed.password = REDACTED_IN_URL;
    changed = true;
  }
  if (parsed.search !== "") {
    const params = new URLSearchParams(parsed.search);
    for (const name of new Set(params.keys())) {
      if (!isSecretParamName(name)) continue;
      params.set(name, REDACTED_IN_URL);
      changed = true;
    }
    if (changed) parsed.search = params.toString().replaceAll("%2A%2A%2A", REDACTED_IN_URL);
  }
  return changed ? parsed.toString() : url;
}

/** `text` with every URL in it passed through {@link redactUrl}. */
export function redactUrlsIn(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => {
    // Trailing punctuation of a sentence is not part of the URL.
    const trail = /[.,;:)\]}]+$/.exec(url)?.[0] ?? "";
    return redactUrl(url.slice(0, url.length - trail.length)) + trail;
  });
}

/**
 * Removes secrets from `text`: every occurrence of each given secret (at least 4 characters), the
 * credentials of every URL in it ({@link redactUrl}), then anything shaped like an API key or a
 * bearer/authorization value.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  out = redactUrlsIn(out);
  out = out.replace(SECRET_PATTERNS[0], REDACTED);
  out = out.replace(SECRET_PATTERNS[1], `$1 ${REDACTED}`);
  return out.replace(SECRET_PATTERNS[2], `$1${REDACTED}`);
}

/**
 * `value` (JSON-safe data) with {@link redactSecrets} applied to every string in it, keys kept: for
 * records such as a campaign snapshot, where a URL with credentials may sit in any field.
 */
export function redactSecretsDeep<T>(value: T, secrets: readonly (string | undefined)[] = []): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return redactSecrets(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

/**
 * `message` with every occurrence of the password of `url` replaced by `***`, decoded or as written, and
 * the URLs in it redacted: for driver errors that quote a connection string's parts.
 */
export function withoutUrlCredentials(message: string, url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return message;
  }
  let out = message;
  const password = parsed.password;
  if (password !== "") for (const form of new Set([password, safeDecode(password)])) out = out.split(form).join(REDACTED_IN_URL);
  return redactUrlsIn(out);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
