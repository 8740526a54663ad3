// What every browser check shares: where the service and the screenshots are, how a check fails,
// and one headless Chromium for a script's checks, ending the process 0 or 1 with a message.
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

export const BASE_URL = process.env.BASE_URL || "http://127.0.0.1:8000";
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || ".";

export function fail(message) {
  throw new Error(message);
}

/** Run `checks(browser)` in a fresh headless Chromium; exit 1 naming the first failed check. */
export async function runChecks(name, checks) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  let exitCode = 0;
  try {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await checks(browser);
    console.log(`${name} e2e: all checks passed`);
  } catch (error) {
    console.error(`${name} e2e FAILED: ${error.message}`);
    exitCode = 1;
  } finally {
    await browser.close();
  }
  process.exit(exitCode);
}
