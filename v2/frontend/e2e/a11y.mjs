// Accessibility, dark mode and first paint of the built page in real Chromium. Plain Node ESM.
//   BASE_URL=http://127.0.0.1:8000 SCREENSHOT_DIR=/tmp/shots node e2e/a11y.mjs
// axe-core (node_modules/axe-core) must find ZERO violations at 1440 and 375 px, in the light and the
// dark scheme (the browser's preference, emulated), and once in Spanish (the browser's language).
// Also: the dark scheme really applies, a 2 px focus ring shows on keyboard focus in both schemes,
// and the first paint (index.html before any script) is the page's shell in the preferred scheme.
// Optional: CHROMIUM (browser binary). Exits 1 with a message naming the first failed check.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { BASE_URL, fail, runChecks, SCREENSHOT_DIR } from "./harness.mjs";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
// Every section, the ones loaded after the first render included.
const SECTIONS = ["active-streams", "stream-history", "warp-status", "background-tasks", "uptime", "notifications", "activity-chart", "activity-log"];
const TIMEOUT = 30_000;
// The theme's page backgrounds (src/theme.ts, index.html's shell).
const BACKGROUND = { light: "rgb(245, 246, 248)", dark: "rgb(16, 19, 23)" };

async function waitLoaded(page, label) {
  for (const id of SECTIONS) {
    await page
      .locator(`#${id}[aria-busy="false"]`)
      .waitFor({ timeout: TIMEOUT })
      .catch(() => fail(`[${label}] section #${id} is still loading after ${TIMEOUT / 1000} s`));
  }
}

function describeViolations(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n      ${v.nodes.slice(0, 4).map((n) => n.target.join(" ")).join("\n      ")}`)
    .join("\n    ");
}

async function axeViolations(page) {
  // Evaluated rather than added as a <script>: the page's policy allows no inline script but its own.
  await page.evaluate(AXE);
  return page.evaluate(async () => (await window.axe.run(document)).violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map(({ target }) => ({ target })) })));
}

/** The outline of whatever has focus after pressing Tab until a button has it. */
async function focusRingOnAButton(page, label) {
  for (let presses = 0; presses < 15; presses++) {
    await page.keyboard.press("Tab");
    const ring = await page.evaluate(() => {
      const element = document.activeElement;
      if (!element || element.tagName !== "BUTTON" && element.getAttribute("role") !== "button") return null;
      const style = getComputedStyle(element);
      return { name: element.textContent.trim() || element.getAttribute("aria-label"), width: style.outlineWidth, style: style.outlineStyle };
    });
    if (ring) {
      if (ring.style !== "solid" || ring.width !== "2px") fail(`[${label}] the focused button "${ring.name}" shows no 2 px focus ring (outline ${ring.width} ${ring.style})`);
      return ring.name;
    }
  }
  return fail(`[${label}] 15 presses of Tab never focused a button`);
}

async function checkPage(browser, { width, scheme, locale = "en-US" }, cspErrors) {
  const label = `${width}px ${scheme} ${locale}`;
  const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme, locale });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) cspErrors.push(`[${label}] ${message.text()}`);
  });
  await page.goto(BASE_URL + "/", { waitUntil: "domcontentloaded" });
  await waitLoaded(page, label);

  const applied = await page.evaluate(() => ({
    scheme: document.documentElement.getAttribute("data-color-scheme"),
    background: getComputedStyle(document.body).backgroundColor,
    lang: document.documentElement.lang,
  }));
  if (applied.scheme !== scheme) fail(`[${label}] the page is in the ${applied.scheme} scheme, not the ${scheme} one the browser prefers`);
  if (applied.background !== BACKGROUND[scheme]) fail(`[${label}] the page background is ${applied.background}, not ${BACKGROUND[scheme]}`);
  const language = locale.slice(0, 2);
  if (applied.lang !== language) fail(`[${label}] <html lang="${applied.lang}">, expected "${language}"`);
  if (language === "es") {
    await page.getByRole("combobox", { name: "Tema" }).waitFor({ timeout: TIMEOUT }).catch(() => fail(`[${label}] no "Tema" (theme) selector: the page is not in Spanish`));
  }

  const violations = await axeViolations(page);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `a11y-${width}-${scheme}-${language}.png`), fullPage: true });
  if (violations.length) fail(`[${label}] axe found ${violations.length} violation(s):\n    ${describeViolations(violations)}`);
  const focused = await focusRingOnAButton(page, label);
  console.log(`[${label}] ok: 0 axe violations, ${scheme} scheme applied, 2 px focus ring on "${focused}"`);
  await context.close();
}

/** The first paint: index.html's shell, before (here: without) any script, in the preferred scheme. */
async function checkFirstPaint(browser, scheme) {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 }, colorScheme: scheme, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(BASE_URL + "/");
  const shell = await page.evaluate(() => ({
    title: document.querySelector("h1")?.textContent,
    outlines: document.querySelectorAll(".shell-card").length,
    background: getComputedStyle(document.body).backgroundColor,
  }));
  if (!shell.title || shell.outlines === 0) fail(`[first paint ${scheme}] index.html paints no shell (title ${shell.title}, ${shell.outlines} outlines)`);
  if (shell.background !== BACKGROUND[scheme]) fail(`[first paint ${scheme}] the shell's background is ${shell.background}, not ${BACKGROUND[scheme]}`);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `first-paint-${scheme}.png`) });
  console.log(`[first paint ${scheme}] ok: the shell shows "${shell.title}" on ${shell.background}`);
  await context.close();
}

/** The mode chosen in the page wins over the browser's preference, from the first paint on. */
async function checkChosenMode(browser) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: "dark" });
  const page = await context.newPage();
  await page.goto(BASE_URL + "/");
  await page.getByRole("combobox", { name: "Theme" }).click();
  await page.getByRole("option", { name: "Light" }).click();
  // Without the page's scripts (refused), only index.html's inline script can have read the choice.
  await page.route("**/assets/*.js", (route) => route.abort());
  await page.reload({ waitUntil: "domcontentloaded" });
  const before = await page.evaluate(() => [document.documentElement.getAttribute("data-color-scheme"), getComputedStyle(document.body).backgroundColor]);
  if (before[0] !== "light" || before[1] !== BACKGROUND.light) fail(`[chosen mode] after choosing Light under a dark preference the first paint is ${before.join(", ")}`);
  console.log("[chosen mode] ok: Light chosen in the page is painted first under a dark preference");
  await context.close();
}

await runChecks("a11y", async (browser) => {
  const cspErrors = [];
  for (const scheme of ["light", "dark"]) await checkFirstPaint(browser, scheme);
  for (const scheme of ["light", "dark"]) {
    for (const width of [1440, 375]) await checkPage(browser, { width, scheme }, cspErrors);
  }
  await checkPage(browser, { width: 1440, scheme: "light", locale: "es-ES" }, cspErrors);
  await checkChosenMode(browser);
  if (cspErrors.length) fail(`the Content-Security-Policy blocked something:\n  ${cspErrors.join("\n  ")}`);
});
