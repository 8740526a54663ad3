import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterAll, afterEach, beforeAll, beforeEach, vi } from "vitest";
import { setUnauthorizedHandler } from "../api/client";
import { preloadBelowTheFold } from "../pages/belowTheFold";
import { resetDb } from "./mocks/db";
import { server } from "./mocks/server";

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
