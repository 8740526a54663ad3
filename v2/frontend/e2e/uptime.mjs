// Browser check of the Uptime and Notifications sections against a running backend whose acexy
// fake plays one stream and whose WARP is disconnected (so a notification is decided and sent).
//   BASE_URL=http://127.0.0.1:8000 SCREENSHOT_DIR=/tmp/shots node e2e/uptime.mjs
// Optional: CHROMIUM (browser binary), STREAM_NAME (the playing stream's channel name, default "La 1").
// Exits 1 with a message naming the first failed check.
import { join } from "node:path";
import { BASE_URL, fail, runChecks, SCREENSHOT_DIR } from "./harness.mjs";

const STREAM_NAME = process.env.STREAM_NAME || "La 1";
const TIMEOUT = 60_000;

/** Click "Refresh now" until `locator` shows up, or fail naming `what`. */
async function refreshUntil(page, locator, what) {
  const deadline = Date.now() + TIMEOUT;
  while (Date.now() < deadline) {
    if (await locator.first().isVisible()) return;
    await page.getByRole("button", { name: /^(Refresh now|Actualizar ahora)$/ }).first().click().catch(() => {});
    await page.waitForTimeout(1000);
  }
  fail(`timed out after ${TIMEOUT / 1000} s waiting for ${what}`);
}

async function checkEnglish(browser, width, consoleErrors) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: "en-US" });
  const page = await context.newPage();
  page.on("console", (message) => message.type() === "error" && consoleErrors.push(`[${width}px] ${message.text()}`));
  await page.goto(BASE_URL, { waitUntil: "domcontentloaded" });

  const uptime = page.locator("#uptime");
  await refreshUntil(page, uptime.getByRole("group", { name: "acexy, day by day" }), `[${width}px] acexy's uptime bar`);
  // Streams do not get bars: they wait behind one button, in a table.
  await refreshUntil(page, uptime.getByRole("button", { name: /^Show \d+ streams?$/ }), `[${width}px] the streams button`);
  if (await uptime.getByRole("group", { name: `${STREAM_NAME}, day by day` }).count()) fail(`[${width}px] a stream got a bar`);
  const toggle = uptime.getByRole("button", { name: /^Show \d+ streams?$/ });
  const box = await toggle.boundingBox();
  if (!box || box.height < 44) fail(`[${width}px] the streams button is ${box?.height} px tall, under 44`);
  await toggle.click();
  const table = uptime.getByRole("table", { name: "Streams' uptime" });
  const row = table.getByRole("row").filter({ hasText: STREAM_NAME });
  await row.waitFor({ timeout: TIMEOUT }).catch(() => fail(`[${width}px] the streams table has no row for ${STREAM_NAME}`));
  if (!/playing/.test(await row.innerText())) fail(`[${width}px] ${STREAM_NAME} is not shown playing: ${await row.innerText()}`);

  const notifications = page.locator("#notifications");
  const recent = notifications.getByRole("list", { name: "Recent messages" });
  const sent = recent.getByRole("listitem").filter({ hasText: "WARP is disconnected" }).filter({ hasText: "Sent" });
  await refreshUntil(page, sent, `[${width}px] the sent "WARP is disconnected" message in Recent messages`);

  const file = join(SCREENSHOT_DIR, `uptime-${width}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`[${width}px] ok, screenshot ${file}`);
  await context.close();
}

async function checkSpanish(browser, consoleErrors) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "es-ES" });
  const page = await context.newPage();
  page.on("console", (message) => message.type() === "error" && consoleErrors.push(`[es] ${message.text()}`));
  await page.goto(BASE_URL, { waitUntil: "domcontentloaded" });
  const uptime = page.locator("#uptime");
  await refreshUntil(page, uptime.getByRole("heading", { name: "Disponibilidad" }), "the Spanish uptime heading");
  await refreshUntil(page, uptime.getByRole("group", { name: "acexy, día a día" }), "acexy's bar named in Spanish");
  await refreshUntil(page, page.locator("#notifications").getByRole("list", { name: "Mensajes recientes" }), "the Spanish recent messages");
  console.log("[es] ok");
  await context.close();
}

await runChecks("uptime", async (browser) => {
  const consoleErrors = [];
  await checkEnglish(browser, 1280, consoleErrors);
  await checkEnglish(browser, 375, consoleErrors);
  await checkSpanish(browser, consoleErrors);
  if (consoleErrors.length) fail(`console errors:\n  ${consoleErrors.join("\n  ")}`);
});
