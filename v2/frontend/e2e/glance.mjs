// Status at a glance, in real Chromium against a live service whose scrape fails and whose acexy is
// down (the engine up): the summary at the top names both, links to their sections and the tab
// title carries the count; then, with the API unreachable, one banner says so and sections grey.
//   BASE_URL=http://127.0.0.1:8000 SCREENSHOT_DIR=/tmp/shots node e2e/glance.mjs
// Also writes glance-heights.json: each section's loaded height per width (for SKELETON_HEIGHTS).
// Exits 1 with a message naming the first failed check.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { BASE_URL, fail, runChecks, SCREENSHOT_DIR } from "./harness.mjs";

const TIMEOUT = 30_000;
const SECTIONS = ["active-streams", "warp-status", "background-tasks", "stream-history", "uptime", "notifications", "activity-chart", "activity-log"];

async function until(page, check, what) {
  const deadline = Date.now() + TIMEOUT;
  while (Date.now() < deadline) {
    if (await check()) return;
    await page.getByRole("button", { name: "Refresh now", exact: true }).click();
    await page.waitForTimeout(1000); // sync-ok: the scheduler's first runs are what we wait for
  }
  fail(`timed out waiting for ${what}`);
}

async function heights(page) {
  const found = {};
  for (const id of SECTIONS) {
    const box = await page.locator(`#${id} .MuiCardContent-root`).first().boundingBox();
    const title = await page.locator(`#${id}-title`).first().boundingBox();
    // The room below the title row: what the section's skeleton stands in for.
    if (box && title) found[id] = Math.round(box.y + box.height - (title.y + title.height));
  }
  return found;
}

async function checkWidth(browser, width) {
  const page = await browser.newPage({ viewport: { width, height: 900 }, locale: "en-US" });
  await page.goto(BASE_URL);
  const summary = page.getByRole("region", { name: "Status at a glance" });
  await summary.waitFor({ timeout: TIMEOUT });
  await until(
    page,
    async () => {
      const text = await summary.innerText();
      return /scrape failing/.test(text) && /acexy down \(engine up\)/.test(text);
    },
    `[${width}px] the summary to name scrape failing and acexy down`,
  );
  const heading = (await summary.getByRole("heading").innerText()).trim();
  const count = Number(/^(\d+) problems?$/.exec(heading)?.[1] ?? fail(`[${width}px] summary heading is ${JSON.stringify(heading)}`));
  if (count < 2) fail(`[${width}px] the summary counts ${count} problems`);
  const title = await page.title();
  if (title !== `(${count}) ⚠ AceStream dashboard`) fail(`[${width}px] tab title is ${JSON.stringify(title)}`);
  const icon = await page.locator('link[rel~="icon"]').getAttribute("href");
  if (!icon?.startsWith("data:image/svg+xml")) fail(`[${width}px] the favicon is not the status icon: ${icon}`);

  const box = await summary.boundingBox();
  if (!box || box.y + box.height > 900) fail(`[${width}px] the summary is not on the first screen (bottom at ${box?.y + box?.height})`);

  await summary.getByRole("link", { name: "acexy down (engine up)" }).click();
  const focused = await page.evaluate(() => document.activeElement?.id);
  if (focused !== "active-streams") fail(`[${width}px] following acexy down focused #${focused}, not #active-streams`);
  const card = page.locator("#active-streams");
  // The cards render their data a moment after the summary (at transition priority, useDeferredQuery).
  await card.getByText("Degraded", { exact: true }).waitFor({ timeout: TIMEOUT }).catch(() => fail(`[${width}px] the streams card does not say Degraded`));
  if (await card.getByText(/No stream is playing/).count()) fail(`[${width}px] the streams card says no stream plays though it cannot count`);

  for (const id of SECTIONS) await page.locator(`#${id}[aria-busy="false"]`).waitFor({ timeout: TIMEOUT });
  const measured = await heights(page);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `glance-problems-${width}.png`), fullPage: false });

  // The service gone: every API request fails as a stopped server's would.
  await page.route("**/api/v1/**", (route) => route.abort("connectionrefused"));
  await page.getByRole("button", { name: "Refresh now", exact: true }).click();
  const banner = page.getByRole("alert").filter({ hasText: /^Connection lost since/ });
  await banner.waitFor({ timeout: TIMEOUT }).catch(() => fail(`[${width}px] no "Connection lost" banner`));
  await page.waitForFunction(() => document.querySelectorAll("[data-stale]").length >= 4, null, { timeout: TIMEOUT })
    .catch(() => fail(`[${width}px] the sections are not greyed out as stale`));
  const repeated = await page.getByText(/Could not (refresh|load)/).count();
  if (repeated > 0) fail(`[${width}px] ${repeated} sections repeat the failure the banner tells`);
  if ((await page.getByText(/^Connection lost since/).count()) !== 1) fail(`[${width}px] the banner is not shown exactly once`);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `glance-lost-${width}.png`), fullPage: false });

  // Back: the next poll or "Refresh now" (the banner's Retry is covered by Vitest) clears the banner.
  await page.unroute("**/api/v1/**");
  await page.getByRole("button", { name: "Refresh now", exact: true }).click();
  await banner.waitFor({ state: "detached", timeout: TIMEOUT }).catch(() => fail(`[${width}px] the banner stays after the service is back`));
  await page.close();
  return measured;
}

await runChecks("glance", async (browser) => {
  const measured = {};
  for (const width of [1440, 375]) measured[width] = await checkWidth(browser, width);
  writeFileSync(join(SCREENSHOT_DIR, "glance-heights.json"), JSON.stringify(measured, null, 2));
  console.log("glance: section heights", JSON.stringify(measured));
});
