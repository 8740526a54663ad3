import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// Everything the backend serves outside the SPA; `npm run dev` forwards it to a local uvicorn.
const BACKEND = "http://127.0.0.1:8000";
const proxied = ["/api", "/playlist.m3u", "/healthz", "/readyz", "/metrics"];

const VENDOR_CHUNKS = [
  { name: "react", test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
  { name: "mui", test: /node_modules[\\/](@mui|@emotion|@popperjs|react-transition-group|stylis)[\\/]/ },
  { name: "query", test: /node_modules[\\/]@tanstack[\\/]/ },
  { name: "i18n", test: /node_modules[\\/](i18next|react-i18next|i18next-browser-languagedetector)[\\/]/ },
];

export default defineConfig({
  base: "/",
  plugins: [react()],
  server: {
    proxy: Object.fromEntries(proxied.map((path) => [path, { target: BACKEND, changeOrigin: false }])),
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    // The budget that matters is 350 kB gzip for all scripts together (see README).
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      output: {
        // Libraries in chunks of their own: the browser fetches and compiles them in parallel with
        // the page's own code, and keeps them across releases that change only the page.
        codeSplitting: { groups: VENDOR_CHUNKS.map(({ name, test }) => ({ name, test, priority: 1 })) },
      },
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/testing/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
    // Whole-page renders in jsdom take seconds on a 2-core machine (docs/performance.md, the page under Lighthouse).
    testTimeout: 30_000,
    // One test file per core (Vitest's default leaves one core free: 1 worker on 2 cores). Nothing else
    // runs beside it in `make test`; on 2 cores it takes 168 s instead of 212 s.
    maxWorkers: "100%",
  },
});
