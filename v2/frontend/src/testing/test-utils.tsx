/** Render the real app (real providers, fresh QueryClient with retry off) against the fake backend. */
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, vi } from "vitest";
import { App, createAppServices } from "../App";
import { openStreamConnection } from "./mocks/db";
import type { Language } from "../i18n";

export function renderApp(options: { fakeTimers?: boolean; language?: Language } = {}) {
  const services = createAppServices({ retry: false, language: options.language ?? "en" });
  const user = userEvent.setup(options.fakeTimers ? { advanceTimers: vi.advanceTimersByTime.bind(vi) } : {});
  const result = render(<App {...services} />);
  return { ...result, ...services, user };
}

/**
 * The section landmark named by its heading, e.g. section("Background tasks"). `hidden` finds it
 * while a modal dialog hides the page from assistive technology.
 */
export function section(name: string, options: { hidden?: boolean } = {}): HTMLElement {
  return screen.getByRole("region", { name, hidden: options.hidden ?? false });
}

/** Wait until the named section has finished its first load. */
export async function loadedSection(name: string): Promise<HTMLElement> {
  const element = section(name);
  await waitFor(() => expect(element).toHaveAttribute("aria-busy", "false"));
  return element;
}

/** The live-updates status of the page's header. */
export const liveStatus = () => screen.getByRole("status", { name: "Live updates" });

/** Wait until the page says "Live", then the activity stream it holds open on the fake backend. */
export async function live() {
  await waitFor(() => expect(liveStatus()).toHaveTextContent(/^Live$/));
  const connection = openStreamConnection();
  if (!connection) throw new Error("no stream open");
  return connection;
}

export { screen, waitFor, within };
