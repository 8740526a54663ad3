import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { createEntityUptime, createUptime, isoFromNow } from "../../testing/data-generators";
import { db, requestsTo } from "../../testing/mocks/db";
import { server } from "../../testing/mocks/server";
import { loadedSection, renderApp, screen, within } from "../../testing/test-utils";

describe("Uptime section", () => {
  it("asks for 30 days and shows each entity's state, its age and its 24 h to 90 d uptime", async () => {
    db.uptime = createUptime({
      entities: [
        createEntityUptime({
          name: "acexy",
          state: "down",
          since: isoFromNow(-12.5 * 60),
          windows: { "1d": 0.99166, "7d": 0.9985, "30d": 0.99951, "90d": null },
        }),
        createEntityUptime({ name: "scrape", kind: "task", state: "ok", since: isoFromNow(-2 * 3600 - 30) }),
      ],
    });
    renderApp();
    const card = await loadedSection("Uptime");

    expect(requestsTo("/uptime")[0]?.params.get("days")).toBe("30");
    const acexy = within(card).getByRole("heading", { name: "acexy" }).closest("li") as HTMLElement;
    expect(within(acexy).getByText("down for 12 min")).toBeInTheDocument();
    expect(within(acexy).getByText("24 h 99.17 % · 7 d 99.85 % · 30 d 99.95 % · 90 d no data")).toBeInTheDocument();
    const scrape = within(card).getByRole("heading", { name: "Task scrape" }).closest("li") as HTMLElement;
    expect(within(scrape).getByText("ok for 2 h")).toBeInTheDocument();
  });

  it("gives every day a focusable cell whose tooltip tells its uptime, incidents and worst state", async () => {
    db.uptime = createUptime({ entities: [createEntityUptime({}, 30, [28])] });
    const { user } = renderApp();
    const card = await loadedSection("Uptime");

    const bar = within(card).getByRole("group", { name: "acexy, day by day" });
    const cells = within(bar).getAllByRole("img");
    expect(cells).toHaveLength(30);
    const yesterday = cells[28]!;
    expect(yesterday).toHaveAccessibleName(/: 90 % up, 1 incident, worst down$/);
    expect(cells[29]).toHaveAccessibleName(/: 100 % up, 0 incidents, worst up$/);

    expect(yesterday).toHaveAttribute("tabindex", "0");
    cells[27]!.focus();
    await user.tab(); // the keyboard moves on to the next day, whose tooltip opens
    expect(yesterday).toHaveFocus();
    await user.hover(yesterday);
    expect(await screen.findByRole("tooltip")).toHaveTextContent(/90 % up, 1 incident, worst down/);
    expect(within(card).getByText("Down (striped)")).toBeInTheDocument();
  });

  it("lists the streams in a collapsed table, not as bars, with each one's state and uptime", async () => {
    db.uptime = createUptime({
      entities: [
        createEntityUptime(),
        createEntityUptime({ id: "a".repeat(40), name: "La 1 HD", kind: "stream", state: "ended", uptime_ratio: 0.75 }),
        createEntityUptime({ id: "b".repeat(40), name: "b".repeat(40), kind: "stream", state: "stalled", uptime_ratio: null }),
      ],
    });
    const { user } = renderApp();
    const card = await loadedSection("Uptime");

    expect(within(card).getAllByRole("group", { name: /day by day$/ })).toHaveLength(1);
    expect(within(card).queryByRole("table")).not.toBeInTheDocument();
    const toggle = within(card).getByRole("button", { name: "Show 2 streams" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    await user.click(toggle);

    const table = within(card).getByRole("table", { name: "Streams' uptime" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((row) => row.textContent)).toEqual([`La 1 HDended75 %0`, `${"b".repeat(40)}stalledno data0`]);
    expect(within(card).getByRole("button", { name: "Hide streams" })).toHaveAttribute("aria-expanded", "true");
  });

  it("speaks Spanish when the page does", async () => {
    db.uptime = createUptime({
      entities: [createEntityUptime({ state: "down", since: isoFromNow(-12.5 * 60), windows: { "1d": 0.99166, "7d": 1, "30d": 1, "90d": null } })],
    });
    renderApp({ language: "es" });
    const card = await loadedSection("Disponibilidad");

    expect(within(card).getByText("caído desde hace 12 min")).toBeInTheDocument();
    expect(within(card).getByText("24 h 99,17 % · 7 d 100 % · 30 d 100 % · 90 d sin datos")).toBeInTheDocument();
    expect(within(card).getByRole("group", { name: "acexy, día a día" })).toBeInTheDocument();
  });

  it("says what will appear before anything was recorded", async () => {
    db.uptime = createUptime({ entities: [] });
    renderApp();
    const card = await loadedSection("Uptime");

    expect(within(card).getByText(/No state changes yet/)).toBeInTheDocument();
  });

  it("shows the error with a retry that loads the section", async () => {
    server.use(http.get("*/api/v1/uptime", () => HttpResponse.json({ detail: "The database is unavailable" }, { status: 503 })));
    const { user } = renderApp();
    const card = await loadedSection("Uptime");
    expect(within(card).getByText("Could not load uptime")).toBeInTheDocument();

    server.resetHandlers();
    await user.click(within(card).getByRole("button", { name: "Retry loading uptime" }));

    expect(await within(card).findByRole("heading", { name: "acexy" })).toBeInTheDocument();
  });
});
