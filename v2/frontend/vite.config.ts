import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// Everything the backend serves outside the SPA; `npm run dev` forwards it to a local uvicorn.
const BACKEND = "http://127.0.0.1:8000";
const proxied = ["/api", "/playlist.m3u", "/healthz", "/readyz", "/metrics"];

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
    // One chunk of ~600 kB raw / ~185 kB gzip: the budget that matters is 350 kB gzip (see README).
    chunkSizeWarningLimit: 800,
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/testing/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
    testTimeout: 15_000,
  },
});
