// One Lighthouse run of the page at BASE_URL in Debian's Chromium, printed as one JSON line:
// `node run.mjs <url> <desktop|mobile>`. bench/lighthouse.py starts the service and calls this.
// Lighthouse's defaults per form factor: mobile is a Moto G Power on simulated slow 4G with
// 4x CPU slowdown; desktop is 1350x940 at 10 Mbps with no CPU slowdown. With LIGHTHOUSE_REPORT
// set, the whole report (JSON: long tasks, main-thread work by script) is written to that file.
import { writeFileSync } from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";

const [url, formFactor = "mobile"] = process.argv.slice(2);
if (!url || !["desktop", "mobile"].includes(formFactor)) {
  console.error("usage: node run.mjs <url> <desktop|mobile>");
  process.exit(2);
}

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"],
});
try {
  const config = formFactor === "desktop" ? desktopConfig : undefined;
  const result = await lighthouse(
    url,
    { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance", "accessibility"] },
    config,
  );
  if (process.env.LIGHTHOUSE_REPORT) writeFileSync(process.env.LIGHTHOUSE_REPORT, result.report);
  const { categories, audits } = result.lhr;
  const metric = (id) => audits[id]?.numericValue ?? null;
  console.log(
    JSON.stringify({
      formFactor,
      performance: Math.round(categories.performance.score * 100),
      accessibility: Math.round(categories.accessibility.score * 100),
      fcpMs: metric("first-contentful-paint"),
      lcpMs: metric("largest-contentful-paint"),
      tbtMs: metric("total-blocking-time"),
      cls: metric("cumulative-layout-shift"),
      speedIndexMs: metric("speed-index"),
      failedAccessibility: Object.values(audits)
        .filter((audit) => categories.accessibility.auditRefs.some((ref) => ref.id === audit.id && ref.weight > 0))
        .filter((audit) => audit.score !== null && audit.score < 1)
        .map((audit) => audit.id),
    }),
  );
} finally {
  await chrome.kill();
}
