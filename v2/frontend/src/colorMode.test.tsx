import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { I18nextProvider } from "react-i18next";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AppTheme } from "./AppTheme";
import { ColorModeSelect } from "./components/ColorModeSelect";
import { createI18n, type Language } from "./i18n";
import { screen } from "./testing/test-utils";
import { COLOR_MODE_STORAGE_KEY, COLOR_SCHEME_ATTRIBUTE } from "./theme";

const scheme = () => document.documentElement.getAttribute(COLOR_SCHEME_ATTRIBUTE);

/** The header's selector under the page's real theme and translations. */
function renderSelect(language: Language = "en") {
  const user = userEvent.setup();
  const result = render(
    <I18nextProvider i18n={createI18n(language)}>
      <AppTheme>
        <ColorModeSelect />
      </AppTheme>
    </I18nextProvider>,
  );
  return { ...result, user };
}

/** A browser whose system preference is `preferred` (jsdom has no matchMedia of its own). */
function preferScheme(preferred: "light" | "dark") {
  vi.stubGlobal("matchMedia", (query: string) => ({
    matches: query === `(prefers-color-scheme: ${preferred})`,
    media: query,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  }));
}

describe("colour mode", () => {
  afterEach(() => {
    window.localStorage.removeItem(COLOR_MODE_STORAGE_KEY);
    vi.unstubAllGlobals();
  });

  it("follows the system's dark preference until a mode is chosen, and keeps the choice", async () => {
    preferScheme("dark");
    const { user, unmount } = renderSelect();
    expect(screen.getByRole("combobox", { name: "Theme" })).toHaveTextContent("System");
    expect(scheme()).toBe("dark");

    await user.click(screen.getByRole("combobox", { name: "Theme" }));
    await user.click(screen.getByRole("option", { name: "Light" }));

    expect(scheme()).toBe("light");
    expect(window.localStorage.getItem(COLOR_MODE_STORAGE_KEY)).toBe("light");
    unmount();
    renderSelect();
    expect(screen.getByRole("combobox", { name: "Theme" })).toHaveTextContent("Light");
    expect(scheme()).toBe("light");
  });

  it("names its modes in Spanish", async () => {
    const { user } = renderSelect("es");
    await user.click(screen.getByRole("combobox", { name: "Tema" }));
    expect(screen.getAllByRole("option").map((option) => option.textContent)).toEqual(["Sistema", "Claro", "Oscuro"]);
  });
});
