import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { createActivity, createValidationError } from "../../testing/data-generators";
import { db, requestsTo } from "../../testing/mocks/db";
import { server } from "../../testing/mocks/server";
import { loadedSection, renderApp, screen, waitFor, within } from "../../testing/test-utils";

const DAY = 86_400_000;

/** Two rows a retention of 3 days deletes (10 and 20 days old), one it keeps. */
function storeOldRows() {
  db.activity = [
    createActivity({ id: 3, timestamp: new Date(Date.now() - 60_000).toISOString() }),
    createActivity({ id: 2, timestamp: new Date(Date.now() - 10 * DAY).toISOString() }),
    createActivity({ id: 1, timestamp: new Date(Date.now() - 20 * DAY).toISOString() }),
  ];
}

async function openSettings() {
  const rendered = renderApp();
  const card = await loadedSection("Activity log");
  await rendered.user.click(within(card).getByRole("button", { name: "Settings" }));
  const dialog = await screen.findByRole("dialog", { name: "Settings" });
  const select = within(dialog).getByRole("combobox", { name: "Keep activity for" });
  await waitFor(() => expect(select).toHaveValue("7"));
  return { ...rendered, dialog, select };
}

describe("Retention setting", { timeout: 60_000 }, () => {
  it("changes nothing when a value is chosen: only Save asks, and Cancel deletes nothing", async () => {
    storeOldRows();
    const { user, dialog, select } = await openSettings();
    await user.selectOptions(select, "3 days");
    expect(within(dialog).getByText("Activity older than 3 days is deleted.")).toBeInTheDocument();
    expect(requestsTo("/config/dashboard/retention-preview")).toHaveLength(0);

    await user.click(within(dialog).getByRole("button", { name: "Save" }));
    expect(await within(dialog).findByText(/^Delete 2 entries older than .+\?/)).toBeInTheDocument();
    expect(requestsTo("/config/dashboard/retention-preview").at(-1)?.params.get("days")).toBe("3");
    expect(within(dialog).getByRole("button", { name: "Delete and save" })).toBeEnabled();

    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(requestsTo("/config/dashboard", "PUT")).toHaveLength(0);
    expect(db.config.retention_days).toBe(7);
  });

  it("saves after the confirmation, then closes", async () => {
    storeOldRows();
    const { user, dialog, select } = await openSettings();
    await user.selectOptions(select, "3 days");
    await user.click(within(dialog).getByRole("button", { name: "Save" }));
    await user.click(await within(dialog).findByRole("button", { name: "Delete and save" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(requestsTo("/config/dashboard", "PUT").map((r) => r.body)).toEqual([{ retention_days: 3 }]);
    expect(db.config.retention_days).toBe(3);
  });

  it("says when nothing would be deleted, and saves with a plain Save", async () => {
    storeOldRows();
    const { user, dialog, select } = await openSettings();
    await user.selectOptions(select, "30 days");
    await user.click(within(dialog).getByRole("button", { name: "Save" }));
    expect(await within(dialog).findByText(/^Nothing is deleted: no entry is older than/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(db.config.retention_days).toBe(30));
  });

  it("shows the server's 422 message and keeps the dialog open", async () => {
    server.use(
      http.put("*/api/v1/config/dashboard", () =>
        HttpResponse.json(createValidationError("retention_days", "Input should be less than or equal to 10"), { status: 422 }),
      ),
    );
    const { user, dialog, select } = await openSettings();
    await user.selectOptions(select, "30 days");
    await user.click(within(dialog).getByRole("button", { name: "Save" }));
    await user.click(await within(dialog).findByRole("button", { name: "Save" }));
    expect(await within(dialog).findByText("Input should be less than or equal to 10")).toBeInTheDocument();
    expect(screen.getByRole("dialog", { name: "Settings" })).toBeInTheDocument();
  });

  it("asks in Spanish, with the count in Spanish digits", async () => {
    db.activity = Array.from({ length: 10_840 }, (_, i) => createActivity({ id: i + 1, timestamp: new Date(Date.now() - 10 * DAY - i).toISOString() }));
    const { user } = renderApp({ language: "es" });
    await user.click(await screen.findByRole("button", { name: "Ajustes" }));
    const dialog = await screen.findByRole("dialog", { name: "Ajustes" });
    const select = within(dialog).getByRole("combobox", { name: "Guardar la actividad durante" });
    await waitFor(() => expect(select).toHaveValue("7"));
    await user.selectOptions(select, "3 días");
    await user.click(within(dialog).getByRole("button", { name: "Guardar" }));
    expect(await within(dialog).findByText(/^¿Borrar 10\.840 entradas anteriores al .+\?/)).toBeInTheDocument();
  });
});
