// Browser check of the tasks section and the activity log (issue #18, items 6–8) against a running
// backend. Plain Node ESM, no test runner:
//   BASE_URL=http://127.0.0.1:8000 SCREENSHOT_DIR=/tmp/shots node e2e/tasks.mjs
// Optional: CHROMIUM (browser binary). Exits 1 with a message naming the first failed check.
import { join } from "node:path";
import { BASE_URL, fail, runChecks, SCREENSHOT_DIR } from "./harness.mjs";

const TIMEOUT = 45_000;
/** The task paused and resumed here: nothing else depends on its schedule during the check. */
const TASK = "playlist_generation";

async function openPage(browser, width) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (msg) => msg.type() === "error" && errors.push(`[${width}px] ${msg.text()}`));
  page.on("pageerror", (error) => errors.push(`[${width}px] ${error.message}`));
  await page.goto(BASE_URL, { waitUntil: "domcontentloaded" });
  for (const id of ["background-tasks", "activity-log"]) {
    await page
      .locator(`#${id}[aria-busy="false"]`)
      .waitFor({ timeout: TIMEOUT })
      .catch(() => fail(`[${width}px] section #${id} is still loading after ${TIMEOUT / 1000} s ${errors.join("; ")}`));
  }
  return { context, page, errors };
}

/** The aria-label of the focused element, or its tag when it has none (BODY when the focus is lost). */
function focused(page) {
  return page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.tagName ?? "none");
}

function focusedBusy(page) {
  return page.evaluate(() => document.activeElement?.getAttribute("aria-disabled") === "true");
}

/**
 * Wait until the focus is on the element named `label` (the same button changes its name) and it is
 * no longer busy with the previous action.
 */
async function waitFocus(page, label, what) {
  const deadline = Date.now() + 2 * TIMEOUT;
  let now = await focused(page);
  while ((now !== label || (await focusedBusy(page))) && Date.now() < deadline) {
    await page.waitForTimeout(100); // sync-ok: polling document.activeElement, which has no event to await
    now = await focused(page);
  }
  if (now !== label || (await focusedBusy(page))) {
    fail(`${what}: the focus is on "${now}"${(await focusedBusy(page)) ? " (busy)" : ""}, not on "${label}"; alerts: ${await page.locator("[role=alert]").allInnerTexts()}`);
  }
}

/** A picture for whoever reads the run; not a check, so a slow machine's timeout only says so. */
async function screenshot(page, name) {
  await page.screenshot({ path: join(SCREENSHOT_DIR, name), fullPage: true, timeout: 60_000 }).catch((error) => console.log(`no screenshot ${name}: ${error.message.split("\n")[0]}`));
}

// Item 6: Enter on Pause keeps the focus on the same control, which becomes Resume; Enter again
// resumes with the focus still there. Every Run now button's name holds its visible label (WCAG 2.5.3).
async function checkFocus(browser) {
  const { context, page, errors } = await openPage(browser, 1280);
  const pause = page.getByRole("button", { name: `Pause: ${TASK}`, exact: true });
  await pause.focus();
  await waitFocus(page, `Pause: ${TASK}`, "before Pause");
  await page.keyboard.press("Enter");
  await waitFocus(page, `Resume: ${TASK}`, "after Pause");
  await page.locator("#background-tasks li", { hasText: "Paused" }).first().waitFor({ timeout: TIMEOUT }).catch(() => fail("no task shows Paused"));
  await page.keyboard.press("Enter");
  await waitFocus(page, `Pause: ${TASK}`, "after Resume");
  console.log("[1280px] focus stays on the Pause/Resume button");

  const runButtons = await page.locator("#background-tasks button[aria-label^='Run now']").all();
  if (runButtons.length === 0) fail("no Run now button");
  for (const button of runButtons) {
    const [label, text] = [await button.getAttribute("aria-label"), (await button.textContent()).trim()];
    if (!label.includes(text)) fail(`"${label}" does not contain its visible label "${text}"`);
  }
  const strips = await page.locator("#background-tasks ul[aria-label^='Recent runs of']").count();
  if (strips === 0) fail("no task shows its strip of recent runs");
  const height = await page.locator("#background-tasks").evaluate((element) => element.getBoundingClientRect().height);
  console.log(`[1280px] Run now names hold their label; ${strips} run strips; tasks section ${Math.round(height)} px tall`);
  await screenshot(page, "tasks-1280.png");
  await context.close();
  return errors;
}

// Item 8: at 375 px the log stacks: nothing scrolls sideways, the message starts at the card's left
// edge, and the expand buttons are 44 px touch targets.
async function checkPhoneLog(browser) {
  const { context, page, errors } = await openPage(browser, 375);
  const rows = page.locator("#activity-log tbody tr");
  await rows.first().waitFor({ timeout: TIMEOUT }).catch(() => fail("[375px] the activity log shows no row"));

  const overflow = await page.evaluate(() => {
    const log = document.querySelector("#activity-log");
    const wide = [document.scrollingElement, log, ...log.querySelectorAll("*")].find((element) => element.scrollWidth > element.clientWidth + 1 && /auto|scroll/.test(getComputedStyle(element).overflowX));
    return {
      page: [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth],
      inner: wide && wide !== document.scrollingElement ? `${wide.tagName}.${wide.className}` : null,
    };
  });
  if (overflow.page[0] > overflow.page[1]) fail(`[375px] the page scrolls sideways: scrollWidth ${overflow.page[0]} > clientWidth ${overflow.page[1]}`);
  if (overflow.inner) fail(`[375px] a box in the log scrolls sideways: ${overflow.inner}`);

  const message = await rows.first().locator("td").nth(4).boundingBox();
  if (!message || message.x > 40) fail(`[375px] the message starts at x=${message?.x}, not near the left edge`);

  const buttons = await page.locator("#activity-log tbody button[aria-expanded]").all();
  for (const button of buttons.slice(0, 5)) {
    const box = await button.boundingBox();
    if (!box || box.width < 44 || box.height < 44) fail(`[375px] an expand button is ${box?.width}×${box?.height} px, under 44×44`);
  }
  const scrollBox = await page.locator("#activity-log table").evaluate((table) => {
    for (let element = table; element && element.id !== "activity-log"; element = element.parentElement) {
      const style = getComputedStyle(element);
      if (style.maxHeight !== "none" && /auto|scroll/.test(style.overflowY)) return element.className;
    }
    return null;
  });
  if (scrollBox) fail(`[375px] the log sits in its own scroll box (${scrollBox})`);
  const height = await page.locator("#background-tasks").evaluate((element) => element.getBoundingClientRect().height);
  console.log(`[375px] log: no sideways scroll, message at x=${Math.round(message.x)}, ${buttons.length} expand buttons ≥ 44 px; tasks section ${Math.round(height)} px tall`);
  await screenshot(page, "tasks-375.png");
  await context.close();
  return errors;
}

await runChecks("tasks", async (browser) => {
  const errors = [...(await checkFocus(browser)), ...(await checkPhoneLog(browser))];
  if (errors.length) fail(`console errors:\n  ${errors.join("\n  ")}`);
});
