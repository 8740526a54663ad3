import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { createNotificationMessage, createNotifications, isoFromNow } from "../../testing/data-generators";
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

  it("lists the recent messages with their status, time, attempts and last error", async () => {
    db.notifications = createNotifications({
      messages: [
        createNotificationMessage({
          title: "Task scrape is failing",
          status: "failed",
          attempts: 6,
          decided_at: isoFromNow(-2 * 3600),
          last_error: "json://hooks.example.org/notify: error=500",
        }),
        createNotificationMessage({ title: "acexy is back up", status: "muted", attempts: 0, last_error: null }),
        createNotificationMessage(),
      ],
    });
    renderApp();
    const card = await loadedSection("Notifications");

    const list = within(card).getByRole("list", { name: "Recent messages" });
    const items = within(list).getAllByRole("listitem");
    expect(items).toHaveLength(3);
    expect(items[0]).toHaveTextContent("Failed");
    expect(items[0]).toHaveTextContent("Task scrape is failing");
    expect(items[0]).toHaveTextContent(/Decided 2 hours ago · 6 attempts/);
    expect(items[0]).toHaveTextContent("Last error: json://hooks.example.org/notify: error=500");
    expect(items[1]).toHaveTextContent("Muted");
    expect(items[1]).not.toHaveTextContent(/attempt/);
    expect(items[2]).toHaveTextContent("Sent");
    expect(items[2]).toHaveTextContent("1 attempt");
  });

  it("says what will be listed before any message was decided", async () => {
    renderApp();
    const card = await loadedSection("Notifications");
    expect(within(card).getByText(/No messages yet/)).toBeInTheDocument();
  });

  it("speaks Spanish when the page does", async () => {
    db.notifications = createNotifications({ messages: [createNotificationMessage({ status: "pending", attempts: 2 })] });
    renderApp({ language: "es" });
    const card = await loadedSection("Notificaciones");
    expect(within(card).getByText("2 destinos")).toBeInTheDocument();
    expect(within(card).getByRole("button", { name: "Enviar prueba" })).toBeEnabled();
    const list = within(card).getByRole("list", { name: "Mensajes recientes" });
    expect(within(list).getByRole("listitem")).toHaveTextContent(/Pendiente.*2 intentos/);
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
