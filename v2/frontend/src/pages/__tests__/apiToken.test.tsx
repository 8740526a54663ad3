import { describe, expect, it, vi } from "vitest";
import { TOKEN_STORAGE_KEY } from "../../config";
import { db, requestsTo } from "../../testing/mocks/db";
import { loadedSection, renderApp, screen, section, waitFor, within } from "../../testing/test-utils";

describe("API token", () => {
  it("asks for the token on a 401, keeps it in sessionStorage and retries with it", async () => {
    db.apiToken = "s3cret";
    const { user } = renderApp();
    const dialog = await screen.findByRole("dialog", { name: "API token required" });
    expect(section("Background tasks", { hidden: true })).toHaveAttribute("aria-busy", "true");

    await user.type(within(dialog).getByLabelText(/API token/), "s3cret");
    await user.click(within(dialog).getByRole("button", { name: "Save and retry" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());

    const tasks = await loadedSection("Background tasks");
    expect(within(tasks).getByRole("heading", { name: "scrape" })).toBeInTheDocument();
    expect(window.sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBe("s3cret");
    expect(requestsTo("/background-tasks/status").map((r) => r.authorization)).toEqual([null, "Bearer s3cret"]);
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("sends a stored token from the start", async () => {
    db.apiToken = "s3cret";
    window.sessionStorage.setItem(TOKEN_STORAGE_KEY, "s3cret");
    renderApp();
    await loadedSection("WARP");
    expect(requestsTo("/warp/status").map((r) => r.authorization)).toEqual(["Bearer s3cret"]);
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("says when the stored token was refused", async () => {
    db.apiToken = "new";
    window.sessionStorage.setItem(TOKEN_STORAGE_KEY, "old");
    renderApp();
    const dialog = await screen.findByRole("dialog", { name: "API token required" });
    expect(within(dialog).getByText(/The server refused the token that was sent/)).toBeInTheDocument();
  });

  it("after Cancel shows one Enter API token state instead of a 401 per section, stops asking on polls, and asks again on Retry", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    db.apiToken = "s3cret";
    const { user } = renderApp({ fakeTimers: true });
    const dialog = await screen.findByRole("dialog", { name: "API token required" });
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());

    const banner = await screen.findByRole("alert");
    expect(banner).toHaveTextContent(/^API token needed/);
    const streams = section("Now playing");
    expect(await within(streams).findByText("The API token is needed to load active streams.")).toBeInTheDocument();
    expect(screen.queryByText(/API token missing or wrong/)).not.toBeInTheDocument();
    expect(screen.getAllByRole("alert")).toHaveLength(1);

    const polled = requestsTo("/streams/active").length;
    await vi.advanceTimersByTimeAsync(120_000);
    await waitFor(() => expect(requestsTo("/streams/active").length).toBeGreaterThanOrEqual(polled + 3));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Refresh now" }));
    const again = await screen.findByRole("dialog", { name: "API token required" });
    await user.type(within(again).getByLabelText(/API token/), "s3cret");
    await user.click(within(again).getByRole("button", { name: "Save and retry" }));
    expect(await within(streams).findByText("Up")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("offers Enter API token after a Cancel, and a write asks again", async () => {
    db.apiToken = "s3cret";
    const { user } = renderApp();
    await user.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Cancel" }));
    await user.click(await screen.findByRole("button", { name: "Enter API token" }));
    const dialog = await screen.findByRole("dialog", { name: "API token required" });
    await user.type(within(dialog).getByLabelText(/API token/), "s3cret");
    await user.click(within(dialog).getByRole("button", { name: "Save and retry" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    const tasks = section("Background tasks");
    expect(await within(tasks).findByRole("heading", { name: "scrape" })).toBeInTheDocument();

    db.apiToken = "rotated";
    await user.click(within(tasks).getByRole("button", { name: "Pause: scrape" }));
    const prompt = await screen.findByRole("dialog", { name: "API token required" });
    await user.type(within(prompt).getByLabelText(/API token/), "rotated");
    await user.click(within(prompt).getByRole("button", { name: "Save and retry" }));
    await waitFor(() => expect(db.tasks.find((t) => t.task_name === "scrape")?.paused).toBe(true));
    expect(requestsTo("/background-tasks/scrape/pause", "POST").map((r) => r.authorization)).toEqual(["Bearer s3cret", "Bearer rotated"]);
  });
});
