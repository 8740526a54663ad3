import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterAll, afterEach, beforeAll, beforeEach, vi } from "vitest";
import { setUnauthorizedHandler } from "../api/client";
import { preloadBelowTheFold } from "../pages/belowTheFold";
import { resetDb } from "./mocks/db";
import { server } from "./mocks/server";

// Sections render their data at transition priority (useDeferredQuery), in slices between which
// jsdom runs timers and MSW: a whole page takes seconds here, far longer than in a browser.
configure({ asyncUtilTimeout: 5000 });
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
// The page renders its lazily loaded sections at once, as the tests expect of every section.
beforeAll(preloadBelowTheFold);
beforeEach(() => {
  resetDb();
  window.sessionStorage.clear();
});
afterEach(() => {
  cleanup();
  server.resetHandlers();
  setUnauthorizedHandler(null);
  vi.useRealTimers();
});
afterAll(() => server.close());
