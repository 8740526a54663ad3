import { http, HttpResponse } from "msw";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setToken } from "../../api/token";
import { createActivity, createErrorActivity } from "../../testing/data-generators";
import { db, requestsTo } from "../../testing/mocks/db";
import { server } from "../../testing/mocks/server";
import { loadedSection, renderApp, screen, waitFor, within } from "../../testing/test-utils";

function messages(card: HTMLElement): (string | null)[] {
  const table = within(card).getByRole("table", { name: "Activity log, newest first" });
  return within(table).getAllByRole("row").slice(1).map((row) => within(row).getAllByRole("cell")[4]?.textContent ?? null);
}

describe("Problems only", () => {
  it("sends min_level=warning to the log and the chart, and shows only warnings and errors", async () => {
    db.activity = [
      createErrorActivity({ message: "Scrape failed" }),
      createActivity({ message: "Scraped 3 sources" }),
      createActivity({ message: "Source slow", level: "warning" }),
    ];
    const { user } = renderApp();
    const card = await loadedSection("Activity log");
    expect(messages(card)).toEqual(["Scrape failed", "Scraped 3 sources", "Source slow"]);
    expect(requestsTo("/activity/recent").at(-1)?.params.get("min_level")).toBe("info");

    const toggle = screen.getByRole("switch", { name: "Problems only" });
    expect(toggle).not.toBeChecked();
    await user.click(toggle);
    expect(toggle).toBeChecked();
    await waitFor(() => expect(messages(card)).toEqual(["Scrape failed", "Source slow"]));
    expect(requestsTo("/activity/recent").at(-1)?.params.get("min_level")).toBe("warning");
    await waitFor(() => expect(requestsTo("/activity/histogram").at(-1)?.params.get("min_level")).toBe("warning"));
  });

  it("explains an empty problems-only log", async () => {
    db.activity = [createActivity({ message: "Scraped 3 sources" })];
    const { user } = renderApp();
    const card = await loadedSection("Activity log");
    await user.click(screen.getByRole("switch", { name: "Problems only" }));
    expect(await within(card).findByText(/^No warnings or errors in this period — all quiet\./)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Error" }));
    expect(await within(card).findByText(/^No warnings or errors of the selected types in this period\./)).toBeInTheDocument();
  });
});

describe("Export", () => {
  const saved: { href: string; download: string }[] = [];
  const blobs = new Map<string, Blob>();
  beforeEach(() => {
    saved.length = 0;
    blobs.clear();
    let n = 0;
    vi.stubGlobal("URL", Object.assign(URL, {
      createObjectURL: (blob: Blob) => {
        const url = `blob:test/${++n}`;
        blobs.set(url, blob);
        return url;
      },
      revokeObjectURL: (url: string) => blobs.delete(url),
    }));
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      saved.push({ href: this.href, download: this.download });
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it("downloads the CSV with the current filters and the token, named by the server", async () => {
    setToken("s3cret");
    db.apiToken = "s3cret";
    db.activity = [createErrorActivity({ message: "Scrape failed" }), createActivity({ message: "Scraped 3 sources" })];
    const { user } = renderApp();
    await loadedSection("Activity log");
    await user.click(screen.getByRole("switch", { name: "Problems only" }));
    await user.selectOptions(screen.getByRole("combobox", { name: "Period" }), "Last 7 days");
    await user.click(screen.getByRole("button", { name: "Error" }));
    await user.click(screen.getByRole("button", { name: "Export CSV" }));

    await waitFor(() => expect(saved).toHaveLength(1));
    const [sent] = requestsTo("/activity/export");
    expect(sent?.authorization).toBe("Bearer s3cret");
    expect(Object.fromEntries(sent?.params ?? [])).toEqual({ days: "7", type: "error", min_level: "warning", format: "csv" });
    expect(saved[0]?.download).toBe("activity-2026-12-02T0830Z.csv");
    // revoked once the click has started the download
    await waitFor(() => expect(blobs.size).toBe(0));
  });

  it("downloads NDJSON, disabling both buttons with progress meanwhile", async () => {
    let answer: () => void = () => undefined;
    server.use(
      http.get("*/api/v1/activity/export", () => new Promise<Response>((resolve) => {
        answer = () => resolve(new HttpResponse('{"id":1}\n', { headers: { "Content-Disposition": 'attachment; filename="activity-x.ndjson"' } }));
      })),
    );
    const { user } = renderApp();
    await loadedSection("Activity log");
    await user.click(screen.getByRole("button", { name: "Export NDJSON" }));
    expect(screen.getByRole("button", { name: "Export NDJSON" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Export CSV" })).toBeDisabled();
    expect(screen.getByRole("progressbar", { name: "Exporting NDJSON" })).toBeInTheDocument();
    answer();
    await waitFor(() => expect(saved.map((s) => s.download)).toEqual(["activity-x.ndjson"]));
    expect(screen.getByRole("button", { name: "Export NDJSON" })).toBeEnabled();
  });

  it("says why an export failed", async () => {
    server.use(http.get("*/api/v1/activity/export", () => HttpResponse.json({ detail: "Database unavailable" }, { status: 503 })));
    const { user } = renderApp();
    await loadedSection("Activity log");
    await user.click(screen.getByRole("button", { name: "Export CSV" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Could not export: Database unavailable");
    expect(saved).toEqual([]);
  });
});
