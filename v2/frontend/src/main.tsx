import { startTransition, StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App, createAppServices } from "./App";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

// In a transition, the first render yields to the browser every few milliseconds instead of
// holding the main thread for all of it (Lighthouse's blocking time); the shell in index.html
// stays until it is done.
startTransition(() => {
  createRoot(root).render(
    <StrictMode>
      <App {...createAppServices()} />
    </StrictMode>,
  );
});
