import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, chromium } from "playwright-core";

/** Debian's Chromium, which the browser tests drive (installed by scripts/install-browser.sh). */
const CHROMIUM = "/usr/bin/chromium";

/** Headless and offline-friendly: no sandbox (containers), no GPU, no background networking or updates. */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function executablePath(): string {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: bash scripts/install-browser.sh`);
  return CHROMIUM;
}

/** Headless Chromium (pages get their own contexts). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: executablePath(), headless: true, args: CHROMIUM_ARGS });
}

/** A headless Chromium context on a fresh profile (storage survives reloads within it). */
export async function headlessChromium(viewport: { width: number; height: number } = { width: 1100, height: 900 }): Promise<BrowserContext> {
  const profile = await mkdtemp(path.join(tmpdir(), "cje-chromium-"));
  return chromium.launchPersistentContext(profile, { executablePath: executablePath(), headless: true, args: CHROMIUM_ARGS, viewport });
}
