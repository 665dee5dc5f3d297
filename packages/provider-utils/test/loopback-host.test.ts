import { describe, expect, it } from "vitest";
import { isLoopbackHost } from "../src/index.js";

describe("isLoopbackHost", () => {
  it("accepts localhost, 127.0.0.0/8 and ::1 in its spellings, bracketed or not, in any case", () => {
    const loopback = [
      "localhost",
      "LocalHost",
      "127.0.0.1",
      "127.1.2.3",
      "127.255.255.255",
      "::1",
      "[::1]",
      "0:0:0:0:0:0:0:1",
      "0000:0000::0001",
      "::ffff:127.0.0.1",
      "[::FFFF:127.0.0.1]",
      "::ffff:7f00:1",
      "::ffff:127.200.0.9",
    ];
    for (const host of loopback) expect([host, isLoopbackHost(host)]).toEqual([host, true]);
  });

  it("refuses wildcards, other addresses and names, zone indexes and text that is no address", () => {
    const others = [
      "0.0.0.0",
      "::",
      "[::]",
      "0:0:0:0:0:0:0:0",
      "128.0.0.1",
      "10.0.0.1",
      "192.168.1.20",
      "::2",
      "::ffff:10.0.0.1",
      "::ffff:8000:1",
      "::127.0.0.1",
      "fe80::1",
      "::1%lo",
      "localhost.example.com",
      "evil-localhost",
      "127.0.0.1.example.com",
      "127.0.0",
      "",
    ];
    for (const host of others) expect([host, isLoopbackHost(host)]).toEqual([host, false]);
  });
});
