// The main thread's blocking time of one page load, as the browser itself reports it (its
// "longtask" entries: every task over 50 ms, the part over 50 ms summed, as Lighthouse's TBT), in
// Debian's Chromium at a phone's width with the CPU slowed down: `node tbt.mjs <url> [slowdown=4]
// [ms=10000]` prints {blocking, max, count} as JSON. Lighter than a Lighthouse run (seconds, no
// simulation), for comparing two builds side by side, runs interleaved (docs/performance.md §20).
import puppeteer from "puppeteer-core";
const [url, slowdown = "4", ms = "10000"] = process.argv.slice(2);
const browser = await puppeteer.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage();
await page.setViewport({ width: 412, height: 823 });
const cdp = await page.createCDPSession();
await cdp.send("Emulation.setCPUThrottlingRate", { rate: Number(slowdown) });
await page.evaluateOnNewDocument(() => {
  window.__long = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push([e.startTime, e.duration]); }).observe({ type: "longtask", buffered: true });
});
await page.goto(url, { waitUntil: "load" });
await new Promise((r) => setTimeout(r, Number(ms)));
const long = await page.evaluate(() => window.__long);
const blocking = long.reduce((s, [, d]) => s + Math.max(0, d - 50), 0);
const max = Math.max(0, ...long.map(([, d]) => d));
console.log(JSON.stringify({ blocking: Math.round(blocking), max: Math.round(max), count: long.length }));
await browser.close();
