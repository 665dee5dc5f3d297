import { describe, expect, it } from "vitest";
import { redactSecrets, redactSecretsDeep, redactUrl, terminalLine, terminalText, withoutUrlCredentials } from "../src/index.js";

describe("redactUrl", () => {
  it("removes user info and secret-named query parameters, and leaves other URLs and paths as they are", () => {
    expect(redactUrl("https://user:pass@127.0.0.1:8443/v1?api_key=SECRET&region=eu")).toBe("https://***:***@127.0.0.1:8443/v1?api_key=***&region=eu");
    expect(redactUrl("https://TOKEN@example.com/v1")).toBe("https://***@example.com/v1");
    for (const name of ["key", "token", "secret", "password", "api_key", "apikey", "access_token", "auth", "X-Amz-Signature", "client_secret"]) {
      expect(redactUrl(`https://h/p?${name}=S3CR3T&x=1`)).toBe(`https://h/p?${name}=***&x=1`);
    }
    // A database URL keeps its role (a name for people), never its password.
    expect(redactUrl("postgres://cje:pw@db:5432/evals")).toBe("postgres://cje:***@db:5432/evals");
    expect(redactUrl("postgres://cje@db:5432/evals")).toBe("postgres://cje@db:5432/evals");
    const plain = "http://127.0.0.1:8000/v1?model=a%20b";
    expect(redactUrl(plain)).toBe(plain);
    expect(redactUrl("/data/campaign.sqlite")).toBe("/data/campaign.sqlite");
  });

  it("reaches URLs inside text and JSON-safe values", () => {
    expect(redactSecrets("cannot reach https://u:p4ss@h/v1?token=abc.")).toBe("cannot reach https://***:***@h/v1?token=***.");
    expect(redactSecretsDeep({ a: ["x", { baseURL: "http://u:p@h/?apikey=1" }], n: 1 })).toEqual({
      a: ["x", { baseURL: "http://***:***@h/?apikey=***" }],
      n: 1,
    });
    expect(withoutUrlCredentials("password authentication failed: s3cr%t", "postgres://u:s3cr%25t@h/db")).toBe("password authentication failed: ***");
  });
});

describe("terminalText", () => {
  const attack = "\x1b]0;pwned\x07\x1b[2J";
  it("removes escape sequences and control characters, keeping line breaks and tabs", () => {
    expect(terminalText(`policy ${attack}name\tok\r\nnext\x9b2J\x1bP+q\x1b\\ \u202eevil`)).toBe("policy name\tok\nnext evil");
    expect(terminalText("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ and \x1b[31mred\x1b[0m")).toBe("link and red");
    expect(terminalText("unterminated \x1b]0;title")).toBe("unterminated ");
    expect(terminalText("été 漢字 ✓")).toBe("été 漢字 ✓");
  });
  it("makes one line of anything", () => {
    expect(terminalLine(`a\nb\tc${attack}`)).toBe("a b c");
  });
});
