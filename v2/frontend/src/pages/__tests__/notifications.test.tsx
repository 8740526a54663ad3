import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { createNotifications } from "../../testing/data-generators";
import { db, requestsTo } from "../../testing/mocks/db";
import { server } from "../../testing/mocks/server";
import { loadedSection, renderApp, screen, within } from "../../testing/test-utils";

describe("Notifications card", () => {
  it("shows the targets count and that notifications are on", async () => {
    renderApp();
    const card = await loadedSection("Notifications");
    expect(within(card).getByText("On")).toBeInTheDocument();
    expect(within(card).getByText("2 targets")).toBeInTheDocument();
    expect(within(card).getByRole("button", { name: "Send test" })).toBeEnabled();
  });

  it("mutes for the chosen duration, shows until when, and unmutes", async () => {
    const { user } = renderApp();
    const card = await loadedSection("Notifications");
    await user.selectOptions(within(card).getByRole("combobox", { name: "Mute for" }), "8 hours");
    await user.click(within(card).getByRole("button", { name: "Mute" }));

    expect(await within(card).findByText("Muted")).toBeInTheDocument();
    expect(requestsTo("/notifications/mute", "PUT").map((r) => r.body)).toEqual([{ minutes: 480 }]);
    expect(within(card).getByText(/Muted until/)).toHaveTextContent(/in (7|8) hours/);

    await user.click(within(card).getByRole("button", { name: "Unmute" }));
    expect(await within(card).findByText("On")).toBeInTheDocument();
    expect(requestsTo("/notifications/mute", "DELETE")).toHaveLength(1);
  });

  it("sends a test and lists what each target answered", async () => {
    db.notificationTest = {
      results: [
        { target: "tgram://[REDACTED]", ok: true, detail: "delivered" },
        { target: "json://hooks.example.org/notify", ok: false, detail: "Failed to send JSON POST notification: error=500." },
      ],
    };
    const { user } = renderApp();
    const card = await loadedSection("Notifications");
    await user.click(within(card).getByRole("button", { name: "Send test" }));

    const results = await within(card).findByRole("list", { name: "Test results" });
    const items = within(results).getAllByRole("listitem");
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent("Delivered");
    expect(items[0]).toHaveTextContent("tgram://[REDACTED]");
    expect(items[1]).toHaveTextContent("Failed");
    expect(items[1]).toHaveTextContent("error=500");
  });

  it("cannot send a test without targets, and says how to add some", async () => {
    db.notifications = createNotifications({ targets: [] });
    renderApp();
    const card = await loadedSection("Notifications");
    expect(within(card).getByText(/No targets/)).toBeInTheDocument();
    expect(within(card).getByRole("button", { name: "Send test" })).toBeDisabled();
  });

  it("shows why a mute was refused", async () => {
    server.use(
      http.put("*/api/v1/notifications/mute", () =>
        HttpResponse.json({ detail: "Cross-site write refused: the request's origin is not this dashboard" }, { status: 403 }),
      ),
    );
    const { user } = renderApp();
    const card = await loadedSection("Notifications");
    await user.click(within(card).getByRole("button", { name: "Mute" }));
    expect(await within(card).findByRole("alert")).toHaveTextContent("Cross-site write refused");
    expect(screen.queryByText("Muted")).not.toBeInTheDocument();
  });
});
