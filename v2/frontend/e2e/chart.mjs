// Browser check of the activity chart and the retention dialog, in a viewer's time zone west of
// UTC (America/Los_Angeles), against a running backend whose log the pytest test seeded.
//   BASE_URL=http://127.0.0.1:8000 OLD_ROWS=6 node e2e/chart.mjs
// OLD_ROWS: how many rows are older than 3 days (what a retention of 3 would delete).
// Exits 1 with a message naming the first failed check.
import { join } from "node:path";
import { BASE_URL, fail, runChecks, SCREENSHOT_DIR } from "./harness.mjs";

const OLD_ROWS = Number(process.env.OLD_ROWS || "0");
const TIME_ZONE = "America/Los_Angeles";
const TIMEOUT = 20_000;
const HOUR = 3_600_000;

function expectEqual(actual, expected, what) {
  if (actual !== expected) fail(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

async function api(path) {
  const response = await fetch(`${BASE_URL}/api/v1${path}`);
  if (!response.ok) fail(`GET ${path} answered ${response.status}`);
  return response.json();
}

async function openPage(browser, options = {}) {
  const context = await browser.newContext({ timezoneId: TIME_ZONE, locale: "en-US", ...options });
  const page = await context.newPage();
  await page.goto(BASE_URL, { waitUntil: "domcontentloaded" });
  await page.locator('#activity-chart[aria-busy="false"]').waitFor({ timeout: TIMEOUT });
  const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  expectEqual(zone, TIME_ZONE, "the browser's time zone");
  return { context, page };
}

function chart(page) {
  return page.locator("#activity-chart svg[role=img]").first();
}

async function tooltip(page) {
  return (await page.locator("#activity-chart [role=status]").first().innerText()).replace(/\s+/g, " ").trim();
}

// The default period is the server's last 24 h: 25 hourly bars, each named by the viewer's local
// time; the bar under the pointer tells its numbers.
async function checkHours(page) {
  const period = page.getByRole("combobox", { name: "Period", exact: true });
  expectEqual(await period.locator("option:checked").innerText(), "Last 24 hours", "the default period");
  const bars = chart(page).locator("[data-bar]");
  expectEqual(await bars.count(), 25, "hourly bars over the last 24 hours");
  const currentHour = Math.floor(Date.now() / HOUR) * HOUR;
  const local = new Intl.DateTimeFormat("en", { weekday: "short", hour: "2-digit", minute: "2-digit", timeZone: TIME_ZONE });
  await bars.nth(24).hover();
  const text = await tooltip(page);
  if (!text.startsWith(local.format(currentHour))) fail(`the current hour's tooltip reads "${text}", not ${local.format(currentHour)} (Los Angeles)`);
  if (!/System event: \d/.test(text)) fail(`the current hour's tooltip shows no count: "${text}"`);
  // Keyboard: the plot takes focus, ← walks back one hour.
  await page.locator("#activity-chart [role=group]").first().focus();
  await page.keyboard.press("ArrowLeft");
  const previous = await tooltip(page);
  if (!previous.startsWith(local.format(currentHour - HOUR))) fail(`ArrowLeft shows "${previous}", not the hour before`);
  console.log(`[hours] ok: 25 bars, "${text}"`);
}

// Seven days: daily bars are UTC days and are named so, whatever the viewer's zone.
async function checkDays(page) {
  await page.getByRole("combobox", { name: "Period", exact: true }).selectOption({ label: "Last 7 days" });
  await page.getByText("Each bar is a UTC day (from 00:00 UTC).").waitFor({ timeout: TIMEOUT });
  const bars = chart(page).locator("[data-bar]");
  expectEqual(await bars.count(), 8, "daily bars over the last 7 days");
  const utcDay = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });
  await bars.nth(7).hover();
  const text = await tooltip(page);
  if (!text.startsWith(utcDay.format(Date.now()))) fail(`today's bar reads "${text}", not the UTC day ${utcDay.format(Date.now())}`);
  await bars.nth(3).hover();
  const older = await tooltip(page);
  if (!older.startsWith(utcDay.format(Date.now() - 4 * 86_400_000))) fail(`the bar 4 days back reads "${older}"`);
  if (!/System event: 4\b/.test(older)) fail(`the bar 4 days back does not show the 4 rows seeded there: "${older}"`);
  await page.locator("#activity-chart").screenshot({ path: join(SCREENSHOT_DIR, "chart-1280.png") });
  console.log(`[days] ok: today "${text}", 4 days back "${older}"`);
}

// Retention: choosing a value does nothing; Save asks with the server's count; Cancel deletes nothing.
async function checkRetention(page) {
  const before = (await api("/activity/recent?days=30&limit=200")).items.length;
  await page.locator("#activity-log").getByRole("button", { name: "Settings" }).click();
  const dialog = page.getByRole("dialog", { name: "Settings" });
  await dialog.getByRole("combobox", { name: "Keep activity for" }).selectOption({ label: "3 days" });
  await dialog.getByRole("button", { name: "Save" }).click();
  const question = dialog.getByText(/^Delete \d[\d,]* entr(y|ies) older than/);
  await question.waitFor({ timeout: TIMEOUT });
  const asked = await question.innerText();
  if (!asked.startsWith(`Delete ${OLD_ROWS.toLocaleString("en")} entries older than`)) fail(`the confirmation reads "${asked}", expected ${OLD_ROWS} entries`);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "hidden", timeout: TIMEOUT });
  expectEqual((await api("/config/dashboard")).retention_days, 7, "the retention after Cancel");
  const after = (await api("/activity/recent?days=30&limit=200")).items.length;
  if (after < before) fail(`Cancel deleted rows: ${before} before, ${after} after`);
  console.log(`[retention] ok: "${asked}", then Cancel kept all ${after} rows`);
}

// A phone: a tap on a bar shows its tooltip.
async function checkTap(browser) {
  const { context, page } = await openPage(browser, { viewport: { width: 375, height: 800 }, hasTouch: true, isMobile: true });
  await chart(page).scrollIntoViewIfNeeded();
  await chart(page).locator("[data-bar]").nth(24).tap();
  const text = await tooltip(page);
  if (!/System event: \d/.test(text)) fail(`a tap on the current hour shows "${text}"`);
  await page.locator("#activity-chart").screenshot({ path: join(SCREENSHOT_DIR, "chart-375.png") });
  console.log(`[tap] ok: "${text}"`);
  await context.close();
}

await runChecks("chart", async (browser) => {
  const { context, page } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  await checkHours(page);
  await checkRetention(page);
  await checkDays(page);
  await context.close();
  await checkTap(browser);
  if (errors.length) fail(`console errors:\n  ${errors.join("\n  ")}`);
});
