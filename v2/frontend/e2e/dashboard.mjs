// Browser check of the dashboard against a running backend. Plain Node ESM, no test runner.
//   BASE_URL=http://127.0.0.1:8000 SCREENSHOT_DIR=/tmp/shots node e2e/dashboard.mjs
// Optional: CHROMIUM (browser binary), API_TOKEN (when the server has API_TOKEN set),
// OTHER_SITE_URL (a page on another origin, for the cross-site write check).
// Exits 1 with a message naming the first failed check.
import { join } from "node:path";
import { BASE_URL, fail, runChecks, SCREENSHOT_DIR } from "./harness.mjs";

const TASKS = ["scrape", "epg_refresh", "playlist_generation", "status_check", "activity_cleanup"];
const SECTIONS = ["active-streams", "stream-history", "warp-status", "background-tasks", "activity-chart", "activity-log"];
const TIMEOUT = 20_000;

async function waitLoaded(page) {
  const tokenDialog = page.getByRole("dialog", { name: "API token required" });
  for (const id of SECTIONS) {
    await page
      .locator(`#${id}[aria-busy="false"]`)
      .or(tokenDialog)
      .first()
      .waitFor({ timeout: TIMEOUT })
      .catch(() => fail(`section #${id} is still loading after ${TIMEOUT / 1000} s`));
    if (await tokenDialog.isVisible()) fail("the server asks for an API token: set API_TOKEN");
    const error = page.locator(`#${id} .MuiAlert-root`).filter({ hasText: "Could not load" }).first();
    if (await error.isVisible()) fail(`section #${id} failed to load: ${(await error.innerText()).replace(/\s+/g, " ")}`);
  }
}

async function statusText(page, id) {
  const chip = page.locator(`#${id} .MuiChip-label`).first();
  const text = (await chip.count()) ? (await chip.innerText()).trim() : "";
  if (!text) fail(`section #${id} shows no status text`);
  return text;
}

function taskItem(page, name) {
  return page.locator("#background-tasks li").filter({ has: page.getByRole("heading", { name, exact: true }) });
}

async function runCount(page, name) {
  const { tasks } = await (await fetch(`${BASE_URL}/api/v1/background-tasks/status`, { headers: apiHeaders() })).json();
  return tasks.find((task) => task.task_name === name)?.run_count ?? fail(`no task ${name} in the status`);
}

async function until(check, what, page) {
  const deadline = Date.now() + TIMEOUT;
  while (Date.now() < deadline) {
    if (await check()) return;
    await page.getByRole("button", { name: "Refresh now", exact: true }).click();
    await page.waitForTimeout(1000);
  }
  fail(`timed out waiting for ${what}`);
}

function apiHeaders() {
  return process.env.API_TOKEN ? { Authorization: `Bearer ${process.env.API_TOKEN}` } : {};
}

// Live: with "Live" shown, a row the service records (a pause and a resume of status_check,
// written here, not by the page) appears in the log without a reload or a refresh.
async function checkLive(page, width) {
  await page
    .getByRole("status", { name: "Live updates" })
    .getByText("Live", { exact: true })
    .waitFor({ timeout: TIMEOUT })
    .catch(() => fail(`[${width}px] the page does not show Live`));
  for (const action of ["pause", "resume"]) {
    const response = await fetch(`${BASE_URL}/api/v1/background-tasks/status_check/${action}`, { method: "POST", headers: apiHeaders() });
    if (!response.ok) fail(`${action} status_check answered ${response.status}`);
  }
  await page
    .locator("#activity-log table tbody tr")
    .filter({ hasText: "Resumed task status_check" })
    .first()
    .waitFor({ timeout: TIMEOUT })
    .catch(() => fail(`[${width}px] a row recorded in the service did not appear live`));
  console.log(`[${width}px] live: a new row appeared without a refresh`);
}

async function checkAt(browser, width, consoleErrors, { runTask }) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  if (process.env.API_TOKEN) {
    await context.addInitScript((token) => sessionStorage.setItem("acestream.apiToken", token), process.env.API_TOKEN);
  }
  const page = await context.newPage();
  page.on("console", (msg) => msg.type() === "error" && consoleErrors.push(`[${width}px] ${msg.text()}`));
  page.on("pageerror", (error) => consoleErrors.push(`[${width}px] ${error.message}`));
  await page.goto(BASE_URL, { waitUntil: "domcontentloaded" });
  await waitLoaded(page);
  // Once the page runs, the tab's title carries the summary's problem count, if any: "(2) ⚠ AceStream dashboard".
  if (!/^(\(\d+\) ⚠ )?AceStream dashboard$/.test(await page.title())) fail(`unexpected page title "${await page.title()}"`);

  for (const name of TASKS) {
    if ((await taskItem(page, name).count()) !== 1) fail(`tasks section does not list ${name}`);
  }
  const streams = await statusText(page, "active-streams");
  const warp = await statusText(page, "warp-status");
  console.log(`[${width}px] streams: ${streams}, WARP: ${warp}`);

  if (runTask) {
    const before = await runCount(page, "activity_cleanup");
    await page.getByRole("button", { name: "Run now: activity_cleanup", exact: true }).click();
    const success = page.locator(".MuiAlert-filled.MuiAlert-colorSuccess");
    const failure = page.locator(".MuiAlert-filled.MuiAlert-colorError");
    await until(
      async () => {
        if (await failure.isVisible()) fail(`running activity_cleanup failed: ${await failure.innerText()}`);
        return (await success.isVisible()) || (await runCount(page, "activity_cleanup")) > before;
      },
      "activity_cleanup to run",
      page,
    );
    console.log(`[${width}px] activity_cleanup ran (run count was ${before})`);
  }

  const rows = page.locator("#activity-log table tbody tr");
  await until(async () => (await rows.count()) > 0, "a row in the activity table", page);
  if (runTask) await checkLive(page, width);

  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  if (scrollWidth > innerWidth) fail(`horizontal scroll at ${width}px: scrollWidth ${scrollWidth} > innerWidth ${innerWidth}`);

  const file = join(SCREENSHOT_DIR, `dashboard-${width}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`[${width}px] ok, screenshot ${file}`);
  await context.close();
}

// /docs must work on a LAN without internet: swagger-ui renders the API from files the service
// serves itself, under its Content-Security-Policy (a violation is a console error).
async function checkDocs(browser, consoleErrors) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const origin = new URL(BASE_URL).origin;
  const elsewhere = [];
  page.on("request", (req) => new URL(req.url()).origin !== origin && !req.url().startsWith("data:") && elsewhere.push(req.url()));
  page.on("console", (msg) => msg.type() === "error" && consoleErrors.push(`[docs] ${msg.text()}`));
  page.on("pageerror", (error) => consoleErrors.push(`[docs] ${error.message}`));
  await page.goto(`${BASE_URL}/docs`, { waitUntil: "domcontentloaded" });
  await page
    .locator(".swagger-ui .opblock-summary-path", { hasText: "/api/v1/activity/recent" })
    .first()
    .waitFor({ timeout: TIMEOUT })
    .catch(() => fail(`/docs shows no operations after ${TIMEOUT / 1000} s`));
  if (elsewhere.length) fail(`/docs fetched from outside the service: ${elsewhere.join(", ")}`);
  await page.screenshot({ path: join(SCREENSHOT_DIR, "docs-1280.png") });
  console.log("[docs] ok, swagger-ui rendered from the service");
  await context.close();
}

// A page on another origin must not be able to change anything, even with the `no-cors` fetches
// a browser sends without asking the service (no API_TOKEN needed for this attack).
async function checkCrossSiteWrite(browser) {
  if (!process.env.OTHER_SITE_URL) return;
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(process.env.OTHER_SITE_URL, { waitUntil: "domcontentloaded" });
  const target = `${BASE_URL}/api/v1/background-tasks/activity_cleanup/pause`;
  await page.evaluate(async (url) => {
    await fetch(url, { method: "POST", mode: "no-cors" });
    await fetch(url, { method: "POST", mode: "no-cors", body: "{}", headers: { "Content-Type": "text/plain" } });
  }, target);
  await context.close();
  const { tasks } = await (await fetch(`${BASE_URL}/api/v1/background-tasks/status`, { headers: apiHeaders() })).json();
  if (tasks.find((task) => task.task_name === "activity_cleanup").paused) fail("a page on another origin paused a task");
  console.log("[cross-site] ok, a page on another origin changed nothing");
}

await runChecks("dashboard", async (browser) => {
  const consoleErrors = [];
  await checkAt(browser, 1280, consoleErrors, { runTask: true });
  await checkAt(browser, 375, consoleErrors, { runTask: false });
  await checkDocs(browser, consoleErrors);
  await checkCrossSiteWrite(browser);
  if (consoleErrors.length) fail(`console errors:\n  ${consoleErrors.join("\n  ")}`);
});
