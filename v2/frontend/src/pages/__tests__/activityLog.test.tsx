import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import type { ActivityPage } from "../../api/activity";
import { createActivities, createActivity, createErrorActivity } from "../../testing/data-generators";
import { db, requestsTo } from "../../testing/mocks/db";
import { server } from "../../testing/mocks/server";
import { loadedSection, renderApp, screen, section, waitFor, within } from "../../testing/test-utils";

function bodyRows(card: HTMLElement): HTMLElement[] {
  const table = within(card).getByRole("table", { name: "Activity log, newest first" });
  return within(table).getAllByRole("row").slice(1);
}

describe("Activity log", () => {
  it("shows entries newest first with type and level as text", async () => {
    db.activity = [
      createErrorActivity({ message: "Scrape failed", timestamp: new Date(Date.now() - 10_000).toISOString() }),
      createActivity({ message: "Scraped 3 sources", type: "scrape", level: "info" }),
      createActivity({ message: "Retention changed", type: "user_action", level: "warning", timestamp: new Date(Date.now() - 120_000).toISOString() }),
    ];
    renderApp();
    const card = await loadedSection("Activity log");
    const rows = bodyRows(card);
    expect(rows.map((row) => within(row).getAllByRole("cell")[4]?.textContent)).toEqual(["Scrape failed", "Scraped 3 sources", "Retention changed"]);
    expect(within(rows[0] as HTMLElement).getAllByText("Error")).toHaveLength(2);
    expect(within(rows[2] as HTMLElement).getByText("User action")).toBeInTheDocument();
    expect(within(rows[2] as HTMLElement).getByText("Warning")).toBeInTheDocument();
    expect(within(card).getByText("All 3 entries for this period.")).toBeInTheDocument();
    expect(within(card).queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
  });

  it("expands a row to show details, user, trace id and the stack trace", async () => {
    db.activity = [createErrorActivity({ message: "Scrape failed", user: "ops-token" })];
    const { user } = renderApp();
    const card = await loadedSection("Activity log");
    const toggle = within(card).getByRole("button", { name: "Show details of “Scrape failed”" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    await user.click(toggle);

    expect(toggle).toHaveAttribute("aria-expanded", "true");
    expect(toggle).toHaveAccessibleName("Hide details of “Scrape failed”");
    expect(within(card).getByText("ops-token")).toBeInTheDocument();
    expect(within(card).getByText("4bf92f3577b34da6a3ce929d0e0e4736")).toBeInTheDocument();
    expect(within(card).getByText("ConnectTimeout: timed out after 10 s")).toBeInTheDocument();
    expect(within(card).getByRole("region", { name: "Stack trace" })).toHaveTextContent('File "scraper.py", line 42');
    expect(within(card).getByRole("region", { name: "Details" })).toHaveTextContent('"url": "https://example.invalid"');

    await user.click(toggle);
    expect(within(card).queryByRole("region", { name: "Stack trace" })).not.toBeInTheDocument();
  });

  it("shows how many times a folded error happened", async () => {
    const lastSeen = new Date(Date.now() - 5_000).toISOString();
    db.activity = [createErrorActivity({ message: "Unhandled error in GET /x", details: { repeated: 29, last_seen: lastSeen, last_trace_id: "f".repeat(32) } })];
    const { user } = renderApp();
    const card = await loadedSection("Activity log");
    const [row] = bodyRows(card);
    expect(within(row as HTMLElement).getByText("30 times")).toBeInTheDocument();

    await user.click(within(card).getByRole("button", { name: "Show details of “Unhandled error in GET /x”" }));
    expect(within(card).getByText(/^29 more times within a minute, last at /)).toBeInTheDocument();
    expect(within(card).getByText("No further details were recorded.")).toBeInTheDocument();
  });

  it("pages with the cursor on Load more, never duplicating a row", async () => {
    db.activity = createActivities(120);
    const { user } = renderApp();
    const card = await loadedSection("Activity log");
    expect(bodyRows(card)).toHaveLength(50);
    expect(within(card).getByText("Showing the newest 50 entries.")).toBeInTheDocument();

    await user.click(within(card).getByRole("button", { name: "Load more" }));
    await waitFor(() => expect(bodyRows(card)).toHaveLength(100));
    const pageRequests = requestsTo("/activity/recent");
    expect(pageRequests[0]?.params.get("cursor")).toBeNull();
    expect(pageRequests[1]?.params.get("cursor")).toBe(btoa(JSON.stringify({ before: db.activity[49]?.id })));
    expect(pageRequests[1]?.params.has("offset")).toBe(false);

    await user.click(within(card).getByRole("button", { name: "Load more" }));
    await waitFor(() => expect(bodyRows(card)).toHaveLength(120));
    expect(within(card).getByText("All 120 entries for this period.")).toBeInTheDocument();
    expect(within(card).queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
    const messages = bodyRows(card).map((row) => row.textContent);
    expect(new Set(messages).size).toBe(120);
  });

  it("drops an entry a second page repeats", async () => {
    const [first, second, third] = createActivities(3);
    server.use(
      http.get("*/api/v1/activity/recent", ({ request }) => {
        const cursor = new URL(request.url).searchParams.get("cursor");
        const page: ActivityPage = cursor ? { items: [second!, third!], next_cursor: null } : { items: [first!, second!], next_cursor: "c2" };
        return HttpResponse.json(page);
      }),
    );
    const { user } = renderApp();
    const card = await loadedSection("Activity log");
    await user.click(within(card).getByRole("button", { name: "Load more" }));
    await waitFor(() => expect(bodyRows(card)).toHaveLength(3));
  });

  it("keeps the focus on Load more, busy with a spinner, while the next page loads", async () => {
    db.activity = createActivities(160);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { user } = renderApp();
    const card = await loadedSection("Activity log");
    let pagesAsked = 0;
    server.use(
      http.get("*/api/v1/activity/recent", async ({ request }) => {
        // The first page (a refetch of it) comes from the usual handler.
        if (!new URL(request.url).searchParams.has("cursor")) return undefined;
        pagesAsked += 1;
        await gate;
        return HttpResponse.json({ items: db.activity.slice(50, 100), next_cursor: btoa(JSON.stringify({ before: db.activity[99]?.id })) });
      }),
    );
    const more = within(card).getByRole("button", { name: "Load more" });
    more.focus();
    await user.keyboard("{Enter}");
    expect(more).toHaveAttribute("aria-disabled", "true");
    expect(within(more).getByRole("progressbar")).toBeInTheDocument();
    expect(more).toHaveFocus();
    // A second press while busy asks for nothing more.
    await user.keyboard("{Enter}");
    release();
    // The rows render at transition priority, restarted by every update in between: jsdom on a
    // busy 2-core machine takes many seconds for 100 rows.
    await waitFor(() => expect(bodyRows(card)).toHaveLength(100), { timeout: 20_000 });
    expect(more).toHaveAttribute("aria-disabled", "false");
    expect(more).toHaveFocus();
    expect(pagesAsked).toBe(1);
  });

  it("moves the focus to the first new row when the last page takes Load more away", async () => {
    db.activity = createActivities(60);
    const { user } = renderApp();
    const card = await loadedSection("Activity log");
    within(card).getByRole("button", { name: "Load more" }).focus();
    await user.keyboard("{Enter}");
    await waitFor(() => expect(bodyRows(card)).toHaveLength(60));
    expect(within(card).queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
    const firstNew = db.activity[50];
    await waitFor(() => expect(within(card).getByRole("button", { name: `Show details of “${firstNew?.message ?? ""}”` })).toHaveFocus());
  });

  it("speaks Spanish", async () => {
    db.activity = [createActivity({ message: "Scraped 3 sources", type: "user_action", level: "warning" })];
    renderApp({ language: "es" });
    const card = await loadedSection("Registro de actividad");
    const [row] = within(within(card).getByRole("table", { name: "Registro de actividad, lo más reciente primero" })).getAllByRole("row").slice(1);
    expect(within(row as HTMLElement).getByText("Acción de usuario")).toBeInTheDocument();
    expect(within(card).getByRole("button", { name: "Mostrar detalles de «Scraped 3 sources»" })).toBeInTheDocument();
    expect(within(card).getByText("La única entrada de este periodo.")).toBeInTheDocument();
  });

  it("filters by type and period through the query string", async () => {
    db.activity = [createErrorActivity({ message: "Boom" }), createActivity({ message: "Fine" })];
    const { user } = renderApp();
    const card = await loadedSection("Activity log");
    const filters = screen.getByRole("region", { name: "Activity filters" });
    expect(within(filters).getByRole("button", { name: "All types" })).toHaveAttribute("aria-pressed", "true");

    await user.click(within(filters).getByRole("button", { name: "Error" }));
    expect(within(filters).getByRole("button", { name: "Error" })).toHaveAttribute("aria-pressed", "true");
    await waitFor(() => expect(bodyRows(card)).toHaveLength(1));
    expect(within(card).getByText("Boom")).toBeInTheDocument();
    expect(requestsTo("/activity/recent").at(-1)?.params.getAll("type")).toEqual(["error"]);

    await user.selectOptions(within(filters).getByRole("combobox", { name: "Period" }), "Last 7 days");
    await waitFor(() => expect(requestsTo("/activity/recent").at(-1)?.params.get("days")).toBe("7"));
    expect(requestsTo("/activity/histogram").at(-1)?.params.get("days")).toBe("7");
    expect(requestsTo("/activity/histogram").at(-1)?.params.getAll("type")).toEqual(["error"]);
  });

  it("explains an empty log, and an empty filtered log", async () => {
    db.activity = [];
    const { user } = renderApp();
    const card = await loadedSection("Activity log");
    expect(within(card).getByText("No activity yet — scrapes, task runs and errors will appear here as they happen.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Scrape" }));
    expect(await within(card).findByText(/No activity of the selected types in this period/)).toBeInTheDocument();
  });

  it("shows a load error and recovers with Retry", async () => {
    server.use(http.get("*/api/v1/activity/recent", () => HttpResponse.json({ detail: "Internal error", trace_id: "abc" }, { status: 500 }), { once: true }));
    const { user } = renderApp();
    const card = section("Activity log");
    expect(await within(card).findByText("Internal error (HTTP 500). Trace id: abc.")).toBeInTheDocument();
    await user.click(within(card).getByRole("button", { name: "Retry loading activity" }));
    await waitFor(() => expect(bodyRows(card).length).toBeGreaterThan(0));
  });
});
